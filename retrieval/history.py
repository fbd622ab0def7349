"""A chat history, validated and normalised: the turns before a follow-up question.

History arrives as a list of messages ``{"role": "user" | "assistant", "content": ...}``: the
messages format of Gradio and of OpenAI-style chat APIs. ``content`` is a string, or Gradio's
list of parts (``[{"type": "text", "text": "..."}]``). An assistant message holds the answer
as the client got it: the answer's markdown (the JSON API, the widget, the CLI), the chat's
rendering of it (every punctuation mark a character reference), or plain text.
:func:`plain_text` reads all three.

Limits (so a history costs a bounded amount of work and memory): at most
:data:`MAX_HISTORY_MESSAGES` messages, a user message at most ``MAX_QUESTION_CHARS`` like the
question itself, an assistant message at most :data:`MAX_ANSWER_CHARS`. Text is cleaned by the
question's rules (NFC, control characters and lone surrogates replaced), keeping line breaks.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from retrieval.question import MAX_QUESTION_CHARS

MAX_HISTORY_MESSAGES = 12  # the last six question-and-answer turns
MAX_ANSWER_CHARS = 8000  # the longest composed answer is about 4,000 characters
ROLES = ("user", "assistant")
MAX_PARTS = 16  # parts of one message content (Gradio sends one text part per message)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_CHAR_REF = re.compile(r"&#(?:\d{1,7}|x[0-9a-fA-F]{1,6});")
_MD_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")


class HistoryError(ValueError):
    """The history cannot be used; the message says which message and why, in plain words."""


@dataclass(frozen=True)
class Message:
    """One cleaned message: ``role`` is "user" or "assistant", ``content`` plain text."""

    role: str
    content: str

    def to_json(self) -> dict[str, str]:
        return {"role": self.role, "content": self.content}


@dataclass(frozen=True)
class Turn:
    """A user question and the assistant's reply to it ("" if none came)."""

    question: str
    answer: str


def clean_history(history: object) -> tuple[Message, ...]:
    """The validated messages of ``history`` (None or a list of message dicts / Messages).

    Raises :class:`HistoryError` for a non-list, too many messages, a message that is not an
    object with a known role and text content, or a content that is empty or too long.
    """
    if history is None:
        return ()
    if not isinstance(history, (list, tuple)):
        raise HistoryError("the history must be a list of messages")
    if len(history) > MAX_HISTORY_MESSAGES:
        raise HistoryError(f"the history has {len(history)} messages; the limit is {MAX_HISTORY_MESSAGES} "
                           f"(send the last turns only)")
    return tuple(_message(item, i) for i, item in enumerate(history))


def _message(item: object, i: int) -> Message:
    where = f"history[{i}]"
    if isinstance(item, Message):
        role, content = item.role, item.content
    elif isinstance(item, dict):
        role, content = item.get("role"), item.get("content")
    else:
        raise HistoryError(f'{where} must be an object {{"role": ..., "content": ...}}')
    if role not in ROLES:
        raise HistoryError(f'{where}.role must be "user" or "assistant"')
    text = content_text(content, where)
    limit = MAX_QUESTION_CHARS if role == "user" else MAX_ANSWER_CHARS
    if len(text) > limit * 4:  # refuse before doing any work on a huge input
        raise HistoryError(f"{where}.content is too long ({len(text)} characters; limit {limit})")
    text = clean_text(text)
    if not text:
        raise HistoryError(f"{where}.content is empty")
    if len(text) > limit:
        raise HistoryError(f"{where}.content is too long ({len(text)} characters; limit {limit})")
    return Message(role, text)


def content_text(content: Any, where: str = "content") -> str:
    """The text of a message content: a string, or a list of parts whose text parts are joined
    by newlines (Gradio's ``{"type": "text", "text": ...}``; other parts such as files are
    skipped). Raises :class:`HistoryError` for anything else."""
    if isinstance(content, str):
        return content
    if isinstance(content, (list, tuple)) and len(content) <= MAX_PARTS:
        texts = []
        for part in content:
            kind = part.get("type", "text") if isinstance(part, dict) else None
            if isinstance(part, str):
                texts.append(part)
            elif kind == "text" and isinstance(part.get("text"), str):
                texts.append(part["text"])
            elif kind == "text" or not isinstance(kind, str):
                raise HistoryError(f"{where}.content must be text or a list of text parts")
            # other parts (files, images, components) carry nothing to resolve a question against
        return "\n".join(texts)
    raise HistoryError(f"{where}.content must be text or a list of text parts")


def clean_text(text: str) -> str:
    """NFC text with lone surrogates as U+FFFD, control characters as spaces, spaces collapsed
    within each line and blank lines dropped (an answer's lines are kept: they are its list)."""
    text = text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    text = _CONTROL.sub(" ", unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n")))
    return "\n".join(line for line in (" ".join(x.split()) for x in text.split("\n")) if line)


def plain_text(content: str) -> str:
    """What a reader sees of an assistant message: character references decoded (the chat's
    rendering) or markdown backslash escapes removed (the answer's markdown)."""
    if _CHAR_REF.search(content):
        return html.unescape(content)
    return _MD_ESCAPE.sub(r"\1", content)


def turns(messages: tuple[Message, ...] | list[Message]) -> list[Turn]:
    """User questions paired with the assistant text that follows each (consecutive assistant
    messages are joined). Assistant messages before the first question are ignored."""
    out: list[Turn] = []
    for m in messages:
        if m.role == "user":
            out.append(Turn(m.content, ""))
        elif out:
            last = out[-1]
            out[-1] = Turn(last.question, (last.answer + "\n" + plain_text(m.content)).strip())
    return out
