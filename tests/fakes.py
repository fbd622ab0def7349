"""Test doubles: a fake encoder with hand-made, deterministic vectors (no model weights)."""

from __future__ import annotations

import hashlib
import re

import numpy as np


class FakeEncoder:
    """Bag of words hashed into ``dim`` buckets, L2-normalised: texts sharing words are close.

    Deterministic and instant, so index and search tests run without the real model.
    """

    def __init__(self, dim: int = 256, model_id: str = "fake-bow@1"):
        self.dim = dim
        self.model_id = model_id
        self.calls = 0

    def encode(self, texts: list[str]) -> np.ndarray:
        self.calls += 1
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, text in enumerate(texts):
            for word in re.findall(r"\w+", text.lower()):
                bucket = int.from_bytes(hashlib.md5(word.encode()).digest()[:4], "little") % self.dim
                out[i, bucket] += 1.0
            norm = np.linalg.norm(out[i])
            out[i] = out[i] / norm if norm else out[i]
            if not norm:
                out[i, 0] = 1.0
        return out


def write_docs(root, docs: dict[str, str]):
    """Write ``{file name: text}`` into the folder ``root`` (UTF-8) and return ``root``."""
    for name, text in docs.items():
        (root / name).write_text(text, encoding="utf-8")
    return root


def fake_searcher(corpus):
    """A searcher over ``corpus`` indexed in memory with a fresh :class:`FakeEncoder`."""
    from index.build import build_in_memory
    from retrieval.searcher import Searcher

    encoder = FakeEncoder()
    return Searcher(build_in_memory(corpus, encoder), encoder)
