"""Who may call and frame the app, and how much they may send. One allowlist drives it all.

- CORS (Starlette's CORSMiddleware): pages on an allowed origin may call the JSON API; no
  credentials are ever allowed, so cookies are never part of a cross-origin call.
- Framing: every response carries ``Content-Security-Policy: frame-ancestors 'self' <origins>``.
- Body size: ``/api/*`` request bodies over the limit get 413 before any handler reads them;
  every other route has a larger fixed limit (:data:`OTHER_MAX_BODY_BYTES`).
- Load: at most ``max_pending`` ``/api/*`` requests in progress or waiting; one more gets 503
  ``{"error": "...busy..."}`` with ``Retry-After`` at once instead of queueing without limit.
- Closed routes: Gradio routes debate-qa never uses (uploads, file serving, proxying, streams,
  monitoring) answer 404, so no route serves a file other than the app's own assets.
"""

from __future__ import annotations

import re

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from starlette.datastructures import Headers, MutableHeaders
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from web.settings import ANY_ORIGIN, WebSettings

API_PREFIX = "/api/"
# Gradio's routes (the chat) get a larger limit: some of its calls carry the whole chat history.
# 2 MiB holds well over a hundred answers with their sources; it only stops absurd bodies.
OTHER_MAX_BODY_BYTES = 2 * 1024 * 1024
BUSY_MESSAGE = "the server is busy; please try again in a moment"
# Gradio routes for features debate-qa does not use. /gradio_api/file= would serve uploaded
# files and fetch any public URL; /gradio_api/upload would store anything anyone sends.
CLOSED_ROUTES = re.compile(
    r"^/(gradio_api/)?("
    r"upload|upload_progress|file[=/]|proxy=|stream/|component_server|process_recording"
    r"|run-history|runs\b|vibe-|undo-vibe|dev/|monitoring|login|logout"
    r")"
)


def error_response(status: int, message: str) -> JSONResponse:
    """The one error shape of the JSON API: ``{"error": "<plain words>"}``."""
    return JSONResponse({"error": message}, status_code=status)


def frame_ancestors(allowed_origins: tuple[str, ...]) -> str:
    """The CSP directive that lets the app's own pages and the allowed origins frame it."""
    if ANY_ORIGIN in allowed_origins:
        return "frame-ancestors *"
    return " ".join(("frame-ancestors", "'self'", *allowed_origins))


def install_security(app: FastAPI, settings: WebSettings) -> None:
    """Add the middleware in the order that makes CORS headers reach error responses too.

    Starlette runs the middleware added last first: CORS, security headers, closed routes,
    the busy limit, then the body limit (so a slow body also counts as pending).
    """
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_body_bytes)
    app.add_middleware(BusyLimit, max_pending=settings.max_pending)
    app.add_middleware(ClosedRoutes)
    app.add_middleware(SecurityHeaders, frame_ancestors=frame_ancestors(settings.allowed_origins))
    # Always installed, even with an empty allowlist: Gradio then leaves CORS to the parent app
    # instead of applying its own localhost rules, so one policy covers every route.
    app.add_middleware(
        CORSMiddleware,
        allow_origins=list(settings.allowed_origins),
        allow_methods=["GET", "POST"],
        allow_headers=["Content-Type"],
        allow_credentials=False,
        max_age=600,
    )


class SecurityHeaders:
    """Adds ``frame-ancestors`` (unless the response set its own CSP) and ``nosniff``."""

    def __init__(self, app: ASGIApp, frame_ancestors: str) -> None:
        self.app = app
        self.csp = frame_ancestors

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                if "content-security-policy" not in headers:
                    headers["Content-Security-Policy"] = self.csp
                headers.setdefault("X-Content-Type-Options", "nosniff")
            await send(message)

        await self.app(scope, receive, send_with_headers)


class ClosedRoutes:
    """Answers 404 ``{"error": "not found"}`` for :data:`CLOSED_ROUTES`, whatever the method.

    Matched on the decoded path with repeated slashes collapsed, as the router would see it.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and CLOSED_ROUTES.match(re.sub("/{2,}", "/", scope["path"])):
            await error_response(404, "not found")(scope, receive, send)
            return
        await self.app(scope, receive, send)


class BusyLimit:
    """At most ``max_pending`` ``/api/*`` requests in progress or waiting for a worker at once.

    One more is answered 503 with ``Retry-After: 1`` straight away, so a burst costs a counter,
    not memory. The counter lives on the event loop's thread, so it needs no lock.
    """

    def __init__(self, app: ASGIApp, max_pending: int) -> None:
        self.app = app
        self.max_pending = max_pending
        self.pending = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith(API_PREFIX):
            await self.app(scope, receive, send)
            return
        if self.pending >= self.max_pending:
            response = error_response(503, BUSY_MESSAGE)
            response.headers["Retry-After"] = "1"
            await response(scope, receive, send)
            return
        self.pending += 1
        try:
            await self.app(scope, receive, send)
        finally:
            self.pending -= 1


class BodySizeLimit:
    """Refuses bodies over the limit with 413, declared or streamed (chunked).

    ``/api/*`` bodies are read here (at most ``max_bytes``) and replayed to the app, so a
    handler never sees a partial body. Other routes (Gradio's) get ``other_max_bytes``: chat
    history grows past any small limit, so the limit there is only a backstop, checked as the
    body streams through.
    """

    def __init__(self, app: ASGIApp, max_bytes: int, other_max_bytes: int = OTHER_MAX_BODY_BYTES) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.other_max_bytes = other_max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        api = scope["path"].startswith(API_PREFIX)
        limit = self.max_bytes if api else self.other_max_bytes
        declared = Headers(scope=scope).get("content-length")
        if declared is not None:
            if not declared.isdigit():
                await error_response(400, "invalid Content-Length header")(scope, receive, send)
                return
            if int(declared) > limit:
                await self._too_large(scope, receive, send, limit)
                return
        if not api:
            await self._stream_limited(scope, receive, send, limit)
            return
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            body = message.get("body", b"")
            size += len(body)
            if size > self.max_bytes:
                await self._too_large(scope, receive, send, self.max_bytes)
                return
            chunks.append(body)
            if not message.get("more_body", False):
                break
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": b"".join(chunks), "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    async def _stream_limited(self, scope: Scope, receive: Receive, send: Send, limit: int) -> None:
        """Pass the body through, counting; past ``limit`` answer 413 and end the request.

        The app then reads a disconnect and stops; anything it sends afterwards is dropped.
        """
        size = 0
        refused = started = False

        async def counted() -> Message:
            nonlocal size, refused
            if refused:
                return {"type": "http.disconnect"}
            message = await receive()
            size += len(message.get("body", b""))
            if size > limit:
                refused = True
                if not started:
                    await self._too_large(scope, receive, send, limit)
                return {"type": "http.disconnect"}
            return message

        async def guarded(message: Message) -> None:
            nonlocal started
            if refused:
                return
            started = True
            await send(message)

        await self.app(scope, counted, guarded)

    @staticmethod
    async def _too_large(scope: Scope, receive: Receive, send: Send, limit: int) -> None:
        response = error_response(413, f"the request body is too large (limit {limit} bytes)")
        await response(scope, receive, send)
