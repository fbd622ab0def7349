"""Crash-safe indexing: SIGKILL a build anywhere and the previous index still loads and answers
exactly as before; a reader running beside the builds never sees a half-written index.

Builds run in a separate process (tests/build_driver.py, the real build code with the fake
encoder, so each build takes a fraction of a second) and are killed with SIGKILL:
- at each write step of index/store.py (the driver announces the step and pauses there),
- at delays spread across the whole build (timing only, no instrumentation),
- and one real ``python -m index build`` with the real model, killed while it embeds.
After every kill the index folder must be a symlink to one complete version, and that version
must give exactly the search results and answers a clean build of its corpus gives.
"""

from __future__ import annotations

import os
import queue
import random
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from index.build import build_index
from index.paths import PROJECT_ROOT
from index.settings import ChunkSettings
from index.store import read_index, versions_dir
from retrieval.answer import Answerer
from retrieval.searcher import Searcher
from tests.build_driver import STEPS
from tests.fakes import FakeEncoder

QUESTIONS = ("care hospital w12 w40", "mansion tax levy workers", "Document 3", "w7 w99 tariff council")
# Step after which the new version is live (the symlink is swapped before old ones are pruned).
LIVE_AFTER = "prune"
VOCAB = [f"w{i}" for i in range(400)] + "care hospital tariff levy college council mansion tax workers".split()
LINE_TIMEOUT_S = 60


def write_corpus(root: Path, n_docs: int, seed: int) -> Path:
    """``n_docs`` documents of eight 60-word paragraphs: a few hundred passages, deterministic."""
    rng = random.Random(seed)
    root.mkdir(parents=True)
    for d in range(n_docs):
        paragraphs = [" ".join(rng.choice(VOCAB) for _ in range(60)) + "." for _ in range(8)]
        (root / f"doc{d:03d}.txt").write_text(f"Document {d} of corpus {seed}\n\n" + "\n\n".join(paragraphs),
                                             encoding="utf-8")
    return root


def fingerprint(index) -> list:
    """Everything a user would get from this index: hits and full answers for QUESTIONS."""
    searcher = Searcher(index, FakeEncoder())
    answerer = Answerer(searcher)
    return [([h.to_json() for h in searcher.search(q, 8)], answerer.ask(q).to_json()) for q in QUESTIONS]


@dataclass(frozen=True)
class Corpora:
    """Two corpora with different passage counts, and what a clean build of each answers."""

    a: Path
    b: Path
    expected: dict[str, list]

    def other(self, corpus: Path) -> Path:
        return self.b if corpus == self.a else self.a


@pytest.fixture(scope="module")
def corpora(tmp_path_factory) -> Corpora:
    root = tmp_path_factory.mktemp("crash")
    a = write_corpus(root / "A", 24, 1)
    b = write_corpus(root / "B", 30, 2)
    expected = {}
    for corpus in (a, b):
        golden = root / f"golden-{corpus.name}" / "index"
        build_index(corpus, golden, FakeEncoder(), ChunkSettings())
        expected[str(corpus)] = fingerprint(read_index(golden))
    assert len(expected[str(a)][0][0]) == 8 and expected[str(a)] != expected[str(b)]
    return Corpora(a, b, expected)


def live_corpus(index_dir: Path, corpora: Corpora) -> Path:
    """Check the index folder holds one complete version answering exactly as a clean build of
    its corpus does; return that corpus."""
    assert index_dir.is_symlink(), f"{index_dir} is not a symlink any more"
    target = index_dir.resolve()
    assert target.is_dir() and (target / "manifest.json").is_file(), f"{index_dir} -> {target} is incomplete"
    index = read_index(index_dir)
    corpus = Path(index.manifest["corpus"]["root"])
    assert str(corpus) in corpora.expected, f"unknown corpus {corpus}"
    assert fingerprint(index) == corpora.expected[str(corpus)], f"{target} answers differently"
    return corpus


