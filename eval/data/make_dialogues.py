#!/usr/bin/env python3
"""Resolve the dialogue sets' gold quotes to character offsets.

Reads two quote-based sources (git-ignored, since the PolNeAR one quotes articles):

  var/authoring/dialogues.src.jsonl           NHS corpus (../shared/corpus)
  var/authoring/polnear-dialogues.src.jsonl   PolNeAR dev (var/corpora/polnear-dev)

one JSON object a line: {"id", "corpus", "turns": [2-3 questions], "standalone",
"phenomenon", "gold": [{"source", "quote"}, ...], "note"?}. Every quote must occur exactly
once in its file. Writes eval/data/dialogues.jsonl (gold {"source", "start", "end", "text"})
and eval/data/polnear/dialogues.jsonl (gold {"source", "start", "end", "sha1"}, no article
text). The PolNeAR corpus folder is written first if it is missing. Nothing is written unless
both sources validate; every problem is printed and the exit status is 1.

--expand goes the other way: it rebuilds the two sources from the committed files and the
corpora (quotes sliced at the stored offsets), refusing to overwrite a source without --force.

Usage (from the project root):  python3 eval/data/make_dialogues.py [--expand [--force]]
"""
import argparse
import collections
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path[:0] = [HERE, ROOT]  # quotes.py beside this file; the eval package above it

from quotes import read_records, read_source, resolve, write_records  # noqa: E402

from eval.polnear_corpus import PolnearMissing, default_corpus_dir, write_corpus  # noqa: E402
from eval.spans import SpanMismatch, hashed, span_text  # noqa: E402

PHENOMENA = ("pronoun", "ellipsis_who", "what_about", "ellipsis_place_time", "why")
AUTHORING = os.path.join(ROOT, "var", "authoring")
SETS = {
    # name: (corpus label in records, source file, committed file, gold stored with text?)
    "nhs": ("nhs", os.path.join(AUTHORING, "dialogues.src.jsonl"),
            os.path.join(HERE, "dialogues.jsonl"), True),
    "polnear": ("polnear-dev", os.path.join(AUTHORING, "polnear-dialogues.src.jsonl"),
                os.path.join(HERE, "polnear", "dialogues.jsonl"), False),
}


def check_record(did, rec, label, errors):
    """Field checks shared by both directions; problems go to ``errors``."""
    if rec.get("corpus") != label:
        errors.append(f"{did}: corpus is {rec.get('corpus')!r}, this file holds {label!r}")
    turns = rec.get("turns")
    if not (isinstance(turns, list) and 2 <= len(turns) <= 3
            and all(isinstance(t, str) and t.strip() for t in turns)):
        errors.append(f"{did}: turns must be a list of 2 or 3 non-empty questions")
    if not (isinstance(rec.get("standalone"), str) and rec["standalone"].strip()):
        errors.append(f"{did}: missing standalone")
    if rec.get("phenomenon") not in PHENOMENA:
        errors.append(f"{did}: phenomenon {rec.get('phenomenon')!r} is not one of {', '.join(PHENOMENA)}")
    if not (isinstance(rec.get("gold"), list) and rec["gold"]):
        errors.append(f"{did}: no gold spans")
        return False
    return True


def build(name, corpus, src, errors, seen_ids):
    label, _, _, with_text = SETS[name]
    if not os.path.isfile(src):
        errors.append(f"{name}: source not found: {src} (rebuild it with --expand)")
        return []
    cache = {}
    records = []
    for did, rec in read_records(src, errors, where=f"{os.path.basename(src)} "):
        if did in seen_ids:
            errors.append(f"{did}: id also used in the other dialogue file")
        seen_ids.add(did)
        if not check_record(did, rec, label, errors):
            continue
        gold = []
        for n, g in enumerate(rec["gold"], 1):
            if not (isinstance(g, dict) and isinstance(g.get("source"), str) and isinstance(g.get("quote"), str)):
                errors.append(f"{did}: gold item {n} needs a source and a quote")
                continue
            span = resolve(corpus, g["source"], g["quote"], cache)
            if isinstance(span, str):
                errors.append(f"{did}: {span}")
                continue
            start, end = span
            if with_text:
                gold.append({"source": g["source"], "start": start, "end": end, "text": g["quote"]})
            else:
                gold.append(hashed(g["source"], start, end, cache[g["source"]]))
        if len({(g["source"], g["start"]) for g in gold}) != len(gold):
            errors.append(f"{did}: the same gold span is listed twice")
        out = {k: rec[k] for k in ("id", "corpus", "turns", "standalone", "phenomenon")}
        out["gold"] = gold
        if rec.get("note"):
            out["note"] = rec["note"]
        records.append(out)
    return records


