"""Build an index folder from a corpus folder, and rebuild it only when it is stale."""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable

import numpy as np

from concurrent.futures import ThreadPoolExecutor

from index.attribution import Attributor, DocumentAttribution, attribute_documents
from index.attribution import fingerprint as attribution_fingerprint
from index.chunking import CHUNKER_VERSION, attach_corpus, plan_corpus
from index.corpus import Corpus, file_hashes, load_corpus
from index.dense import describe, make_dense_index
from index.encoder import Encoder
from index.incremental import EmbedStats, embed_with_reuse
from index.lexical import build_bm25
from index.records import Passage
from index.settings import ChunkSettings, DenseSettings
from index.store import (
    FORMAT,
    IndexError_,
    IndexMissing,
    IndexStale,
    StoredIndex,
    read_attributions,
    read_index,
    read_manifest,
    write_index,
)
from index.versions import versions

ENCODE_BATCH = 64
_VERSIONED = ("faiss-cpu", "bm25s", "sentence-transformers", "torch", "numpy", "langchain-text-splitters",
              "onnxruntime", "tokenizers")


@dataclass(frozen=True)
class BuildReport:
    path: Path
    documents: int
    passages: int
    skipped: list[tuple[str, str]]
    seconds: float
    embedding: EmbedStats | None = None
    attribution: dict[str, Any] | None = None  # the manifest's "attribution": versions, parsed, reused

    def summary(self) -> str:
        rate = self.passages / self.seconds if self.seconds else float("nan")
        lines = [
            f"indexed {self.documents} documents into {self.passages} passages "
            f"in {self.seconds:.1f} s ({rate:.0f} passages/s) -> {self.path}"
        ]
        if self.embedding is not None and self.embedding.reused:
            lines.append(f"embedded {self.embedding.embedded} passages "
                         f"({', '.join(self.embedding.embedded_sources) or 'none'}), "
                         f"reused {self.embedding.reused} from the previous version")
        if self.attribution is not None and self.attribution.get("reused"):
            lines.append(f"attributed {self.attribution['parsed']} documents, reused "
                         f"{self.attribution['reused']} from the previous version")
        lines += [f"skipped {src}: {why}" for src, why in self.skipped]
        return "\n".join(lines)


def embed(encoder: Encoder, texts: list[str], progress: bool = False) -> np.ndarray:
    """(n, dim) float32 unit vectors, encoded in batches so the progress bar can move.

    Texts go to the encoder sorted by length, so each batch pads to similar lengths (a batch
    costs as much as its longest text); rows come back in the input order.
    """
    from tqdm import tqdm

    order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
    out = np.empty((len(texts), int(encoder.dim)), dtype=np.float32)
    with tqdm(total=len(texts), desc="embedding", unit="passage", disable=not progress) as bar:
        for lo in range(0, len(order), ENCODE_BATCH):
            rows = order[lo : lo + ENCODE_BATCH]
            out[rows] = encoder.encode([texts[i] for i in rows])
            bar.update(len(rows))
    return out


