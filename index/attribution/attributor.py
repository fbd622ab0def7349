"""The attribution step of a build, with its spaCy pipeline and a cache of finished documents.

A build passes an :class:`Attributor` down (the CLI and the app make one; callers that do not
get :func:`default_attributor`, made on first use). It loads spaCy only when a document has to
be parsed, parses all new documents in one ``nlp.pipe``, and remembers each document's result
by the SHA-1 of its text, so a rebuild in the same process (an incremental update, the
benchmark's repeated builds, the test suite) parses only what changed. A build also reuses the
results stored in the previous index version (``attributions.jsonl``) for unchanged files.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from typing import Any

from index.attribution.records import DocumentAttribution


def text_key(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()


class Attributor:
    """``attribute(texts) -> list[DocumentAttribution]``; ``nlp`` is loaded on first need.

    ``cache``: how many documents' results to keep (0: none). ``parsed`` counts the documents
    parsed so far (what an incremental build reports).
    """

    def __init__(self, nlp: Any = None, cache: int = 2048):
        self._nlp = nlp
        self.cache_size = cache
        self._cache: OrderedDict[str, DocumentAttribution] = OrderedDict()
        self._lock = threading.Lock()
        self.parsed = 0

    @property
    def nlp(self) -> Any:
        if self._nlp is None:
            from index.attribution.nlp import load_nlp

            self._nlp = load_nlp()
        return self._nlp

    def attribute(self, texts: list[str]) -> list[DocumentAttribution]:
        from index.attribution.engine import attribute_texts

        keys = [text_key(t) for t in texts]
        out: list[DocumentAttribution | None] = []
        with self._lock:
            for k in keys:
                hit = self._cache.get(k)
                if hit is not None:
                    self._cache.move_to_end(k)
                out.append(hit)
        missing = [i for i, r in enumerate(out) if r is None]
        if missing:
            fresh = attribute_texts([texts[i] for i in missing], self.nlp)
            self.parsed += len(missing)
            with self._lock:
                for i, result in zip(missing, fresh):
                    out[i] = result
                    if self.cache_size:
                        self._cache[keys[i]] = result
                while len(self._cache) > self.cache_size:
                    self._cache.popitem(last=False)
        return out  # type: ignore[return-value]

    def remember(self, text: str, result: DocumentAttribution) -> None:
        """Take a result computed elsewhere (the previous index version) for ``text``."""
        if self.cache_size:
            with self._lock:
                self._cache[text_key(text)] = result


_DEFAULT: list[Attributor] = []
_DEFAULT_LOCK = threading.Lock()


def default_attributor() -> Attributor:
    """One Attributor per process for callers that pass none (made, not loaded, on first call)."""
    with _DEFAULT_LOCK:
        if not _DEFAULT:
            _DEFAULT.append(Attributor())
        return _DEFAULT[0]
