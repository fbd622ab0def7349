"""Vector noise of a chosen size, as an Encoder wrapper: what an int8 kernel does to rankings.

Int8 kernels differ between CPUs (AVX-512 VNNI against AVX2's saturating VPMADDUBSW), and so
do the int8 vectors they give: measured against fp32, cosine 0.984-0.995, different texts
differing on different CPUs. One machine cannot run both kernels, but it can add noise of that
size and see how far rankings move. :func:`perturb` turns each unit vector ``v`` into the unit
vector at exactly cosine ``c`` from it, in a random direction orthogonal to ``v``:
``v' = c v + sqrt(1 - c^2) u``, ``u`` a random unit vector with ``u . v = 0``.

The noise of a text depends only on ``(seed, text)``, so within one seed the same question
gets the same vector in search and in answer scoring, as a real encoder's would.
"""

from __future__ import annotations

import hashlib
import threading

import numpy as np


def _rng(seed: int, text: str) -> np.random.Generator:
    key = int.from_bytes(hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=8).digest(), "little")
    return np.random.default_rng([seed, key])


def perturb(vector: np.ndarray, cosine: float, rng: np.random.Generator) -> np.ndarray:
    """The unit vector at cosine ``cosine`` from unit ``vector`` (shape (dim,), float32)."""
    if not 0.0 < cosine <= 1.0:
        raise ValueError("cosine must be in (0, 1]")
    v = np.asarray(vector, dtype=np.float64)
    u = rng.standard_normal(v.shape[0])
    u -= (u @ v) * v
    u /= np.linalg.norm(u)
    out = cosine * v + np.sqrt(max(0.0, 1.0 - cosine * cosine)) * u
    return (out / np.linalg.norm(out)).astype(np.float32)


def perturb_rows(vectors: np.ndarray, texts: list[str], cosine: float, seed: int) -> np.ndarray:
    """Each row of ``vectors`` (n, dim) perturbed by the noise of ``(seed, texts[i])``."""
    return np.stack([perturb(v, cosine, _rng(seed, t)) for v, t in zip(vectors, texts)]) if len(texts) \
        else np.asarray(vectors, dtype=np.float32)


class MemoEncoder:
    """Remembers every vector its encoder made (text -> (dim,) float32), so that many noisy
    runs over one corpus encode each text once. Follows the Encoder protocol."""

    def __init__(self, encoder):
        self.encoder = encoder
        self.model_id = encoder.model_id
        self.dim = encoder.dim
        self._vectors: dict[str, np.ndarray] = {}
        self._lock = threading.Lock()

    def encode(self, texts: list[str]) -> np.ndarray:
        texts = list(texts)
        with self._lock:
            missing = list(dict.fromkeys(t for t in texts if t not in self._vectors))
        if missing:
            fresh = np.asarray(self.encoder.encode(missing), dtype=np.float32)
            with self._lock:
                self._vectors.update(zip(missing, fresh))
        with self._lock:
            rows = [self._vectors[t] for t in texts]
        return np.stack(rows).astype(np.float32) if rows else np.zeros((0, self.dim), dtype=np.float32)


class PerturbedEncoder:
    """``encoder``'s vectors, each moved to cosine ``cosine`` by the noise of ``(seed, text)``."""

    def __init__(self, encoder, cosine: float, seed: int):
        self.encoder = encoder
        self.cosine = cosine
        self.seed = seed
        self.model_id = f"{encoder.model_id}+noise{cosine}@{seed}"
        self.dim = encoder.dim

    def encode(self, texts: list[str]) -> np.ndarray:
        texts = list(texts)
        return perturb_rows(self.encoder.encode(texts), texts, self.cosine, self.seed)
