"""The CLIs as a user runs them: real processes, the real model, a small corpus."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from index.paths import PROJECT_ROOT

DOCS = {
    "rcgp.txt": "College statement\n\nThe Royal College of GPs has grave concerns about hospital-led "
                "integrated care organisations, its chair said.",
    "tax.txt": "Funding plan\n\nLabour will pay for home care workers with a mansion tax and a levy "
               "on tobacco firms.",
    "weather.md": "Weather\n\nIt rained all week in Manchester.",
}


def run(args: list[str], stdin: str | None = None, env_extra: dict | None = None):
    env = {**os.environ, "HF_HUB_OFFLINE": "1", **(env_extra or {})}
    return subprocess.run([sys.executable, *args], input=stdin, capture_output=True, text=True,
                          cwd=PROJECT_ROOT, env=env, timeout=300)


@pytest.fixture(scope="module")
def small_index(tmp_path_factory):
    root = tmp_path_factory.mktemp("cli")
    corpus = root / "corpus"
    corpus.mkdir()
    for name, text in DOCS.items():
        (corpus / name).write_text(text, encoding="utf-8")
    index_dir = root / "index"
    done = run(["-m", "index", "build", "--corpus", str(corpus), "--index-dir", str(index_dir)])
    assert done.returncode == 0, done.stderr
    assert "indexed 3 documents into 3 passages" in done.stderr
    again = run(["-m", "index", "build"], env_extra={"DEBATEQA_CORPUS": str(corpus),
                                                     "DEBATEQA_INDEX_DIR": str(index_dir)})
    assert again.returncode == 0 and "up to date" in again.stderr
    return corpus, index_dir


def test_search_json_shape(small_index):
    corpus, index_dir = small_index
    out = run(["-m", "retrieval", "search", "who has grave concerns about hospital-led care?",
               "--json", "--top-k", "2", "--corpus", str(corpus), "--index-dir", str(index_dir)])
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout)
    assert result["question"].startswith("who has grave concerns")
    assert len(result["hits"]) == 2
    first = result["hits"][0]
    assert {"rank", "score", "source", "title", "outlet", "published", "start", "end", "text"} <= set(first)
    assert first["source"] == "rcgp.txt" and first["rank"] == 1
    assert DOCS["rcgp.txt"][first["start"]:first["end"]] == first["text"]


def test_search_human_output_is_a_ranked_list(small_index):
    corpus, index_dir = small_index
    out = run(["-m", "retrieval", "search", "mansion tax", "--corpus", str(corpus),
               "--index-dir", str(index_dir)])
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("1. Funding plan")
    assert "tax.txt [" in out.stdout


def test_batch_mode_one_json_object_per_line(small_index):
    corpus, index_dir = small_index
    out = run(["-m", "retrieval", "search", "--top-k", "1", "--corpus", str(corpus),
               "--index-dir", str(index_dir)],
              stdin="mansion tax\n\n   \nrain in Manchester\n" + "x" * 5000 + "\n")
    lines = [json.loads(line) for line in out.stdout.splitlines()]
    assert [r["question"][:18] for r in lines] == ["mansion tax", "rain in Manchester", "x" * 18]
    assert lines[0]["hits"][0]["source"] == "tax.txt"
    assert lines[1]["hits"][0]["source"] == "weather.md"
    assert "too long" in lines[2]["error"] and "hits" not in lines[2]
    assert out.returncode == 1  # a bad line is reported, the rest are answered


def test_stale_index_is_rebuilt_or_refused(small_index, tmp_path):
    corpus, index_dir = small_index
    refused = run(["-m", "retrieval", "search", "tax", "--no-rebuild", "--chunk-size", "300",
                   "--corpus", str(corpus), "--index-dir", str(index_dir)])
    assert refused.returncode == 1 and "stale" in refused.stderr and "chunking settings" in refused.stderr


@pytest.mark.parametrize("args, message", [
    (["--corpus", "/nonexistent/folder"], "corpus folder does not exist: /nonexistent/folder"),
    (["--chunk-size", "10", "--chunk-overlap", "20"], "chunk-overlap"),
    (["--model-path", "/nonexistent/model"], "embedding model folder does not exist"),
])
def test_bad_configuration_is_a_one_line_error(args, message, tmp_path):
    out = run(["-m", "index", "build", "--index-dir", str(tmp_path / "i"), *args])
    assert out.returncode == 2
    assert message in out.stderr and "Traceback" not in out.stderr
