"""Find the sections of a document: live-blog entries ("5.20pm ...") and reader comments.

A section is a half-open character range ``[start, end)`` of the document text plus its lead:
the first line, which in live blogs and comment threads usually names who is speaking.
Documents without such markers are a single section with no lead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# "5.20pm", "11.08am:", "10:45 am" at the start of a line.
ENTRY_TIME = re.compile(r"^[ \t]*(\d{1,2}[.:]\d{2}\s?[ap]m)\b:?", re.IGNORECASE | re.MULTILINE)
# "  1. Brian Fisher says:" or "Richard says:" alone on a line (comment threads, nested replies).
COMMENT_HEAD = re.compile(r"^[ \t]*(?:\d+\.[ \t]+)?([^\n]{1,80}?)[ \t]+says:[ \t]*$", re.MULTILINE)
LEAD_CHARS = 200


@dataclass(frozen=True)
class Section:
    start: int
    end: int
    lead: str | None = None
    time: str | None = None
    commenter: str | None = None


def find_sections(text: str) -> list[Section]:
    """Sections covering ``text`` from the first marker on; text before it is its own section."""
    # start -> (entry time, commenter); one line can be both ("5.20pm Jane says:").
    found: dict[int, tuple[str | None, str | None]] = {}
    for m in ENTRY_TIME.finditer(text):
        found[m.start()] = (m.group(1), None)
    for m in COMMENT_HEAD.finditer(text):
        time = found.get(m.start(), (None, None))[0]
        found[m.start()] = (time, m.group(1).strip())
    marks = [(start, time, who) for start, (time, who) in sorted(found.items())]
    if not marks:
        return [Section(0, len(text))]
    sections = []
    if marks[0][0] > 0:
        sections.append(Section(0, marks[0][0]))
    for i, (start, time, commenter) in enumerate(marks):
        end = marks[i + 1][0] if i + 1 < len(marks) else len(text)
        sections.append(Section(start, end, _lead(text, start, end), time, commenter))
    return sections


def _lead(text: str, start: int, end: int) -> str:
    line = text[start:end].strip().split("\n", 1)[0].strip()
    if len(line) <= LEAD_CHARS:
        return line
    cut = line.rfind(" ", 0, LEAD_CHARS)
    return line[: cut if cut > 0 else LEAD_CHARS] + " …"