def expand(name, corpus, out_path, errors):
    """Source records rebuilt from a committed file: gold spans back to quotes."""
    label, _, _, _ = SETS[name]
    cache = {}
    records = []
    if not os.path.isfile(out_path):
        errors.append(f"{name}: committed file not found: {out_path}")
        return records
    for did, rec in read_records(out_path, errors, where=f"{os.path.basename(out_path)} "):
        if not check_record(did, rec, label, errors):
            continue
        gold = []
        for g in rec["gold"]:
            text = read_source(corpus, g.get("source", ""), cache)
            if text is None:
                errors.append(f"{did}: corpus file not found: {os.path.join(corpus, str(g.get('source')))}")
                continue
            try:
                quote = span_text(g, {g["source"]: text}, where=did)
            except SpanMismatch as exc:
                errors.append(str(exc))
                continue
            gold.append({"source": g["source"], "quote": quote})
        src = {k: rec[k] for k in ("id", "corpus", "turns", "standalone", "phenomenon")}
        src["gold"] = gold
        if rec.get("note"):
            src["note"] = rec["note"]
        records.append(src)
    return records


def polnear_folder(path, default, errors):
    """The PolNeAR corpus folder, written first when it is the default one and missing or stale."""
    if os.path.abspath(path) == os.path.abspath(default) or not os.path.exists(path):
        try:
            write_corpus("dev", out=path)
        except (PolnearMissing, ValueError, OSError) as exc:
            errors.append(f"polnear: cannot write the PolNeAR dev corpus to {path}: {exc}")
    return path


def summary(name, records):
    by_phen = collections.Counter(r["phenomenon"] for r in records)
    by_turns = collections.Counter(len(r["turns"]) for r in records)
    spans = sum(len(r["gold"]) for r in records)
    phen = ", ".join(f"{p} {by_phen[p]}" for p in PHENOMENA)
    return (f"{name}: {len(records)} dialogues ({by_turns[2]} two-turn, {by_turns[3]} three-turn), "
            f"{spans} gold spans; {phen}")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", default=os.path.join(ROOT, "..", "shared", "corpus"),
                    help="NHS corpus directory (default ../shared/corpus beside the project)")
    default_polnear = str(default_corpus_dir("dev"))
    ap.add_argument("--polnear-corpus", default=default_polnear,
                    help="PolNeAR dev corpus folder (default var/corpora/polnear-dev; written if missing)")
    ap.add_argument("--src", default=SETS["nhs"][1], help="NHS source (default %(default)s)")
    ap.add_argument("--polnear-src", default=SETS["polnear"][1], help="PolNeAR source (default %(default)s)")
    ap.add_argument("--out", default=SETS["nhs"][2], help="NHS output (default %(default)s)")
    ap.add_argument("--polnear-out", default=SETS["polnear"][2], help="PolNeAR output (default %(default)s)")
    ap.add_argument("--expand", action="store_true",
                    help="rebuild the sources from the committed files instead")
    ap.add_argument("--force", action="store_true", help="with --expand: overwrite existing sources")
    args = ap.parse_args(argv)

    errors = []
    corpus = os.path.abspath(args.corpus)
    if not os.path.isdir(corpus):
        errors.append(f"NHS corpus directory not found: {corpus}")
    polnear = polnear_folder(os.path.abspath(args.polnear_corpus), default_polnear, errors)
    if errors:
        return fail(errors, "nothing written")

    pairs = {"nhs": (corpus, args.src, args.out), "polnear": (polnear, args.polnear_src, args.polnear_out)}
    if args.expand:
        results = {}
        for name, (folder, src, out) in pairs.items():
            if os.path.exists(src) and not args.force:
                errors.append(f"{name}: {src} exists; pass --force to overwrite it")
                continue
            results[name] = (src, expand(name, folder, out, errors))
        if errors:
            return fail(errors, "no source written")
        for name, (src, records) in results.items():
            os.makedirs(os.path.dirname(src), exist_ok=True)
            write_records(src, records)
            print(f"wrote {len(records)} {name} dialogues to {src}")
        return 0

    seen_ids = set()
    results = {name: (out, build(name, folder, src, errors, seen_ids))
               for name, (folder, src, out) in pairs.items()}
    if errors:
        return fail(errors, "nothing written")
    for name, (out, records) in results.items():
        os.makedirs(os.path.dirname(out), exist_ok=True)
        write_records(out, records)
        print(f"wrote {out}")
        print("  " + summary(name, records))
    return 0


def fail(errors, what):
    for e in errors:
        print("ERROR:", e, file=sys.stderr)
    print(f"FAILED: {len(errors)} error(s); {what}", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
