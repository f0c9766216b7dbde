"""Real versions of one abstract and real look-alikes (../shared/benchmarks/near-duplicates):
how many pairs each method links, by label and edit kind.

Methods, measured in the same run on the same pairs:
- paperls: the whole engine (two lists, one abstract each: candidates by sketch bands and
  edges, then the confirmation rules), at the default thresholds, and with the revised-version
  tier off (``paperls.possibleDuplicate.threshold`` 1);
- token_set_ratio >= 90 (rapidfuzz), the bare rule many dedup scripts use;
- datasketch MinHash (128 permutations, word 3-shingles) with estimated Jaccard >= 0.5, when
  datasketch is installed (``pip install -e '.[bench]'``).

Targets (issue 11): exact+near linked >= 0.995; same paper with low similarity >= 0.8;
different papers linked <= 0.5%.

With ``--corpora``, also the 98.8k real abstracts of ../shared/corpora at the defaults: the
natural duplicates (word 3-gram Jaccard >= 0.9, bench/corpus.py) the engine finds, and every
pair it links whose two papers have different titles in the corpora's ``index.tsv``, near and
possible apart, each listed with both titles, so that another edition or another paper among
them shows.

    python3 bench/near_duplicates.py [--show-misses] [--corpora]
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections import defaultdict
from pathlib import Path

from corpus import CORPORA, ROOT, load_lists, natural_reference
from paperls.core.index import Index
from paperls.core.normalize import normalize, tokens
from paperls.core.parse import parse
from paperls.core.similarity import why

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


def paperls_links(a: str, b: str, possible: float | None = None) -> tuple[bool, str]:
    ix = Index() if possible is None else Index(possible_threshold=possible)
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
        results = {"paperls": linked,
                   "paperls, revised-version tier off": paperls_links(p["text_a"], p["text_b"], 1.0)[0],
                   "token_set_ratio>=90": token_set_links(p["text_a"], p["text_b"])}
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


def corpora() -> dict:
    """Linked pairs in the real corpora, by whether their papers' titles differ."""
    from rapidfuzz import fuzz

    titles = {}
    for tsv in sorted(CORPORA.glob("*/index.tsv")):
        with tsv.open(encoding="utf-8") as fh:
            for r in csv.DictReader(fh, delimiter="\t"):
                titles[(tsv.parent.name, r["file"], int(r["line"]))] = r["title"]
    lists = load_lists()
    ix = Index()
    ix.bulk_load([(d, parse(t)) for d, t in lists])

    def title(tid: int) -> str:
        doc, line = min(ix.occurrences(tid))
        _, folder, name = doc.split("/")
        return titles.get((folder, name, line + 1), "")

    out: dict = {}
    for tier, pairs in (("near", ix.near_pairs()), ("possible", ix.possible_pairs())):
        rows = []
        for a, b, v in pairs:
            ta, tb = title(a), title(b)
            rows.append({"similarity": round(v.ratio, 3), "why": why(v, ix.threshold),
                         "same_title": fuzz.token_set_ratio(ta.lower(), tb.lower()) >= 90,
                         "a": ta, "b": tb})
        rows.sort(key=lambda r: -r["similarity"])
        out[tier] = {"pairs": len(rows), "same title": sum(r["same_title"] for r in rows),
                     "different titles": [f"{r['similarity']:.2f} {r['why']}: {r['a']} | {r['b']}"
                                          for r in rows if not r["same_title"]]}
    linked = {frozenset(sorted(ix.occurrences(a))[:1] + sorted(ix.occurrences(b))[:1])
              for a, b, _ in ix.near_pairs() + ix.possible_pairs()}
    natural = natural_reference(lists)
    found = sum(1 for p in natural if frozenset(p) in linked
                or ix.text_id(*p[0]) == ix.text_id(*p[1]))
    out["natural duplicates found"] = f"{found}/{len(natural)}"
    return out


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--show-misses", action="store_true", help="print every pair paperls gets wrong")
    ap.add_argument("--corpora", action="store_true", help="also list the pairs linked in the corpora")
    a = ap.parse_args()
    report = run(a.show_misses)
    if a.corpora:
        report["corpora"] = corpora()
    json.dump(report, sys.stdout, indent=2, ensure_ascii=False)
    print()
