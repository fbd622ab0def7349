#!/usr/bin/env python3
"""Check (or build) the organisation labels of PolNeAR dev direct quotes.

eval/data/polnear/organisations.jsonl labels quotes of ../shared/polnear/dev.jsonl with the
speaker, the speaker's organisation and role. A record points into the PolNeAR annotation and
never holds article text:

  {"id": "o001", "doc_id", "quote": index in the document's "quotes" list,
   "content_start", "content_end", "source_start", "source_end"  (the first content and
   source span), "sha1": digest of text[content_start:content_end] (eval/spans.py),
   "speaker": str | null, "organisation": str | null, "role": str | null, "note"?: str}

Default: validate every record against dev.jsonl (document exists, quote index exists, the
quote is direct and its source mention carries a name, offsets equal that quote's first
spans, digest matches, label fields well formed, no quote labelled twice), print counts, exit
1 on any problem. --build SRC writes the file from a label source (one {"doc_id", "quote",
"speaker", "organisation", "role", "note"?} a line, e.g. var/authoring/organisations.src.jsonl),
filling offsets, digests and ids, then validates it. --candidates lists the sampling frame:
the first two direct named-source quotes of every document.

Usage (from the project root):  python3 eval/data/check_organisations.py [--build SRC] [--candidates]
"""
import argparse
import collections
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path[:0] = [HERE, ROOT]  # quotes.py beside this file; the eval package above it

from quotes import read_records, write_records  # noqa: E402

from eval.spans import digest  # noqa: E402

DEV = os.path.join(ROOT, "..", "shared", "polnear", "dev.jsonl")
OUT = os.path.join(HERE, "polnear", "organisations.jsonl")
PER_DOC = 2  # the sampling rule: the first two direct named-source quotes of each document
LABELS = ("speaker", "organisation", "role")
FIELDS = ("id", "doc_id", "quote", "content_start", "content_end", "source_start", "source_end",
          "sha1", *LABELS)

# Capitalised words that do not make a source mention a name: pronouns, determiners, titles,
# and sentence-initial common nouns ("Protesters", "Police", "Only 52 percent of voters").
NOT_NAMES = {
    "he", "she", "they", "it", "we", "i", "you", "him", "her", "them", "us", "me", "his", "its",
    "their", "our", "my", "your", "who", "which", "that", "the", "a", "an", "this", "these",
    "those", "another", "one", "some", "many", "both", "each", "all", "most", "several", "other",
    "such", "any", "no", "every", "only", "mr", "mrs", "ms", "miss", "dr", "sen", "senator",
    "rep", "representative", "gov", "governor", "president", "vice", "secretary", "gen",
    "general", "judge", "mayor", "chairman", "chairwoman", "chair", "rev", "prof", "professor",
    "former", "candidate", "nominee", "lt", "col", "sgt", "adm", "speaker", "attorney",
    "justice", "sir", "gop", "protesters", "police", "demonstrators", "officials", "small",
}


def has_name(source_text):
    """True when the source mention has a capitalised word that is not in NOT_NAMES."""
    if not source_text:
        return False
    for word in re.findall(r"[A-Za-z][A-Za-z'’.-]*", source_text):
        if word[0].isupper() and word.lower().strip(".") not in NOT_NAMES:
            return True
    return False


def read_dev(path):
    with open(path, encoding="utf-8") as f:
        return {rec["doc_id"]: rec for rec in (json.loads(line) for line in f if line.strip())}


def candidates(doc):
    """Indices of the document's direct quotes whose source mention carries a name, in order."""
    return [i for i, q in enumerate(doc["quotes"]) if q.get("is_direct") and has_name(q.get("source_text"))]


def locate(docs, doc_id, index, where, errors):
    """The quote record, or None with the problem in ``errors``."""
    doc = docs.get(doc_id)
    if doc is None:
        errors.append(f"{where}: doc_id {doc_id!r} is not in dev.jsonl")
        return None, None
    if not (isinstance(index, int) and not isinstance(index, bool) and 0 <= index < len(doc["quotes"])):
        errors.append(f"{where}: {doc_id} has no quote {index!r} ({len(doc['quotes'])} quotes)")
        return doc, None
    q = doc["quotes"][index]
    if not q.get("is_direct"):
        errors.append(f"{where}: {doc_id} quote {index} is not a direct quote")
    if not has_name(q.get("source_text")):
        errors.append(f"{where}: {doc_id} quote {index} has no named source ({q.get('source_text')!r})")
    if not q.get("content_spans") or not q.get("source_spans"):
        errors.append(f"{where}: {doc_id} quote {index} lacks a content or a source span")
        return doc, None
    return doc, q


def check_labels(rec, where, errors):
    for field in LABELS:
        value = rec.get(field, "missing")
        if value is not None and not (isinstance(value, str) and value.strip()):
            errors.append(f"{where}: {field} must be a non-empty string or null, not {value!r}")
    if rec.get("speaker") is None and rec.get("organisation") is None:
        errors.append(f"{where}: speaker and organisation are both null")
    if "note" in rec and not (isinstance(rec["note"], str) and rec["note"].strip()):
        errors.append(f"{where}: note must be a non-empty string when present")