class Driver:
    """tests/build_driver.py in a subprocess, its stdout lines read by a thread."""

    def __init__(self, index_dir: Path, corpora: list[Path], step_pause: float = 0.0, rounds: int = 1):
        args = [sys.executable, "-m", "tests.build_driver", "--index-dir", str(index_dir),
                "--rounds", str(rounds), "--step-pause", str(step_pause), *map(str, corpora)]
        env = {**os.environ, "OMP_NUM_THREADS": "1"}
        self.proc = subprocess.Popen(args, cwd=PROJECT_ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                     text=True, env=env)
        self.lines: queue.Queue[str | None] = queue.Queue()
        self.seen: list[str] = []
        threading.Thread(target=self._pump, daemon=True).start()

    def _pump(self) -> None:
        for line in self.proc.stdout:
            self.lines.put(line.rstrip("\n"))
        self.lines.put(None)

    def wait_for(self, prefix: str, timeout: float = LINE_TIMEOUT_S) -> str:
        deadline = time.monotonic() + timeout
        while True:
            try:
                line = self.lines.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                self.kill()
                pytest.fail(f"the build driver never said {prefix!r}; it said {self.seen}")
            if line is None:
                err = self.proc.stderr.read()
                pytest.fail(f"the build driver ended before {prefix!r}; it said {self.seen}\n{err}")
            self.seen.append(line)
            if line.startswith(prefix):
                return line

    def kill(self) -> None:
        if self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.wait(30)
        assert self.proc.returncode in (-signal.SIGKILL, 0)

    def finish(self) -> None:
        out = self.proc.wait(120)
        assert out == 0, self.proc.stderr.read()


def leftovers(index_dir: Path) -> dict[str, int]:
    vdir = versions_dir(index_dir)
    current = index_dir.resolve().name
    names = [p.name for p in vdir.iterdir()]
    return {
        "tmp": sum(n.startswith("tmp-") for n in names),
        "unlinked_versions": sum(n.startswith("v-") and n != current for n in names),
    }


@pytest.fixture
def index_dir(tmp_path, corpora) -> Path:
    """An index of corpus A in a fresh folder."""
    path = tmp_path / "var" / "index"
    build_index(corpora.a, path, FakeEncoder(), ChunkSettings())
    assert live_corpus(path, corpora) == corpora.a
    return path


def test_killed_at_every_write_step_the_previous_index_survives(index_dir, corpora):
    live = corpora.a
    outcomes = []
    for step in STEPS:
        before = leftovers(index_dir)
        target = corpora.other(live)
        driver = Driver(index_dir, [target], step_pause=0.3)
        driver.wait_for(f"step {step}")
        driver.kill()
        expected = target if step == LIVE_AFTER else live
        now = live_corpus(index_dir, corpora)
        assert now == expected, f"killed before {step}: {now.name} is live, expected {expected.name}"
        after = leftovers(index_dir)
        # the kill really landed mid-write: the half-made version is still lying there
        if step in ("dense", "bm25", "fsync-tree"):
            assert after["tmp"] == before["tmp"] + 1
        if step == "point":
            assert after["unlinked_versions"] > before["unlinked_versions"]
        outcomes.append((step, now.name))
        live = now
    print("\nkilled before each write step ->", outcomes)
    # a clean build afterwards tidies the killed builds' folders away
    driver = Driver(index_dir, [corpora.other(live)])
    driver.wait_for("built")
    driver.finish()
    assert live_corpus(index_dir, corpora) == corpora.other(live)
    assert leftovers(index_dir)["tmp"] == 0
    assert len([p for p in versions_dir(index_dir).iterdir() if p.name.startswith("v-")]) == 2


def test_killed_at_delays_across_the_build_the_index_stays_whole(index_dir, corpora):
    # One unkilled build measures how long a build takes (from "ready", imports done).
    driver = Driver(index_dir, [corpora.b])
    driver.wait_for("ready")
    t0 = time.monotonic()
    driver.wait_for("built")
    build_s = time.monotonic() - t0
    driver.finish()
    live = live_corpus(index_dir, corpora)
    assert live == corpora.b
    kept = swapped = 0
    fractions = (0.1, 0.3, 0.5, 0.7, 0.85, 0.95, 1.05)
    for fraction in fractions:
        target = corpora.other(live)
        driver = Driver(index_dir, [target])
        driver.wait_for("ready")
        time.sleep(build_s * fraction)
        driver.kill()
        now = live_corpus(index_dir, corpora)
        if any(line.startswith("built") for line in driver.seen):
            assert now == target
        kept += now == live
        swapped += now == target
        live = now
    print(f"\nbuild takes {build_s * 1000:.0f} ms; {len(fractions)} kills across it: previous index kept {kept}, "
          f"new one complete {swapped}")
    assert kept >= 1  # the early kills at least landed before the swap


