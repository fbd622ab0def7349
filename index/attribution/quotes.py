"""Quotation marks: which characters of a document lie inside a quotation.

spaCy does not pair quotation marks across sentences or paragraphs, and news quotes run over
both: a quotation that continues into a new paragraph reopens with a mark and is not closed at
the end of the previous one. :func:`quote_mask` marks every quoted character;
:func:`quotation_runs` turns the mask into spans and says which ones continue an earlier one.
"""

from __future__ import annotations

from dataclasses import dataclass

_OPEN_D, _CLOSE_D, _OPEN_S, _CLOSE_S = "“", "”", "‘", "’"


def quote_mask(text: str, breaks: list[int]) -> bytearray:
    """1 for every character inside quotation marks (the marks included), else 0.

    Double quotes that are still open at the end of a paragraph stay open into the next one
    (a quotation running over several paragraphs, each reopened with a mark); nothing stays
    open past a section boundary in ``breaks``. Single quotes close at the paragraph's end.
    An apostrophe inside a word (Labour’s, don’t) never opens or closes anything.
    """
    mask = bytearray(len(text))
    breaks_set = set(breaks)
    double = single = False
    open_at = 0
    n = len(text)
    i = 0
    while i < n:
        if i in breaks_set:
            double = single = False
        c = text[i]
        prev = text[i - 1] if i else " "
        nxt = text[i + 1] if i + 1 < n else " "
        if c == "\n" and nxt == "\n" or c == "\n" and text[i + 1 : i + 3].strip() == "" and i + 2 < n:
            single = False
        if c == "\n" and double and text[open_at + 1 : i].strip() == "" and "\n\n" in text[i : i + 3] + "\n":
            double = False  # a stray opening mark at the very end of a paragraph opens nothing
            for k in range(open_at, i):
                mask[k] = 0
        if c == _OPEN_D and text[i + 1 : (text.find("\n", i) + 1 or n + 1) - 1].strip() == "":
            # An opening mark with nothing after it on the line: a typo for the closing one.
            if double:
                mask[i] = 1
                double = False
        elif c == _OPEN_D:
            if not double:
                open_at = i
            double = True
            mask[i] = 1
        elif c == _CLOSE_D:
            if double:
                mask[i] = 1
                double = False
            elif nxt.isalpha():  # 'said:”It is ...' uses the closing mark to open
                double, open_at = True, i
                mask[i] = 1
        elif c == '"':
            if double and not (prev.isspace() and nxt.isalnum()):
                mask[i] = 1
                double = False
            elif not double and (prev.isspace() or prev in "([:—–-") and not nxt.isspace():
                double, open_at = True, i
                mask[i] = 1
        elif c == _OPEN_S and not double:
            if not prev.isalnum():
                single = True
                mask[i] = 1
        elif c in (_CLOSE_S, "'") and not double:
            if single and not nxt.isalnum() and not prev.isspace():
                mask[i] = 1
                single = False
            elif c == "'" and not single and not prev.isalnum() and nxt.isalpha():
                single = True
                mask[i] = 1
        elif double or single:
            mask[i] = 1
        if double or single:
            mask[i] = 1
        i += 1
    return mask


@dataclass(frozen=True)
class Quotation:
    """``text[start:end]`` is one quotation, marks included. ``continues``: it opens a paragraph
    while a quotation of an earlier paragraph was never closed (the same voice goes on).
    ``closed``: it ends with a closing mark (else it runs on into the next paragraph)."""

    start: int
    end: int
    continues: bool
    closed: bool


def quotation_runs(text: str, mask: bytearray) -> list[Quotation]:
    """The runs of ``mask`` (see :func:`quote_mask`), each cut at line breaks."""
    out: list[Quotation] = []
    n = len(text)
    i = 0
    open_before = False  # the last quotation ran to the end of its paragraph unclosed
    while i < n:
        if not mask[i] or text[i] == "\n":
            i += 1
            continue
        j = i
        while j < n and mask[j] and text[j] != "\n":
            j += 1
        end = j
        while end > i and text[end - 1].isspace():
            end -= 1
        if end > i:
            closed = text[end - 1] in "”\"’'" and end - 1 > i
            line_start = text.rfind("\n", 0, i) + 1
            starts_line = text[line_start:i].strip() == ""
            out.append(Quotation(i, end, open_before and starts_line, closed))
            open_before = not closed and (j >= n or text[j] == "\n")
        i = j
    return out
