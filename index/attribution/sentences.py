"""Sentences without a model: the serve-time fallback for passages an index holds no rows for.

At index time sentences come from spaCy (:mod:`index.attribution.engine`); the read path only
needs this splitter for passages of an index built without attribution rows. Sentences never
cross a line break; a live-blog time ("5.20pm"), list number or bullet that opens a line is left
out of the sentence.
"""

from __future__ import annotations

import re

_ABBREVIATIONS = frozenset(
    "mr mrs ms dr prof st no vs etc e.g i.e dept co ltd inc gen gov sen rep rev hon cllr mt jr sr "
    "approx est fig al op cf".split()
)
_END = re.compile(r"[.!?…]+[”’\"')\]]*(?=\s)|(?<=[a-z,])”(?=\s+[A-Z][a-z]+\s)")
_LINE_PREFIX = re.compile(
    r"[ \t\u00a0]*(?:\d{1,2}[.:]\d{2}\s?[ap]m\b:?|(?:\d{1,2}\.|[•\-\*–·])(?=[ \t\u00a0]))?[ \t\u00a0]*",
    re.IGNORECASE,
)


def split_sentences(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """``(start, end)`` of each sentence in ``text[start:end]``, in document offsets.

    Sentences never cross a line break. A leading live-blog time ("5.20pm"), list number or
    bullet is left out of the sentence; surrounding whitespace is trimmed; spans without a
    letter or digit are dropped.
    """
    end = len(text) if end is None else end
    spans: list[tuple[int, int]] = []
    pos = start
    while pos < end:
        nl = text.find("\n", pos, end)
        line_end = end if nl < 0 else nl
        prefix = _LINE_PREFIX.match(text, pos, line_end)
        s = prefix.end() if prefix else pos
        cursor = s
        for m in _END.finditer(text, s, line_end):
            cut = m.end()
            word = re.search(r"([A-Za-z.]+)[.]$", text[max(s, m.start() - 12) : m.start() + 1])
            if text[m.start()] == "." and re.search(r"(?:^|[“\"‘(\s])\d{1,2}$", text[s : m.start()]):
                continue
            if text[m.start()] == "." and word and (
                word.group(1).lower().rstrip(".") in _ABBREVIATIONS or len(word.group(1)) == 1
                or re.fullmatch(r"(?:[A-Za-z]\.)+", word.group(1) + ".")
            ):
                continue
            nxt = re.match(r"\s*(\S)", text[cut:line_end])
            if nxt and not (nxt.group(1).isupper() or nxt.group(1).isdigit() or nxt.group(1) in "“‘\"'(£@#["):
                continue
            spans.append((cursor, cut))
            cursor = cut
        spans.append((cursor, line_end))
        pos = line_end + 1
    out = []
    for s, e in spans:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s and any(c.isalnum() for c in text[s:e]):
            out.append((s, e))
    return out
