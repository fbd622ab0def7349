#!/usr/bin/env python3
"""Resolve the PolNeAR dev question set and stance labels from quotes to offsets and digests.

The PolNeAR articles belong to their publishers, so the committed files hold no article text:
every gold span is ``{"source", "start", "end", "sha1"}`` (eval/spans.py). Questions are
written, and edited, in quote form in git-ignored authoring files:

  var/authoring/polnear-questions.src.jsonl   one question a line, like questions.src.jsonl:
      {"id", "question", "kind", "gold": [{"source", "quote", "actor"?, "stance"?}],
       "proposition"? (who), "number"? ("words" / "figures"), "note"?}
  var/authoring/polnear-stance.src.jsonl      one labelled quote a line:
      {"id", "proposition", "source", "quote", "speaker", "stance", "note"?}

Default run: find every quote (exactly once) in var/corpora/polnear-dev/<source> and write
eval/data/polnear/questions.jsonl and eval/data/polnear/stance.jsonl. Nothing is written if
any record fails; every problem is printed with its record id and the exit status is 1.

--expand does the reverse: reads the committed files, checks every digest against the corpus
and writes the two authoring files with the quotes filled in, so a later session can edit the
set (it will not overwrite an authoring file that differs unless --force is given).

The corpus folder is written from ../shared/polnear/dev.jsonl first if it is missing.

Usage (from the project root):
  python eval/data/make_polnear_questions.py            # authoring files -> committed files
  python eval/data/make_polnear_questions.py --expand   # committed files -> authoring files
"""
from __future__ import annotations

import argparse
import collections
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path[:0] = [HERE, ROOT]

from quotes import read_records, read_source, resolve, write_records  # noqa: E402

from eval.polnear_corpus import PolnearMissing, default_corpus_dir, write_corpus  # noqa: E402
from eval.questions import KINDS, NUMBER_FORMS, STANCES  # noqa: E402
from eval.spans import SpanMismatch, hashed, span_text  # noqa: E402

AUTHORING = os.path.join(ROOT, "var", "authoring")
DATA = os.path.join(HERE, "polnear")
QUOTE_CHARS = (30, 300)
QUESTION_KEYS = ("id", "question", "kind", "proposition", "number", "gold", "note")
GOLD_KEYS = ("source", "quote", "actor", "stance")
STANCE_KEYS = ("id", "proposition", "source", "quote", "speaker", "stance", "note")
# A who-question asking for one side ("who criticised …") needs a stance on every gold span.
POLARITY = re.compile(r"\b(criticis|criticiz|oppos|object|attack|condemn|doubt|question(ed|s)\b|"
                      r"support|prais|defend|back(ed|s)?\b|welcom|endors|called for|call for|"
                      r"argued|warn)", re.I)


def check_quote(rid: str, src: str, quote, corpus: str, cache: dict, errors: list[str]):
    """(start, end) of a well-formed quote found once in its file, else None (problem noted)."""
    if not isinstance(quote, str) or not quote:
        errors.append(f"{rid}: missing quote")
        return None
    if quote != quote.strip():
        errors.append(f"{rid}: quote starts or ends with whitespace: {quote[:40]!r}")
    lo, hi = QUOTE_CHARS
    if not lo <= len(quote) <= hi:
        errors.append(f"{rid}: quote length {len(quote)} outside {lo}-{hi}: {quote[:40]!r}")
    span = resolve(corpus, src, quote, cache)
    if isinstance(span, str):
        errors.append(f"{rid}: {span}")
        return None
    return span


