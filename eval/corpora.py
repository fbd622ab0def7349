"""The eval corpora: each a folder of documents with its own question set and stance labels.

``python -m eval`` measures the product on every corpus here, side by side, and each is indexed
exactly as a user's folder would be (``index.corpus.load_corpus`` + ``index.build``). A corpus
whose folder is generated (PolNeAR dev, whose articles may not be committed) has a ``prepare``
step that writes it first; it is idempotent.

``CORPORA`` maps a name to an :class:`EvalCorpus`; :func:`selected` turns the ``--corpus`` flag
(a name or ``all``) into the list to run, in registry order.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from eval.questions import POLNEAR_QUESTIONS, QUESTIONS

DATA = Path(__file__).parent / "data"


def _nhs_dir() -> Path:
    from index.paths import default_corpus_dir

    return Path(default_corpus_dir())


def _polnear_dir() -> Path:
    from eval.polnear_corpus import write_corpus

    return write_corpus("dev")


@dataclass(frozen=True)
class EvalCorpus:
    """``directory()`` returns the corpus folder, writing it first if it is generated;
    ``questions`` and ``stance`` are the committed question set and stance labels."""

    name: str
    directory: Callable[[], Path]
    questions: Path
    stance: Path

    def label(self) -> str:
        return self.name


CORPORA: dict[str, EvalCorpus] = {
    "nhs": EvalCorpus("nhs", _nhs_dir, QUESTIONS, DATA / "stance.jsonl"),
    "polnear-dev": EvalCorpus("polnear-dev", _polnear_dir, POLNEAR_QUESTIONS, DATA / "polnear" / "stance.jsonl"),
}
CHOICES = (*CORPORA, "all")


def selected(choice: str = "all") -> list[EvalCorpus]:
    """The corpora ``--corpus`` names: one, or all of them in registry order."""
    if choice == "all":
        return list(CORPORA.values())
    if choice not in CORPORA:
        raise ValueError(f"unknown corpus {choice!r}; choose one of {', '.join(CHOICES)}")
    return [CORPORA[choice]]
