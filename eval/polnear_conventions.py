"""python -m eval.polnear_conventions [--split dev --split train] [--top 40]

What PolNeAR's annotators' spans look like, counted: the numbers behind the section
"Attribution on PolNeAR" of eval/README.md, for whoever writes an engine that should score on
exact spans. Prints counts only (no article text).
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter

from eval.polnear import load_documents
from eval.polnear_metric import DOUBLE_MARKS, PRONOUNS, TITLES, Document, is_named

ROLE_NOUNS = TITLES | frozenset(
    "spokesman spokeswoman spokesperson aide aides adviser advisers official officials director "
    "nominee candidate leader chief executive ceo head founder lawyer attorney host anchor author "
    "economist analyst strategist manager congressman congresswoman lawmaker lawmakers officer "
    "commissioner candidate businessman billionaire mogul".split()
)
_WORDS = re.compile(r"[^\W\d_][\w’'.\-]*")
OPENING = "\"“«„"
CLOSING = "\"”»"


def source_kind(mention: str | None) -> str:
    """named / pronoun / title only / other nameless phrase / absent."""
    if mention is None or not mention.strip():
        return "absent"
    if is_named(mention):
        return "named"
    words = [w.lower().rstrip(".") for w in _WORDS.findall(mention)]
    if words and all(w in PRONOUNS for w in words):
        return "pronoun"
    content = [w for w in words if w not in {"the", "a", "an", "his", "her", "their", "its", "former"}]
    if content and content[-1] in ROLE_NOUNS:
        return "title only"
    return "other nameless phrase"


def conventions(docs: list[Document]) -> dict[str, Counter]:
    c: dict[str, Counter] = {k: Counter() for k in ("all", "direct", "source", "cue", "cue word")}
    c["all"].update({"cue inside a content piece": 0, "a content piece crosses a line break": 0})
    for doc in docs:
        t = doc.text
        for g in doc.gold:
            a, d = c["all"], c["direct"]
            a["attributions"] += 1
            a[f"content pieces: {min(len(g.content), 4)}{'+' if len(g.content) >= 4 else ''}"] += 1
            c["source"][source_kind(g.source_text)] += 1
            if g.source:
                a["source mentions (spans)"] += 1
            cue_text = " ".join(" ".join(t[s:e].lower().split()) for s, e in g.cue)
            if cue_text:
                c["cue"][cue_text] += 1
                c["cue word"].update(re.findall(r"[a-z’']+|:", cue_text))
            if "according to" in cue_text:
                a["cue holds 'according to'"] += 1
            ext = g.extent
            if ext is None:
                a["no content span"] += 1
                continue
            if any(cs < s and e < ce for s, e in g.cue for cs, ce in g.content):
                a["cue inside a content piece"] += 1
            elif any(ext[0] <= s and e <= ext[1] for s, e in g.cue):
                a["cue between content pieces"] += 1
            if g.source and any(ext[0] <= s and e <= ext[1] for s, e in g.source):
                a["source between content pieces"] += 1
            elif g.source and g.source[0][0] < ext[0]:
                a["source before content"] += 1
            elif g.source:
                a["source after content"] += 1
            for (_, e1), (s2, _) in zip(g.content, g.content[1:]):
                gap = t[e1:s2]
                if not gap.strip():
                    a["gap between pieces: " + ("a line break" if "\n" in gap else "white space only")] += 1
                elif any(e1 <= s and e <= s2 for s, e in (*g.cue, *g.source)):
                    a["gap between pieces: holds the cue or source"] += 1
                else:
                    a["gap between pieces: other text"] += 1
            if "\n" in t[ext[0]:ext[1]]:
                a["content extent crosses a line break"] += 1
                if any("\n" in t[s:e] for s, e in g.content):
                    a["a content piece crosses a line break"] += 1
            if not g.direct:
                continue
            d["direct quotes"] += 1
            first = t[g.content[0][0]:g.content[0][1]]
            last = t[g.content[-1][0]:g.content[-1][1]]
            d["starts with an opening mark"] += first[:1] in OPENING
            d["ends with a closing mark"] += last.rstrip()[-1:] in CLOSING
            d["mark just outside the start"] += t[g.content[0][0] - 1:g.content[0][0]] in OPENING and g.content[0][0] > 0
            d["mark just outside the end"] += t[g.content[-1][1]:g.content[-1][1] + 1] in CLOSING
            if last.rstrip()[-2:-1] in ",.?!" and last.rstrip()[-1:] in CLOSING:
                d["ends with punctuation then the closing mark"] += 1
            whole = "".join(t[s:e] for s, e in g.content)
            if first[:1] not in OPENING and any(ch in DOUBLE_MARKS for ch in whole):
                d["partial quote (a mark inside, not at the start)"] += 1
            if first.lower().startswith("that "):
                d["starts with 'that '"] += 1
            if "\n" in t[ext[0]:ext[1]]:
                d["crosses a line break (multi-paragraph)"] += 1
                d[f"multi-paragraph: pieces {min(len(g.content), 3)}{'+' if len(g.content) >= 3 else ''}"] += 1
    return c


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m eval.polnear_conventions", description=__doc__)
    parser.add_argument("--split", action="append", choices=("dev", "train"))
    parser.add_argument("--top", type=int, default=40, help="cue phrases to list (from train when read)")
    args = parser.parse_args(argv)
    splits = args.split or ["dev", "train"]
    results = {s: conventions(load_documents(s)) for s in splits}
    keys = {group: sorted({k for r in results.values() for k in r[group]}) for group in ("all", "direct", "source")}
    print("count" + "".join(f"  {s:>8}" for s in splits))
    for group in ("all", "direct", "source"):
        print(f"[{group}]")
        for k in keys[group]:
            print(f"  {k:<52}" + "".join(f"{results[s][group][k]:>10,}" for s in splits))
    cue_split = "train" if "train" in results else splits[0]
    cues = results[cue_split]["cue"]
    total = sum(cues.values())
    print(f"top {args.top} cues in {cue_split} (lower-cased cue text; {total:,} cues):")
    for cue, n in cues.most_common(args.top):
        print(f"  {cue:<24}{n:>7,}  {n / total:6.1%}")
    words = results[cue_split]["cue word"]
    print(f"top {args.top} words of those cues:")
    print("  " + ", ".join(f"{w} {n:,}" for w, n in words.most_common(args.top)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
