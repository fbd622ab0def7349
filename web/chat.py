"""The Gradio 6 web chat: one ChatInterface over an Answerer, API endpoint ``/chat``.

Answers carry inline ``[n]`` markers; a collapsed "Sources" message lists each citation with
title, outlet, date, speaker and quote, and can show the quote highlighted in its passage.
All retrieved text is made inert by web/markup.py before Gradio renders it. The chat's history
goes to the answerer, so a follow-up ("what did they say about GPs?") is answered as the
standalone question it stands for, shown as "Answering: …".
"""

from __future__ import annotations

from typing import Any

import gradio as gr

from retrieval.answer import Answerer
from retrieval.history import MAX_ANSWER_CHARS, MAX_HISTORY_MESSAGES, ROLES, HistoryError, content_text, plain_text
from retrieval.question import MAX_QUESTION_CHARS, QuestionError
from web.inputs import NOT_TEXT, has_lone_surrogates
from web.markup import answer_messages, inert

DEFAULT_EXAMPLES = (
    "Who opposed hospital-led integrated care organisations?",
    "How will Labour pay for the new home care workers?",
    "What did the NHS Confederation say about Burnham's speech?",
)

CHAT_CSS = """
.dqa-source { margin: 0 0 0.9em 0; }
.dqa-source p { margin: 0 0 0.3em 0; }
.dqa-source blockquote { margin: 0.2em 0 0.3em 0; padding-left: 0.7em; border-left: 3px solid #d0d7de; }
.dqa-byline, .dqa-speaker, .dqa-stance, .dqa-where { font-size: 0.9em; opacity: 0.8; }
.dqa-passage mark { background: #fff3a3; color: inherit; padding: 0 0.1em; }
.dqa-source summary { cursor: pointer; }
"""


# Gradio labels each message row with its markdown source (aria-label "bot's message: " + the
# content), which for an answer is character references ("hospital&#45;led") and "**". Screen
# readers read that label instead of the message. Relabel each row with the text it shows.
CHAT_JS = """
() => {
  const relabel = () => {
    for (const row of document.querySelectorAll('[data-testid="bot"][aria-label], [data-testid="user"][aria-label]')) {
      const who = row.getAttribute("data-testid") === "user" ? "user" : "bot";
      const text = (row.innerText || row.textContent || "").replace(/\\s+/g, " ").trim();
      const label = `${who}'s message: ${text}`;
      if (row.getAttribute("aria-label") !== label) row.setAttribute("aria-label", label);
    }
  };
  let pending = false;
  const schedule = () => {
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => { pending = false; relabel(); });
  };
  new MutationObserver(schedule).observe(document.body, {
    subtree: true, childList: true, characterData: true, attributes: true, attributeFilter: ["aria-label", "open"],
  });
  relabel();
}
"""


def chat_history(history: list[dict[str, Any]] | None) -> list[dict[str, str]]:
    """Gradio's history (messages format, content as lists of parts) as the answerer takes it:
    the last turns' questions and answers as plain text.

    "Sources" and "May be related" messages (a metadata title) carry nothing a follow-up
    refers to and are dropped; answers are read back from their rendering (retrieval.history.
    plain_text). Unreadable messages and questions over the length limit (they were refused)
    are left out, so a chat's own history never makes a question fail.
    """
    messages = []
    for m in history or []:
        if not isinstance(m, dict) or m.get("role") not in ROLES or (m.get("metadata") or {}).get("title"):
            continue
        try:
            text = content_text(m.get("content"))
        except HistoryError:
            continue
        if m["role"] == "assistant":
            text = plain_text(text)[:MAX_ANSWER_CHARS]
        elif len(text) > MAX_QUESTION_CHARS or has_lone_surrogates(text):
            continue
        # A question of control characters only was refused with a message; it is not a turn.
        if "".join(ch for ch in text if ch.isprintable()).strip():
            messages.append({"role": m["role"], "content": text})
    return messages[-MAX_HISTORY_MESSAGES:]


def make_respond(answerer: Answerer):
    """The chat handler: ``(message, history) -> list[gr.ChatMessage]``.

    ``history`` (Gradio messages format) is passed to the answerer as :func:`chat_history`, so
    follow-ups are rewritten into standalone questions. A bad question (empty, too long)
    becomes a readable assistant message instead of an error.
    """

    def respond(message: str, history: list[dict[str, Any]]) -> list[gr.ChatMessage]:
        try:
            if has_lone_surrogates(message):
                raise QuestionError(NOT_TEXT)
            earlier = chat_history(history)
            answer = answerer.ask(message, earlier) if earlier else answerer.ask(message)
        except (QuestionError, HistoryError) as exc:
            return [gr.ChatMessage(role="assistant", content=f"Sorry, I cannot answer that: {inert(str(exc))}.")]
        return [
            gr.ChatMessage(role="assistant", content=m["content"], metadata=m["metadata"])
            for m in answer_messages(answer)
        ]

    return respond


def build_chat(answerer: Answerer, examples: tuple[str, ...] = DEFAULT_EXAMPLES,
               title: str = "debate-qa", queue_size: int = 64, concurrency: int = 1) -> gr.ChatInterface:
    """The chat Blocks (not launched, not mounted). No uploads, flagging, sharing or analytics.

    ``queue_size``: questions Gradio's queue holds before it answers "queue is full";
    ``concurrency``: questions answered at the same time (answering is CPU-bound).
    """
    chatbot = gr.Chatbot(
        label="debate-qa",
        show_label=False,
        height="65vh",
        sanitize_html=True,
        allow_tags=False,
        latex_delimiters=[],  # "$" in a quote must stay a dollar sign
        render_markdown=True,
        line_breaks=True,
        # No copy buttons: they copy the message source, where retrieved text is character
        # references; selecting the text copies what is shown.
        buttons=[],
        group_consecutive_messages=True,
        placeholder="Ask who said what in the debate. Every answer quotes its sources verbatim.",
    )
    textbox = gr.Textbox(
        show_label=False,
        label="Question",
        placeholder="Ask a question about the debate…",
        lines=1,
        max_lines=4,
        scale=7,
        autofocus=True,
        submit_btn="Ask",
    )
    chat = gr.ChatInterface(
        make_respond(answerer),
        chatbot=chatbot,
        textbox=textbox,
        multimodal=False,
        examples=list(examples) or None,
        run_examples_on_click=True,
        cache_examples=False,
        title=title,
        description=(
            "Answers quote the sources word for word, with [n] markers. "
            "Open Sources under an answer to see who said it, where and when, "
            "and the quote highlighted in its passage."
        ),
        flagging_mode="never",
        analytics_enabled=False,
        save_history=False,
        api_name="chat",
        api_description="Ask a question; returns the answer message and its Sources message.",
        fill_height=True,
    )
    chat.queue(max_size=queue_size, default_concurrency_limit=concurrency)
    return chat
