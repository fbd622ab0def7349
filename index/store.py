"""The index on disk: a folder of plain files, swapped in atomically.

``index_dir`` (e.g. ``var/index``) is a symlink to one complete version folder::

    var/index -> .index.versions/v-01795000000000000000-4242/
        manifest.json    model, dimension, chunking settings, corpus hashes, versions, counts
        passages.jsonl   line i is the passage with FAISS id i
        dense.faiss      faiss.write_index of the passage vectors (inner product, unit vectors)
        bm25/            bm25s arrays (.npy, pickle disabled) and vocabulary (JSON)

A build writes a new version folder, then replaces the symlink with ``os.replace``; a reader
resolves the symlink once and reads one version, so it never sees a half-written index, and a
build killed at any moment leaves the previous version in place.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from index.records import Passage

FORMAT = 1
MANIFEST = "manifest.json"
PASSAGES = "passages.jsonl"
DENSE = "dense.faiss"
ATTRIBUTIONS = "attributions.jsonl"  # one line per document: who speaks where (reused by rebuilds)
BM25_DIR = "bm25"
KEEP_VERSIONS = 2  # the current one and the one before, which a slow reader may still be opening


class IndexError_(Exception):
    """Base class for index problems; the message says what to do."""


class IndexMissing(IndexError_):
    pass


class IndexCorrupt(IndexError_):
    pass


class IndexStale(IndexError_):
    pass


@dataclass(frozen=True)
class StoredIndex:
    """A loaded index version. ``dense`` is a FAISS index whose id i is ``passages[i]``."""

    path: Path
    manifest: dict[str, Any]
    passages: list[Passage]
    dense: Any
    bm25: Any
    attributions: dict[str, tuple[str, Any]] | None = None  # source -> (file SHA-256, DocumentAttribution)


def versions_dir(index_dir: Path) -> Path:
    return index_dir.parent / f".{index_dir.name}.versions"


def write_index(
    index_dir: Path,
    manifest: dict[str, Any],
    passages: list[Passage],
    dense: Any,
    bm25: Any,
    attributions: dict[str, tuple[str, Any]] | None = None,
) -> Path:
    """Write a complete new version and make ``index_dir`` point to it. Returns the version path.

    ``attributions`` (source -> (file SHA-256, DocumentAttribution)) go to attributions.jsonl,
    so the next build parses only new and changed files."""
    import faiss

    from index.lexical import save_bm25

    index_dir = Path(index_dir)
    vdir = versions_dir(index_dir)
    vdir.mkdir(parents=True, exist_ok=True)
    # Nanosecond stamps keep names unique and make name order build order.
    stamp = f"{time.time_ns():020d}-{os.getpid()}"
    tmp = vdir / f"tmp-{stamp}"
    final = vdir / f"v-{stamp}"
    if tmp.exists():
        shutil.rmtree(tmp)
    tmp.mkdir()
    with open(tmp / PASSAGES, "w", encoding="utf-8") as f:
        for p in passages:
            f.write(json.dumps(p.to_json(), ensure_ascii=False) + "\n")
        _fsync(f)
    faiss.write_index(dense, str(tmp / DENSE))
    save_bm25(bm25, tmp / BM25_DIR)
    if attributions is not None:
        with open(tmp / ATTRIBUTIONS, "w", encoding="utf-8") as f:
            for source, (sha256, result) in attributions.items():
                f.write(json.dumps({"source": source, "sha256": sha256, **result.to_json()}, ensure_ascii=False) + "\n")
            _fsync(f)
    # The manifest goes last: a version folder with a manifest is complete.
    with open(tmp / MANIFEST, "w", encoding="utf-8") as f:
        json.dump(manifest, f, ensure_ascii=False, indent=2)
        _fsync(f)
    _fsync_tree(tmp)
    os.replace(tmp, final)
    _point(index_dir, final)
    _prune(vdir, keep=final)
    return final


def read_index(index_dir: Path) -> StoredIndex:
    """Load the current version, checking that its parts agree. Raises IndexMissing/IndexCorrupt."""
    import faiss

    from index.lexical import load_bm25

    index_dir = Path(index_dir)
    if not index_dir.exists():
        raise IndexMissing(f"no index at {index_dir}: build it with `python -m index build`")
    path = index_dir.resolve()
    manifest = read_manifest(path)  # the resolved version: a swap now cannot mix two versions
    passages = _read_passages(path / PASSAGES)
    try:
        dense = faiss.read_index(str(path / DENSE))
    except Exception as exc:
        raise IndexCorrupt(f"{path / DENSE} is unreadable ({exc}); rebuild it with `python -m index build --force`") from exc
    try:
        bm25 = load_bm25(path / BM25_DIR)
    except Exception as exc:
        raise IndexCorrupt(f"{path / BM25_DIR} is unreadable ({exc}); rebuild it with `python -m index build --force`") from exc
    expected = int(manifest.get("counts", {}).get("passages", -1))
    counts = {
        "manifest": expected,
        PASSAGES: len(passages),
        DENSE: int(dense.ntotal),
        BM25_DIR: int(bm25.scores["num_docs"]),
    }
    if len(set(counts.values())) != 1:
        raise IndexCorrupt(f"index parts disagree on the passage count {counts}; rebuild it with `python -m index build --force`")
    if int(dense.d) != int(manifest["model"]["dim"]):
        raise IndexCorrupt(f"{DENSE} has dimension {dense.d}, manifest says {manifest['model']['dim']}")
    return StoredIndex(path, manifest, passages, dense, bm25)


def read_attributions(version: Path) -> dict[str, tuple[str, Any]]:
    """attributions.jsonl of an index version (source -> (SHA-256, DocumentAttribution)); empty
    if the version has none or it is unreadable (the next build then parses every file)."""
    from index.attribution import DocumentAttribution

    path = Path(version) / ATTRIBUTIONS
    out: dict[str, tuple[str, Any]] = {}
    if not path.is_file():
        return out
    try:
        with open(path, encoding="utf-8") as f:
            for line in f:
                rec = json.loads(line)
                out[rec["source"]] = (rec["sha256"], DocumentAttribution.from_json(rec))
    except (ValueError, KeyError, TypeError, IndexError, OSError):
        return {}
    return out


def read_manifest(index_dir: Path) -> dict[str, Any]:
    path = Path(index_dir) / MANIFEST
    if not path.is_file():
        raise IndexMissing(f"no index at {index_dir}: build it with `python -m index build`")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise IndexCorrupt(f"{path} is not valid JSON ({exc}); rebuild it with `python -m index build --force`") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise IndexCorrupt(f"{path} is not a debate-qa index manifest of format {FORMAT}")
    return manifest


def flat_ip_index(vectors: np.ndarray):
    """Exact inner-product FAISS index over (n, dim) float32 unit vectors (= cosine)."""
    import faiss

    index = faiss.IndexFlatIP(int(vectors.shape[1]))
    if len(vectors):
        index.add(np.ascontiguousarray(vectors, dtype=np.float32))
    return index


def _read_passages(path: Path) -> list[Passage]:
    if not path.is_file():
        raise IndexCorrupt(f"{path} is missing; rebuild it with `python -m index build --force`")
    passages = []
    with open(path, encoding="utf-8") as f:
        for lineno, line in enumerate(f):
            try:
                passage = Passage.from_json(json.loads(line))
            except (ValueError, KeyError, TypeError) as exc:
                raise IndexCorrupt(f"{path} line {lineno + 1} is not a passage ({exc})") from exc
            if passage.id != lineno:
                raise IndexCorrupt(f"{path} line {lineno + 1} holds passage id {passage.id}")
            passages.append(passage)
    return passages


def _point(index_dir: Path, target: Path) -> None:
    """Atomically make ``index_dir`` a symlink to ``target``."""
    if index_dir.exists() and not index_dir.is_symlink():
        # A plain folder from elsewhere: move it aside instead of deleting someone's files.
        os.replace(index_dir, versions_dir(index_dir) / f"old-{time.time_ns()}")
    link = index_dir.parent / f".{index_dir.name}.link-{os.getpid()}"
    if link.is_symlink() or link.exists():
        link.unlink()
    os.symlink(os.path.relpath(target, index_dir.parent), link)
    os.replace(link, index_dir)


def _prune(vdir: Path, keep: Path) -> None:
    """Delete all but the newest KEEP_VERSIONS complete versions and stale temp folders."""
    versions = sorted(p for p in vdir.iterdir() if p.name.startswith("v-"))
    for old in versions[:-KEEP_VERSIONS]:
        if old != keep:
            shutil.rmtree(old, ignore_errors=True)
    for tmp in vdir.glob("tmp-*"):
        pid = tmp.name.rsplit("-", 1)[-1]
        if pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(tmp, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _fsync(f) -> None:
    f.flush()
    os.fsync(f.fileno())


def _fsync_tree(folder: Path) -> None:
    for path in [*folder.rglob("*"), folder]:
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