def build_questions(path: str, corpus: str, cache: dict, errors: list[str]) -> list[dict]:
    out = []
    for qid, rec in read_records(path, errors, where="questions "):
        extra = set(rec) - set(QUESTION_KEYS)
        if extra:
            errors.append(f"{qid}: unexpected field(s) {sorted(extra)}")
        kind, gold = rec.get("kind"), rec.get("gold", [])
        if kind not in KINDS:
            errors.append(f"{qid}: unknown kind {kind!r}")
        if not (isinstance(rec.get("question"), str) and rec["question"].strip()):
            errors.append(f"{qid}: missing question")
        if kind == "unanswerable" and gold:
            errors.append(f"{qid}: unanswerable question has gold spans")
        if kind != "unanswerable" and not gold:
            errors.append(f"{qid}: answerable question has no gold spans")
        if rec.get("number") is not None and rec["number"] not in NUMBER_FORMS:
            errors.append(f"{qid}: number must be one of {NUMBER_FORMS}, not {rec['number']!r}")
        polar = kind == "who" and bool(POLARITY.search(rec.get("question", "")))
        if kind == "who" and not rec.get("proposition"):
            errors.append(f"{qid}: who-question has no proposition")
        new_gold = []
        for i, g in enumerate(gold, 1):
            gid = f"{qid} gold {i}"
            extra = set(g) - set(GOLD_KEYS)
            if extra:
                errors.append(f"{gid}: unexpected field(s) {sorted(extra)}")
            if kind == "who" and not g.get("actor"):
                errors.append(f"{gid}: who-question gold span has no actor")
            if polar and not g.get("stance"):
                errors.append(f"{gid}: the question has a polarity but the span has no stance")
            if g.get("stance") is not None and g["stance"] not in STANCES:
                errors.append(f"{gid}: stance {g['stance']!r} not in {STANCES}")
            span = check_quote(gid, g.get("source"), g.get("quote"), corpus, cache, errors)
            if span is None:
                continue
            text = read_source(corpus, g["source"], cache)
            labels = {k: g[k] for k in ("actor", "stance") if g.get(k) is not None}
            new_gold.append(hashed(g["source"], span[0], span[1], text, **labels))
        item = {k: rec[k] for k in ("id", "question", "kind", "proposition", "number") if rec.get(k) is not None}
        item["gold"] = new_gold
        if rec.get("note"):
            item["note"] = rec["note"]
        out.append(item)
    return out


def build_stance(path: str, corpus: str, cache: dict, propositions: set[str], errors: list[str]) -> list[dict]:
    out = []
    for rid, rec in read_records(path, errors, where="stance "):
        extra = set(rec) - set(STANCE_KEYS)
        if extra:
            errors.append(f"{rid}: unexpected field(s) {sorted(extra)}")
        for k in ("proposition", "source", "speaker", "stance"):
            if not (isinstance(rec.get(k), str) and rec[k].strip()):
                errors.append(f"{rid}: missing {k}")
        if rec.get("stance") not in STANCES:
            errors.append(f"{rid}: stance {rec.get('stance')!r} not in {STANCES}")
        if rec.get("proposition") not in propositions:
            errors.append(f"{rid}: proposition {rec.get('proposition')!r} is not the proposition of any who-question")
        span = check_quote(rid, rec.get("source"), rec.get("quote"), corpus, cache, errors)
        if span is None:
            continue
        text = read_source(corpus, rec["source"], cache)
        item = {"id": rid, "proposition": rec["proposition"],
                **hashed(rec["source"], span[0], span[1], text),
                "speaker": rec["speaker"], "stance": rec["stance"]}
        if rec.get("note"):
            item["note"] = rec["note"]
        out.append(item)
    return out


def expand(questions_path: str, stance_path: str, corpus: str, errors: list[str]):
    """The authoring records of the committed files (quotes from the corpus, digests checked)."""
    cache: dict[str, str | None] = {}
    texts = _Texts(corpus, cache)
    questions, stance = [], []
    for qid, rec in read_records(questions_path, errors, where="questions "):
        item = {k: rec[k] for k in ("id", "question", "kind", "proposition", "number") if k in rec}
        item["gold"] = []
        for i, g in enumerate(rec.get("gold", []), 1):
            try:
                quote = span_text(g, texts, f"{qid} gold {i}")
            except SpanMismatch as exc:
                errors.append(str(exc))
                continue
            item["gold"].append({"source": g["source"], "quote": quote,
                                 **{k: g[k] for k in ("actor", "stance") if k in g}})
        if "note" in rec:
            item["note"] = rec["note"]
        questions.append(item)
    if os.path.isfile(stance_path):
        for rid, rec in read_records(stance_path, errors, where="stance "):
            try:
                quote = span_text(rec, texts, rid)
            except SpanMismatch as exc:
                errors.append(str(exc))
                continue
            item = {"id": rid, "proposition": rec["proposition"], "source": rec["source"], "quote": quote,
                    "speaker": rec["speaker"], "stance": rec["stance"]}
            if "note" in rec:
                item["note"] = rec["note"]
            stance.append(item)
    return questions, stance


