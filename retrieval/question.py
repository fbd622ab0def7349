"""Validate and normalise a question before it reaches a retriever."""

from __future__ import annotations

import re
import unicodedata

MAX_QUESTION_CHARS = 1000  # documented limit; a question is a sentence or two, not a document
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class QuestionError(ValueError):
    """The question cannot be searched; the message says why in plain words."""


def clean_question(question: object, max_chars: int = MAX_QUESTION_CHARS) -> str:
    """NFC-normalised question with control characters removed, lone surrogates replaced by
    U+FFFD and whitespace collapsed.

    Raises :class:`QuestionError` for a non-string, an empty or whitespace-only question, or
    one longer than ``max_chars`` characters.
    """
    if not isinstance(question, str):
        raise QuestionError("the question must be text")
    if len(question) > max_chars * 4:  # refuse before doing any work on a huge input
        raise QuestionError(f"the question is too long ({len(question)} characters; limit {max_chars})")
    # Lone surrogates (undecodable bytes from a command line, or "\\ud800" in JSON) become
    # U+FFFD: no tokenizer or UTF-8 writer downstream has to cope with them.
    question = question.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    text = _CONTROL.sub(" ", unicodedata.normalize("NFC", question))
    text = " ".join(text.split())
    if not text:
        raise QuestionError("the question is empty")
    if len(text) > max_chars:
        raise QuestionError(f"the question is too long ({len(text)} characters; limit {max_chars})")
    return text
