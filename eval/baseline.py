"""The comparison points: the usual RAG recipe and plain BM25 on fixed-size chunks.

The usual recipe is what most tutorials build: RecursiveCharacterTextSplitter with its default
separators at chunk_size 1000 / overlap 200, all-MiniLM-L6-v2, a flat FAISS index, top-k.
No section splitting, no context, no BM25.
"""

from __future__ import annotations

from index.build import index_passages
from index.chunking import chunk_spans
from index.corpus import Corpus
from index.encoder import Encoder
from index.records import Passage
from index.store import StoredIndex


def plain_passages(corpus: Corpus, chunk_size: int, chunk_overlap: int) -> list[Passage]:
    """Fixed-size chunks with langchain's default separators and no context."""
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    splitter = RecursiveCharacterTextSplitter(chunk_size=chunk_size, chunk_overlap=chunk_overlap)
    passages: list[Passage] = []
    for doc in corpus.documents:
        meta = {"title": doc.title, "outlet": doc.outlet, "published": doc.published}
        for start, end in chunk_spans(doc.text, splitter):
            passages.append(Passage(len(passages), doc.source, start, end, doc.text[start:end], "", meta))
    return passages


def plain_index(corpus: Corpus, encoder: Encoder, chunk_size: int, chunk_overlap: int) -> StoredIndex:
    passages = plain_passages(corpus, chunk_size, chunk_overlap)
    manifest = {"model": {"id": encoder.model_id, "dim": encoder.dim},
                "chunking": {"chunk_size": chunk_size, "chunk_overlap": chunk_overlap, "plain": True}}
    return index_passages(passages, encoder, manifest)
