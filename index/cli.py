"""Command-line flags shared by every entry point that may build an index."""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from pathlib import Path

from index.paths import default_corpus_dir, default_index_dir, default_model_path
from index.settings import ENCODER_BACKENDS, ChunkSettings


def add_index_args(parser: argparse.ArgumentParser) -> None:
    """--corpus, --index-dir, --model-path and the chunking flags (one flag per setting)."""
    d = ChunkSettings()
    parser.add_argument("--corpus", type=Path, default=None,
                        help="corpus folder (env DEBATEQA_CORPUS; default ../shared/corpus)")
    parser.add_argument("--index-dir", type=Path, default=None,
                        help="index folder (env DEBATEQA_INDEX_DIR; default var/index)")
    parser.add_argument("--model-path", default=None,
                        help="local sentence-transformers folder (env DEBATEQA_MODEL_PATH; "
                             "default: the packaged all-MiniLM-L6-v2)")
    parser.add_argument("--chunk-size", type=int, default=d.chunk_size, help="characters per passage")
    parser.add_argument("--chunk-overlap", type=int, default=d.chunk_overlap, help="characters")
    parser.add_argument("--no-sections", dest="sections", action="store_false",
                        help="do not split live-blog entries and comments apart before chunking")
    parser.add_argument("--no-context", dest="context", action="store_false",
                        help="do not prepend title, outlet and section lead for BM25")
    parser.add_argument("--dense-context", action="store_true",
                        help="prepend that context to the embedded text too")
    parser.add_argument("--encoder", choices=ENCODER_BACKENDS, default=None,
                        help="embedding backend (env DEBATEQA_ENCODER; default onnx: the model "
                             "exported locally to ONNX Runtime, fp32, the same vectors on every CPU; "
                             "onnx-int8: twice as fast, CPU-dependent vectors; torch: sentence-transformers)")


@dataclass(frozen=True)
class IndexArgs:
    """What the index flags resolve to, with environment variables and defaults applied."""

    corpus_dir: Path
    index_dir: Path
    model_path: str | None
    backend: str
    chunking: ChunkSettings


def resolve_index_args(args: argparse.Namespace) -> IndexArgs:
    """The index flags with env and defaults applied; ValueError for impossible settings."""
    from index.encoder import default_backend

    if args.chunk_size < 1 or not 0 <= args.chunk_overlap < args.chunk_size:
        raise ValueError("need --chunk-size >= 1 and 0 <= --chunk-overlap < --chunk-size")
    chunking = ChunkSettings(
        args.chunk_size, args.chunk_overlap, args.sections, args.context, args.dense_context
    )
    return IndexArgs(
        corpus_dir=args.corpus or default_corpus_dir(),
        index_dir=args.index_dir or default_index_dir(),
        model_path=args.model_path or default_model_path(),
        backend=getattr(args, "encoder", None) or default_backend(),
        chunking=chunking,
    )


def user_errors() -> tuple[type[Exception], ...]:
    """Errors that mean bad input or a missing piece, not a bug: shown as one line, no traceback."""
    from index.corpus import CorpusError
    from index.encoder import ModelUnavailable
    from index.store import IndexError_

    return (IndexError_, CorpusError, ModelUnavailable, ValueError)


def report_error(exc: Exception) -> int:
    """Print ``error: ...`` to stderr; exit 1 for a missing, stale or corrupt index, else 2."""
    import sys

    from index.store import IndexError_

    print(f"error: {exc}", file=sys.stderr)
    return 1 if isinstance(exc, IndexError_) else 2
