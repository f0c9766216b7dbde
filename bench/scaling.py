"""Scaling (#14): time and memory to all findings from 10k to 1M abstracts, paperls beside
datasketch MinHashLSH and rensa (a Rust MinHash), each with the same word 3-shingles and the
same confirmation step (paperls's own rule, so that all three report the same kind of pair), and
paperls with its NumPy sketch (``PAPERLS_SKETCH=numpy``: the build without the C kernel).

The workspaces are scale_dask.py's: the corpora (a subset of their lists for 10k), then copies
under a letter cipher per copy, so that every abstract is distinct and keeps real word
statistics, with 0.5% planted near copies whose originals are known. Each engine runs in its
own process; a peer runs up to ``--peer-max`` abstracts (datasketch needs ~3.7 GB at 100k).
Writes bench/results/scaling.json and bench/results/scaling.png (and with ``--docs``, the plot
the README shows, docs/scaling.png).

    python3 bench/scaling.py [--sizes 10000,100000,300000,1000000] [--peer-max 300000]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import scale_dask

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"
PEERS = ("datasketch", "rensa")
NUMPY = "paperls-numpy"  # paperls with the NumPy sketch, the C kernel's baseline


def peer_child(engine: str, root: Path, out: Path) -> None:
    """One peer over the workspace on disk: read, then engines.run_<peer>, then recall."""
    import engines

    started = time.perf_counter()
    lists = [(str(p.relative_to(root)), p.read_text(encoding="utf-8"))
             for p in sorted(root.rglob("*.txt"))]
    run = engines.run_datasketch if engine == "datasketch" else engines.run_rensa
    _, pairs = run(lists, 0.5)
    seconds = time.perf_counter() - started
    truth = [json.loads(x) for x in (root / "truth.jsonl").read_text().splitlines()]
    found = {(tuple(a), tuple(b)) for a, b in pairs}
    hit = sum(1 for t in truth
              if tuple(sorted((tuple(t["variant"]), tuple(t["original"])))) in found)
    out.write_text(json.dumps({
        "engine": engine, "abstracts": sum(x.count("\nAbstract:") for _, x in lists),
        "seconds": round(seconds, 1), "peak_rss_bytes": int(engines.peak_rss_mb() * 2**20),
        "planted": len(truth), "planted_recall": round(hit / max(1, len(truth)), 4)}))


def run(engine: str, root: Path) -> dict:
    # paperls runs as scale_dask.py's one-process child, which names its result "single".
    ours = engine in ("paperls", NUMPY)
    script, child = (HERE / "scale_dask.py", "single") if ours else (Path(__file__), engine)
    env = {**os.environ, "PAPERLS_SKETCH": "numpy"} if engine == NUMPY else None
    out = root / f"result-{child}.json"
    out.unlink(missing_ok=True)
    t = time.perf_counter()
    cmd = [sys.executable, str(script), "--child", child, str(root)]
    proc = subprocess.run(cmd, stderr=sys.stderr, env=env)
    if proc.returncode or not out.exists():
        return {"engine": engine, "failed": f"exit {proc.returncode} after "
                                            f"{time.perf_counter() - t:.0f} s"}
    got = json.loads(out.read_text())
    got.pop("findings", None)
    got["engine"] = engine
    return got


def plot(rows: list[dict], path: Path) -> None:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(10, 4))
    for engine, style in (("paperls", "o-"), (NUMPY, "o--"), ("datasketch", "s-"),
                          ("rensa", "^-")):
        got = [r for r in rows if r["engine"] == engine and "failed" not in r]
        if not got:
            continue
        xs = [r["abstracts"] for r in got]
        ax1.plot(xs, [r["seconds"] for r in got], style, label=engine)
        # paperls's memory with its sketch workers': what the machine gives the whole run.
        ax2.plot(xs, [(r["peak_rss_bytes"] + sum(r.get("worker_peak_rss_bytes") or [])) / 1e9
                      for r in got], style, label=engine)
    base = [r for r in rows if r["engine"] == "paperls" and "failed" not in r]
    if len(base) >= 2:  # linear from the smallest paperls run: what "scales linearly" means
        x0, y0 = base[0]["abstracts"], base[0]["seconds"]
        xs = [r["abstracts"] for r in base]
        ax1.plot(xs, [y0 * x / x0 for x in xs], ":", color="grey", label="linear")
    scale_dask.finish(fig, (ax1, ax2), "Duplicate finding, 10k to 1M distinct abstracts (same "
                      "shingles, same confirmation)", path)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="10000,100000,300000,1000000")
    ap.add_argument("--peer-max", type=int, default=300_000)
    ap.add_argument("--scratch", default="/tmp/paperls-scale")
    ap.add_argument("--docs", action="store_true", help="also write docs/scaling.png")
    ap.add_argument("--child", nargs=2, metavar=("ENGINE", "ROOT"))
    args = ap.parse_args()
    if args.child:
        engine, root = args.child
        peer_child(engine, Path(root), Path(root) / f"result-{engine}.json")
        return
    RESULTS.mkdir(exist_ok=True)
    rows: list[dict] = []
    for size in [int(s) for s in args.sizes.split(",")]:
        t = time.perf_counter()
        root = scale_dask.build(size, Path(args.scratch))
        print(f"[{size:,}] workspace ready in {time.perf_counter() - t:.0f} s", file=sys.stderr)
        for engine in ("paperls", NUMPY, *PEERS):
            if engine not in ("paperls", NUMPY) and size > args.peer_max:
                continue
            r = run(engine, root)
            r["size"] = size
            rows.append(r)
            print(f"[{size:,}] {json.dumps(r)}", file=sys.stderr)
        (RESULTS / "scaling.json").write_text(json.dumps(rows, indent=2))
        plot(rows, RESULTS / "scaling.png")
    ours = {r["size"]: r for r in rows if r["engine"] == "paperls" and "failed" not in r}
    sizes = sorted(ours)
    if len(sizes) >= 2:
        lo, hi = sizes[0], sizes[-1]
        print(f"paperls {ours[hi]['abstracts']:,} abstracts in {ours[hi]['seconds']} s = "
              f"{ours[hi]['seconds'] / ours[lo]['seconds']:.1f}x the time of "
              f"{ours[lo]['abstracts']:,} ({ours[hi]['abstracts'] / ours[lo]['abstracts']:.1f}x "
              f"the abstracts)", file=sys.stderr)
    for size in sizes:
        for peer in (NUMPY, *PEERS):
            p = next((r for r in rows if r["engine"] == peer and r["size"] == size
                      and "failed" not in r), None)
            if p:
                mine = ours[size]["peak_rss_bytes"] + sum(ours[size].get("worker_peak_rss_bytes")
                                                          or [])
                theirs = p["peak_rss_bytes"] + sum(p.get("worker_peak_rss_bytes") or [])
                print(f"[{size:,}] {peer}/paperls time {p['seconds'] / ours[size]['seconds']:.1f}x, "
                      f"memory {theirs / mine:.1f}x (paperls's with its workers)",
                      file=sys.stderr)
    if args.docs:
        shutil.copy(RESULTS / "scaling.png", HERE.parent / "docs" / "scaling.png")
    print(json.dumps(rows, indent=2))


if __name__ == "__main__":
    main()
