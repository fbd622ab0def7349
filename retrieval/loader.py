"""Compose the read path from settings: make sure the index is fresh, load it and the model."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from index.build import ensure_index
from index.cli import IndexArgs
from index.encoder import Encoder, load_encoder, model_id
from index.settings import ChunkSettings
from index.store import read_index
from retrieval.cache import CachedEncoder
from retrieval.searcher import SearchSettings, Searcher


@dataclass(frozen=True)
class Paths:
    corpus_dir: Path
    index_dir: Path
    model_path: str | None = None
    backend: str | None = None  # None: $DEBATEQA_ENCODER or the default (index.encoder)

    @classmethod
    def from_args(cls, ia: IndexArgs) -> Paths:
        return cls(ia.corpus_dir, ia.index_dir, ia.model_path, ia.backend)


def open_searcher(
    paths: Paths,
    chunking: ChunkSettings = ChunkSettings(),
    search: SearchSettings = SearchSettings(),
    rebuild: bool = True,
    encoder: Encoder | None = None,
    log: Callable[[str], None] = lambda msg: print(msg, file=sys.stderr),
    query_cache: int = 512,
) -> Searcher:
    """Rebuild the index if stale (or raise IndexStale when ``rebuild`` is False), then load.

    The model is loaded once and shared by the build (if any) and the searcher.
    ``query_cache``: how many question vectors to remember (:class:`CachedEncoder`); 0 for none
    (the benchmark's warm figures, which must not be repeats answered from memory).
    """
    holder: dict[str, Encoder] = {}

    def get_encoder() -> Encoder:
        if "enc" not in holder:
            holder["enc"] = encoder or load_encoder(paths.model_path, paths.backend)
        return holder["enc"]

    mid = encoder.model_id if encoder is not None else model_id(paths.model_path, paths.backend)
    ensure_index(paths.corpus_dir, paths.index_dir, chunking, mid, get_encoder, rebuild=rebuild, log=log)
    # The index is read before the model loads: a broken index is reported without waiting
    # for (or failing on) the model.
    index = read_index(paths.index_dir)
    # Repeated questions (example buttons, a question asked again) skip the encoder.
    query_encoder = CachedEncoder(get_encoder(), size=query_cache) if query_cache > 0 else get_encoder()
    return Searcher(index, query_encoder, search)
