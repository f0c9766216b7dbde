"""Reference files at scale: a reference library of corpus papers beside the 98.8k corpora.

Builds, in a scratch folder, a BibTeX, an RIS and a CSL JSON file of a sample of the corpora's
papers (real titles and ids from ``index.tsv``), their abstracts as reference managers hold
them: as listed, truncated (a database's 60% cut), or reformatted (``%`` escaped, the text wrapped
at 72 columns, every sentence-initial capital kept, LaTeX accents for accented letters); then
indexes the corpora with the library and links every abstract. Prints one JSON report:

- parse time of each file (bibtexparser, rispy, json), entries per second;
- link recall (the entry's own abstract is linked to it) and wrong links (an abstract linked to
  an entry of another title that is not an exact copy of it), by variant, beside the baseline a
  script would write: a dict of normalised texts (exact matches only), measured on the same data;
- the cost: the cold load of the corpora with and without the library, and the time to link all.

    python3 bench/references.py [--sample 3000] [--seed 11]
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import sys
import tempfile
import textwrap
import time
from pathlib import Path

from corpus import CORPORA
from paperls.core.normalize import normalize
from paperls.host import references
from paperls.host.loader import load

VARIANTS = ("as listed", "truncated", "reformatted")


def _papers() -> list[dict]:
    out = []
    for tsv in sorted(CORPORA.glob("*/index.tsv")):
        with tsv.open(encoding="utf-8") as fh:
            for row in csv.DictReader(fh, delimiter="\t"):
                out.append({"file": str((tsv.parent / row["file"]).resolve()),
                            "line": int(row["line"]) - 1, "title": row["title"],
                            "id": row.get("arxiv_id") or row.get("anthology_id") or "",
                            "year": (row.get("year") or row.get("first_listed") or "")[:4]})
    for i, p in enumerate(out):  # every entry gets a unique key, as a reference manager does
        p["id"] = f"{p['id'] or 'paper'}-{i}"
    return out


def _abstracts(papers: list[dict]) -> None:
    cache: dict[str, list[str]] = {}
    for p in papers:
        lines = cache.get(p["file"])
        if lines is None:
            lines = cache[p["file"]] = Path(p["file"]).read_text(encoding="utf-8").split("\n")
        p["abstract"] = lines[p["line"]][len("Abstract:"):].strip()


def _variant(text: str, kind: str) -> str:
    if kind == "truncated":
        words = text.split()
        return " ".join(words[: max(30, int(len(words) * 0.6))])
    return text


def _bib(entries: list[dict]) -> str:
    out = []
    for i, e in enumerate(entries):
        body = e["text"]
        if body.count("{") != body.count("}"):  # unbalanced braces end a BibTeX value early
            body = body.replace("{", "").replace("}", "")
        body = body.replace("%", "\\%")
        if e["kind"] == "reformatted":  # as a reference manager writes accents in BibTeX
            body = body.replace("é", "{\\'e}").replace("ü", '{\\"u}')
        body = "\n    ".join(textwrap.wrap(body, 72, break_on_hyphens=False, break_long_words=False)) if e["kind"] == "reformatted" else body
        title = e["title"].replace("{", "").replace("}", "")
        out.append(f"@article{{{e['id'] or f'p{i}'},\n  title = {{{title}}},\n  year = {{{e['year']}}},\n"
                   f"  note = {{{e['id']}}},\n  abstract = {{{body}}}\n}}\n")
    return "\n".join(out)


def _ris(entries: list[dict]) -> str:
    out = []
    for e in entries:
        out += ["TY  - JOUR", f"TI  - {e['title']}", f"PY  - {e['year']}", f"ID  - {e['id']}"]
        lines = textwrap.wrap(e["text"], 70, break_on_hyphens=False,
                              break_long_words=False) or [""]
        out += [f"AB  - {lines[0]}", *lines[1:]] if e["kind"] == "reformatted" \
            else [f"AB  - {e['text']}"]
        out.append("ER  - ")
    return "\r\n".join(out) + "\r\n"


def _csl(entries: list[dict]) -> str:
    return json.dumps([{"id": e["id"] or f"p{i}", "type": "article-journal", "title": e["title"],
                        "issued": {"date-parts": [[int(e["year"] or 2000)]]},
                        "abstract": e["text"]} for i, e in enumerate(entries)], indent=1)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sample", type=int, default=3000)
    ap.add_argument("--seed", type=int, default=11)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    every = _papers()
    sample = rng.sample(every, args.sample)
    _abstracts(sample)
    for p in sample:
        p["kind"] = rng.choice(VARIANTS)
        p["text"] = _variant(p["abstract"], p["kind"])
    third = len(sample) // 3
    files = {"library.bib": (_bib, sample[:third]), "search.ris": (_ris, sample[third:2 * third]),
             "zotero.json": (_csl, sample[2 * third:])}
    report: dict = {"sample": args.sample, "parse": {}}
    with tempfile.TemporaryDirectory() as tmp:
        shelf = Path(tmp)
        for name, (write, part) in files.items():
            (shelf / name).write_text(write(part), encoding="utf-8")
        for name in files:
            t = time.perf_counter()
            got = references.read_file(shelf / name, 10**9)
            dt = time.perf_counter() - t
            report["parse"][name] = {"entries": len(got.entries), "problems": len(got.problems),
                                     "seconds": round(dt, 3),
                                     "entries_per_s": round(len(got.entries) / dt)}
        t = time.perf_counter()
        ws, _ = load([CORPORA], ["**/*.txt"], [], 10**8, 0.8, lambda m: None,
                     with_references=False)
        plain = time.perf_counter() - t
        t = time.perf_counter()
        for name in files:
            ws.refs.set_file(str(shelf / name), references.read_file(shelf / name, 10**9))
        t2 = time.perf_counter()
        tids = sorted({t for d in ws.index.docs.values() for t in d.tids})
        ws.refs.link(ws.index, tids)
        linking = time.perf_counter() - t2
        with_refs = plain + (time.perf_counter() - t)
        report["cost"] = {"load_without_references_s": round(plain, 2),
                          "load_with_references_s": round(with_refs, 2),
                          "link_every_abstract_s": round(linking, 2),
                          "abstracts": ws.index.abstract_count}
        # Exact-only baseline: a dict of normalised entry texts -> their keys.
        exact: dict[str, list[str]] = {}
        for name in files:
            for e in ws.refs.files[str(shelf / name)].entries:
                exact.setdefault(normalize(e.abstract), []).append(e.key)
        owner = {p["id"]: p for p in sample}
        counts = {k: {"entries": 0, "paperls": 0, "exact_dict": 0} for k in VARIANTS}
        wrong = {"paperls": 0, "exact_dict": 0}
        for p in sample:
            counts[p["kind"]]["entries"] += 1
            if any(x.ref.key == p["id"] for x in ws.references_of(p["file"], p["line"])):
                counts[p["kind"]]["paperls"] += 1
            if p["id"] in exact.get(normalize(p["abstract"]), []):
                counts[p["kind"]]["exact_dict"] += 1
        # A wrong link: an abstract linked to the entry of another paper whose text is not
        # an exact copy of it (the corpora hold a few papers listed twice under two ids).
        examples = []
        title_at = {(p["file"], p["line"]): " ".join(p["title"].casefold().split()) for p in every}
        wrong["paperls_same_title"] = 0
        for doc, d in ws.index.docs.items():
            for a, tid in zip(d.parsed.abstracts, d.tids, strict=True):
                mine = normalize(a.text)
                for x in ws.refs.links(ws.index, tid):
                    o = owner.get(x.ref.key)
                    if o is None or normalize(o["abstract"]) == mine:
                        continue
                    if title_at.get((str(Path(doc).resolve()), a.line)) == \
                            " ".join(o["title"].casefold().split()):
                        wrong["paperls_same_title"] += 1  # one paper under two ids
                        continue
                    wrong["paperls"] += 1
                    examples.append({"list": Path(doc).name, "line": a.line + 1,
                                     "title": title_at.get((str(Path(doc).resolve()), a.line)),
                                     "entry": x.ref.key, "entry_title": x.ref.title,
                                     "similarity": round(x.similarity, 3)})
                for key in exact.get(mine, []):
                    o = owner.get(key)
                    if o is not None and normalize(o["abstract"]) != mine:
                        wrong["exact_dict"] += 1
        report["recall"] = {k: {"entries": v["entries"],
                                "paperls": round(v["paperls"] / max(1, v["entries"]), 4),
                                "exact_dict": round(v["exact_dict"] / max(1, v["entries"]), 4)}
                            for k, v in counts.items()}
        total = sum(v["entries"] for v in counts.values())
        report["recall"]["all"] = {
            "entries": total,
            "paperls": round(sum(v["paperls"] for v in counts.values()) / total, 4),
            "exact_dict": round(sum(v["exact_dict"] for v in counts.values()) / total, 4)}
        report["wrong_links"] = wrong
        report["wrong_link_examples"] = examples[:10]
    json.dump(report, sys.stdout, indent=2)
    print()


if __name__ == "__main__":
    main()
