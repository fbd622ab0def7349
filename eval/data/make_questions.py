#!/usr/bin/env python3
"""Resolve gold quotes in questions.src.jsonl to character offsets.

Reads eval/data/questions.src.jsonl, locates every gold quote verbatim in
<corpus>/<source>, and writes eval/data/questions.jsonl where each gold item
is {"source", "start", "end", "text"} with text == file_text[start:end], plus the
item's "actor" and "stance" when it has them (who-questions: who speaks in the span, and
their stance toward the record's "proposition", which passes through with the record).
Files are read as UTF-8 with newline="" (no newline normalisation); offsets
are Python str indices. Exits non-zero if any quote is missing or ambiguous.

Usage (from /work/main):  python3 eval/data/make_questions.py [--corpus DIR]
"""
import argparse
import collections
import os
import sys

from quotes import read_records, resolve, write_records

HERE = os.path.dirname(os.path.abspath(__file__))
KINDS = {"factual", "who", "paraphrase", "comment_or_tweet", "unanswerable"}
STANCES = {"supports", "opposes", "mixed", "neutral"}
GOLD_LABELS = ("actor", "stance")  # copied from a src gold item to its resolved form


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", default=os.path.join("..", "shared", "corpus"),
                    help="corpus directory (default: ../shared/corpus relative to cwd)")
    ap.add_argument("--src", default=os.path.join(HERE, "questions.src.jsonl"))
    ap.add_argument("--out", default=os.path.join(HERE, "questions.jsonl"))
    args = ap.parse_args()

    corpus = os.path.abspath(args.corpus)
    if not os.path.isdir(corpus):
        sys.exit(f"ERROR: corpus directory not found: {corpus}")

    texts = {}
    errors = []
    records = []
    for qid, rec in read_records(args.src, errors):
        if rec.get("kind") not in KINDS:
            errors.append(f"{qid}: unknown kind {rec.get('kind')!r}")
        gold = rec.get("gold", [])
        if rec.get("kind") == "unanswerable" and gold:
            errors.append(f"{qid}: unanswerable question has gold spans")
        if rec.get("kind") != "unanswerable" and not gold:
            errors.append(f"{qid}: answerable question has no gold spans")
        if rec.get("kind") == "who" and not rec.get("proposition"):
            errors.append(f"{qid}: who-question has no proposition")
        new_gold = []
        for g in gold:
            src, quote = g["source"], g["quote"]
            if rec.get("kind") == "who" and not g.get("actor"):
                errors.append(f"{qid}: who-question gold item has no actor: {quote[:40]!r}")
            if g.get("stance") is not None and g["stance"] not in STANCES:
                errors.append(f"{qid}: stance {g['stance']!r} not in {sorted(STANCES)}")
            span = resolve(corpus, src, quote, texts)
            if isinstance(span, str):
                errors.append(f"{qid}: {span}")
                continue
            item = {"source": src, "start": span[0], "end": span[1], "text": quote}
            item.update({k: g[k] for k in GOLD_LABELS if k in g})
            new_gold.append(item)
        out = dict(rec)
        out["gold"] = new_gold
        records.append(out)

    if errors:
        for e in errors:
            print("ERROR:", e, file=sys.stderr)
        print(f"FAILED: {len(errors)} error(s); {args.out} not written", file=sys.stderr)
        sys.exit(1)

    write_records(args.out, records)

    by_kind = collections.Counter(r["kind"] for r in records)
    by_source_q = collections.Counter()
    by_source_spans = collections.Counter()
    for r in records:
        for s in {g["source"] for g in r["gold"]}:
            by_source_q[s] += 1
        for g in r["gold"]:
            by_source_spans[g["source"]] += 1
    print(f"wrote {len(records)} questions to {args.out}")
    print("per kind:")
    for k in sorted(by_kind):
        print(f"  {k:18s} {by_kind[k]}")
    print("per source (questions with >=1 gold span / gold spans):")
    for s in sorted(set(by_source_q) | set(texts)):
        print(f"  {s:52s} {by_source_q[s]:3d} / {by_source_spans[s]}")
    multi = sum(1 for r in records if r["kind"] == "who" and len(r["gold"]) >= 2)
    print(f"who questions with 2+ gold spans: {multi}/{by_kind['who']}")


if __name__ == "__main__":
    main()
