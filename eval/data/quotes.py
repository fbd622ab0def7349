"""Find a hand-copied quote in its corpus file: shared by make_questions.py and make_labels.py."""

from __future__ import annotations

import os


def read_source(corpus: str, source: str, cache: dict[str, str | None]) -> str | None:
    """The file's text exactly as stored (UTF-8, newlines untouched), or None if it is missing."""
    if source not in cache:
        path = os.path.join(corpus, source)
        if not os.path.isfile(path):
            cache[source] = None
        else:
            with open(path, encoding="utf-8", newline="") as fh:
                cache[source] = fh.read()
    return cache[source]


def locate(text: str, quote: str) -> tuple[int | None, str | None]:
    """(start, None) when ``quote`` occurs exactly once in ``text``, else (None, the problem)."""
    starts = []
    i = text.find(quote)
    while i != -1:
        starts.append(i)
        i = text.find(quote, i + 1)
    if not starts:
        return None, "NOT FOUND"
    if len(starts) > 1:
        return None, f"occurs {len(starts)} times"
    return starts[0], None


def resolve(corpus: str, source: str, quote: str, cache: dict[str, str | None]) -> tuple[int, int] | str:
    """``(start, end)`` of ``quote`` in ``corpus/source`` (found exactly once), else the problem."""
    text = read_source(corpus, source, cache)
    if text is None:
        return f"corpus file not found: {os.path.join(corpus, source)}"
    start, problem = locate(text, quote)
    if problem:
        return f"quote {problem} in {source}: {quote!r}"
    assert text[start : start + len(quote)] == quote
    return start, start + len(quote)