def build_in_memory(
    corpus: Corpus,
    encoder: Encoder,
    settings: ChunkSettings = ChunkSettings(),
    progress: bool = False,
    previous: StoredIndex | None = None,
    dense: DenseSettings = DenseSettings(),
    attributor: Attributor | None = None,
) -> StoredIndex:
    """Chunk, attribute, embed and BM25-index a loaded corpus without touching the disk.

    With ``previous`` (the index version being replaced), passages whose embedded text it
    already holds keep their vectors and only the rest is encoded (:mod:`index.incremental`),
    and files whose SHA-256 it already holds keep their attribution (only new and changed
    files are parsed). ``attributor`` parses (default: :func:`default_attributor`).
    """
    planned = plan_corpus(corpus.documents, settings)
    reused = previous_attributions(previous, corpus)
    todo = [d for d in corpus.documents if d.source not in reused]
    lexical = [p.indexed_text for p in planned]
    # spaCy parses while the encoder embeds (ONNX Runtime runs without the GIL): passage text
    # and offsets do not depend on who speaks, only their metadata does.
    with ThreadPoolExecutor(1, thread_name_prefix="embed") as pool:
        embedding = pool.submit(embed_with_reuse, planned, settings.dense_context, encoder,
                                lambda texts: embed(encoder, texts, progress), previous)
        parsed = attribute_documents([d.text for d in todo], attributor) if todo else []
        vectors, stats = embedding.result()
    attributions = {**reused, **{d.source: a for d, a in zip(todo, parsed)}}
    passages = attach_corpus(planned, attributions)
    index = make_dense_index(vectors, dense)
    manifest = make_manifest(corpus, settings, encoder, len(passages))
    manifest = {**manifest, "dense": {**describe(index), "settings": dense.to_json()},
                "embedding": stats.to_json(),
                "attribution": {**attribution_fingerprint(), "parsed": len(todo), "reused": len(reused)}}
    by_source = {d.source: (d.sha256, attributions[d.source]) for d in corpus.documents}
    return StoredIndex(Path(), manifest, passages, index, build_bm25(lexical), by_source)


def index_passages(
    passages: list[Passage],
    encoder: Encoder,
    manifest: dict[str, Any],
    dense_context: bool = False,
    progress: bool = False,
    previous: StoredIndex | None = None,
    dense: DenseSettings = DenseSettings(),
) -> StoredIndex:
    """BM25-index passages with their context and embed them with or without it, in memory.

    The FAISS index type follows ``dense`` and the passage count (:mod:`index.dense`); the
    manifest records it under "dense" and the reuse counts under "embedding".
    """
    lexical = [p.indexed_text for p in passages]
    vectors, stats = embed_with_reuse(passages, dense_context, encoder,
                                      lambda texts: embed(encoder, texts, progress), previous)
    index = make_dense_index(vectors, dense)
    manifest = {**manifest, "dense": {**describe(index), "settings": dense.to_json()},
                "embedding": stats.to_json()}
    return StoredIndex(Path(), manifest, passages, index, build_bm25(lexical))


def build_index(
    corpus_dir: Path,
    index_dir: Path,
    encoder: Encoder,
    settings: ChunkSettings = ChunkSettings(),
    progress: bool = False,
    reuse: bool = True,
    dense: DenseSettings = DenseSettings(),
    attributor: Attributor | None = None,
) -> BuildReport:
    """Load, chunk, embed, BM25-index and persist. Returns counts and elapsed time.

    With ``reuse`` (the default), the vectors of the index now at ``index_dir`` are reused for
    unchanged passages when it was built with the same model, so adding or editing a file
    embeds only that file; ``reuse=False`` (``--force``) encodes everything again.
    """
    t0 = time.perf_counter()
    corpus = load_corpus(corpus_dir)
    previous = _previous(Path(index_dir)) if reuse else None
    built = build_in_memory(corpus, encoder, settings, progress, previous, dense, attributor)
    del previous
    path = write_index(Path(index_dir), built.manifest, built.passages, built.dense, built.bm25, built.attributions)
    stats = built.manifest["embedding"]
    return BuildReport(
        path=path,
        documents=len(corpus.documents),
        passages=len(built.passages),
        skipped=[(s.source, s.reason) for s in corpus.skipped],
        seconds=time.perf_counter() - t0,
        embedding=EmbedStats(stats["reused"], stats["embedded"], tuple(stats["embedded_sources"])),
        attribution=built.manifest.get("attribution"),
    )


def previous_attributions(previous: StoredIndex | None, corpus: Corpus) -> dict[str, DocumentAttribution]:
    """Attributions of the previous version for files whose bytes and attribution engine are
    unchanged (source -> result)."""
    if previous is None or previous.manifest.get("attribution", {}).get("engine") is None:
        return {}
    now = attribution_fingerprint()
    before = previous.manifest["attribution"]
    if any(before.get(k) != now[k] for k in ("engine", "lexicon_sha256", "spacy", "model_version")):
        return {}
    stored = previous.attributions if previous.attributions is not None else read_attributions(previous.path)
    return {d.source: stored[d.source][1] for d in corpus.documents
            if d.source in stored and stored[d.source][0] == d.sha256}


