"""The dialogue set: follow-up questions with gold evidence spans, validated against a corpus.

Each record is a short conversation of the user's questions only (``turns``, two or three),
the last turn written as a person would ask it on its own (``standalone``), the kind of
reference the last turn leans on (``phenomenon``) and the spans that answer the last turn.
The eval asks the turns in order, feeding the product's answers back as history, and compares
what the follow-up cites with what ``standalone`` cites.

Two files, one per corpus: ``data/dialogues.jsonl`` (the NHS corpus; gold spans carry their
text) and ``data/polnear/dialogues.jsonl`` (PolNeAR dev; gold spans carry a digest, since the
articles may not be copied here, see :mod:`eval.spans`). ``data/make_dialogues.py`` writes both
from quote-based sources under ``var/authoring/``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from eval.questions import GoldMismatch, Span
from eval.spans import SpanMismatch, span_text
from index.corpus import Corpus

DATA = Path(__file__).parent / "data"
DIALOGUES = {"nhs": DATA / "dialogues.jsonl", "polnear-dev": DATA / "polnear" / "dialogues.jsonl"}
PHENOMENA = ("pronoun", "ellipsis_who", "what_about", "ellipsis_place_time", "why")
MIN_TURNS, MAX_TURNS = 2, 3


@dataclass(frozen=True)
class Dialogue:
    id: str
    corpus: str
    turns: tuple[str, ...]
    standalone: str
    phenomenon: str
    gold: tuple[Span, ...]

    @property
    def follow_up(self) -> str:
        """The last turn: the question whose answer is scored."""
        return self.turns[-1]

    @property
    def history(self) -> tuple[str, ...]:
        """The turns before the last."""
        return self.turns[:-1]


def _texts(corpus: Corpus | Mapping[str, str]) -> dict[str, str]:
    if isinstance(corpus, Corpus):
        return {d.source: d.text for d in corpus.documents}
    return dict(corpus)


def load_dialogues(corpus: Corpus | Mapping[str, str], path: Path | str) -> list[Dialogue]:
    """Read a dialogue file and check every gold span against ``corpus`` at its offsets.

    ``corpus`` is a loaded :class:`index.corpus.Corpus` or ``{source: text}``. A gold span is
    checked by its ``text`` (NHS) or its ``sha1`` (PolNeAR); :class:`Span` always carries the
    corpus text. Raises :class:`eval.questions.GoldMismatch` naming the dialogue on a span that
    does not match, a malformed record, an unknown phenomenon or a repeated id.
    """
    texts = _texts(corpus)
    path = Path(path)
    dialogues: list[Dialogue] = []
    seen: set[str] = set()
    with open(path, encoding="utf-8") as f:
        for lineno, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
            except json.JSONDecodeError as exc:
                raise GoldMismatch(f"{path.name} line {lineno}: invalid JSON: {exc}") from exc
            did = rec.get("id") or f"{path.name} line {lineno}"
            if did in seen:
                raise GoldMismatch(f"{did}: duplicate dialogue id in {path}")
            seen.add(did)
            turns = rec.get("turns")
            if not (isinstance(turns, list) and MIN_TURNS <= len(turns) <= MAX_TURNS
                    and all(isinstance(t, str) and t.strip() for t in turns)):
                raise GoldMismatch(f"{did}: turns must be {MIN_TURNS}-{MAX_TURNS} non-empty questions")
            for field in ("corpus", "standalone", "phenomenon"):
                if not (isinstance(rec.get(field), str) and rec[field].strip()):
                    raise GoldMismatch(f"{did}: missing {field}")
            if rec["phenomenon"] not in PHENOMENA:
                raise GoldMismatch(f"{did}: unknown phenomenon {rec['phenomenon']!r}")
            gold = rec.get("gold")
            if not (isinstance(gold, list) and gold):
                raise GoldMismatch(f"{did}: no gold spans")
            spans = []
            for item in gold:
                try:
                    text = span_text(item, texts, where=did)
                except SpanMismatch as exc:
                    raise GoldMismatch(str(exc)) from exc
                spans.append(Span(item["source"], item["start"], item["end"], text))
            dialogues.append(Dialogue(did, rec["corpus"], tuple(turns), rec["standalone"],
                                      rec["phenomenon"], tuple(spans)))
    return dialogues
