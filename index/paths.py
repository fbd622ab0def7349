"""Where things are by default. Environment variables mirror the CLI flags one to one."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
ENV_CORPUS = "DEBATEQA_CORPUS"
ENV_INDEX_DIR = "DEBATEQA_INDEX_DIR"
ENV_MODEL_PATH = "DEBATEQA_MODEL_PATH"


def default_corpus_dir() -> Path:
    """$DEBATEQA_CORPUS, else ../shared/corpus beside the project."""
    return Path(os.environ.get(ENV_CORPUS) or PROJECT_ROOT.parent / "shared" / "corpus")


def default_index_dir() -> Path:
    """$DEBATEQA_INDEX_DIR, else var/index in the project (git-ignored)."""
    return Path(os.environ.get(ENV_INDEX_DIR) or PROJECT_ROOT / "var" / "index")


def default_model_path() -> str | None:
    """$DEBATEQA_MODEL_PATH, else None (the packaged all-MiniLM-L6-v2)."""
    return os.environ.get(ENV_MODEL_PATH) or None
