"""BM25 over passages with bm25s: one tokenizer for documents and queries.

The same function tokenizes at build time and at query time; if they drifted apart, query
terms would silently miss the vocabulary.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import numpy as np

# Curly apostrophes are common in the corpus; map them so "Labour’s" and "Labour's" agree.
NO_TOKEN = " "  # never produced by tokenize(): tokens are runs of word characters
_QUOTES = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"'})


@lru_cache(maxsize=1)
def _stemmer():
    import Stemmer

    return Stemmer.Stemmer("english")


def tokenize(texts: list[str]) -> list[list[str]]:
    """Lower-cased, stop-word-free, Snowball-stemmed tokens, one list per text."""
    import bm25s

    normalised = [t.translate(_QUOTES) for t in texts]
    return bm25s.tokenize(
        normalised, stopwords="en", stemmer=_stemmer(), return_ids=False, show_progress=False
    )


def build_bm25(texts: list[str]):
    """A bm25s index over ``texts`` (document i = passage i)."""
    import bm25s

    tokens = tokenize(texts)
    if texts and not any(tokens):
        # Nothing but stop words and punctuation: bm25s cannot build an empty vocabulary. A token
        # the tokenizer never produces keeps the index valid; BM25 then matches nothing and the
        # dense side still searches these passages.
        tokens = [[NO_TOKEN] for _ in texts]
    model = bm25s.BM25()
    model.index(tokens, show_progress=False)
    return model


def save_bm25(model, folder: Path) -> None:
    """Plain .npy arrays and JSON (bm25s's own format, pickle disabled)."""
    model.save(str(folder), allow_pickle=False, show_progress=False)


def load_bm25(folder: Path):
    import bm25s

    return bm25s.BM25.load(str(folder), allow_pickle=False, load_corpus=False)


def bm25_scores(model, query: str) -> np.ndarray:
    """BM25 score of every passage for ``query``: (n_passages,) float32; zeros if no term matches."""
    tokens = [t for t in tokenize([query])[0] if t in model.vocab_dict]
    if not tokens:
        return np.zeros(int(model.scores["num_docs"]), dtype=np.float32)
    return np.asarray(model.get_scores(tokens), dtype=np.float32)
