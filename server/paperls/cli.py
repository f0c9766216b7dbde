"""The command line: serve, check, topics, report, import and marks.

check runs the same index and findings as the server, without an editor; topics prints the key
phrases of every abstract; marks lists and removes "not a duplicate" marks.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from pathlib import Path

from . import __version__

LEVELS = {"error": 0, "warning": 1, "information": 2, "hint": 3}
STDIN = "-"


def _n(k: int, noun: str) -> str:
    many = noun[:-1] + "ies" if noun.endswith("y") else noun + "s"
    return f"{k:,} {noun if k == 1 else many}" if k else f"no {many}"


def _roots(paths: list[str], stdin: bool = False) -> tuple[list[Path], list[str]]:
    """The paths that exist, and a warning for each that does not (``-`` is standard input
    where ``stdin`` says a command reads it)."""
    named = [p for p in paths if not (stdin and p == STDIN)]
    return ([Path(p) for p in named if Path(p).exists()],
            [f"{p}: no such file or directory" for p in named if not Path(p).exists()])


def _not_lists(roots: list[Path], ws, max_mb: float) -> list[str]:
    """A warning for each file named on the command line that is not an abstract list."""
    return [f"{p}: not an abstract list (no line starts with `Abstract:`)" for p in roots
            if p.is_file() and str(p) not in ws.index.docs and p.stat().st_size <= max_mb * 1e6]


def _codes(values: list[str] | None) -> list[str]:
    return [c.strip() for v in values or [] for c in v.split(",") if c.strip()]


def _wanted(code: str, select: list[str], ignore: list[str]) -> bool:
    """``--select``/``--ignore`` by code or code prefix (``near-`` picks both near codes)."""
    if select and not any(code == s or code.startswith(s) for s in select):
        return False
    return not any(code == i or code.startswith(i) for i in ignore)


def _exclude(args: argparse.Namespace) -> list[str]:
    """The default exclusions and ``--exclude``'s."""
    from .host.settings import DEFAULT_EXCLUDE

    return DEFAULT_EXCLUDE + list(args.exclude or [])


def _cache_dir(args: argparse.Namespace) -> Path:
    """``--cache-dir``, else the default cache folder."""
    from .host.paths import default_cache_directory

    return Path(args.cache_dir) if args.cache_dir else default_cache_directory()


def _load(args: argparse.Namespace, roots: list[Path], warnings: list[str], settings):
    """The lists under ``roots``, at the near threshold of ``--threshold`` (else the
    settings') and the settings' possible-duplicate threshold."""
    from .host import loader
    from .host.settings import DEFAULT_INCLUDE

    if getattr(args, "engine", "single") == "dask":
        return _load_dask(args, roots, warnings, settings)
    cache_dir = None if args.no_cache or not roots else _cache_dir(args)
    ws, stats = loader.load(roots, DEFAULT_INCLUDE, _exclude(args),
                            int(args.max_file_size_mb * 1e6), args.threshold, warnings.append,
                            cache_dir=cache_dir, key=str, processes=True, headlines=True)
    ws.set_threshold(args.threshold, settings.possible_threshold)
    return ws, stats


def _load_dask(args: argparse.Namespace, roots: list[Path], warnings: list[str], settings):
    """The same, on a Dask cluster: a local one of ``--workers`` processes, or the one at
    ``--scheduler``."""
    try:
        from .host import distributed
    except ImportError as err:
        raise SystemExit(f"paperls: --engine dask needs the dask extra: pip install "
                         f"'paperls[dask]' ({err})") from None
    from .host.settings import DEFAULT_INCLUDE

    client, cluster = distributed.connect(args.workers, args.scheduler)
    try:
        ws, stats = distributed.load(
            roots, DEFAULT_INCLUDE, _exclude(args),
            int(args.max_file_size_mb * 1e6), args.threshold, warnings.append, client=client,
            progress=args.progress == "on" or (args.progress == "auto" and sys.stderr.isatty()))
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
    ws.set_threshold(args.threshold, settings.possible_threshold)
    return ws, stats


