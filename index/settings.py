"""Typed build settings. They are saved in the index manifest; a change makes the index stale."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class ChunkSettings:
    """How documents become passages.

    ``chunk_size`` and ``chunk_overlap`` are in characters (the splitter's ``len``).
    ``sections``: split live-blog entries and reader comments apart before chunking, so one
    passage never mixes two entries. ``context``: prepend the document's title, outlet and kind
    and the section's lead line (who is commenting, the entry's first line) to the text that is
    BM25-indexed. ``dense_context``: prepend it to the embedded text too (on the eval set it
    blurs MiniLM's vector of a short passage, so it is off). The cited text stays verbatim.
    The defaults were chosen on the eval set (see eval/README.md).
    """

    chunk_size: int = 550
    chunk_overlap: int = 110
    sections: bool = True
    context: bool = True
    dense_context: bool = False

    def to_json(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_json(cls, obj: dict[str, Any]) -> ChunkSettings:
        names = {f.name for f in dataclasses.fields(cls)}
        return cls(**{k: v for k, v in obj.items() if k in names})


ENCODER_BACKENDS = ("onnx", "onnx-int8", "torch")
DENSE_KINDS = ("auto", "flat", "ivf", "hnsw")


@dataclass(frozen=True)
class EncoderSettings:
    """How text becomes vectors (saved in the manifest as part of the model id).

    ``backend``: "onnx" (the default) runs the model exported locally to ONNX Runtime in fp32:
    the PyTorch vectors to 1e-6, and the same vectors on every CPU to about 1e-7, so answers do
    not depend on the machine. "onnx-int8" adds dynamic int8 quantisation of the weights: about
    twice as fast, but its vectors depend on the CPU's int8 kernel (cosine 0.97-0.995 to fp32;
    between an AVX-512 VNNI and an AVX2 machine 36% of the eval answers differ). "torch" runs
    sentence-transformers in PyTorch. See README "Performance". ``threads``: how many texts
    (ONNX batches) are encoded side by side, each on one thread; 0 for one per core.
    """

    backend: str = "onnx"
    threads: int = 0

    def __post_init__(self) -> None:
        if self.backend not in ENCODER_BACKENDS:
            raise ValueError(f"encoder backend must be one of {ENCODER_BACKENDS}, not {self.backend!r}")
        if self.threads < 0:
            raise ValueError("encoder threads must be >= 0")

    def to_json(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


@dataclass(frozen=True)
class DenseSettings:
    """Which FAISS index holds the passage vectors (saved in the manifest under "dense").

    ``kind``: "flat" (exact inner product), "ivf" (inverted lists over 8-bit scalar-quantised
    vectors), "hnsw" (graph over 8-bit vectors) or "auto": flat below ``ann_threshold``
    passages, ivf from there on. Chosen with ``python -m eval.scale`` (README "Performance"):
    flat search takes 1.2 ms at 20k passages and 6 ms at 50k on these 2 cores; IVF keeps
    recall@10 >= 0.95 against exact search from 10k to 1M passages, searches 1M in about 4 ms,
    holds them in 0.4 GB and builds in under a minute (HNSW: 2 ms, 0.6 GB, but 15 minutes to
    build on a busy machine, which an incremental update pays again). ``ivf_lists`` 0 means
    4 * sqrt(n); ``ivf_probe_factor`` sets how many lists a search visits: factor * sqrt(lists). ``hnsw_m`` neighbours per node;
    ``ef_construction`` and ``ef_search`` are HNSW's candidate-list lengths.
    """

    kind: str = "auto"
    ann_threshold: int = 20_000
    ivf_lists: int = 0
    ivf_probe_factor: float = 3.0
    hnsw_m: int = 32
    ef_construction: int = 80
    ef_search: int = 128

    def __post_init__(self) -> None:
        if self.kind not in DENSE_KINDS:
            raise ValueError(f"dense index kind must be one of {DENSE_KINDS}, not {self.kind!r}")
        if min(self.ann_threshold, self.hnsw_m, self.ef_construction, self.ef_search) < 1 or self.ivf_lists < 0:
            raise ValueError("ann_threshold, hnsw_m, ef_construction and ef_search must be >= 1")
        if not self.ivf_probe_factor > 0:
            raise ValueError("ivf_probe_factor must be > 0")

    def to_json(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_json(cls, obj: dict[str, Any]) -> DenseSettings:
        names = {f.name for f in dataclasses.fields(cls)}
        return cls(**{k: v for k, v in obj.items() if k in names})
