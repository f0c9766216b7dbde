"""The command line: ``paperls serve``, ``paperls check``, ``paperls topics``.

``check`` runs the same index and diagnostics as the server, without an editor; ``topics`` prints
the key phrases of every abstract (one JSON line each with ``--format jsonl``).
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path

from . import __version__
from .features.diagnostics import DUPLICATE_CODES, SEVERITIES, document_diagnostics

LEVELS = {"error": 0, "warning": 1, "information": 2, "hint": 3}


def cmd_check(args: argparse.Namespace) -> int:
    from .host import loader
    from .host.cache import default_directory
    from .host.settings import DEFAULT_EXCLUDE, DEFAULT_INCLUDE, from_client, read_project

    warnings: list[str] = []
    roots = []
    for raw in args.paths:
        if Path(raw).exists():
            roots.append(Path(raw))
        else:
            warnings.append(f"{raw}: no such file or directory")
    cache_dir = None if args.no_cache else (Path(args.cache_dir) if args.cache_dir
                                             else default_directory())
    project, problems = read_project([r for r in roots if r.is_dir()])
    warnings += problems
    settings, problems = from_client(project)
    warnings += problems
    if args.threshold is None:
        args.threshold = settings.near_threshold
    ws, stats = loader.load(roots, DEFAULT_INCLUDE, DEFAULT_EXCLUDE,
                            int(args.max_file_size_mb * 1e6), args.threshold, warnings.append,
                            cache_dir=cache_dir if roots else None, key=str)
    for raw in args.paths:
        p = Path(raw)
        if p.is_file() and str(p) not in ws.index.docs and p.stat().st_size <= args.max_file_size_mb * 1e6:
            warnings.append(f"{raw}: not an abstract list (no line starts with `Abstract:`)")
    for w in warnings:
        print(f"paperls: {w}", file=sys.stderr)
    if not ws.index.docs:
        print("paperls: no abstract lists found", file=sys.stderr)
        return 2 if warnings else 0
    if args.fix:
        fixed = [p for p in sorted(ws.index.docs) if _fix_file(Path(p), not args.no_backup)]
        if fixed:  # findings of the fixed files, as they are now
            ws, stats = loader.load(roots, DEFAULT_INCLUDE, DEFAULT_EXCLUDE,
                                    int(args.max_file_size_mb * 1e6), args.threshold,
                                    lambda m: None, cache_dir=None, key=str)
    findings = []
    for doc in ws.index.docs:
        for d in document_diagnostics(ws, doc, settings.severities()):
            f = {
                "path": doc, "line": d.line + 1, "column": d.start + 1,
                "end_column": max(d.end, d.start) + 1,
                "severity": d.severity, "code": d.code, "message": d.message,
            }
            if d.code in DUPLICATE_CODES:
                f["similarity"] = d.similarity
                f["related"] = [{"path": r.doc, "line": r.line + 1} for r in d.related]
            findings.append(f)
    worst = min((LEVELS[f["severity"]] for f in findings), default=99)
    if args.format == "json":
        json.dump(findings, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    elif args.format == "sarif":
        json.dump(_sarif(findings), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        for f in findings:
            print(f"{f['path']}:{f['line']}:{f['column']}: {f['severity']}: {f['message']} "
                  f"[{f['code']}]")
        print(f"{stats.files} list(s), {stats.abstracts} abstract(s), {len(findings)} finding(s) "
              f"in {stats.seconds:.2f} s" + (f" ({stats.cached_files} list(s) from the cache)"
                                            if stats.cached_files else ""), file=sys.stderr)
    if args.fail_on != "never" and worst <= LEVELS[args.fail_on]:
        return 1
    return 0


def _sarif(findings: list[dict]) -> dict:
    """SARIF 2.1.0: one run, a rule per code, a result per finding (related copies as
    relatedLocations)."""
    from .features.diagnostics import DEFAULT_SEVERITY

    level = {"error": "error", "warning": "warning", "information": "note", "hint": "note"}
    codes = sorted({f["code"] for f in findings} | set(DUPLICATE_CODES))
    rules = [{"id": c, "name": c.replace("-", " "),
              "defaultConfiguration": {"level": level[DEFAULT_SEVERITY.get(c, "warning")]}}
             for c in codes]

    def loc(path: str, line: int, col: int | None = None, end: int | None = None) -> dict:
        region: dict = {"startLine": line}
        if col is not None:
            region.update(startColumn=col, endColumn=end or col)
        return {"physicalLocation": {"artifactLocation": {"uri": Path(path).as_posix()},
                                     "region": region}}

    results = []
    for f in findings:
        r = {"ruleId": f["code"], "level": level[f["severity"]],
             "message": {"text": f["message"]},
             "locations": [loc(f["path"], f["line"], f["column"], f["end_column"])]}
        if f.get("related"):
            r["relatedLocations"] = [dict(loc(x["path"], x["line"]), id=i)
                                     for i, x in enumerate(f["related"])]
        if "similarity" in f:
            r["properties"] = {"similarity": f["similarity"]}
        results.append(r)
    return {"$schema": "https://json.schemastore.org/sarif-2.1.0.json", "version": "2.1.0",
            "runs": [{"tool": {"driver": {"name": "paperls", "version": __version__,
                                          "rules": rules}}, "results": results}]}


def _fix_file(path: Path, backup: bool) -> bool:
    """Rewrite one list with ``fix_text``: through a temporary file and an atomic rename, with a
    backup, and only if the file is still what was read. Returns whether it changed."""
    import hashlib
    import os
    import tempfile

    from .core.fixes import fix_text
    from .core.parse import decode

    data = path.read_bytes()
    decoded = decode(data)
    if decoded.problem is not None:
        print(f"paperls: {path}: not fixed: {decoded.problem.message}", file=sys.stderr)
        return False
    new, changes = fix_text(decoded.text)
    if not changes:
        return False
    digest = hashlib.blake2b(data).digest()
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".paperls", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(new.encode("utf-8"))
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, path.stat().st_mode & 0o7777)
        if hashlib.blake2b(path.read_bytes()).digest() != digest:
            print(f"paperls: {path}: changed since it was read; not touched", file=sys.stderr)
            os.unlink(tmp)
            return False
        if backup:
            Path(f"{path}.bak").write_bytes(data)
        os.replace(tmp, path)
    except OSError as err:
        print(f"paperls: {path}: not fixed: {err}", file=sys.stderr)
        Path(tmp).unlink(missing_ok=True)
        return False
    for c in changes:
        print(f"{path}: line {c.line + 1}: {c.what}")
    return True


def cmd_topics(args: argparse.Namespace) -> int:
    from .host import loader
    from .host.paths import display_name
    from .host.settings import DEFAULT_EXCLUDE, DEFAULT_INCLUDE

    warnings: list[str] = []
    roots = [Path(p) for p in args.paths if Path(p).exists()]
    warnings += [f"{p}: no such file or directory" for p in args.paths if not Path(p).exists()]
    ws, _ = loader.load(roots, DEFAULT_INCLUDE, DEFAULT_EXCLUDE, int(args.max_file_size_mb * 1e6),
                        0.8, warnings.append, key=str)
    warnings += [f"{p}: not an abstract list (no line starts with `Abstract:`)" for p in roots
                 if p.is_file() and str(p) not in ws.index.docs
                 and p.stat().st_size <= args.max_file_size_mb * 1e6]
    for w in warnings:
        print(f"paperls: {w}", file=sys.stderr)
    for doc, d in ws.index.docs.items():
        rel = display_name(Path(doc), roots)
        for a in d.parsed.abstracts:
            phrases = [p.text for p in ws.topics(doc, a, args.top)]
            if args.format == "jsonl":
                sys.stdout.write(json.dumps({"file": rel, "line": a.line + 1,
                                             "keyphrases": phrases}, ensure_ascii=False) + "\n")
            else:
                sys.stdout.write(f"{rel}:{a.line + 1}: {'; '.join(phrases)}\n")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    logging.basicConfig(stream=sys.stderr, level=getattr(logging, args.log_level.upper()),
                        format="%(asctime)s %(name)s %(levelname)s %(message)s")
    from .lsp.server import server

    if args.tcp:
        host, _, port = args.tcp.rpartition(":")
        server.start_tcp(host or "127.0.0.1", int(port))
    else:
        server.start_io()
    return 0


def build_parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="paperls", description=__doc__.splitlines()[0])
    ap.add_argument("--version", action="version", version=f"paperls {__version__}")
    sub = ap.add_subparsers(dest="cmd")
    s = sub.add_parser("serve", help="speak LSP on stdio (default) or TCP")
    s.add_argument("--tcp", metavar="HOST:PORT", help="listen on TCP instead of stdio")
    s.add_argument("--stdio", action="store_true", help="stdio (the default; for editors that pass it)")
    s.add_argument("--log-level", default="warning",
                   choices=["debug", "info", "warning", "error"], help="stderr log level")
    s.set_defaults(func=cmd_serve)
    c = sub.add_parser("check", help="report duplicates and malformed lines without an editor")
    c.add_argument("paths", nargs="+", help="abstract-list files or folders to scan")
    c.add_argument("--format", choices=["text", "json", "sarif"], default="text",
                   help="text lines, a JSON array, or SARIF 2.1.0 for code-scanning dashboards")
    c.add_argument("--fail-on", choices=["error", "warning", "information", "hint", "never"],
                   default="warning",
                   help="exit 1 when a finding is at least this severe (default: warning)")
    c.add_argument("--threshold", type=float, default=None,
                   help="near-duplicate similarity threshold, 0.5 to 1 (default: paperls.toml's, "
                        "else 0.8)")
    c.add_argument("--max-file-size-mb", type=float, default=50.0)
    c.add_argument("--cache-dir", help="index cache folder (default: $XDG_CACHE_HOME/paperls)")
    c.add_argument("--no-cache", action="store_true", help="neither read nor write the cache")
    c.add_argument("--fix", action="store_true",
                   help="remove exact duplicates inside each list (the first copy stays) and fix "
                        "miscased prefixes; writes atomically and keeps FILE.bak")
    c.add_argument("--no-backup", action="store_true", help="with --fix: keep no .bak file")
    c.set_defaults(func=cmd_check)
    t = sub.add_parser("topics", help="print the key phrases of every abstract")
    t.add_argument("paths", nargs="+")
    t.add_argument("--format", choices=["text", "jsonl"], default="text")
    t.add_argument("--top", type=int, default=10, help="phrases per abstract (default 10)")
    t.add_argument("--max-file-size-mb", type=float, default=50.0)
    t.set_defaults(func=cmd_topics)
    return ap


def main(argv: list[str] | None = None) -> int:
    ap = build_parser()
    args = ap.parse_args(argv)
    if args.cmd is None:
        args = ap.parse_args(["serve", *(argv or sys.argv[1:])])
    threshold = getattr(args, "threshold", None)
    if threshold is not None and not 0.5 <= threshold <= 1:
        ap.error("--threshold must be between 0.5 and 1")
    try:
        return args.func(args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0


__all__ = ["main", "SEVERITIES"]