def _stdin_list(args: argparse.Namespace, ws) -> str:
    """Index standard input as a list (named by ``--stdin-filename``; it stands in for that
    file when the file is also on disk, as an editor's unsaved text does)."""
    from .core.parse import ParsedList, decode, parse

    d = decode(sys.stdin.buffer.read())
    parsed = parse(d.text)
    if d.problem is not None:
        parsed = ParsedList(parsed.lines, parsed.header, parsed.abstracts,
                            (d.problem, *parsed.problems))
    name = args.stdin_filename or "<stdin>"
    ws.set_document(name, parsed)
    return name


def _findings(ws, found, settings) -> list[dict]:
    """Every finding as a plain dict; duplicates carry their paper's cluster (of ``found``)."""
    from .features.diagnostics import DUPLICATE_CODES, document_diagnostics

    cluster = {(m.doc, m.line): p.cluster for p in found for m in p.members}
    out = []
    for doc in sorted(ws.index.docs) + sorted(ws.refs.files):
        for d in document_diagnostics(ws, doc, settings.severities()):
            f = {"path": doc, "line": d.line + 1, "column": d.start + 1,
                 "end_column": max(d.end, d.start) + 1, "severity": d.severity, "code": d.code,
                 "message": d.message}
            if d.code in DUPLICATE_CODES:
                f.update(title=d.paper, cluster=cluster.get((doc, d.line)),
                         similarity=d.similarity,
                         related=[{"path": r.doc, "line": r.line + 1} for r in d.related])
                linked = ws.references_of(doc, d.line)
                if linked:
                    r = linked[0].ref
                    f["reference"] = {"path": linked[0].doc, "line": r.line + 1, "key": r.key,
                                      "title": r.title, "doi": r.doi, "arxiv": r.arxiv}
            out.append(f)
    return out


def _fix(ws, args, warn) -> bool:
    """Apply (or, with ``--diff``, preview) every lossless fix; whether anything changed."""
    from .host.rewrite import rewrite

    changed = False
    for doc in sorted(ws.index.docs):
        if doc == (args.stdin_filename or "<stdin>") and STDIN in args.paths:
            continue  # standard input is not a file to rewrite
        r = rewrite(Path(doc), backup=not args.no_backup, preview=args.diff)
        if r.refused:
            warn(f"{doc}: {r.refused}")
        if args.diff:
            sys.stdout.write(r.diff)
        elif r.written:
            for c in r.changes:
                print(f"{doc}: line {c.line + 1}: {c.what}")
        changed |= bool(r.changes) and (args.diff or r.written)
    return changed


def _check_cache(args: argparse.Namespace, roots: list[Path], settings):
    """The check cache, this request and the workspace's revision; None when the check may
    not use one (no cache, standard input, a fix, another engine)."""
    if (args.no_cache or not roots or STDIN in args.paths or args.fix or args.diff
            or args.engine != "single"):
        return None
    from .host import check_cache
    from .host.scan import REFERENCE_GLOBS
    from .host.settings import DEFAULT_INCLUDE

    request = {"cwd": os.getcwd(), "paths": args.paths,
               "roots": [str(r.resolve()) for r in roots], "exclude": args.exclude or [],
               "max_mb": args.max_file_size_mb, "threshold": args.threshold,
               "settings": repr(settings)}
    rev = check_cache.revision(roots, DEFAULT_INCLUDE + REFERENCE_GLOBS, _exclude(args))
    return check_cache.CheckCache(_cache_dir(args), roots), request, rev


