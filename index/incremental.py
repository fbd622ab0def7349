"""Re-embed only what changed: reuse the vectors of the previous index version.

Encoding is the slow part of a build (a million passages take hours on 2 cores); chunking and
BM25 take seconds. A passage's vector depends only on the text that was embedded and on the
model, so a rebuild looks up every new passage's embedded text among the previous version's
passages and copies the vector when the model id (which includes the backend) is the same.
Files whose SHA-256 in the manifest is unchanged chunk to exactly the same passages, so only
new and changed files are embedded again; a removed file just loses its rows.

Vectors come back from the previous FAISS index: exact for a flat index, the decoded 8-bit
vector for HNSW/IVF storage, which quantises again to the same codes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np

from index.records import Passage


@dataclass(frozen=True)
class EmbedStats:
    """How many passage vectors were copied from the previous version and how many encoded,
    and which sources had passages encoded (new or changed files)."""

    reused: int = 0
    embedded: int = 0
    embedded_sources: tuple[str, ...] = field(default_factory=tuple)

    def to_json(self) -> dict[str, Any]:
        return {"reused": self.reused, "embedded": self.embedded,
                "embedded_sources": list(self.embedded_sources)}


def embedded_text(passage: Passage, dense_context: bool) -> str:
    """The text whose vector stands for the passage (see ChunkSettings.dense_context)."""
    return passage.indexed_text if dense_context else passage.text


def previous_vectors(previous: Any, model_id: str, dim: int) -> dict[str, np.ndarray] | None:
    """``{embedded text: vector}`` of a previous StoredIndex, or None if its vectors are from
    another model or backend (they cannot be mixed with new ones)."""
    from index.dense import all_vectors

    model = previous.manifest.get("model", {})
    if model.get("id") != model_id or int(model.get("dim", -1)) != dim:
        return None
    dense_context = bool(previous.manifest.get("chunking", {}).get("dense_context", False))
    vectors = all_vectors(previous.dense)
    return {embedded_text(p, dense_context): vectors[p.id] for p in previous.passages}


def embed_with_reuse(
    passages: list[Passage],
    dense_context: bool,
    encoder: Any,
    embed: Callable[[list[str]], np.ndarray],
    previous: Any | None = None,
) -> tuple[np.ndarray, EmbedStats]:
    """(n, dim) float32 vectors for ``passages`` in order, encoding only texts the previous
    version (a StoredIndex, or None) does not have. ``embed`` encodes a list of texts."""
    texts = [embedded_text(p, dense_context) for p in passages]
    known = previous_vectors(previous, encoder.model_id, int(encoder.dim)) if previous is not None else None
    if not known:
        return embed(texts), EmbedStats(0, len(texts), tuple(dict.fromkeys(p.source for p in passages)))
    missing = [i for i, t in enumerate(texts) if t not in known]
    out = np.empty((len(texts), int(encoder.dim)), dtype=np.float32)
    for i, t in enumerate(texts):
        if t in known:
            out[i] = known[t]
    if missing:
        out[missing] = embed([texts[i] for i in missing])
    sources = tuple(dict.fromkeys(passages[i].source for i in missing))
    return out, EmbedStats(len(texts) - len(missing), len(missing), sources)
