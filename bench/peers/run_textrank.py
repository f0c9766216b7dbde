#!/usr/bin/env python3
"""TextRank peer for the keyphrase benchmark: summa's TextRank (Mihalcea & Tarau 2004: a graph
of co-occurring nouns and adjectives, PageRank, adjacent top words merged into phrases), top 10
per abstract, each abstract on its own.

    python3 run_textrank.py OUT.jsonl DIR_OR_FILE [...] [--top 10]

Same arguments and output as the shared baselines (run_yake.py): one JSON line per abstract
with its ranked keyphrases.
"""
import argparse
import json
import os
import sys
import time
from pathlib import Path

SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "benchmarks" / "keyphrases"
sys.path.insert(0, str(SHARED / "baselines"))
from abstract_lists import iter_abstracts  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out")
    ap.add_argument("inputs", nargs="+")
    ap.add_argument("--top", type=int, default=10)
    args = ap.parse_args()

    from summa import keywords

    docs = list(iter_abstracts(args.inputs))
    cpu0 = time.process_time()
    with open(args.out, "w", encoding="utf-8") as fh:
        for fname, line_no, text in docs:
            try:
                ranked = keywords.keywords(text, ratio=1.0, split=True, scores=True)
            except (ValueError, ZeroDivisionError, IndexError):
                ranked = []  # summa fails on texts with too few distinct words
            fh.write(json.dumps({"file": fname, "line": line_no,
                                 "keyphrases": [k for k, _ in ranked[:args.top]]}) + "\n")
    cpu = time.process_time() - cpu0
    print(f"summa TextRank: {len(docs)} abstracts, process CPU ms/abstract "
          f"{1000 * cpu / max(1, len(docs)):.2f}", file=sys.stderr)


if __name__ == "__main__":
    _ = os
    main()
