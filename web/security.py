"""Who may call and frame the app, and how much they may send. One allowlist drives it all.

- CORS (Starlette's CORSMiddleware): pages on an allowed origin may call the JSON API; no
  credentials are ever allowed, so cookies are never part of a cross-origin call.
- Framing: every response carries ``Content-Security-Policy: frame-ancestors 'self' <origins>``.
- Body size: ``/api/*`` request bodies over the limit get 413 before any handler reads them.
"""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from starlette.datastructures import Headers, MutableHeaders
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from web.settings import ANY_ORIGIN, WebSettings

API_PREFIX = "/api/"


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

    Starlette runs the middleware added last first, so CORS wraps everything else.
    """
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_body_bytes)
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


class BodySizeLimit:
    """Refuses ``/api/*`` bodies over ``max_bytes`` with 413, declared or streamed (chunked).

    The body is read here (at most ``max_bytes``) and replayed to the app, so a handler never
    sees a partial body. Gradio's own routes are left alone: chat history grows past any small
    limit, and Gradio has its own upload limits.
    """

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith(API_PREFIX):
            await self.app(scope, receive, send)
            return
        declared = Headers(scope=scope).get("content-length")
        if declared is not None:
            if not declared.isdigit():
                await error_response(400, "invalid Content-Length header")(scope, receive, send)
                return
            if int(declared) > self.max_bytes:
                await self._too_large(scope, receive, send)
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
                await self._too_large(scope, receive, send)
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

    async def _too_large(self, scope: Scope, receive: Receive, send: Send) -> None:
        response = error_response(413, f"the request body is too large (limit {self.max_bytes} bytes)")
        await response(scope, receive, send)
