"""JSON API: POST /api/search, POST /api/ask, GET /healthz. Same JSON as the CLI.

Errors are ``{"error": "..."}``: 422 for a bad question or body, 413 for a body over the limit,
503 when too many requests are pending (see web/security.py), 500 for anything unexpected
(logged, no details sent).
"""

from __future__ import annotations

import logging
from typing import Any, Literal

from fastapi import APIRouter, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, ConfigDict, Field
from starlette.responses import JSONResponse

from retrieval.answer import Answerer
from retrieval.history import MAX_ANSWER_CHARS, MAX_HISTORY_MESSAGES, MAX_PARTS, HistoryError
from retrieval.question import MAX_QUESTION_CHARS, QuestionError
from retrieval.searcher import Searcher
from web.inputs import NOT_TEXT, has_lone_surrogates
from web.security import API_PREFIX, error_response

log = logging.getLogger("debateqa.web")

MAX_TOP_K = 50
_EXAMPLE = "Who opposed hospital-led integrated care organisations?"


class SearchRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    question: str = Field(description=f"the question, at most {MAX_QUESTION_CHARS} characters",
                          examples=[_EXAMPLE])
    top_k: int = Field(5, ge=1, le=MAX_TOP_K, description="how many passages to return")


class TextPart(BaseModel):
    """One part of a message content in the OpenAI / Gradio list form."""

    model_config = ConfigDict(extra="forbid")

    type: Literal["text"] = "text"
    text: str


class HistoryMessage(BaseModel):
    """One earlier message of the chat, in the messages format of Gradio and OpenAI-style APIs."""

    model_config = ConfigDict(extra="forbid")

    role: Literal["user", "assistant"]
    content: str | list[TextPart] = Field(
        description=f"text: a question (at most {MAX_QUESTION_CHARS} characters) or the answer as "
                    f"received (at most {MAX_ANSWER_CHARS}), or a list of at most {MAX_PARTS} text parts")


class AskRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    question: str = Field(description=f"the question, at most {MAX_QUESTION_CHARS} characters",
                          examples=[_EXAMPLE])
    history: list[HistoryMessage] | None = Field(
        None, max_length=MAX_HISTORY_MESSAGES,
        description=f"the chat so far, oldest first, at most {MAX_HISTORY_MESSAGES} messages (the last "
                    "turns): each question and the `answer` it got. A follow-up ('what did they say "
                    "about GPs?') is then answered as a standalone question, returned as "
                    "`standalone_question`.",
        examples=[[{"role": "user", "content": _EXAMPLE},
                   {"role": "assistant", "content": "The sources name 3 actors who opposed …"}]])

    def history_messages(self) -> list[dict[str, Any]] | None:
        if self.history is None:
            return None
        return [{"role": m.role, "content": m.content if isinstance(m.content, str)
                 else [p.model_dump() for p in m.content]} for m in self.history]


def health(searcher: Searcher) -> dict[str, Any]:
    """What /healthz reports: the loaded index's counts and the model that encodes questions."""
    manifest = searcher.index.manifest
    return {
        "status": "ok",
        "index": {
            "loaded": True,
            "passages": len(searcher.passages),
            "documents": manifest.get("counts", {}).get("documents"),
            "created_at": manifest.get("created_at"),
        },
        "model": searcher.encoder.model_id,
    }


def api_router(searcher: Searcher, answerer: Answerer) -> APIRouter:
    """Routes over an already loaded searcher and answerer (built by app.py or a test)."""
    router = APIRouter()
    status = health(searcher)

    @router.post(
        "/api/search",
        summary="Ranked passages for a question",
        description='Returns `{"question", "hits": [...]}` exactly like `python -m retrieval search '
                    '--json`. 422 `{"error"}` for an empty or too long question.',
    )
    def search(body: SearchRequest) -> Any:
        if has_lone_surrogates(body.question):
            return error_response(422, NOT_TEXT)
        try:
            hits = searcher.search(body.question, body.top_k)
        except QuestionError as exc:
            return error_response(422, str(exc))
        except Exception:
            log.exception("search failed")
            return error_response(500, "internal error while searching")
        return {"question": body.question, "hits": [h.to_json() for h in hits]}

    @router.post(
        "/api/ask",
        summary="A cited answer",
        description='Returns `Answer.to_json()`: `{"question", "standalone_question", "answer", '
                    '"citations": [...], "abstained", "related": [...]}`. The answer is markdown with '
                    '`[n]` markers referring to `citations[].n`; every quote is an exact span of its '
                    'source. With `history`, a follow-up is rewritten into `standalone_question` '
                    '(null when the question stood alone) and the answer begins "Answering: …". '
                    '422 `{"error"}` for a bad question or history.',
    )
    def ask(body: AskRequest) -> Any:
        if has_lone_surrogates(body.question):
            return error_response(422, NOT_TEXT)
        history = body.history_messages()
        for i, message in enumerate(history or ()):
            texts = [message["content"]] if isinstance(message["content"], str) else \
                [p["text"] for p in message["content"]]
            if any(has_lone_surrogates(t) for t in texts):
                return error_response(422, f"history[{i}].content is not valid Unicode text "
                                           "(it contains unpaired surrogates)")
        try:
            answer = answerer.ask(body.question, history) if history else answerer.ask(body.question)
        except (QuestionError, HistoryError) as exc:
            return error_response(422, str(exc))
        except Exception:
            log.exception("ask failed")
            return error_response(500, "internal error while answering")
        return answer.to_json()

    @router.get("/healthz", summary="Index, model and chat status")
    def healthz(request: Request) -> dict[str, Any]:
        # "chat" is "starting", "ready" or "failed" while app.py mounts it after start-up.
        chat = getattr(request.app.state, "chat", None)
        return {**status, "chat": chat.state if chat is not None else "ready"}

    return router


def install_error_handlers(app: FastAPI) -> None:
    """Body validation errors on /api/* become 422 ``{"error": "..."}`` in plain words."""

    async def on_invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        if not request.url.path.startswith(API_PREFIX):
            return JSONResponse({"detail": exc.errors()}, status_code=422)
        return error_response(422, describe_validation_error(exc.errors()))

    app.add_exception_handler(RequestValidationError, on_invalid)  # type: ignore[arg-type]


def describe_validation_error(errors: Any) -> str:
    """One line from pydantic's error list, e.g. ``question: Field required``."""
    messages = []
    for err in list(errors)[:3]:
        kind = err.get("type", "")
        loc = [str(x) for x in err.get("loc", ()) if x != "body"]
        if kind == "json_invalid":
            messages.append("the request body is not valid JSON")
        elif not loc:
            messages.append('the request body must be a JSON object such as {"question": "..."}')
        else:
            messages.append(f"{'.'.join(loc)}: {err.get('msg', 'invalid value')}")
    return "; ".join(dict.fromkeys(messages)) or "invalid request"
