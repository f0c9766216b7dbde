"""Topic completion against what indexers call the topics: Inspec development keyphrases
(../shared/benchmarks/keyphrases/inspec-dev), typed the way a user starts them.

The 1,500 Inspec abstracts are the workspace. For every gold keyphrase of two or more words that
occurs in its own abstract, a new line is typed in a scratch list ("Abstract:We study " and the
phrase's first word plus the first three letters of its second: "neural net") and completion is
asked at the cursor, as the editor would. Figures:

- hit@5: the share of phrases offered among the first five items (case ignored);
- the same for a baseline: the workspace's word n-grams (2-4 words) that start with the typed
  text, ranked by how many abstracts have them;
- case changed: the share of offered items whose first typed letters differ in case from what
  was typed (the user wrote "neural net", the item inserts "Neural network").

    python3 bench/completion.py [--limit 1000]

Prints a JSON report. Nothing here passes or fails.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from pathlib import Path

from paperls.core.parse import parse
from paperls.core.workspace import Workspace
from paperls.features.completion import complete

HERE = Path(__file__).resolve().parent
DEV = HERE.parents[0].parent / "shared" / "benchmarks" / "keyphrases" / "inspec-dev"
_WORD = re.compile(r"[^\W_][\w\-]*")


def cases(limit: int) -> tuple[dict[str, str], list[tuple[str, str]]]:
    """The lists (name -> text), and (typed, gold phrase) pairs."""
    if not DEV.exists():
        raise SystemExit(f"no Inspec data at {DEV}: the benchmark needs ../shared beside the project")
    lists = {p.name: p.read_text(encoding="utf-8") for p in sorted(DEV.glob("*.txt"))}
    lines = {name: text.split("\n") for name, text in lists.items()}
    out = []
    for row in map(json.loads, (DEV / "inspec-dev.jsonl").read_text(encoding="utf-8").splitlines()):
        text = lines[row["file"]][row["line"] - 1].casefold()
        for phrase in row["keyphrases"]:
            words = phrase.split()
            if len(words) < 2 or len(words[1]) < 4 or phrase.casefold() not in text:
                continue
            out.append((f"{words[0]} {words[1][:3]}", phrase))
            if len(out) >= limit:
                return lists, out
    return lists, out


def ngram_baseline(lists: dict[str, str]) -> Counter[str]:
    """Document frequency of every word 2-4-gram of every abstract (case folded)."""
    df: Counter[str] = Counter()
    for text in lists.values():
        for line in text.split("\n")[1:]:
            toks = [t.casefold() for t in _WORD.findall(line.removeprefix("Abstract:"))]
            grams = {" ".join(toks[i:i + n]) for n in (2, 3, 4) for i in range(len(toks) - n + 1)}
            df.update(grams)
    return df


def run(limit: int) -> dict:
    lists, pairs = cases(limit)
    ws = Workspace()
    ws.bulk_load([(name, parse(text)) for name, text in lists.items()])
    ws.fill_topics()
    df = ngram_baseline(lists)
    by_prefix: dict[str, list[str]] = {}
    hits = base_hits = items = changed = 0
    for typed, gold in pairs:
        line = f"Abstract:We study {typed}"
        ws.set_document("scratch.txt", parse("Me\n" + line))
        got = complete(ws, "scratch.txt", line, 1, len(line))
        top = [c.insert_text for c in got if c.kind == "topic"][:5]
        hits += gold.casefold() in (t.casefold() for t in top)
        for t in top:
            items += 1
            changed += t[:len(typed)].casefold() == typed.casefold() and t[:len(typed)] != typed
        q = typed.casefold()
        if q not in by_prefix:
            by_prefix[q] = [g for g, _ in sorted(((g, n) for g, n in df.items() if g.startswith(q)),
                                                 key=lambda x: (-x[1], x[0]))[:5]]
        base_hits += gold.casefold() in by_prefix[q]
    n = len(pairs)
    return {"phrases": n, "hit_at_5": round(hits / n, 4), "ngram_baseline_hit_at_5":
            round(base_hits / n, 4), "items": items,
            "case_changed": round(changed / items, 4) if items else 0.0}


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--limit", type=int, default=1000)
    json.dump(run(ap.parse_args().limit), sys.stdout, indent=2)
    print()
