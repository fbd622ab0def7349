"""Checks on text that arrives from the web before it reaches the retrieval layer.

JSON (what browsers, gradio_client and API callers send) can spell lone UTF-16 surrogates such
as ``"\\ud800"``. Python decodes them into a ``str`` that is not text: it cannot be encoded as
UTF-8, so a reply that echoes it (a who-question's answer repeats the question's words) fails
to serialise, and the model's tokenizer cannot take it. Such a question is refused in plain words.
"""

from __future__ import annotations

import re

_SURROGATE = re.compile("[\ud800-\udfff]")
NOT_TEXT = "the question is not valid Unicode text (it contains unpaired surrogates)"


def has_lone_surrogates(text: str) -> bool:
    """True if ``text`` holds any UTF-16 surrogate code point (U+D800 to U+DFFF)."""
    return _SURROGATE.search(text) is not None