def cmd_check(args: argparse.Namespace) -> int:
    import time

    from .host.settings import from_client, read_project

    started = time.perf_counter()
    roots, warnings = _roots(args.paths, stdin=True)
    project, problems = read_project([r for r in roots if r.is_dir()])
    settings, more = from_client(project)
    warnings += problems + more
    if args.threshold is None:
        args.threshold = settings.near_threshold
    if args.engine == "dask" and (STDIN in args.paths or args.fix):
        print("paperls: --engine dask checks files on disk: no standard input, no --fix",
              file=sys.stderr)
        return 2
    say = (lambda m: None) if args.quiet else (lambda m: print(f"paperls: {m}", file=sys.stderr))
    kept = _check_cache(args, roots, settings)
    if kept is not None:
        cache, request, rev = kept
        report = cache.load(request, rev)
        if report is not None:  # nothing changed since the last check: print it again
            for w in warnings + report["warnings"]:
                say(w)
            return _print_check(args, report, time.perf_counter() - started,
                                " (nothing changed since the last check)")
    early, report, stats = _check(args, roots, settings, warnings, say)
    if early is not None:
        return early
    if kept is not None:
        cache.save(request, rev, stats.digests, report)
    return _print_check(args, report, stats.seconds, f" ({_n(stats.cached_files, 'list')} "
                        "from the cache)" if stats.cached_files else "")


def _check(args: argparse.Namespace, roots: list[Path], settings, warnings: list[str], say):
    """Index the lists (fixing them first with ``--fix``), say every warning, and build what
    the check prints as plain values. Returns an exit code instead when the check ends here
    (no list, or ``--diff``), else None, with the report and the load's figures."""
    from . import output
    from .features.papers import papers

    said: list[str] = []
    ws, stats = _load(args, roots, said, settings)
    said += _not_lists(roots, ws, args.max_file_size_mb)
    if STDIN in args.paths:
        _stdin_list(args, ws)
    for w in warnings + said:
        say(w)
    if not ws.index.docs:
        say("no abstract lists found")
        return (2 if warnings or said else 0), None, stats
    if args.fix or args.diff:
        changed = _fix(ws, args, say)
        if args.diff:
            return (1 if changed else 0), None, stats
        if changed:  # findings of the fixed files, as they are now
            ws, stats = _load(args, roots, [], settings)
    every = papers(ws)
    report = {
        "findings": _findings(ws, every, settings),
        "papers": output.plain_papers(every, str, lambda d, ln: next(
            iter(ws.references_of(d, ln)), None)),
        "warnings": said, "lists": stats.files + (STDIN in args.paths),
        "abstracts": stats.abstracts if args.engine == "dask" else ws.index.abstract_count,
        "references": _references_line(ws, args.engine == "single") if ws.refs.files else ""}
    return None, report, stats


def _print_check(args: argparse.Namespace, report: dict, seconds: float, note: str) -> int:
    """Print a check's report in ``--format``, with ``--select``/``--ignore`` applied; the
    exit code of ``--fail-on``."""
    from . import output

    select, ignore = _codes(args.select), _codes(args.ignore)
    findings = [f for f in report["findings"] if _wanted(f["code"], select, ignore)]
    style = output.Style(sys.stdout, args.color)
    # The papers behind the findings shown (--select / --ignore may drop some).
    shown = {(f["path"], f["line"]) for f in findings}
    found = [p for p in report["papers"]
             if any((m["path"], m["line"]) in shown for m in p["members"])]
    if args.format == "json":
        output.write_json(findings, sys.stdout)
    elif args.format == "sarif":
        output.write_json(output.sarif(findings), sys.stdout)  # type: ignore[arg-type]
    elif args.format == "github":
        output.github(findings, sys.stdout)
    elif args.format == "concise":
        output.concise(findings, sys.stdout, style)
    elif args.format == "csv":
        output.write_csv(output.csv_rows(found), sys.stdout)
    else:
        output.grouped(findings, found, sys.stdout, style)
        if not args.quiet:
            problems = sum(1 for f in findings if f.get("cluster") is None)
            print(output.summary_line(found))
            print(style.dim(
                f"{_n(report['lists'], 'list')}, {_n(report['abstracts'], 'abstract')}, "
                f"{report['references']}{_n(len(findings), 'finding')}, "
                f"{_n(problems, 'format problem')}, in {seconds:.2f} s{note}"))
    worst = min((LEVELS[f["severity"]] for f in findings), default=99)
    if args.fail_on != "never" and worst <= LEVELS[args.fail_on]:
        return 1
    return 0


