"""One duplicate finder run over one workspace, in its own process (so peak RSS is its own).

    python bench/engines.py ENGINE --abstracts N [--copies C] [--planted] --out FILE

ENGINE is ``paperls`` (the index of the language server, cold, in memory), ``datasketch``
(MinHashLSH, 128 permutations, the same word 3-shingles, candidates confirmed by the same
rapidfuzz rule as paperls) or ``cdist`` (rapidfuzz ``process.cdist`` over a slice, all pairs).
Writes a JSON object: seconds, peak RSS, and every pair of locations found.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import load_lists, planted_set  # noqa: E402
from paperls.core.normalize import normalize, tokens  # noqa: E402
from paperls.core.parse import parse  # noqa: E402
from paperls.core.similarity import compare, is_near_duplicate  # noqa: E402


def peak_rss_mb() -> float:
    """This process's peak RSS. Not ru_maxrss: Linux carries that across exec from the parent,
    so a child of a large benchmark process would report the parent's peak."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def workspace(args) -> list[tuple[str, str]]:
    lists = load_lists(args.copies, args.abstracts)
    if args.planted:
        extra, _ = planted_set(lists)
        lists = lists + extra
    return lists


def run_paperls(lists):
    from paperls.core.workspace import Workspace

    t = time.perf_counter()
    items = [(doc, parse(text)) for doc, text in lists]
    ws = Workspace()
    ws.bulk_load(items)
    seconds = time.perf_counter() - t
    pairs = set()
    for doc in ws.index.docs:
        for f in ws.index.findings(doc):
            for c in f.copies:
                pairs.add(tuple(sorted(((doc, f.line), (c.doc, c.line)))))
    return seconds, pairs


def _distinct(lists):
    """Distinct normalised texts and where each occurs (exact duplicates, for every engine)."""
    where: dict[str, list[tuple[str, int]]] = {}
    for doc, text in lists:
        for a in parse(text).abstracts:
            where.setdefault(normalize(a.text), []).append((doc, a.line))
    return where


def _pairs_from(where, norms, near):
    pairs = set()
    for locs in where.values():
        for i in range(len(locs)):
            for j in range(i + 1, len(locs)):
                pairs.add(tuple(sorted((locs[i], locs[j]))))
    for a, b in near:
        for la in where[norms[a]]:
            for lb in where[norms[b]]:
                pairs.add(tuple(sorted((la, lb))))
    return pairs


def _confirmed(hashes, query, toks) -> list[tuple[int, int]]:
    """The LSH's candidate pairs (i < j) that paperls's confirmation rule accepts: the same
    step for every MinHash peer."""
    return [(i, j) for i, m in enumerate(hashes) for j in query(m)
            if j > i and is_near_duplicate(compare(toks[i], toks[j]))]


def run_datasketch(lists, threshold: float):
    from datasketch import MinHash, MinHashLSH

    t = time.perf_counter()
    where = _distinct(lists)
    norms = list(where)
    toks = [tokens(n) for n in norms]
    shingles = [[" ".join(tk[i:i + 3]).encode() for i in range(max(1, len(tk) - 2))]
                for tk in toks]
    lsh = MinHashLSH(threshold=threshold, num_perm=128)
    hashes = list(MinHash.bulk(shingles, num_perm=128))
    for i, m in enumerate(hashes):
        lsh.insert(i, m)
    near = _confirmed(hashes, lsh.query, toks)
    seconds = time.perf_counter() - t
    return seconds, _pairs_from(where, norms, near)


def run_rensa(lists, threshold: float):
    """rensa's MinHash and LSH (Rust), as its README shows them, with the same shingles and
    confirmation as datasketch here."""
    from rensa import RMinHash, RMinHashLSH

    t = time.perf_counter()
    where = _distinct(lists)
    norms = list(where)
    toks = [tokens(n) for n in norms]
    # 32 bands of 4 rows: the split of 128 nearest datasketch's for 0.5 (25 of 5)
    lsh = RMinHashLSH(threshold=threshold, num_perm=128, num_bands=32)
    hashes = []
    for i, tk in enumerate(toks):
        m = RMinHash(num_perm=128, seed=42)
        m.update([" ".join(tk[k:k + 3]) for k in range(max(1, len(tk) - 2))])
        lsh.insert(i, m)
        hashes.append(m)
    near = _confirmed(hashes, lsh.query, toks)
    seconds = time.perf_counter() - t
    return seconds, _pairs_from(where, norms, near)


def run_cdist(lists, cutoff: int = 80):
    from rapidfuzz import fuzz, process

    t = time.perf_counter()
    where = _distinct(lists)
    norms = list(where)
    m = process.cdist(norms, norms, scorer=fuzz.ratio, score_cutoff=cutoff, workers=-1,
                      dtype="uint8")
    near = [(i, j) for i, j in zip(*m.nonzero(), strict=True) if i < j]
    seconds = time.perf_counter() - t
    return seconds, _pairs_from(where, norms, near)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("engine", choices=["paperls", "datasketch", "rensa", "cdist"])
    ap.add_argument("--abstracts", type=int, default=None)
    ap.add_argument("--copies", type=int, default=1)
    ap.add_argument("--planted", action="store_true")
    ap.add_argument("--threshold", type=float, default=0.5, help="datasketch LSH threshold")
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    lists = workspace(args)
    n = sum(t.count("\nAbstract:") for _, t in lists)
    if args.engine == "paperls":
        seconds, pairs = run_paperls(lists)
    elif args.engine == "datasketch":
        seconds, pairs = run_datasketch(lists, args.threshold)
    elif args.engine == "rensa":
        seconds, pairs = run_rensa(lists, args.threshold)
    else:
        seconds, pairs = run_cdist(lists)
    rss = peak_rss_mb()
    Path(args.out).write_text(json.dumps({
        "engine": args.engine, "abstracts": n, "seconds": seconds, "peak_rss_mb": rss,
        "pairs": sorted([list(map(list, p)) for p in pairs]),
    }))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