def test_a_reader_never_sees_a_half_written_index(index_dir, corpora):
    """One thread reads and searches the index in a loop while another process swaps versions."""
    stop = threading.Event()
    seen: dict[str, int] = {}
    errors: list[str] = []

    def reader() -> None:
        while not stop.is_set():
            try:
                index = read_index(index_dir)
                corpus = index.manifest["corpus"]["root"]
                searcher = Searcher(index, FakeEncoder())
                got = [[h.to_json() for h in searcher.search(q, 8)] for q in QUESTIONS]
                if got != [hits for hits, _ in corpora.expected[corpus]]:
                    errors.append(f"{index.path.name} ({corpus}) answered differently")
                seen[corpus] = seen.get(corpus, 0) + 1
            except Exception as exc:  # anything at all is a failure of the atomic swap
                errors.append(f"{type(exc).__name__}: {exc}")

    thread = threading.Thread(target=reader, daemon=True)
    thread.start()
    driver = Driver(index_dir, [corpora.b, corpora.a], rounds=4)
    for _ in range(8):
        driver.wait_for("built")
    driver.finish()
    time.sleep(0.2)
    stop.set()
    thread.join(30)
    reads = sum(seen.values())
    print(f"\nreader: {reads} reads while 8 builds were swapped in ({seen}); errors {len(errors)}")
    assert not errors, errors[:5]
    assert len(seen) == 2 and reads >= 20


@pytest.mark.real_model
def test_killing_a_real_index_build_keeps_the_previous_index(index_dir, corpora):
    """``python -m index build`` with the real model, SIGKILLed while it embeds the passages."""
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "HF_HUB_DISABLE_TELEMETRY": "1"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "index", "build", "--force", "--corpus", str(corpora.b),
         "--index-dir", str(index_dir)],
        cwd=PROJECT_ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    stderr = b""
    deadline = time.monotonic() + 240
    try:
        # tqdm redraws its bar with "\r", so read raw bytes rather than lines.
        while b"embedding:" not in stderr or b"/" not in stderr.split(b"embedding:")[-1]:
            chunk = os.read(proc.stderr.fileno(), 4096)
            if not chunk or time.monotonic() > deadline:
                pytest.fail(f"the build ended or stalled before embedding: {stderr.decode(errors='replace')}")
            stderr += chunk
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(30)
    assert proc.returncode == -signal.SIGKILL
    assert b"indexed" not in stderr  # it never finished
    assert live_corpus(index_dir, corpora) == corpora.a


def test_a_swap_between_resolving_and_reading_cannot_mix_versions(index_dir, corpora, monkeypatch):
    """The race a reader loop rarely hits, made certain: a build swaps the symlink right after
    read_index resolved it. Every part must still come from the version it resolved."""
    import index.store as store

    old = index_dir.resolve()
    build_index(corpora.b, index_dir, FakeEncoder(), ChunkSettings())
    new = index_dir.resolve()
    store._point(index_dir, old)  # back to A; B's version stays beside it
    real_read_manifest = store.read_manifest

    def swap_then_read(path):
        store._point(index_dir, new)
        return real_read_manifest(path)

    monkeypatch.setattr(store, "read_manifest", swap_then_read)
    index = read_index(index_dir)
    monkeypatch.undo()
    assert index.path == old
    assert index.manifest["counts"]["passages"] == len(index.passages) == index.dense.ntotal
    assert Path(index.manifest["corpus"]["root"]) == corpora.a
    assert fingerprint(index) == corpora.expected[str(corpora.a)]