def _references_line(ws, every_text: bool = True) -> str:
    """ "1 reference file (12 entries, 9 with an abstract, 3 in the lists), " (how many are in
    the lists only when the model holds every text, not just those with copies)."""
    entries = sum(len(r.entries) for r in ws.refs.files.values())
    with_abstract = sum(r.with_abstract for r in ws.refs.files.values())
    found = ""
    if every_text:
        tids = [t for d in ws.index.docs.values() for t in d.tids]
        ws.refs.link(ws.index, tids)
        n = len({(x.doc, x.ref.number) for t in set(tids) for x in ws.refs.links(ws.index, t)})
        found = f", {n:,} in the lists"
    return (f"{_n(len(ws.refs.files), 'reference file')} ({_n(entries, 'entry')}, "
            f"{with_abstract:,} with an abstract{found}), ")


def cmd_import(args: argparse.Namespace) -> int:
    """Write an abstract list of every entry of a reference file that has an abstract."""
    from .core.references import FORMATS, as_list
    from .host import references

    src, out = Path(args.file), Path(args.output)
    fmt = args.input_format or references.format_of(src)
    if fmt is None:
        print(f"paperls: {src}: not a reference file (.bib, .ris or CSL .json); name the format "
              "with --from", file=sys.stderr)
        return 2
    if not src.is_file():
        print(f"paperls: {src}: no such file", file=sys.stderr)
        return 2
    if out.exists() and not args.force:
        print(f"paperls: {out} exists; pass --force to replace it", file=sys.stderr)
        return 2
    from .core.parse import decode

    d = decode(src.read_bytes())
    text = d.text[1:] if d.text.startswith("\ufeff") else d.text
    refs = references.parse_text(fmt, text) if d.text else None
    if refs is None:
        print(f"paperls: {src}: not a {FORMATS[fmt]} file", file=sys.stderr)
        return 2
    for p in refs.problems:
        print(f"paperls: {src}:{p.line + 1}: {p.message}", file=sys.stderr)
    kept = [e for e in refs.entries if e.abstract]
    if not kept:
        print(f"paperls: {src}: none of its {len(refs.entries)} entries has an abstract; "
              "nothing written", file=sys.stderr)
        return 1
    curator = args.curator or f"Imported from {src.name}"
    tmp = out.with_name(f".{out.name}.tmp")
    tmp.write_text(as_list(kept, curator), encoding="utf-8")
    tmp.replace(out)
    missing = len(refs.entries) - len(kept)
    print(f"wrote {out}: {_n(len(kept), 'abstract')} of {_n(len(refs.entries), 'entry')}"
          + (f"; {_n(missing, 'entry')} without an abstract, left out" if missing else "")
          + (f"; {_n(len(refs.problems), 'entry')} could not be read" if refs.problems else ""))
    return 0


def cmd_topics(args: argparse.Namespace) -> int:
    from .host import loader
    from .host.paths import display_name
    from .host.settings import DEFAULT_EXCLUDE, DEFAULT_INCLUDE

    roots, warnings = _roots(args.paths)
    ws, _ = loader.load(roots, DEFAULT_INCLUDE, DEFAULT_EXCLUDE, int(args.max_file_size_mb * 1e6),
                        0.8, warnings.append, key=str)
    warnings += _not_lists(roots, ws, args.max_file_size_mb)
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