def _previous(index_dir: Path) -> StoredIndex | None:
    """The current index version, if one loads; a missing or broken one just means no reuse."""
    try:
        return read_index(index_dir)
    except (IndexError_, KeyError, ValueError, OSError):
        return None


def make_manifest(corpus: Corpus, settings: ChunkSettings, encoder: Encoder, n: int) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "created_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "corpus": {"root": str(corpus.root), "files": corpus.hashes()},
        "chunking": {**settings.to_json(), "version": CHUNKER_VERSION},
        "model": {"id": encoder.model_id, "dim": int(encoder.dim), "normalised": True},
        "encoder": dict(getattr(encoder, "manifest_entry", {})),
        "dense": {"type": "IndexFlatIP", "metric": "inner product on unit vectors"},
        "counts": {"documents": len(corpus.documents), "passages": n},
        "skipped": [{"source": s.source, "reason": s.reason} for s in corpus.skipped],
        "versions": versions(_VERSIONED),
    }


def stale_reasons(
    manifest: dict[str, Any], corpus_dir: Path, settings: ChunkSettings, model_id: str
) -> list[str]:
    """Why an index no longer matches the corpus, settings or model; empty if it is fresh."""
    reasons = []
    built = manifest.get("corpus", {}).get("files", {})
    now = file_hashes(Path(corpus_dir))
    added = sorted(set(now) - set(built))
    removed = sorted(set(built) - set(now))
    changed = sorted(k for k in set(now) & set(built) if now[k] != built[k])
    for label, names in (("added", added), ("removed", removed), ("changed", changed)):
        if names:
            reasons.append(f"{label} since the build: {', '.join(names)}")
    if ChunkSettings.from_json(manifest.get("chunking", {})) != settings:
        reasons.append(f"chunking settings changed: {manifest.get('chunking')} -> {settings.to_json()}")
    if manifest.get("chunking", {}).get("version") != CHUNKER_VERSION:
        reasons.append(f"chunking code changed: version {manifest.get('chunking', {}).get('version')} "
                       f"-> {CHUNKER_VERSION}")
    if manifest.get("model", {}).get("id") != model_id:
        reasons.append(f"model changed: {manifest.get('model', {}).get('id')} -> {model_id}")
    built_with = manifest.get("attribution", {})
    now = attribution_fingerprint()
    changed = [k for k in ("engine", "lexicon_sha256", "spacy", "model_version") if built_with.get(k) != now[k]]
    if changed:
        reasons.append("speaker attribution changed: " + ", ".join(
            f"{k} {built_with.get(k)} -> {now[k]}" for k in changed))
    return reasons


def ensure_index(
    corpus_dir: Path,
    index_dir: Path,
    settings: ChunkSettings,
    model_id: str,
    encoder_factory: Callable[[], Encoder],
    rebuild: bool = True,
    force: bool = False,
    log: Callable[[str], None] = lambda msg: print(msg, file=sys.stderr),
) -> BuildReport | None:
    """Build the index if it is missing, stale or ``force``; return the report, or None if fresh.

    With ``rebuild=False`` a missing or stale index raises instead (``--no-rebuild``).
    ``encoder_factory`` is only called when a build is needed.
    """
    from index.store import IndexCorrupt

    if not force:
        try:
            reasons = stale_reasons(read_manifest(index_dir), corpus_dir, settings, model_id)
        except (IndexMissing, IndexCorrupt) as exc:
            reasons = [str(exc)]
        if not reasons:
            return None
        if not rebuild:
            raise IndexStale(f"index at {index_dir} is stale or missing: " + "; ".join(reasons))
        log(f"rebuilding index at {index_dir}: " + "; ".join(reasons))
    report = build_index(corpus_dir, index_dir, encoder_factory(), settings, progress=True, reuse=not force)
    log(report.summary())
    return report
