"""Turn answers and citations into chat-message markup. Retrieved text is data, never markup.

Gradio renders a chat message as markdown and then as (sanitised) HTML. Retrieved text goes
through :func:`inert` first: every ASCII punctuation character becomes a numeric character
reference, so the text shows exactly as written but can form no HTML tag, markdown link or
image, autolink, emphasis, heading or list. (CommonMark never lets a character reference
stand in for syntax.) The only markup in a message is what this module writes.
"""

from __future__ import annotations

import re
import string
from typing import Iterable

from retrieval.answer import Answer, Citation
from retrieval.hit import Hit

_PUNCTUATION = frozenset(string.punctuation)
_LIST_ITEM = re.compile(r"^(\s*)([-*+]|\d{1,3}[.)])\s+(.*)$")
_BOLD = re.compile(r"(?<!\\)\*\*")
_ESCAPED = re.compile(r"\\([!-/:-@\[-`{-~])")
EXCERPT_CHARS = 280


def inert(text: str) -> str:
    """``text`` as markdown/HTML that renders to the same characters and nothing else."""
    return "".join(f"&#{ord(c)};" if c in _PUNCTUATION else c for c in text)


def inert_block(text: str) -> str:
    """:func:`inert` with line breaks as ``<br>``, for use inside an HTML element.

    No raw newline survives, so a blank line in the source cannot end the HTML block early.
    """
    return "<br>".join(inert(line) for line in text.replace("\r\n", "\n").split("\n"))


def answer_markdown(answer: str) -> str:
    """The answer's lists and bold kept, every other character made inert.

    The composer backslash-escapes the source text it quotes (retrieval.answer.md), so an
    unescaped ``**`` pair is its own emphasis (an actor's name); bullets (``-``, ``*``, ``+``)
    and numbered items keep their meaning too. Everything else, ``[n]`` markers included, is
    unescaped to the characters the composer meant and then made inert, so even an answer that
    failed to escape its quotes could not render a link or a tag.
    """
    lines = []
    for line in answer.replace("\r\n", "\n").split("\n"):
        m = _LIST_ITEM.match(line)
        if m:
            indent, marker, rest = m.groups()
            marker = "-" if marker in "-*+" else marker[:-1] + "."
            lines.append(f"{' ' * min(len(indent), 8)}{marker} {_inline(rest)}")
        else:
            lines.append(_inline(line.strip()))
    return "\n".join(lines)


def _inline(text: str) -> str:
    """One line of composer markdown as inert text, keeping balanced ``**`` bold."""
    parts = _BOLD.split(text)
    if len(parts) % 2 == 0:  # an unpaired ** is shown, not interpreted
        parts = [text]
    out = []
    for i, part in enumerate(parts):
        literal = inert(_ESCAPED.sub(r"\1", part))
        out.append(f"**{literal}**" if i % 2 else literal)
    return "".join(out)


def highlighted_passage(context: str, context_start: int, start: int, end: int) -> str:
    """The passage with ``document[start:end]`` wrapped in ``<mark>``; offsets are document
    character offsets and ``context == document[context_start:context_start + len(context)]``.

    Out-of-range offsets are clamped, so a bad span shows the passage without a mark rather
    than failing.
    """
    s = min(max(start - context_start, 0), len(context))
    e = min(max(end - context_start, s), len(context))
    if s == e:
        return inert_block(context)
    return f"{inert_block(context[:s])}<mark>{inert_block(context[s:e])}</mark>{inert_block(context[e:])}"


def byline(outlet: str | None, published: str | None) -> str:
    return " · ".join(inert(x) for x in (outlet, published) if x)


def speaker_line(c: Citation) -> str:
    """``Name (role, organisation)``; empty when the source names no speaker or organisation."""
    who = c.speaker or c.organisation
    if not who:
        return ""
    extra = [x for x in (c.role, c.organisation if c.speaker else None) if x]
    text = f"{who} ({', '.join(extra)})" if extra else who
    return inert(text)


def citation_html(c: Citation) -> str:
    """One citation: title, outlet and date, speaker, the quote, and the quote in its passage."""
    head = [f"<strong>&#91;{c.n}&#93; {inert(c.title or c.source)}</strong>"]
    if byline(c.outlet, c.published):
        head.append(f'<span class="dqa-byline">{byline(c.outlet, c.published)}</span>')
    if speaker_line(c):
        head.append(f'<span class="dqa-speaker">Speaker: {speaker_line(c)}</span>')
    if c.stance:
        head.append(f'<span class="dqa-stance">Stance: {inert(c.stance)}</span>')
    head.append(f'<span class="dqa-where">{inert(c.source)} &#91;{c.start}&#8211;{c.end}&#41;</span>')
    passage = highlighted_passage(c.context, c.context_start, c.start, c.end)
    return (
        f'<div class="dqa-source"><p>{"<br>".join(head)}</p>'
        f"<blockquote>{inert_block(c.quote)}</blockquote>"
        f"<details><summary>Show the quote in its passage</summary>"
        f'<p class="dqa-passage">{passage}</p></details></div>'
    )


def sources_html(citations: Iterable[Citation]) -> str:
    """All citations as one HTML block on a single line (a blank line would end the block)."""
    return "".join(citation_html(c) for c in citations)


def related_html(hits: Iterable[Hit]) -> str:
    """Passages shown when the answerer abstains: title, outlet and date, and an excerpt."""
    items = []
    for h in hits:
        text = " ".join(h.text.split())
        if len(text) > EXCERPT_CHARS:
            text = text[: text.rfind(" ", 0, EXCERPT_CHARS)] + " …"
        line = byline(h.outlet, h.published)
        items.append(
            f'<div class="dqa-source"><p><strong>{inert(h.title or h.source)}</strong>'
            + (f'<br><span class="dqa-byline">{line}</span>' if line else "")
            + f"</p><blockquote>{inert(text)}</blockquote></div>"
        )
    return "".join(items)


def answer_messages(answer: Answer) -> list[dict]:
    """Chat messages for one answer: the answer, then collapsed "Sources" (or "May be related").

    Each message is a ``{"role", "content", "metadata"}`` dict (Gradio's messages format).
    """
    messages = [{"role": "assistant", "content": answer_markdown(answer.answer), "metadata": {}}]
    if answer.citations:
        messages.append({
            "role": "assistant",
            "content": sources_html(answer.citations),
            "metadata": {"title": f"Sources ({len(answer.citations)})", "status": "done"},
        })
    if answer.related:
        messages.append({
            "role": "assistant",
            "content": related_html(answer.related),
            "metadata": {"title": f"May be related ({len(answer.related)})", "status": "done"},
        })
    return messages