class _Texts(dict):
    """source -> text, read from the corpus folder on first use (span_text asks ``in`` first)."""

    def __init__(self, corpus: str, cache: dict):
        super().__init__()
        self.corpus, self.cache = corpus, cache

    def __contains__(self, source) -> bool:
        return isinstance(source, str) and read_source(self.corpus, source, self.cache) is not None

    def __getitem__(self, source):
        return read_source(self.corpus, source, self.cache)


def summary(questions: list[dict], stance: list[dict]) -> list[str]:
    lines = []
    kinds = collections.Counter(q["kind"] for q in questions)
    lines.append(f"{len(questions)} questions: " + ", ".join(f"{k} {kinds[k]}" for k in KINDS if kinds[k]))
    numbers = collections.Counter(q.get("number") for q in questions if q.get("number"))
    lines.append("factual numbers: " + ", ".join(f"{k} {v}" for k, v in sorted(numbers.items())))
    who = [q for q in questions if q["kind"] == "who"]
    multi = sum(len({g.get("actor") for g in q["gold"]}) >= 2 for q in who)
    lines.append(f"who-questions with 2+ distinct actors: {multi}/{len(who)}")
    outlets = collections.Counter(g["source"].split("_", 1)[0] for q in questions for g in q["gold"])
    articles = {g["source"] for q in questions for g in q["gold"]}
    lines.append(f"gold spans per outlet: {dict(sorted(outlets.items()))}; {len(articles)} articles cited")
    if stance:
        labels = collections.Counter(r["stance"] for r in stance)
        lines.append(f"{len(stance)} stance labels: " + ", ".join(f"{k} {labels[k]}" for k in STANCES))
    return lines


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", default=str(default_corpus_dir("dev")),
                    help="PolNeAR dev corpus folder (default var/corpora/polnear-dev; written if missing)")
    ap.add_argument("--src", default=os.path.join(AUTHORING, "polnear-questions.src.jsonl"))
    ap.add_argument("--stance-src", default=os.path.join(AUTHORING, "polnear-stance.src.jsonl"))
    ap.add_argument("--out", default=os.path.join(DATA, "questions.jsonl"))
    ap.add_argument("--stance-out", default=os.path.join(DATA, "stance.jsonl"))
    ap.add_argument("--expand", action="store_true", help="write the authoring files from the committed ones")
    ap.add_argument("--force", action="store_true", help="with --expand: overwrite authoring files")
    args = ap.parse_args(argv)

    try:
        corpus = str(write_corpus("dev", args.corpus))
    except (PolnearMissing, ValueError, OSError) as exc:
        print(f"ERROR: cannot write the PolNeAR dev corpus: {exc}", file=sys.stderr)
        return 1

    errors: list[str] = []
    if args.expand:
        if not os.path.isfile(args.out):
            print(f"ERROR: {args.out} not found", file=sys.stderr)
            return 1
        questions, stance = expand(args.out, args.stance_out, corpus, errors)
        targets = [(args.src, questions), (args.stance_src, stance)]
        if not errors and not args.force:
            for path, records in targets:
                if os.path.isfile(path) and _differs(path, records):
                    errors.append(f"{path} exists and differs from the committed set (use --force)")
    else:
        for path in (args.src, args.stance_src):
            if not os.path.isfile(path):
                errors.append(f"authoring file not found: {path} (run with --expand to recreate it)")
        if errors:
            return _fail(errors, "nothing written")
        cache: dict[str, str | None] = {}
        questions = build_questions(args.src, corpus, cache, errors)
        propositions = {q["proposition"] for q in questions if q.get("proposition")}
        stance = build_stance(args.stance_src, corpus, cache, propositions, errors)
        targets = [(args.out, questions), (args.stance_out, stance)]
    if errors:
        return _fail(errors, "nothing written")
    for path, records in targets:
        os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
        write_records(path, records)
        print(f"wrote {len(records)} records to {path}")
    if not args.expand:
        print("\n".join(summary(questions, stance)))
    return 0


def _differs(path: str, records: list[dict]) -> bool:
    import json

    with open(path, encoding="utf-8") as f:
        current = [json.loads(line) for line in f if line.strip()]
    return current != records


def _fail(errors: list[str], what: str) -> int:
    for e in errors:
        print("ERROR:", e, file=sys.stderr)
    print(f"FAILED: {len(errors)} error(s); {what}", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