def cmd_report(args: argparse.Namespace) -> int:
    """Write the collection at a glance as one self-contained HTML page."""
    import time

    from .features import report
    from .host import loader
    from .host.paths import display_name
    from .host.settings import DEFAULT_EXCLUDE, DEFAULT_INCLUDE, from_client, read_project
    from .report_html import render

    out = Path(args.output)
    if out.exists() and not args.force:
        print(f"paperls: {out} exists; pass --force to replace it", file=sys.stderr)
        return 2
    started = time.perf_counter()
    roots, warnings = _roots(args.paths)
    project, problems = read_project([r for r in roots if r.is_dir()])
    settings, more = from_client(project)
    ws, _ = loader.load(roots, DEFAULT_INCLUDE, DEFAULT_EXCLUDE, 50 * 10**6,
                        settings.near_threshold, warnings.append, key=str)
    ws.set_threshold(settings.near_threshold, settings.possible_threshold)
    for w in warnings + problems + more:
        print(f"paperls: {w}", file=sys.stderr)
    if not ws.index.docs:
        print("paperls: no abstract lists found", file=sys.stderr)
        return 2
    data = report.build(ws, lambda d: display_name(Path(d), roots), args.max_papers)
    page = render(data, args.title or "paperls report: " + ", ".join(args.paths))
    tmp = out.with_name(f".{out.name}.tmp")
    tmp.write_text(page, encoding="utf-8")
    tmp.replace(out)
    print(f"wrote {out} ({len(page) / 1e6:.1f} MB): {data['papers_with_copies']:,} papers with "
          f"copies in {data['lists']:,} lists, in {time.perf_counter() - started:.1f} s")
    return 0


def cmd_marks(args: argparse.Namespace) -> int:
    """List the marks of a folder (each with its note, and whether both texts still exist),
    or remove some (by number, or every lapsed one)."""
    from .host import loader, marks
    from .host.settings import DEFAULT_EXCLUDE, DEFAULT_INCLUDE

    root = Path(args.folder)
    entries = marks.read_entries(root)
    if not entries:
        print(f"paperls: no marks in {marks.marks_path(root)}", file=sys.stderr)
        return 0
    ws, _ = loader.load([root], DEFAULT_INCLUDE, DEFAULT_EXCLUDE, 50 * 10**6, 0.8,
                        lambda m: None, key=str)
    live = ws.index.live_keys()
    if args.action == "list":
        for i, e in enumerate(entries, 1):
            state = "in force" if e.a in live and e.b in live else "lapsed (a text changed)"
            print(f"{i}. {e.note or '(no note)'}  [{state}]")
        return 0
    numbers = set(args.numbers or [])
    if args.lapsed:
        numbers |= {i for i, e in enumerate(entries, 1) if e.a not in live or e.b not in live}
    bad = [n for n in numbers if not 1 <= n <= len(entries)]
    if bad:
        print(f"paperls: no mark numbered {', '.join(map(str, sorted(bad)))} "
              f"(there are {len(entries)})", file=sys.stderr)
        return 2
    removed = marks.remove_entries(root, numbers)
    print(f"removed {removed} mark(s) from {marks.marks_path(root)}")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    logging.basicConfig(stream=sys.stderr, level=getattr(logging, args.log_level.upper()),
                        format="%(asctime)s %(name)s %(levelname)s %(message)s")
    if args.tcp:
        from .lsp.server import server

        host, _, port = args.tcp.rpartition(":")
        server.start_tcp(host or "127.0.0.1", int(port))
        return 0
    from .host.paths import default_cache_directory
    from .lsp import prestart

    # The client's initialize answered from memory while the protocol library loads.
    stdin, stdout = prestart.start(default_cache_directory()) \
        if os.environ.get("PAPERLS_PRESTART", "1") != "0" else (None, None)
    from .lsp import stdio
    from .lsp.server import server

    stdio.serve(server, stdin, stdout)
    return 0


