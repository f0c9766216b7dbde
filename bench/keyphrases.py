"""The keyphrase (paper topic) benchmark: paperls beside YAKE, TextRank and TF-IDF, on the
Inspec development set in ../shared/benchmarks/keyphrases, scored by its own ``evaluate.py``.

    python3 -m pip install -e '.[bench]' && python3 bench/keyphrases.py

paperls is run as a user would: ``paperls topics DIR --format jsonl``. TextRank is summa's
(``peers/run_textrank.py``): the maintained TextRank packages, pytextrank and textacy, need a
spaCy model, which PyPI does not ship. Also measures extraction
time per abstract on the real corpora (the cost that matters at 100k abstracts). Prints a table
and writes bench/results/keyphrases-<time>.json. The Inspec data stays in ../shared (research use
only): nothing of it is written into the project.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SHARED = HERE.parents[0].parent / "shared"
BENCH = SHARED / "benchmarks" / "keyphrases"
DEV = BENCH / "inspec-dev"
GOLD = DEV / "inspec-dev.jsonl"


def score(pred: Path) -> dict:
    r = subprocess.run([sys.executable, str(BENCH / "evaluate.py"), str(GOLD), str(pred),
                        "--json"], check=True, capture_output=True, text=True)
    j = json.loads(r.stdout)
    return {f"F1@{k}": round(j["macro"][k]["F1"], 4) for k in ("5", "10")} | {
        f"P@{k}": round(j["macro"][k]["P"], 4) for k in ("5", "10")} | {
        f"R@{k}": round(j["macro"][k]["R"], 4) for k in ("5", "10")}


def run_paperls(out: Path) -> float:
    t = time.perf_counter()
    with out.open("w") as fh:
        subprocess.run([sys.executable, "-m", "paperls", "topics", str(DEV), "--format", "jsonl"],
                       check=True, stdout=fh)
    return time.perf_counter() - t


def run_baseline(script: str, out: Path) -> float | None:
    """A peer: the shared baselines by name, or a path (this project's peers)."""
    t = time.perf_counter()
    path = Path(script) if "/" in script else BENCH / "baselines" / script
    r = subprocess.run([sys.executable, str(path), str(out), str(DEV)],
                       capture_output=True, text=True)
    if r.returncode != 0:
        print(f"{script} did not run: {r.stderr.strip().splitlines()[-1:]}", file=sys.stderr)
        return None
    return time.perf_counter() - t


def extraction_speed(limit: int) -> dict:
    """ms per abstract of paperls's extraction on real corpus abstracts (one process, warm)."""
    code = r"""
import sys, time, json
from pathlib import Path
from paperls.core.parse import parse
from paperls.core.workspace import extract_all
files = sorted(Path(sys.argv[1]).glob('*/*.txt'))
texts = []
for f in files:
    texts += [a.text for a in parse(f.read_text(encoding='utf-8')).abstracts]
    if len(texts) >= int(sys.argv[2]):
        break
texts = texts[:int(sys.argv[2])]
extract_all(texts[0])
t = time.process_time()
for x in texts:
    extract_all(x)
cpu = time.process_time() - t
print(json.dumps({'abstracts': len(texts), 'cpu_ms_per_abstract': cpu * 1000 / len(texts)}))
"""
    r = subprocess.run([sys.executable, "-c", code, str(SHARED / "corpora"), str(limit)],
                       check=True, capture_output=True, text=True)
    return json.loads(r.stdout)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--speed-abstracts", type=int, default=20000)
    args = ap.parse_args()
    if not GOLD.exists():
        raise SystemExit(f"no Inspec data at {DEV}: the benchmark needs ../shared beside the project")
    tmp = Path(tempfile.mkdtemp(prefix="paperls-kp-"))
    rows, report = [], {}
    for name, runner in [("paperls", lambda p: run_paperls(p)),
                         ("YAKE", lambda p: run_baseline("run_yake.py", p)),
                         ("TF-IDF", lambda p: run_baseline("run_tfidf.py", p)),
                         ("TextRank", lambda p: run_baseline(
                             str(HERE / "peers" / "run_textrank.py"), p))]:
        pred = tmp / f"{name}.jsonl"
        seconds = runner(pred)
        if seconds is None:
            continue
        s = score(pred)
        s["wall_s_1500"] = round(seconds, 2)
        report[name] = s
        rows.append([name, s["F1@5"], s["F1@10"], s["P@10"], s["R@10"], f"{seconds:.1f}"])
    report["paperls_speed"] = extraction_speed(args.speed_abstracts)
    w = [8, 7, 7, 7, 7, 22]
    head = ["system", "F1@5", "F1@10", "P@10", "R@10", "wall s (1,500, process)"]
    print("  ".join(h.ljust(x) for h, x in zip(head, w, strict=True)))
    for r in rows:
        print("  ".join(str(c).ljust(x) for c, x in zip(r, w, strict=True)))
    sp = report["paperls_speed"]
    print(f"\npaperls extraction: {sp['cpu_ms_per_abstract']:.2f} ms CPU per abstract over "
          f"{sp['abstracts']:,} corpus abstracts")
    if "YAKE" in report:
        print(f"F1@10 ratio paperls/YAKE: {report['paperls']['F1@10'] / report['YAKE']['F1@10']:.2f}x")
    if "TextRank" in report:
        print(f"F1@10 ratio paperls/TextRank: "
              f"{report['paperls']['F1@10'] / report['TextRank']['F1@10']:.2f}x")
    if "TF-IDF" in report:
        print(f"F1@10 ratio paperls/TF-IDF: "
              f"{report['paperls']['F1@10'] / report['TF-IDF']['F1@10']:.2f}x")
    out = HERE / "results" / f"keyphrases-{time.strftime('%Y%m%d-%H%M%S')}.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(report, indent=2))
    print(f"written {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
