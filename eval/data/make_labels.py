#!/usr/bin/env python3
"""Resolve hand-labelled attribution and stance quotes to character offsets.

For each of eval/data/attribution.src.jsonl and eval/data/stance.src.jsonl,
locates every record's "quote" verbatim in <corpus>/<source> and writes
attribution.jsonl / stance.jsonl beside them, each record gaining "start" and
"end" (Python str offsets, text[start:end] == quote). Files are read as UTF-8
with newline="" (no newline normalisation). Exits non-zero, naming the record
id, if any quote is missing, occurs more than once, or a record is malformed.
Nothing is written unless both files validate.

Usage (from /work/main):  python3 eval/data/make_labels.py [--corpus DIR]
"""
import argparse
import collections
import os
import sys

from quotes import read_records, resolve, write_records

HERE = os.path.dirname(os.path.abspath(__file__))

SPECS = {
    "attribution": {
        "fields": ["id", "source", "quote", "speaker", "organisation", "role", "kind"],
        "nullable": {"speaker", "organisation", "role"},
        "enum": ("kind", {"quote", "tweet", "comment", "reported"}),
        "length": (30, 200),
    },
    "stance": {
        "fields": ["id", "proposition", "source", "quote", "speaker", "organisation", "stance"],
        "nullable": {"speaker", "organisation"},
        "enum": ("stance", {"supports", "opposes", "mixed", "neutral"}),
        "length": (30, 300),
    },
}


def process(name, spec, src_path, corpus, cache, errors):
    records = []
    if not os.path.isfile(src_path):
        errors.append(f"{name}: source file not found: {src_path}")
        return records
    for rid, rec in read_records(src_path, errors, where=f"{name} "):
        bad = False
        for k in spec["fields"]:
            v = rec.get(k, KeyError)
            if v is KeyError:
                errors.append(f"{rid}: missing field {k!r}")
                bad = True
            elif v is None and k not in spec["nullable"]:
                errors.append(f"{rid}: field {k!r} must not be null")
                bad = True
            elif v is not None and not (isinstance(v, str) and v.strip()):
                errors.append(f"{rid}: field {k!r} must be a non-empty string or null")
                bad = True
        extra = set(rec) - set(spec["fields"])
        if extra:
            errors.append(f"{rid}: unexpected field(s) {sorted(extra)}")
        if bad:
            continue
        ekey, allowed = spec["enum"]
        if rec[ekey] not in allowed:
            errors.append(f"{rid}: {ekey} {rec[ekey]!r} not in {sorted(allowed)}")
        src, quote = rec["source"], rec["quote"]
        lo, hi = spec["length"]
        if not lo <= len(quote) <= hi:
            errors.append(f"{rid}: quote length {len(quote)} outside {lo}-{hi}")
        span = resolve(corpus, src, quote, cache)
        if isinstance(span, str):
            errors.append(f"{rid}: {span}")
            continue
        out = {k: rec[k] for k in spec["fields"]}
        out["start"], out["end"] = span
        records.append(out)
    return records


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", default=os.path.join("..", "shared", "corpus"),
                    help="corpus directory (default: ../shared/corpus relative to cwd)")
    ap.add_argument("--data", default=HERE,
                    help="directory holding the .src.jsonl files (default: this script's directory)")
    args = ap.parse_args()

    corpus = os.path.abspath(args.corpus)
    if not os.path.isdir(corpus):
        sys.exit(f"ERROR: corpus directory not found: {corpus}")

    cache, errors, results = {}, [], {}
    for name, spec in SPECS.items():
        src_path = os.path.join(args.data, f"{name}.src.jsonl")
        results[name] = process(name, spec, src_path, corpus, cache, errors)

    if errors:
        for e in errors:
            print("ERROR:", e, file=sys.stderr)
        print(f"FAILED: {len(errors)} error(s); nothing written", file=sys.stderr)
        sys.exit(1)

    for name, records in results.items():
        out_path = os.path.join(args.data, f"{name}.jsonl")
        write_records(out_path, records)
        ekey = SPECS[name]["enum"][0]
        print(f"wrote {len(records)} records to {out_path}")
        for label, counter in (("source", collections.Counter(r["source"] for r in records)),
                               (ekey, collections.Counter(r[ekey] for r in records))):
            print(f"  per {label}:")
            for k in sorted(counter):
                print(f"    {k:52s} {counter[k]}")


if __name__ == "__main__":
    main()
