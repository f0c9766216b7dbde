"""The duplicate-finding benchmark: paperls against the peers a user would reach for, on the real
corpora in ../shared/corpora and synthetic workspaces built from them, in one run.

    python3 -m pip install -e '.[bench]' && python3 bench/run.py

Prints tables and writes bench/results/dedup-<time>.json. Figures are measured here and now, on
this machine; ratios compare engines measured in the same run. Nothing here passes or fails.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from corpus import CORPORA, KINDS, load_lists, natural_reference, planted_set  # noqa: E402

RESULTS = HERE / "results"


def engine(name: str, **kw) -> dict:
    """Run one engine in its own process; returns its JSON (pairs as a set of tuples)."""
    out = Path(tempfile.mkstemp(suffix=".json")[1])
    argv = [sys.executable, str(HERE / "engines.py"), name, "--out", str(out)]
    for k, v in kw.items():
        if v is True:
            argv.append(f"--{k}")
        elif v is not None and v is not False:
            argv += [f"--{k}", str(v)]
    subprocess.run(argv, check=True)
    d = json.loads(out.read_text())
    out.unlink()
    d["pairs"] = {tuple(tuple(x) for x in p) for p in d["pairs"]}
    return d


def quality(found: set, truth, natural: set, base_pairs: set) -> dict:
    """Recall per planted kind, precision over pairs involving planted abstracts, and recall of
    the natural duplicates (word 3-gram Jaccard >= 0.9)."""
    by_loc = {}
    for p in found:
        for a, b in (p, p[::-1]):
            by_loc.setdefault(a, set()).add(b)
    recall = {}
    correct = wrong = 0
    wrong_examples = []
    for kind in KINDS:
        ts = [t for t in truth if t.kind == kind]
        hit = 0
        for t in ts:
            hit += t.original in by_loc.get((t.doc, t.line), set())
        recall[kind] = hit / len(ts)
    originals = {(t.doc, t.line): t.original for t in truth}
    for (doc, line), orig in originals.items():
        for partner in by_loc.get((doc, line), set()):
            if partner == orig or tuple(sorted((partner, orig))) in base_pairs \
                    or tuple(sorted((partner, orig))) in found:
                correct += 1
            else:
                wrong += 1
                if len(wrong_examples) < 5:
                    wrong_examples.append([[doc, line], list(partner)])
    nat_found = sum(1 for p in natural if p in found)
    return {
        "planted_recall": {k: round(v, 4) for k, v in recall.items()},
        "planted_recall_all": round(statistics.mean(recall.values()), 4),
        "planted_precision": round(correct / max(1, correct + wrong), 4),
        "planted_pairs_reported": correct + wrong,
        "wrong_examples": wrong_examples,
        "natural_reference_pairs": len(natural),
        "natural_recall": round(nat_found / max(1, len(natural)), 4),
    }


def cli_times(cache: Path) -> dict:
    """``paperls check`` on the corpora from the command line: cold, then warm from its cache."""
    def run(*extra) -> float:
        t = time.perf_counter()
        subprocess.run([sys.executable, "-m", "paperls", "check", str(CORPORA), "--fail-on",
                        "never", "--format", "json", *extra], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        return time.perf_counter() - t
    return {"cold_no_cache_s": run("--no-cache"), "cold_writing_cache_s": run("--cache-dir", str(cache)),
            "warm_from_cache_s": run("--cache-dir", str(cache))}


def loader_times(cache: Path) -> dict:
    """The same, in process (no interpreter start-up): the index alone."""
    code = (
        "import json,sys;from pathlib import Path;from paperls.host import loader;"
        "from paperls.host.settings import DEFAULT_INCLUDE as I, DEFAULT_EXCLUDE as E;"
        f"import sys as _s;_s.path.insert(0,{str(HERE)!r});from engines import peak_rss_mb;"
        f"ws,s=loader.load([Path({str(CORPORA)!r})],I,E,10**9,0.8,lambda m:None,"
        f"cache_dir=Path(sys.argv[1]) if sys.argv[1] else None);"
        "print(json.dumps({'seconds':s.seconds,'files':s.files,'abstracts':s.abstracts,"
        "'cached_files':s.cached_files,'timings':s.timings,"
        "'near_pairs':len(ws.index.near_pairs()),"
        "'peak_rss_mb':peak_rss_mb()}))")
    def run(arg: str) -> dict:
        r = subprocess.run([sys.executable, "-c", code, arg], check=True, capture_output=True,
                           text=True)
        return json.loads(r.stdout)
    return {"cold": run(""), "cold_writing_cache": run(str(cache)), "warm": run(str(cache))}


def recheck_times(n: int = 50) -> dict:
    code = r"""
