"""What attribution produces: who speaks in each sentence, and each attributed span.

Both are frozen dataclasses that become JSON. Offsets are document offsets, end exclusive:
``text[start:end]`` is the sentence, the quotation or the mention, exactly.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

KINDS = ("quote", "reported", "tweet", "comment")


@dataclass(frozen=True)
class Attribution:
    """Who speaks in the sentence ``text[start:end]``.

    ``speaker``: one person (never a list); ``organisation`` and ``role`` as the text gives
    them; ``kind``: "quote" (direct speech), "tweet", "comment" (a reader's) or "reported"
    (indirect speech). All None when the sentence is nobody's reported speech. ``speaker`` is
    None while ``organisation`` is set when only an organisation speaks.
    """

    start: int
    end: int
    speaker: str | None = None
    organisation: str | None = None
    role: str | None = None
    kind: str | None = None
    entry_time: str | None = None

    @property
    def attributed(self) -> bool:
        return bool(self.speaker or self.organisation)

    def row(self) -> list:
        """The compact form stored in passage metadata: [start, end, speaker, organisation, role, kind]."""
        return [self.start, self.end, self.speaker, self.organisation, self.role, self.kind]


@dataclass(frozen=True)
class Span:
    """One attributed span: a quotation (marks included) or a sentence of reported speech.

    ``mention`` and ``cue`` are the (start, end) of the words that name the source and that
    mark the speech ("said", "according to"), when the span has its own; a quotation that
    continues an earlier one, or a reader's comment, has neither.
    """

    start: int
    end: int
    speaker: str | None
    organisation: str | None
    role: str | None
    kind: str
    mention: tuple[int, int] | None = None
    cue: tuple[int, int] | None = None

    def to_json(self) -> dict[str, Any]:
        out = dataclasses.asdict(self)
        out["mention"] = list(self.mention) if self.mention else None
        out["cue"] = list(self.cue) if self.cue else None
        return out

    @classmethod
    def from_json(cls, obj: dict[str, Any]) -> Span:
        return cls(int(obj["start"]), int(obj["end"]), obj.get("speaker"), obj.get("organisation"),
                   obj.get("role"), str(obj["kind"]),
                   tuple(obj["mention"]) if obj.get("mention") else None,
                   tuple(obj["cue"]) if obj.get("cue") else None)


@dataclass(frozen=True)
class DocumentAttribution:
    """A document's attribution: one :class:`Attribution` per sentence in order, and its
    attributed :class:`Span` list in order of start."""

    sentences: tuple[Attribution, ...]
    spans: tuple[Span, ...]

    def to_json(self) -> dict[str, Any]:
        return {"sentences": [[*a.row(), a.entry_time] for a in self.sentences],
                "spans": [s.to_json() for s in self.spans]}

    @classmethod
    def from_json(cls, obj: dict[str, Any]) -> DocumentAttribution:
        sentences = tuple(Attribution(int(r[0]), int(r[1]), r[2], r[3], r[4], r[5], r[6] if len(r) > 6 else None)
                          for r in obj["sentences"])
        return cls(sentences, tuple(Span.from_json(s) for s in obj["spans"]))
