"""What make_questions.py and make_labels.py share: reading and writing their JSON-lines
files, and finding a hand-copied quote in its corpus file."""

from __future__ import annotations

import json
import os
from typing import Any, Iterator


def read_records(path: str, errors: list[str], where: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    """(id, record) for each non-blank line of a .src.jsonl file. A line that is not JSON, or
    an id seen before, is added to ``errors`` (prefixed with ``where``); a bad line is skipped,
    a repeated id still yielded. A record without an id is named by its line."""
    seen: set[str] = set()
    with open(path, encoding="utf-8") as f:
        for lineno, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
            except json.JSONDecodeError as e:
                errors.append(f"{where}line {lineno}: invalid JSON: {e}")
                continue
            rid = rec.get("id") or f"{where}line {lineno}"
            if rid in seen:
                errors.append(f"{rid}: duplicate id")
            seen.add(rid)
            yield rid, rec


def write_records(path: str, records: list[dict[str, Any]]) -> None:
    """One JSON object a line, UTF-8 as is, "\n" line ends."""
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        for rec in records:
            f.write(json.dumps(rec, ensure_ascii=False) + "\n")


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
