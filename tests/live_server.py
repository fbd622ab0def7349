"""Serve an ASGI app or a few static pages on a loopback port, in a thread, for a test's life."""

from __future__ import annotations

import socket
import threading
import time
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Iterator

import uvicorn

START_TIMEOUT_S = 60.0


def bound_socket(host: str = "127.0.0.1") -> socket.socket:
    """A listening-ready socket on a free port (bound now, so no other process can take it)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, 0))
    return sock


@contextmanager
def serve_app(app, host: str = "127.0.0.1") -> Iterator[int]:
    """Run ``app`` under uvicorn (lifespan on, so Gradio starts its queue); yield the port."""
    sock = bound_socket(host)
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on",
                                           timeout_graceful_shutdown=2))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + START_TIMEOUT_S
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the test app server did not start")
        time.sleep(0.05)
    try:
        yield port
    finally:
        server.should_exit = True
        thread.join(15)
        sock.close()


@contextmanager
def serve_pages(pages: dict[str, str], host: str = "127.0.0.1") -> Iterator[int]:
    """Serve ``{path: html}`` (e.g. ``{"/": "<!doctype html>..."}``) over HTTP; yield the port."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
            body = pages.get(self.path.split("?", 1)[0])
            if body is None:
                self.send_error(404)
                return
            data = body.encode("utf-8")
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args) -> None:  # keep test output quiet
            pass

    server = ThreadingHTTPServer((host, 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


class ExchangeLog:
    """ASGI wrapper recording ``(method, path, Origin header, status, Access-Control-Allow-Origin)``
    for every HTTP exchange, so a test can see what the server granted to which origin."""

    def __init__(self, app) -> None:
        self.app = app
        self.records: list[tuple[str, str, str | None, int, str | None]] = []

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode().lower(): v.decode() for k, v in scope["headers"]}

        async def record(message) -> None:
            if message["type"] == "http.response.start":
                sent = {k.decode().lower(): v.decode() for k, v in message.get("headers", [])}
                self.records.append((scope["method"], scope["path"], headers.get("origin"), message["status"],
                                     sent.get("access-control-allow-origin")))
            await send(message)

        await self.app(scope, receive, record)

    def from_origin(self, origin: str) -> list[tuple[str, str, str | None, int, str | None]]:
        return [r for r in self.records if r[2] == origin]
