"""Real versions of one abstract and real look-alikes (../shared/benchmarks/near-duplicates):
how many pairs each method links, by label and edit kind.

Methods, measured in the same run on the same pairs:
- paperls: the whole engine (two lists, one abstract each: candidates by sketch bands and
  edges, then the confirmation rules), at the default threshold;
- token_set_ratio >= 90 (rapidfuzz), the bare rule many dedup scripts use;
- datasketch MinHash (128 permutations, word 3-shingles) with estimated Jaccard >= 0.5, when
  datasketch is installed (``pip install -e '.[bench]'``).

Targets (issue 11): exact+near linked >= 0.995; same paper with low similarity >= 0.8;
different papers linked <= 0.5%.

    python3 bench/near_duplicates.py [--show-misses]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path

from corpus import ROOT
from paperls.core.index import Index
from paperls.core.normalize import normalize, tokens
from paperls.core.parse import parse

DEV = (ROOT.parent / "shared" / "benchmarks" / "near-duplicates" / "dev.jsonl").resolve()
GROUPS = {"exact_duplicate": "exact+near", "near_duplicate": "exact+near",
          "same_paper_low_similarity": "same paper, low similarity",
          "not_duplicate": "different papers"}


def pairs(path: Path = DEV) -> list[dict]:
    if not path.exists():
        raise SystemExit(f"no {path}: the benchmark needs ../shared beside the project")
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def _line(text: str) -> str:
    return "Abstract:" + " ".join(text.split())


def paperls_links(a: str, b: str) -> tuple[bool, str]:
    ix = Index()
    ix.bulk_load([("a", parse("A\n" + _line(a))), ("b", parse("B\n" + _line(b)))])
    copies = ix.copies("a", 1)
    if not copies:
        return False, ""
    c = copies[0]
    return True, "exact" if c.exact else ("truncated" if c.contained else f"{c.similarity:.2f}")


def token_set_links(a: str, b: str) -> bool:
    from rapidfuzz import fuzz

    return fuzz.token_set_ratio(normalize(a), normalize(b)) >= 90


def datasketch_links(a: str, b: str) -> bool | None:
    try:
        from datasketch import MinHash
    except ImportError:
        return None

    def mh(text: str) -> MinHash:
        t = tokens(normalize(text))
        m = MinHash(num_perm=128, seed=1)
        for i in range(max(1, len(t) - 2)):
            m.update(" ".join(t[i:i + 3]).encode())
        return m

    return mh(a).jaccard(mh(b)) >= 0.5


def run(show_misses: bool = False) -> dict:
    data = pairs()
    counts: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    kinds: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    misses = []
    for p in data:
        group = GROUPS[p["label"]]
        linked, how = paperls_links(p["text_a"], p["text_b"])
        results = {"paperls": linked, "token_set_ratio>=90": token_set_links(p["text_a"], p["text_b"])}
        ds = datasketch_links(p["text_a"], p["text_b"])
        if ds is not None:
            results["datasketch"] = ds
        for method, got in results.items():
            counts[method][group][0] += int(got)
            counts[method][group][1] += 1
        k = kinds[f"{group} / {p['edit_kind']}"]
        k[0] += int(linked)
        k[1] += 1
        wrong = linked != (group != "different papers")
        if show_misses and wrong:
            misses.append({"pair_id": p["pair_id"], "label": p["label"], "kind": p["edit_kind"],
                           "paperls": how, "a": p["text_a"][:160], "b": p["text_b"][:160]})
    report = {"pairs": len(data), "linked": {
        m: {g: round(x / n, 4) for g, (x, n) in sorted(by.items())} for m, by in counts.items()},
        "paperls_by_kind": {k: f"{x}/{n}" for k, (x, n) in sorted(kinds.items())}}
    if show_misses:
        report["paperls_misses"] = misses
    return report


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--show-misses", action="store_true", help="print every pair paperls gets wrong")
    a = ap.parse_args()
    json.dump(run(a.show_misses), sys.stdout, indent=2, ensure_ascii=False)
    print()