import sys, time, random, json
from paperls.core.workspace import Workspace
from paperls.core.parse import parse
sys.path.insert(0, sys.argv[1])
from corpus import corpus_files
files = corpus_files()
items = [(str(f), parse(f.read_text(encoding='utf-8'))) for f in files]
ws = Workspace(); ws.bulk_load(items)
rng = random.Random(1)
doc = str(files[300]); lines = files[300].read_text(encoding='utf-8').split('\n')
ts = []
for i in range(int(sys.argv[2])):
    ln = rng.randrange(1, len(lines))
    lines[ln] = lines[ln].replace(' the ', ' a ', 1) if ' the ' in lines[ln] else lines[ln] + ' x'
    p = parse('\n'.join(lines))
    t = time.perf_counter(); ws.set_document(doc, p); ts.append((time.perf_counter() - t) * 1000)
ts.sort()
print(json.dumps({'abstracts_in_list': len(p.abstracts), 'p50_ms': ts[len(ts)//2], 'p99_ms': ts[-1]}))
"""
    r = subprocess.run([sys.executable, "-c", code, str(HERE), str(n)], check=True,
                       capture_output=True, text=True)
    return json.loads(r.stdout)


def table(rows: list[list], head: list[str]) -> str:
    cols = [head] + [[str(c) for c in r] for r in rows]
    w = [max(len(r[i]) for r in cols) for i in range(len(head))]
    line = lambda r: "  ".join(c.rjust(w[i]) if i else c.ljust(w[i]) for i, c in enumerate(r))  # noqa: E731
    return "\n".join([line(head), line(["-" * x for x in w])] + [line(r) for r in cols[1:]])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true",
                    help="10k and 100k only: no 300k, no cache, CLI or server timings")
    ap.add_argument("--cdist-slice", type=int, default=2000,
                    help="abstracts brute force really compares (then extrapolated)")
    ap.add_argument("--datasketch-300k", action="store_true",
                    help="also run datasketch on 300k (about 3 minutes and 11 GB here)")
    args = ap.parse_args()
    report: dict = {"machine": {"cpus": os.cpu_count(), "python": sys.version.split()[0]},
                    "started": time.strftime("%Y-%m-%d %H:%M:%S")}

    # 1. Scale: cold index to all findings.
    sizes = [("10k", dict(abstracts=10000)), ("100k", dict(planted=True))]
    if not args.quick:
        sizes.append(("300k", dict(copies=3)))
    scale = []
    cd = engine("cdist", abstracts=args.cdist_slice)
    per_pair = cd["seconds"] / (cd["abstracts"] ** 2)
    results = {}
    for label, kw in sizes:
        p = engine("paperls", **kw)
        results[(label, "paperls")] = p
        row = {"size": label, "abstracts": p["abstracts"], "paperls_s": p["seconds"],
               "paperls_abstracts_per_s": p["abstracts"] / p["seconds"],
               "paperls_rss_mb": p["peak_rss_mb"],
               "cdist_extrapolated_s": per_pair * p["abstracts"] ** 2}
        if label != "300k" or args.datasketch_300k:
            d = engine("datasketch", threshold=0.5, **kw)
            results[(label, "datasketch")] = d
            row.update(datasketch_s=d["seconds"], datasketch_rss_mb=d["peak_rss_mb"],
                       datasketch_over_paperls=d["seconds"] / p["seconds"])
        row["cdist_over_paperls"] = row["cdist_extrapolated_s"] / p["seconds"]
        scale.append(row)
    report["scale"] = scale
    report["cdist"] = {"slice": cd["abstracts"], "seconds": cd["seconds"]}

    # 2. Quality on the planted set inside the full corpora, and on natural duplicates.
    lists = load_lists()
    _, truth = planted_set(lists)
    natural = natural_reference(lists)
    base = results[("100k", "paperls")]["pairs"]
    report["quality"] = {name: quality(results[("100k", name)]["pairs"], truth, natural, base)
                         for name in ("paperls", "datasketch") if ("100k", name) in results}

    print("\nCold index to all findings (in memory, lists already read)")
    print(table([[r["size"], r["abstracts"], f"{r['paperls_s']:.2f}",
                  f"{r['paperls_abstracts_per_s']:,.0f}", f"{r['paperls_rss_mb']:.0f}",
                  f"{r['datasketch_s']:.1f}" if "datasketch_s" in r else "-",
                  f"{r['datasketch_over_paperls']:.1f}x" if "datasketch_s" in r else "-",
                  f"{r['datasketch_rss_mb']:.0f}" if "datasketch_s" in r else "-",
                  f"{r['cdist_extrapolated_s']:,.0f}", f"{r['cdist_over_paperls']:,.0f}x"]
                 for r in scale],
                ["size", "abstracts", "paperls s", "abstracts/s", "RSS MB", "datasketch s",
                 "ratio", "RSS MB", "cdist s (extrap.)", "ratio"]))
    print(f"(cdist measured on {cd['abstracts']} abstracts in {cd['seconds']:.1f} s, "
          "extrapolated quadratically)")
    print("\nNear-duplicate quality: 1,000 planted variants of real abstracts in the 98.8k corpora")
    rows = []
    for name, q in report["quality"].items():
        rows.append([name, *(f"{q['planted_recall'][k]:.3f}" for k in KINDS),
                     f"{q['planted_recall_all']:.3f}", f"{q['planted_precision']:.3f}",
                     f"{q['natural_recall']:.3f} of {q['natural_reference_pairs']}"])
    print(table(rows, ["engine", *KINDS, "recall", "precision", "natural J>=0.9"]))

    if not args.quick:
        cache = Path(tempfile.mkdtemp(prefix="paperls-bench-cache-"))
        report["loader"] = loader_times(cache)
        cache2 = Path(tempfile.mkdtemp(prefix="paperls-bench-cache-"))
        report["cli"] = cli_times(cache2)
        report["recheck"] = recheck_times()
        import latency

        report["server"] = latency.run()
        lo, cli, rc, sv = report["loader"], report["cli"], report["recheck"], report["server"]
        print("\nWhole workspace from disk (98.8k abstracts, 547 lists)")
        print(table([
            ["index, cold (in process)", f"{lo['cold']['seconds']:.2f} s",
             f"RSS {lo['cold']['peak_rss_mb']:.0f} MB"],
            ["index, warm from cache (in process)", f"{lo['warm']['seconds']:.2f} s",
             f"{lo['warm']['cached_files']} lists cached"],
            ["paperls check, cold", f"{cli['cold_no_cache_s']:.2f} s", "incl. interpreter start"],
            ["paperls check, warm", f"{cli['warm_from_cache_s']:.2f} s", ""],
            ["re-check one edited abstract", f"p50 {rc['p50_ms']:.2f} ms",
             f"p99 {rc['p99_ms']:.2f} ms ({rc['abstracts_in_list']}-abstract list)"],
        ], ["what", "time", "note"]))
        print("\nThrough the server over stdio (full corpora as the workspace)")
        rows = [["initialize", f"{sv['initialize_ms']:.0f} ms", ""],
                ["first diagnostics of an opened list", f"{sv['first_diagnostics_of_opened_file_ms']:.0f} ms", ""],
                ["initial index (background)", f"{sv['initial_index_s']:.2f} s", ""]]
        for k in ("diagnostics_after_edit_ms", "hover_ms", "definition_ms", "references_ms",
                  "completion_ms"):
            rows.append([k.removesuffix("_ms").replace("_", " "), f"p50 {sv[k]['p50']:.1f} ms",
                         f"p99 {sv[k]['p99']:.1f} ms"])
        print(table(rows, ["request", "", ""]))
    for k in list(results):
        results[k].pop("pairs", None)
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"dedup-{time.strftime('%Y%m%d-%H%M%S')}.json"
    out.write_text(json.dumps(report, indent=2, default=str))
    print(f"\nwritten {out}")
    return 0


if __name__ == "__main__":
    random.seed(0)
    raise SystemExit(main())
