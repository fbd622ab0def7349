"""Typed web settings with one CLI flag per field; environment variables give the defaults."""

from __future__ import annotations

import argparse
import os
from dataclasses import dataclass
from typing import Mapping
from urllib.parse import urlsplit

ENV_HOST = "DEBATEQA_HOST"
ENV_PORT = "DEBATEQA_PORT"
ENV_ALLOWED_ORIGINS = "DEBATEQA_ALLOWED_ORIGINS"
ENV_MAX_BODY_BYTES = "DEBATEQA_MAX_BODY_BYTES"
ENV_MAX_PENDING = "DEBATEQA_MAX_PENDING"
ENV_CHAT_QUEUE_SIZE = "DEBATEQA_CHAT_QUEUE_SIZE"
ENV_CHAT_CONCURRENCY = "DEBATEQA_CHAT_CONCURRENCY"

ANY_ORIGIN = "*"
_DEFAULT_PORTS = {"http": 80, "https": 443}


class SettingsError(ValueError):
    """A setting (flag or environment variable) has a value that cannot be used."""


@dataclass(frozen=True)
class WebSettings:
    """How the web app is served and who may embed it.

    ``allowed_origins``: normalised origins (``scheme://host[:port]``) that may call the JSON
    API from their pages (CORS) and frame the app (CSP ``frame-ancestors``), besides the app's
    own origin. Empty means same origin only; ``("*",)`` means any origin.
    ``max_body_bytes``: the largest request body accepted by ``/api/*``, in bytes. 64 KiB holds a
    question with a full history (12 messages: six questions and six answers of the usual few
    kilobytes each; see retrieval/history.py for the per-message limits).
    ``max_pending``: how many ``/api/*`` requests may be in progress or waiting at once; one
    more is answered 503 "busy" at once, so overload never queues without limit.
    ``chat_queue_size``: how many chat questions Gradio's queue holds (beyond: "queue is full").
    ``chat_concurrency``: how many chat questions are answered at the same time.
    """

    host: str = "127.0.0.1"
    port: int = 7860
    allowed_origins: tuple[str, ...] = ()
    max_body_bytes: int = 64 * 1024
    max_pending: int = 64
    chat_queue_size: int = 64
    chat_concurrency: int = 1

    def __post_init__(self) -> None:
        if not 0 <= self.port <= 65535:
            raise SettingsError(f"port must be between 0 and 65535, not {self.port}")
        if self.max_body_bytes < 1024:
            raise SettingsError(f"max body size must be at least 1024 bytes, not {self.max_body_bytes}")
        for name in ("max_pending", "chat_queue_size", "chat_concurrency"):
            if getattr(self, name) < 1:
                raise SettingsError(f"{name.replace('_', ' ')} must be at least 1, not {getattr(self, name)}")
        for origin in self.allowed_origins:
            if normalise_origin(origin) != origin:
                raise SettingsError(f"allowed origin {origin!r} is not normalised; use parse_origins()")


def normalise_origin(value: str) -> str:
    """``scheme://host[:port]`` as a browser sends it in the Origin header (default port dropped).

    Raises :class:`SettingsError` for anything that is not a bare http(s) origin.
    """
    text = value.strip()
    if text == ANY_ORIGIN:
        return ANY_ORIGIN
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError as exc:
        raise SettingsError(f"allowed origin {value!r} is not a valid origin: {exc}") from None
    if parts.scheme not in _DEFAULT_PORTS or not parts.hostname:
        raise SettingsError(f"allowed origin {value!r} must look like https://example.org or http://host:8080")
    if parts.path not in ("", "/") or parts.query or parts.fragment or parts.username or parts.password:
        raise SettingsError(f"allowed origin {value!r} must be scheme://host[:port] only, with no path")
    host = parts.hostname.lower()
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    if port is None or port == _DEFAULT_PORTS[parts.scheme]:
        return f"{parts.scheme}://{host}"
    return f"{parts.scheme}://{host}:{port}"


def parse_origins(text: str | None) -> tuple[str, ...]:
    """Comma-separated origins -> normalised, de-duplicated tuple. ``*`` must stand alone."""
    if not text:
        return ()
    origins: list[str] = []
    for item in text.split(","):
        if item.strip():
            origin = normalise_origin(item)
            if origin not in origins:
                origins.append(origin)
    if ANY_ORIGIN in origins and len(origins) > 1:
        raise SettingsError("allowed origins: '*' (any origin) cannot be combined with a list")
    return tuple(origins)


def add_web_args(parser: argparse.ArgumentParser) -> None:
    """--host, --port, --allowed-origins, --max-body-bytes, --max-pending, --chat-queue-size,
    --chat-concurrency (defaults from the environment)."""
    d = WebSettings()
    parser.add_argument("--host", default=None, help=f"interface to listen on (env {ENV_HOST}; default {d.host})")
    parser.add_argument("--port", type=int, default=None, help=f"TCP port (env {ENV_PORT}; default {d.port})")
    parser.add_argument("--allowed-origins", default=None, metavar="ORIGINS",
                        help=f"comma-separated origins that may embed the chat or call the API "
                             f"from their pages, e.g. https://a.example,http://localhost:8000; '*' for "
                             f"any (env {ENV_ALLOWED_ORIGINS}; default: same origin only)")
    parser.add_argument("--max-body-bytes", type=int, default=None,
                        help=f"largest /api request body in bytes (env {ENV_MAX_BODY_BYTES}; "
                             f"default {d.max_body_bytes})")
    parser.add_argument("--max-pending", type=int, default=None,
                        help=f"/api requests in progress or waiting at once; more get 503 busy "
                             f"(env {ENV_MAX_PENDING}; default {d.max_pending})")
    parser.add_argument("--chat-queue-size", type=int, default=None,
                        help=f"chat questions the web chat's queue holds; more are told the queue is "
                             f"full (env {ENV_CHAT_QUEUE_SIZE}; default {d.chat_queue_size})")
    parser.add_argument("--chat-concurrency", type=int, default=None,
                        help=f"chat questions answered at the same time (env {ENV_CHAT_CONCURRENCY}; "
                             f"default {d.chat_concurrency})")


def resolve_web_args(args: argparse.Namespace, environ: Mapping[str, str] | None = None) -> WebSettings:
    """Flags win over the environment, which wins over the defaults."""
    env = os.environ if environ is None else environ
    d = WebSettings()

    def pick(flag: object, name: str) -> str | None:
        if flag is not None:
            return str(flag)
        return env.get(name) or None

    def integer(flag: object, name: str, default: int) -> int:
        raw = pick(flag, name)
        if raw is None:
            return default
        try:
            return int(raw)
        except ValueError:
            raise SettingsError(f"{name} must be a whole number, not {raw!r}") from None

    return WebSettings(
        host=pick(args.host, ENV_HOST) or d.host,
        port=integer(args.port, ENV_PORT, d.port),
        allowed_origins=parse_origins(pick(args.allowed_origins, ENV_ALLOWED_ORIGINS)),
        max_body_bytes=integer(args.max_body_bytes, ENV_MAX_BODY_BYTES, d.max_body_bytes),
        max_pending=integer(args.max_pending, ENV_MAX_PENDING, d.max_pending),
        chat_queue_size=integer(args.chat_queue_size, ENV_CHAT_QUEUE_SIZE, d.chat_queue_size),
        chat_concurrency=integer(args.chat_concurrency, ENV_CHAT_CONCURRENCY, d.chat_concurrency),
    )
