"""The eval question set: questions with gold evidence spans, validated against the corpus."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from index.corpus import Corpus

QUESTIONS = Path(__file__).parent / "data" / "questions.jsonl"
KINDS = ("factual", "who", "paraphrase", "comment_or_tweet", "unanswerable")


class GoldMismatch(Exception):
    """A gold span's text is not what the corpus holds at its offsets."""


@dataclass(frozen=True)
class Span:
    source: str
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Question:
    id: str
    question: str
    kind: str
    gold: tuple[Span, ...]

    @property
    def answerable(self) -> bool:
        return bool(self.gold)


def load_questions(corpus: Corpus, path: Path = QUESTIONS) -> list[Question]:
    """Read the set and check every gold quote against the corpus text at its offsets."""
    texts = {d.source: d.text for d in corpus.documents}
    questions = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            rec = json.loads(line)
            spans = tuple(Span(g["source"], g["start"], g["end"], g["text"]) for g in rec["gold"])
            for span in spans:
                if span.source not in texts:
                    raise GoldMismatch(f"{rec['id']}: gold source {span.source} is not in the corpus")
                found = texts[span.source][span.start : span.end]
                if found != span.text:
                    raise GoldMismatch(
                        f"{rec['id']}: {span.source}[{span.start}:{span.end}] is {found[:60]!r}, "
                        f"gold says {span.text[:60]!r}"
                    )
            if rec["kind"] not in KINDS:
                raise GoldMismatch(f"{rec['id']}: unknown kind {rec['kind']!r}")
            questions.append(Question(rec["id"], rec["question"], rec["kind"], spans))
    ids = [q.id for q in questions]
    if len(set(ids)) != len(ids):
        raise GoldMismatch(f"duplicate question ids in {path}")
    return questions
