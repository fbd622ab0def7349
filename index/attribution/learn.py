"""python -m index.attribution.learn [--train PATH] [--out PATH]

Learns the attribution lexicon from PolNeAR's train split (people's annotations of every
attribution in 840 US news articles): which words cue reported speech, and which lower-case
words stand in a source mention as a title ("campaign manager", "spokeswoman"). Writes
``index/attribution/data/lexicon.json`` (a few kilobytes, committed; the index manifest records
its SHA-256). Nothing of the article text is kept, only word counts.

- **Cues.** The train text is tagged with spaCy; every word tagged as a verb is counted, and
  counted as a cue when it lies in an annotated cue span. Words are pooled by their Snowball
  stem (say/says/saying; "said" stays apart), and kept as single forms too. A stem or form is a
  cue when it is a cue at least ``MIN_CUES`` times and in at least ``MIN_RATIO`` of its verb
  uses: "said" and "told" most of the time, "think" rarely. What a cue verb means is not learned: the engine
  leaves out verbs of belief and perception (see ``NOT_SPEECH``), since it attributes speech.
- **Titles.** Every named source mention is parsed with spaCy (``en_core_web_sm``); a common
  noun that modifies a person's name ("campaign *manager* Robby Mook", "Sen. X, the Senate
  *leader*") or heads a mention with no name ("the *spokeswoman*") is counted as a title head.
  A head is kept when it occurs ``MIN_TITLE`` times.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
from collections import Counter
from pathlib import Path

from index.paths import PROJECT_ROOT

TRAIN = PROJECT_ROOT.parent / "shared" / "polnear" / "train.jsonl"
LEXICON = Path(__file__).parent / "data" / "lexicon.json"
MIN_CUES = 4
MIN_RATIO = 0.4
MIN_TITLE = 3
_WORD = re.compile(r"[A-Za-z][A-Za-z'’\-]*")
_FUNCTION = frozenset("""
a an the of to in on at by for from with as and or but that this these those is are was were be been being
has have had do does did will would can could should may might must not no also just still even then
than so very more most much many some any all his her their its our my your he she they it we i you him
them us me who whom whose which what when where why how there here""".split())


def _stem():
    import Stemmer

    return Stemmer.Stemmer("english")


def learn(train: Path) -> dict:
    from index.attribution.nlp import load_nlp

    stemmer = _stem()
    records = []
    with open(train, encoding="utf-8") as f:
        records = [json.loads(line) for line in f if line.strip()]
    # Cue words are counted where spaCy's tagger reads them as verbs, so "report" the noun does
    # not dilute "reports" the verb.
    tagger = load_nlp()
    cue: Counter[str] = Counter()
    total: Counter[str] = Counter()
    forms: dict[str, Counter[str]] = {}
    form_cue: Counter[str] = Counter()
    form_total: Counter[str] = Counter()
    mentions: list[str] = []
    attributions = 0
    with tagger.select_pipes(enable=["tok2vec", "tagger"]):
        docs = tagger.pipe((r["text"] for r in records), batch_size=16)
        for rec, doc in zip(records, docs):
            cue_chars = bytearray(len(rec["text"]))
            for q in rec["quotes"]:
                attributions += 1
                for s, e in q["cue_spans"]:
                    cue_chars[s:e] = b"\x01" * (e - s)
                mentions += [rec["text"][s:e] for s, e in q["source_spans"]]
            for tok in doc:
                if not tok.tag_.startswith("VB") or not tok.is_alpha:
                    continue
                word = tok.lower_
                key = stemmer.stemWord(word)
                total[key] += 1
                form_total[word] += 1
                if cue_chars[tok.idx]:
                    cue[key] += 1
                    form_cue[word] += 1
                    forms.setdefault(key, Counter())[word] += 1
    cues = {}
    for key, n in cue.items():
        ratio = n / max(total[key], 1)
        if n >= MIN_CUES and ratio >= MIN_RATIO and key not in _FUNCTION:
            cues[key] = {"cues": n, "verb_uses": total[key], "ratio": round(ratio, 3),
                         "forms": sorted(forms[key], key=lambda w: -forms[key][w])[:6]}
    return {
        "source": {"file": "polnear/train.jsonl", "articles": len(records), "attributions": attributions,
                   "sha256": hashlib.sha256(train.read_bytes()).hexdigest()},
        "selection": {"min_cues": MIN_CUES, "min_ratio": MIN_RATIO, "min_title": MIN_TITLE,
                      "counted": "verb-tagged tokens (spaCy en_core_web_sm tagger)"},
        "cues": dict(sorted(cues.items(), key=lambda kv: -kv[1]["cues"])),
        # Word forms that cue on their own where their stem as a whole does not.
        "forms": {w: {"cues": n, "verb_uses": form_total[w], "ratio": round(n / max(form_total[w], 1), 3)}
                  for w, n in form_cue.most_common()
                  if n >= MIN_CUES and n / max(form_total[w], 1) >= MIN_RATIO and w not in _FUNCTION},
        "titles": {w: n for w, n in _titles(mentions).most_common() if n >= MIN_TITLE},
    }


def _titles(mentions: list[str]) -> Counter[str]:
    """Title head words in source mentions (see the module docstring), lower-cased."""
    from index.attribution.nlp import load_nlp

    nlp = load_nlp()
    heads: Counter[str] = Counter()
    for doc in nlp.pipe(mentions, batch_size=256):
        people = {t.i for e in doc.ents if e.label_ == "PERSON" for t in e}
        for tok in doc:
            if tok.tag_ not in ("NN", "NNS") or tok.i in people or tok.lower_ in _FUNCTION or not tok.is_lower:
                continue  # a capitalised "noun" in a mention is a name spaCy mis-tagged ("Sanders")
            near_name = tok.head.i in people or any(c.i in people for c in tok.children)
            alone = tok.dep_ == "ROOT" and not people and any(c.dep_ == "det" for c in tok.children)
            if near_name or alone:
                heads[tok.lower_] += 1
    return heads


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m index.attribution.learn", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--train", type=Path, default=TRAIN)
    parser.add_argument("--out", type=Path, default=LEXICON)
    args = parser.parse_args(argv)
    if not args.train.is_file():
        print(f"error: PolNeAR train split not found at {args.train}", file=sys.stderr)
        return 2
    lexicon = learn(args.train)
    tmp = args.out.with_suffix(".tmp")
    tmp.write_text(json.dumps(lexicon, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    tmp.replace(args.out)
    print(f"{len(lexicon['cues'])} cue stems and {len(lexicon['titles'])} title heads from "
          f"{lexicon['source']['attributions']} attributions -> {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
