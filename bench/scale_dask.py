"""The Dask engine beside the single-process engine, from the 98.8k corpora to 10M abstracts.

Builds each workspace on disk in a scratch folder (once; reused by later runs): the corpora,
then copies of them under a letter cipher per copy (every letter of every abstract mapped by a
permutation drawn for that copy: distinct texts with the corpora's word frequencies, lengths and
duplicate structure; wordfreq no longer knows the words, which only matters to short openings),
plus 0.5% planted near copies (a twentieth of the words swapped in pairs within the abstract, or the first 60%
of it) in lists of their own. Each engine runs in its own process; the report gives wall time,
peak memory (the process; for Dask, each worker's peak too), recall of the planted copies, and
where both ran, whether their findings agree. Writes bench/results/scale_dask.json and
bench/results/scale_dask.png (time and memory against abstracts).

    python3 bench/scale_dask.py [--sizes 98800,1000000,10000000] [--single-max 1000000]
                                 [--workers 2] [--scratch /tmp/paperls-scale]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import string
import subprocess
import sys
import time
from pathlib import Path

from corpus import corpus_files

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"
PLANTED_SHARE = 0.005


# ----- workspaces ----------------------------------------------------------------------------

def _cipher(seed: int) -> dict[int, int]:
    rng = random.Random(seed)
    low = list(string.ascii_lowercase)
    rng.shuffle(low)
    table = dict(zip(map(ord, string.ascii_lowercase), map(ord, low), strict=True))
    table.update(zip(map(ord, string.ascii_uppercase), map(ord, "".join(low).upper()),
                     strict=True))
    return table


def _variant(text: str, rng: random.Random) -> str:
    words = text.split()
    if rng.random() < 0.5:
        return " ".join(words[: max(30, int(len(words) * 0.6))])
    for _ in range(max(1, len(words) // 20)):
        i, j = rng.randrange(len(words)), rng.randrange(len(words))
        words[i], words[j] = words[j], words[i]
    return " ".join(words)


def build(size: int, scratch: Path) -> Path:
    """A workspace of about ``size`` abstracts (the corpora, then ciphered copies), with
    planted copies; ``truth.jsonl`` lists each planted copy and its original."""
    root = scratch / f"ws-{size}"
    if (root / "ready").exists():
        return root
    root.mkdir(parents=True, exist_ok=True)
    rng = random.Random(size)
    files = [(f, f.read_text(encoding="utf-8").split("\n")) for f in corpus_files()]
    per_copy = sum(sum(1 for ln in lines if ln.startswith("Abstract:")) for _, lines in files)
    copies = max(1, round(size / per_copy))
    if size < per_copy * 0.75:  # smaller than the corpora: every other list, until there are enough
        rng_files = random.Random(size)
        rng_files.shuffle(files)
        kept, n = [], 0
        for f, lines in files:
            if n >= size:
                break
            kept.append((f, lines))
            n += sum(1 for ln in lines if ln.startswith("Abstract:"))
        files = sorted(kept, key=lambda x: x[0])
    planted: list[str] = []
    truth = []
    n = 0
    for c in range(copies):
        table = _cipher(c) if c else None
        for f, lines in files:
            out = lines if table is None else [
                ("Abstract:" + ln[9:].translate(table)) if ln.startswith("Abstract:") else ln
                for ln in lines]
            name = f"copy{c:03d}/{f.parent.name}/{f.name}"
            p = root / name
            p.parent.mkdir(parents=True, exist_ok=True)
            p.write_text("\n".join(out), encoding="utf-8")
            for i, ln in enumerate(out):
                if ln.startswith("Abstract:"):
                    n += 1
                    if rng.random() < PLANTED_SHARE and len(ln.split()) >= 60:
                        planted.append("Abstract:" + _variant(ln[9:], rng))
                        k = len(planted) - 1
                        truth.append({"variant": [f"planted/{k // 500:05d}.txt", k % 500 + 1],
                                      "original": [name, i]})
    for start in range(0, len(planted), 500):
        p = root / f"planted/{start // 500:05d}.txt"
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text("\n".join(["Planted"] + planted[start:start + 500]), encoding="utf-8")
    with (root / "truth.jsonl").open("w") as fh:
        for t in truth:
            fh.write(json.dumps(t) + "\n")
    (root / "ready").write_text(json.dumps({"abstracts": n + len(planted), "copies": copies,
                                            "planted": len(planted)}))
    return root


# ----- one engine, in its own process ------------------------------------------------------

class ChildrenPeak:
    """The peak of the summed resident memory of this process's children, sampled every 50 ms
    from /proc (a child's own ``ru_maxrss`` would count the parent's pages it was forked
    with)."""

    def __init__(self) -> None:
        import threading

        self.peak = 0
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)
        self._thread.start()

    def _watch(self) -> None:
        me = str(os.getpid())
        while not self._done.wait(0.05):
            total = 0
            for entry in os.scandir("/proc"):
                if not entry.name.isdigit():
                    continue
                try:
                    status = Path(entry.path, "status").read_text()
                except OSError:
                    continue
                if f"\nPPid:\t{me}\n" in status and "VmRSS:" in status:
                    total += int(status.split("VmRSS:")[1].split()[0]) * 1024
            self.peak = max(self.peak, total)

    def stop(self) -> int:
        self._done.set()
        self._thread.join()
        return self.peak


def child(engine: str, root: Path, workers: int, out: Path) -> None:
    import resource

    from paperls.host import loader
    from paperls.host.settings import DEFAULT_EXCLUDE, DEFAULT_INCLUDE

    started = time.perf_counter()
    workers_peak: list[int] = []
    peak_children = ChildrenPeak()  # the sketch workers' memory, summed while they run
    if engine == "single":
        # As the command line runs it: sketched in worker processes, whose peak is their own.
        ws, stats = loader.load([root], DEFAULT_INCLUDE, DEFAULT_EXCLUDE, 10**9, 0.8,
                                lambda m: None, with_references=False, processes=True)
        workers_peak = [peak_children.stop()]
    else:
        from paperls.host import distributed
        client, cluster = distributed.connect(workers, None, memory_limit="0")
        try:
            ws, stats = distributed.load([root], DEFAULT_INCLUDE, DEFAULT_EXCLUDE, 10**9, 0.8,
                                         lambda m: None, client=client, progress=True,
                                         with_references=False)
            workers_peak = [v * 1024 for v in client.run(
                lambda: __import__("resource").getrusage(
                    __import__("resource").RUSAGE_SELF).ru_maxrss).values()]
        finally:
            client.close()
            cluster.close()
    seconds = time.perf_counter() - started
    found = {}
    for doc in ws.index.docs:
        rel = str(Path(doc).relative_to(root))
        for f in ws.index.findings(doc):
            found[f"{rel}:{f.line}"] = sorted(
                f"{Path(c.doc).relative_to(root)}:{c.line}" for c in f.copies)
    truth = [json.loads(x) for x in (root / "truth.jsonl").read_text().splitlines()]
    hit = sum(1 for t in truth if f"{t['original'][0]}:{t['original'][1]}" in
              found.get(f"{t['variant'][0]}:{t['variant'][1]}", []))
    out.write_text(json.dumps({
        "engine": engine, "abstracts": stats.abstracts, "files": stats.files,
        "seconds": round(seconds, 1), "timings": {k: round(v, 1) for k, v in stats.timings.items()},
        "peak_rss_bytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
        "worker_peak_rss_bytes": workers_peak,
        "planted": len(truth), "planted_recall": round(hit / max(1, len(truth)), 4),
        "findings": found}))


def run(engine: str, root: Path, workers: int) -> dict:
    out = root / f"result-{engine}.json"
    out.unlink(missing_ok=True)
    t = time.perf_counter()
    proc = subprocess.run([sys.executable, __file__, "--child", engine, str(root),
                           "--workers", str(workers)], stderr=sys.stderr)
    if proc.returncode or not out.exists():
        return {"engine": engine, "failed": f"exit {proc.returncode} after "
                                            f"{time.perf_counter() - t:.0f} s"}
    return json.loads(out.read_text())


def plot(rows: list[dict], path: Path) -> None:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(10, 4))
    for engine, style in (("single", "o-"), ("dask", "s-")):
        got = [r for r in rows if r["engine"] == engine and "failed" not in r]
        if not got:
            continue
        xs = [r["abstracts"] for r in got]
        label = "paperls, one process" if engine == "single" else "paperls --engine dask (2 workers)"
        ax1.plot(xs, [r["seconds"] for r in got], style, label=label)
        ax2.plot(xs, [r["peak_rss_bytes"] / 1e9 for r in got], style, label=label + ", process")
        if engine == "dask":
            ax2.plot(xs, [max(r["worker_peak_rss_bytes"] or [0]) / 1e9 for r in got], "s--",
                     label="paperls --engine dask, largest worker")
    finish(fig, (ax1, ax2), "paperls check: one process and Dask, 98.8k corpora to 10M abstracts",
           path)


def finish(fig, axes, title: str, path: Path) -> None:
    """Log-log time and memory axes, the legend and the title; written to ``path``."""
    for ax, what in zip(axes, ("wall time to all findings (s)", "peak memory (GB)"), strict=True):
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel("abstracts")
        ax.set_ylabel(what)
        ax.grid(True, which="both", alpha=0.3)
        ax.legend(fontsize=8)
    fig.suptitle(title)
    fig.tight_layout()
    fig.savefig(path, dpi=110)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="98800,1000000,10000000")
    ap.add_argument("--single-max", type=int, default=1_000_000)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--scratch", default="/tmp/paperls-scale")
    ap.add_argument("--child", nargs=2, metavar=("ENGINE", "ROOT"))
    args = ap.parse_args()
    if args.child:
        engine, root = args.child
        child(engine, Path(root), args.workers, Path(root) / f"result-{engine}.json")
        return
    RESULTS.mkdir(exist_ok=True)
    rows: list[dict] = []
    for size in [int(s) for s in args.sizes.split(",")]:
        t = time.perf_counter()
        root = build(size, Path(args.scratch))
        print(f"[{size:,}] workspace ready in {time.perf_counter() - t:.0f} s", file=sys.stderr)
        results = {}
        for engine in ("single", "dask"):
            if engine == "single" and size > args.single_max:
                continue
            r = run(engine, root, args.workers)
            results[engine] = r
            print(f"[{size:,}] {engine}: " + json.dumps({k: v for k, v in r.items()
                                                      if k != "findings"}), file=sys.stderr)
        if "findings" in results.get("single", {}) and "findings" in results.get("dask", {}):
            a, b = results["single"]["findings"], results["dask"]["findings"]
            agree = {"same": a == b, "abstracts_with_copies": [len(a), len(b)]}
        else:
            agree = None
        for r in results.values():
            r.pop("findings", None)
            r["size"] = size
            rows.append(r)
        if agree is not None:
            rows[-1]["agreement"] = agree
        (RESULTS / "scale_dask.json").write_text(json.dumps(rows, indent=2))
        plot(rows, RESULTS / "scale_dask.png")
    print(json.dumps(rows, indent=2))


if __name__ == "__main__":
    main()