def validate(path, docs, errors):
    """The records of ``path``; every problem goes to ``errors``."""
    records = []
    seen_quotes = {}
    for rid, rec in read_records(path, errors, where=f"{os.path.basename(path)} "):
        missing = [f for f in FIELDS if f not in rec]
        if missing:
            errors.append(f"{rid}: missing field(s) {', '.join(missing)}")
            continue
        extra = set(rec) - set(FIELDS) - {"note"}
        if extra:
            errors.append(f"{rid}: unknown field(s) {', '.join(sorted(extra))}")
        doc, q = locate(docs, rec["doc_id"], rec["quote"], rid, errors)
        if q is not None:
            (cs, ce), (ss, se) = q["content_spans"][0], q["source_spans"][0]
            got = (rec["content_start"], rec["content_end"], rec["source_start"], rec["source_end"])
            if got != (cs, ce, ss, se):
                errors.append(f"{rid}: offsets {got} are not {rec['doc_id']} quote {rec['quote']}'s "
                              f"first content/source spans {(cs, ce, ss, se)}")
            elif digest(doc["text"][cs:ce]) != rec["sha1"]:
                errors.append(f"{rid}: sha1 {rec['sha1']} does not match the content span "
                              f"{rec['doc_id']}[{cs}:{ce}]")
        key = (rec["doc_id"], rec["quote"])
        if key in seen_quotes:
            errors.append(f"{rid}: {key[0]} quote {key[1]} is already labelled by {seen_quotes[key]}")
        seen_quotes[key] = rid
        check_labels(rec, rid, errors)
        records.append(rec)
    return records


def build(src, out, docs, errors):
    records = []
    for n, (rid, rec) in enumerate(read_records(src, errors, where=f"{os.path.basename(src)} "), 1):
        where = f"{os.path.basename(src)} record {n} ({rec.get('doc_id')} quote {rec.get('quote')})"
        doc, q = locate(docs, rec.get("doc_id"), rec.get("quote"), where, errors)
        if q is None:
            continue
        check_labels(rec, where, errors)
        (cs, ce), (ss, se) = q["content_spans"][0], q["source_spans"][0]
        out_rec = {"id": f"o{n:03d}", "doc_id": rec["doc_id"], "quote": rec["quote"],
                   "content_start": cs, "content_end": ce, "source_start": ss, "source_end": se,
                   "sha1": digest(doc["text"][cs:ce])}
        out_rec.update({f: rec.get(f) for f in LABELS})
        if rec.get("note"):
            out_rec["note"] = rec["note"]
        records.append(out_rec)
    if not errors:
        os.makedirs(os.path.dirname(out), exist_ok=True)
        write_records(out, records)
        print(f"wrote {len(records)} labels to {out}")


def report(records, docs):
    outlets = collections.Counter(r["doc_id"].split("_", 1)[0] for r in records)
    in_frame = {(d, i) for d, doc in docs.items() for i in candidates(doc)[:PER_DOC]}
    labelled = {(r["doc_id"], r["quote"]) for r in records}
    print(f"{len(records)} labels over {len({r['doc_id'] for r in records})} documents; "
          f"outlets: {', '.join(f'{o} {n}' for o, n in sorted(outlets.items()))}")
    print(f"speaker null {sum(r['speaker'] is None for r in records)}, "
          f"organisation null {sum(r['organisation'] is None for r in records)}, "
          f"role null {sum(r['role'] is None for r in records)}")
    print(f"sampling rule (first {PER_DOC} direct named-source quotes of each document): "
          f"{len(labelled & in_frame)} of {len(in_frame)} labelled, {len(labelled - in_frame)} outside it")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dev", default=DEV, help="PolNeAR dev split (default ../shared/polnear/dev.jsonl)")
    ap.add_argument("--file", default=OUT, help="label file to check or write (default %(default)s)")
    ap.add_argument("--build", metavar="SRC", help="write --file from this label source first")
    ap.add_argument("--candidates", action="store_true", help="print the sampling frame and exit")
    args = ap.parse_args(argv)

    if not os.path.isfile(args.dev):
        print(f"ERROR: PolNeAR dev split not found: {args.dev}", file=sys.stderr)
        return 1
    docs = read_dev(args.dev)
    if args.candidates:
        for d in sorted(docs):
            for i in candidates(docs[d])[:PER_DOC]:
                print(f"{d}\t{i}\t{docs[d]['quotes'][i]['source_text']}")
        return 0
    errors = []
    if args.build:
        if not os.path.isfile(args.build):
            print(f"ERROR: label source not found: {args.build}", file=sys.stderr)
            return 1
        build(args.build, args.file, docs, errors)
    if not errors:
        if not os.path.isfile(args.file):
            errors.append(f"label file not found: {args.file}")
        else:
            records = validate(args.file, docs, errors)
    if errors:
        for e in errors:
            print("ERROR:", e, file=sys.stderr)
        print(f"FAILED: {len(errors)} error(s)", file=sys.stderr)
        return 1
    report(records, docs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