def build_parser() -> tuple[argparse.ArgumentParser, dict[str, argparse.ArgumentParser]]:
    from .output import FORMATS

    ap = argparse.ArgumentParser(
        prog="paperls", description="A language server and checker for lists of research-paper "
                                    "abstracts (one Abstract: line per paper).")
    ap.add_argument("--version", action="version", version=f"paperls {__version__}")
    sub = ap.add_subparsers(dest="cmd", metavar="COMMAND")
    s = sub.add_parser("serve", help="speak LSP on stdio (the default) or TCP",
                       description="Speak the Language Server Protocol on stdio or TCP.")
    s.add_argument("--tcp", metavar="HOST:PORT", help="listen on TCP instead of stdio")
    s.add_argument("--stdio", action="store_true", help="stdio (the default; for editors that pass it)")
    s.add_argument("--log-level", default="warning",
                   choices=["debug", "info", "warning", "error"], help="stderr log level")
    s.set_defaults(func=cmd_serve)
    c = sub.add_parser("check", help="report duplicate papers and malformed lines",
                       description="Index lists and report duplicate papers and malformed lines. "
                                   "Exit 1 when a finding is at least as severe as --fail-on.")
    c.add_argument("paths", nargs="+", metavar="PATH",
                   help="abstract-list files or folders to scan; - reads one list from standard "
                        "input")
    c.add_argument("--format", choices=FORMATS, default="text",
                   help="text: copies grouped by paper; concise: one line per finding; json; "
                        "sarif (2.1.0, for code-scanning dashboards); github (workflow "
                        "annotations); csv (one row per copy of each paper, for a spreadsheet)")
    c.add_argument("--stdin-filename", metavar="PATH",
                   help="the name of the list read from standard input (it stands in for that "
                        "file if it is also on disk)")
    c.add_argument("--exclude", action="append", metavar="GLOB",
                   help="skip files matching this glob (repeatable; on top of .gitignore)")
    c.add_argument("--select", action="append", metavar="CODE",
                   help="report only these codes or code prefixes (comma-separated, repeatable)")
    c.add_argument("--ignore", action="append", metavar="CODE",
                   help="never report these codes or code prefixes (comma-separated, repeatable)")
    c.add_argument("--fail-on", choices=["error", "warning", "information", "hint", "never"],
                   default="warning",
                   help="exit 1 when a finding is at least this severe (default: warning)")
    c.add_argument("--threshold", type=float, default=None,
                   help="near-duplicate similarity threshold, 0.5 to 1 (default: paperls.toml's, "
                        "else 0.8)")
    c.add_argument("--max-file-size-mb", type=float, default=50.0, metavar="MB",
                   help="skip larger files (default 50)")
    c.add_argument("--cache-dir", help="index cache folder (default: $XDG_CACHE_HOME/paperls)")
    c.add_argument("--no-cache", action="store_true", help="neither read nor write the cache")
    c.add_argument("--engine", choices=["single", "dask"], default="single",
                   help="single: this process (the default); dask: a Dask cluster, for "
                        "millions of abstracts (the paperls[dask] extra)")
    c.add_argument("--workers", type=int, metavar="N",
                   help="with --engine dask: worker processes of the local cluster (default: "
                        "one per core)")
    c.add_argument("--scheduler", metavar="ADDRESS",
                   help="with --engine dask: an existing scheduler (tcp://HOST:8786) instead "
                        "of a local cluster; paperls must be installed on its workers")
    c.add_argument("--progress", choices=["auto", "on", "off"], default="auto",
                   help="with --engine dask: a progress bar on stderr (auto: on a terminal)")
    c.add_argument("--fix", action="store_true",
                   help="apply every lossless fix: prefixes, wrapped tails, empty abstracts, "
                        "exact copies inside a list (the first stays); atomic, keeps FILE.bak")
    c.add_argument("--diff", action="store_true",
                   help="with --fix: print the fixes as a unified diff and change nothing (exit "
                        "1 if there is any)")
    c.add_argument("--no-backup", action="store_true", help="with --fix: keep no .bak file")
    c.add_argument("--quiet", "-q", action="store_true",
                   help="print the findings and nothing else (no summary, no warnings)")
    c.add_argument("--color", choices=["auto", "always", "never"], default="auto",
                   help="colour in text output (auto: on a terminal, unless NO_COLOR is set)")
    c.set_defaults(func=cmd_check)
    t = sub.add_parser("topics", help="print the key phrases of every abstract",
                       description="Print the key phrases of every abstract.")
    t.add_argument("paths", nargs="+", metavar="PATH", help="abstract-list files or folders")
    t.add_argument("--format", choices=["text", "jsonl"], default="text",
                   help="text lines, or one JSON object per abstract")
    t.add_argument("--top", type=int, default=10, help="phrases per abstract (default 10)")
    t.add_argument("--max-file-size-mb", type=float, default=50.0, metavar="MB",
                   help="skip larger files (default 50)")
    t.set_defaults(func=cmd_topics)
    r = sub.add_parser("report", help="write an HTML page of the whole collection",
                       description="Write one self-contained HTML page: papers with copies, the "
                                   "overlap between lists, topics, format problems.")
    r.add_argument("paths", nargs="+", metavar="PATH", help="abstract-list files or folders")
    r.add_argument("-o", "--output", default="report.html", help="the page (default report.html)")
    r.add_argument("--force", action="store_true", help="replace the page if it exists")
    r.add_argument("--title", help="the page's title")
    r.add_argument("--max-papers", type=int, default=500, metavar="N",
                   help="list at most this many papers, largest groups first (default 500)")
    r.set_defaults(func=cmd_report)
    i = sub.add_parser("import", help="write an abstract list from a BibTeX, RIS or CSL JSON file",
                       description="Write an abstract list of every entry of a reference file "
                                   "that has an abstract (wrapped lines joined, LaTeX accents "
                                   "resolved); entries without one are counted and left out.")
    i.add_argument("file", metavar="FILE", help="refs.bib, refs.ris or a CSL JSON export")
    i.add_argument("-o", "--output", required=True, metavar="LIST", help="the list to write")
    i.add_argument("--curator", help="line 1 of the list (default: Imported from FILE)")
    i.add_argument("--from", dest="input_format", choices=["bibtex", "ris", "csl"],
                   help="the file's format (default: from its extension)")
    i.add_argument("--force", action="store_true", help="replace the list if it exists")
    i.set_defaults(func=cmd_import)
    m = sub.add_parser("marks", help='list or remove "not a duplicate" marks',
                       description='List or remove the "not a duplicate" marks of a folder '
                                   '(its .paperls-marks file).')
    m.add_argument("action", choices=["list", "remove"], help="list them, or remove some")
    m.add_argument("folder", nargs="?", default=".", help="the workspace folder (default: .)")
    m.add_argument("numbers", nargs="*", type=int, help="with remove: the marks' numbers, as "
                                                        "list shows them")
    m.add_argument("--lapsed", action="store_true",
                   help="with remove: remove every mark whose texts changed")
    m.set_defaults(func=cmd_marks)
    return ap, {"serve": s, "check": c, "topics": t, "report": r, "import": i, "marks": m}


def main(argv: list[str] | None = None) -> int:
    ap, subs = build_parser()
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] not in subs and argv[0] not in ("-h", "--help", "--version"):
        argv = ["serve", *argv]  # `paperls` alone (or with serve's options) serves
    args, extra = ap.parse_known_args(argv)
    sp = subs[args.cmd]
    if extra:
        sp.error(f"unrecognized arguments: {' '.join(extra)}")  # the subcommand's usage
    threshold = getattr(args, "threshold", None)
    if threshold is not None and not 0.5 <= threshold <= 1:
        sp.error("--threshold must be between 0.5 and 1")
    if getattr(args, "diff", False) and not args.fix:
        args.fix = True
    try:
        return args.func(args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
