"""python -m index attribute FILE... [--jsonl] [--sentences]

How a user checks attribution on their own documents: every attributed span of each file,
with its speaker, organisation, role and kind, as a readable list; or, with ``--jsonl``, JSON
lines ``{"id", "text"}`` read on stdin and one line ``{"id", "spans": [...]}`` written per input.
``text[start:end]`` is each span exactly. Files are read as the corpus reads them (UTF-8, HTML
turned into text), so offsets are those the index uses.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any, TextIO

from index.attribution.attributor import Attributor
from index.attribution.records import DocumentAttribution, Span

SPAN_FIELDS = ("start", "end", "speaker", "organisation", "role", "kind")


def span_json(span: Span) -> dict[str, Any]:
    return {k: getattr(span, k) for k in SPAN_FIELDS}


def format_document(name: str, text: str, result: DocumentAttribution, width: int = 100) -> str:
    """A readable list of a document's attributed spans."""
    lines = [f"== {name}: {len(result.spans)} attributed spans"]
    for s in result.spans:
        who = s.speaker or "—"
        extra = ", ".join(x for x in (s.role, s.organisation) if x)
        head = f"[{s.start}:{s.end}] {s.kind:<8} {who}" + (f" ({extra})" if extra else "")
        quote = " ".join(text[s.start:s.end].split())
        if len(quote) > width:
            quote = quote[: width - 1] + "…"
        lines += [head, f"    {quote}"]
    return "\n".join(lines)


def read_file(path: Path) -> str:
    from index.corpus import _decode

    return _decode(path, path.read_bytes())[0]


def run_files(paths: list[Path], attributor: Attributor, out: TextIO) -> int:
    texts = []
    for p in paths:
        try:
            texts.append(read_file(p))
        except (OSError, ValueError) as exc:
            print(f"error: {p}: {exc}", file=sys.stderr)
            return 2
    for path, text, result in zip(paths, texts, attributor.attribute(texts)):
        print(format_document(str(path), text, result), file=out)
    return 0


def run_jsonl(stdin: TextIO, attributor: Attributor, out: TextIO, batch: int = 32) -> int:
    """One output line per input line; a bad line gets ``{"id", "error"}`` and the rest go on."""
    pending: list[tuple[Any, str]] = []
    status = 0

    def flush() -> None:
        for (rid, text), result in zip(pending, attributor.attribute([t for _, t in pending])):
            out.write(json.dumps({"id": rid, "spans": [span_json(s) for s in result.spans]}, ensure_ascii=False) + "\n")
        pending.clear()

    for lineno, line in enumerate(stdin, 1):
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
            if not isinstance(rec, dict) or not isinstance(rec.get("text"), str):
                raise ValueError('expected an object {"id": ..., "text": "..."}')
        except ValueError as exc:
            flush()
            out.write(json.dumps({"id": None, "error": f"line {lineno}: {exc}"}) + "\n")
            status = 1
            continue
        pending.append((rec.get("id"), rec["text"]))
        if len(pending) >= batch:
            flush()
    flush()
    return status
