"""The dense index: which FAISS index holds the passage vectors, chosen by corpus size.

Small corpora get an exact flat inner-product index: a few thousand passages are scanned in
well under a millisecond and nothing can be missed. From ``DenseSettings.ann_threshold``
passages on, ``auto`` switches to IVF over 8-bit scalar-quantised vectors: a quarter of flat's
memory (1M x 384 dims: 0.38 GB instead of 1.5 GB), a few milliseconds per search at a million
passages, and a build of under a minute, which matters because an incremental update rebuilds
the FAISS index from the reused vectors. HNSW (``kind="hnsw"``) searches faster but takes
twenty times longer to build. ``eval/scale.py`` measures all three on synthetic corpora.

Whatever the type, FAISS id ``i`` is passage ``i`` and vectors are unit length (inner product =
cosine), so the searcher calls ``index.search`` the same way. Search depths (``efSearch``,
``nprobe``) are stored inside the FAISS file, so a loaded index searches as it was built to.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from index.settings import DenseSettings

TRAIN_SAMPLE = 100_000  # vectors used to fit the scalar quantiser / IVF centroids
_SEED = 1234


def choose_kind(n: int, settings: DenseSettings = DenseSettings()) -> str:
    """"flat", "hnsw" or "ivf" for ``n`` passages."""
    if settings.kind != "auto":
        return settings.kind
    return "flat" if n < settings.ann_threshold else "ivf"


def make_dense_index(vectors: np.ndarray, settings: DenseSettings = DenseSettings(), kind: str | None = None):
    """A FAISS inner-product index over ``vectors``, (n, dim) float32 unit rows, ids 0..n-1."""
    import faiss

    vectors = np.ascontiguousarray(vectors, dtype=np.float32)
    n, dim = vectors.shape
    kind = kind or choose_kind(n, settings)
    if kind == "flat" or n == 0:
        index = faiss.IndexFlatIP(dim)
    elif kind == "hnsw":
        index = faiss.index_factory(dim, f"HNSW{settings.hnsw_m},SQ8", faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efConstruction = settings.ef_construction
        index.hnsw.efSearch = settings.ef_search
        index.train(_sample(vectors))
    elif kind == "ivf":
        lists = ivf_lists(n, settings)
        index = faiss.index_factory(dim, f"IVF{lists},SQ8", faiss.METRIC_INNER_PRODUCT)
        index.train(_sample(vectors, max(TRAIN_SAMPLE, 40 * lists)))
        index.nprobe = ivf_probes(lists, settings)
    else:
        raise ValueError(f"unknown dense index kind {kind!r}")
    if n:
        index.add(vectors)
    return index


def ivf_lists(n: int, settings: DenseSettings = DenseSettings()) -> int:
    """Number of inverted lists: ``settings.ivf_lists`` or 4 * sqrt(n), at least 1, at most n/39."""
    if settings.ivf_lists:
        return settings.ivf_lists
    return int(max(1, min(4 * np.sqrt(max(n, 1)), n // 39 or 1)))


def ivf_probes(lists: int, settings: DenseSettings = DenseSettings()) -> int:
    """Lists an IVF search visits: ``ivf_probe_factor`` * sqrt(lists), at most all of them.

    The share of lists needed for recall@10 >= 0.95 falls as the corpus grows (20% at 10k
    passages, 5% at 1M); a square root follows that curve (eval/scale.py).
    """
    return int(min(lists, max(1, round(settings.ivf_probe_factor * np.sqrt(lists)))))


def describe(index: Any) -> dict[str, Any]:
    """What the manifest records about a dense index: kind, FAISS class and search depths."""
    import faiss

    out: dict[str, Any] = {"type": type(index).__name__, "metric": "inner product on unit vectors"}
    if isinstance(index, faiss.IndexHNSW):
        out.update(kind="hnsw", m=int(index.hnsw.nb_neighbors(1)), ef_construction=int(index.hnsw.efConstruction),
                   ef_search=int(index.hnsw.efSearch), storage="SQ8")
    elif isinstance(index, faiss.IndexIVF):
        out.update(kind="ivf", lists=int(index.nlist), nprobe=int(index.nprobe), storage="SQ8")
    else:
        out.update(kind="flat")
    return out


def all_vectors(index: Any) -> np.ndarray:
    """Every stored vector, (ntotal, dim) float32, in id order.

    Exact for a flat index; for 8-bit storage it is the decoded vector (within ~1/255 of the
    original per dimension), which re-encodes to the same codes.
    """
    import faiss

    n = int(index.ntotal)
    if n == 0:
        return np.empty((0, int(index.d)), dtype=np.float32)
    if isinstance(index, faiss.IndexIVF):
        index.make_direct_map()
    return np.ascontiguousarray(index.reconstruct_n(0, n), dtype=np.float32)


def _sample(vectors: np.ndarray, size: int = TRAIN_SAMPLE) -> np.ndarray:
    if len(vectors) <= size:
        return vectors
    rows = np.random.default_rng(_SEED).choice(len(vectors), size, replace=False)
    return vectors[np.sort(rows)]
