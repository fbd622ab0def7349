"""The eval question sets: questions with gold evidence spans, validated against the corpus.

Two sets exist. ``data/questions.jsonl`` is written against the NHS corpus (``../shared/corpus``)
and stores each gold span's text beside its offsets. ``data/polnear/questions.jsonl`` is written
against the PolNeAR dev articles (``var/corpora/polnear-dev``), whose text may not be copied into
the repository, so its gold spans carry a digest instead (see :mod:`eval.spans`). Both load the
same way; the text of every span is taken from the corpus and checked.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from eval.spans import SpanMismatch, span_text
from index.corpus import Corpus

QUESTIONS = Path(__file__).parent / "data" / "questions.jsonl"
POLNEAR_QUESTIONS = Path(__file__).parent / "data" / "polnear" / "questions.jsonl"
KINDS = ("factual", "who", "what_said", "reaction", "paraphrase", "comment_or_tweet", "unanswerable")
STANCES = ("supports", "opposes", "mixed", "neutral")
NUMBER_FORMS = ("words", "figures")


class GoldMismatch(Exception):
    """A gold span's text is not what the corpus holds at its offsets (or a record is malformed)."""


@dataclass(frozen=True)
class Span:
    source: str
    start: int
    end: int
    text: str
    actor: str | None = None  # who-questions: who speaks in this span ("Mike Pence", "Clinton campaign")
    stance: str | None = None  # who-questions with a polarity: the actor's stance toward the proposition


@dataclass(frozen=True)
class Question:
    id: str
    question: str
    kind: str
    gold: tuple[Span, ...]
    proposition: str | None = None  # who-questions: what the stances are about
    number: str | None = None  # factual questions whose answer is a number: "words" or "figures"

    @property
    def answerable(self) -> bool:
        return bool(self.gold)

    @property
    def actors(self) -> tuple[str, ...]:
        """The distinct actors of the gold spans, in order of first appearance."""
        return tuple(dict.fromkeys(g.actor for g in self.gold if g.actor))


def load_questions(corpus: Corpus, path: Path = QUESTIONS) -> list[Question]:
    """Read a question set and check every gold span against the corpus text at its offsets.

    A gold item is ``{"source", "start", "end"}`` plus either ``"text"`` (the span as written) or
    ``"sha1"`` (its digest); optional ``"actor"`` and ``"stance"``. Any mismatch, unknown kind or
    stance, or repeated id raises :class:`GoldMismatch` naming the question id.
    """
    texts = {d.source: d.text for d in corpus.documents}
    questions = []
    with open(path, encoding="utf-8") as f:
        for lineno, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
            except json.JSONDecodeError as exc:
                raise GoldMismatch(f"{path} line {lineno}: invalid JSON: {exc}") from exc
            questions.append(_question(rec, texts, f"{path} line {lineno}"))
    ids = [q.id for q in questions]
    if len(set(ids)) != len(ids):
        raise GoldMismatch(f"duplicate question ids in {path}")
    return questions


def _question(rec: dict, texts: dict[str, str], where: str) -> Question:
    qid = rec.get("id") or where
    if rec.get("kind") not in KINDS:
        raise GoldMismatch(f"{qid}: unknown kind {rec.get('kind')!r}")
    if rec.get("number") is not None and rec["number"] not in NUMBER_FORMS:
        raise GoldMismatch(f"{qid}: number must be one of {NUMBER_FORMS}, not {rec['number']!r}")
    spans = []
    for item in rec.get("gold", []):
        try:
            text = span_text(item, texts, qid)
        except SpanMismatch as exc:
            raise GoldMismatch(str(exc)) from exc
        stance = item.get("stance")
        if stance is not None and stance not in STANCES:
            raise GoldMismatch(f"{qid}: gold stance must be one of {STANCES}, not {stance!r}")
        spans.append(Span(item["source"], item["start"], item["end"], text, item.get("actor"), stance))
    return Question(qid, rec["question"], rec["kind"], tuple(spans), rec.get("proposition"), rec.get("number"))
