"""A small LRU cache of query embeddings, as an Encoder wrapper.

Chat users repeat themselves: the example buttons of the widget, a question asked again after
a follow-up, several visitors of one article asking the same thing. Encoding a question is the
largest part of a search that is not cached anywhere else, so remembering the last few hundred
question vectors turns a repeat into a dictionary lookup. Only the texts of small calls (a
question and its expansions: 1-4 texts) are remembered, so a batch of passages or answer
sentences passing through does not push the questions out.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

import numpy as np

from index.encoder import Encoder


class CachedEncoder:
    """Wraps an :class:`index.encoder.Encoder`; ``encode`` returns exactly what the wrapped one
    would, a fresh (n, dim) float32 array, encoding only the texts it has not seen recently.

    ``size``: how many texts to remember (least recently used go first). Texts longer than
    ``max_chars`` or from calls of more than ``max_batch`` texts are encoded but not
    remembered. Safe to share between the web server's worker threads.
    """

    def __init__(self, encoder: Encoder, size: int = 512, max_chars: int = 1000, max_batch: int = 8):
        if size < 1:
            raise ValueError("the query cache needs a size of at least 1")
        self.encoder = encoder
        self.model_id = encoder.model_id
        self.dim = encoder.dim
        self.size = size
        self.max_chars = max_chars
        self.max_batch = max_batch
        self.hits = 0
        self.misses = 0
        self._vectors: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()

    def encode(self, texts: list[str]) -> np.ndarray:
        texts = list(texts)
        out = np.empty((len(texts), self.dim), dtype=np.float32)
        missing: list[int] = []
        with self._lock:
            for i, text in enumerate(texts):
                vector = self._vectors.get(text)
                if vector is None:
                    missing.append(i)
                else:
                    self._vectors.move_to_end(text)
                    out[i] = vector
            self.hits += len(texts) - len(missing)
            self.misses += len(missing)
        if missing:
            # Encoded outside the lock: a slow encode must not hold up cache hits elsewhere.
            fresh = np.asarray(self.encoder.encode([texts[i] for i in missing]), dtype=np.float32)
            out[missing] = fresh
            if len(texts) > self.max_batch:
                return out
            with self._lock:
                for i, vector in zip(missing, fresh):
                    if len(texts[i]) <= self.max_chars:
                        self._vectors[texts[i]] = vector.copy()
                        self._vectors.move_to_end(texts[i])
                while len(self._vectors) > self.size:
                    self._vectors.popitem(last=False)
        return out

    def __len__(self) -> int:
        return len(self._vectors)
