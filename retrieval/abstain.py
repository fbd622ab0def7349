"""When the sources do not answer: checks a question's evidence must pass before it is answered.

Three rules, each general to extractive question answering:

1. Named things: every name in the question (a run of capitalised words after its first word,
   an acronym, "Lib Dem") must occur in the retrieved passages, word by word as a prefix
   ("Lib Dem" ~ "Liberal Democrat", "Conservatives" ~ "Conservative"). A question about
   someone the sources never name is not answered from passages about someone else. Of names
   listed together ("what did A, B, and C say"), one is enough.
2. Answer type: "how many N" needs a number within a few words before N (or N's acronym,
   "foundation trusts" ~ "FTs"); "how much / how long / how old / by how much" needs a number.
3. Strength: the best sentence's score (see :mod:`retrieval.evidence`) must reach a threshold
   calibrated on the eval set's answerable vs unanswerable questions (eval/README-answers.md).
"""

from __future__ import annotations

import re

from index.attribution.lexicon import COMMON_CAPS
from retrieval.evidence import terms

_NUMBER = re.compile(
    r"(?:[£$€]\s?\d|\d[\d,.]*\s?(?:%|per\s*cent|bn|m\b|k\b|million|billion)?|\b(?:one|two|three|four|five|six|seven|"
    r"eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|hundred|thousand|dozen|half|"
    r"a\s+third|a\s+quarter)\b)",
    re.IGNORECASE,
)
_HOW_MANY = re.compile(r"\bhow\s+many\s+(?P<np>(?:[\w’'\-]+\s+){0,4}?[\w’'\-]+?)\s+"
                       r"(?=(?:did|do|does|were|was|are|is|would|will|could|can|have|has|had|took|take|"
                       r"committed|voted|received|warned|got|get|been)\b)", re.IGNORECASE)
_NEEDS_NUMBER = re.compile(r"\bhow\s+(?:much|old|far|big|large)\b|\bwhat\s+(?:share|"
                           r"proportion|percentage|amount|sum)\b", re.IGNORECASE)
_NEEDS_TIME = re.compile(r"\bhow\s+(?:long|quickly|soon|often|much\s+time)\b", re.IGNORECASE)
_TIME_UNIT = re.compile(r"\b(?:second|minute|hour|day|week|fortnight|month|year|decade)s?\b", re.IGNORECASE)
_BETWEEN = {"of", "the", "and", "more", "new", "extra", "further", "additional", "other", "than", "over",
            "some", "about", "around", "almost", "nearly", "a", "an"}
_QUESTION_WORDS = {"Who", "What", "Which", "When", "Where", "Why", "How", "Did", "Does", "Do", "Is", "Are",
                   "Was", "Were", "Will", "Would", "Could", "Can", "Should", "Has", "Have", "Had", "Under",
                   "According", "By", "Over", "In", "On", "At", "For", "From", "To", "Must", "If"}
_NAME = re.compile(r"(?:[A-Z][\w’'\-]*|[A-Z]{2,}\w*)(?:\s+(?:[A-Z][\w’'\-]*|of|and|the|for))*")


def named_things(question: str) -> list[list[str]]:
    """Names in the question, each a list of words (the question's first word is skipped)."""
    words = question.split(maxsplit=1)
    body = words[1] if len(words) > 1 else ""
    out = []
    for m in _NAME.finditer(body):
        parts = [w for w in re.findall(r"[\w’'\-]+", m.group()) if w not in ("of", "and", "the", "for")]
        parts = [re.sub(r"[’']s$", "", w) for w in parts]
        parts = [w for w in parts if w and w not in _QUESTION_WORDS and w not in COMMON_CAPS or w.isupper()]
        if parts and not all(w in COMMON_CAPS and not w.isupper() for w in parts):
            out.append(parts)
    return out


_CONNECTIVES = {"of", "and", "the", "for", "&"}


def _norm(word: str) -> str:
    return word.lower().replace("’", "'").removesuffix("'s").rstrip("s")


def _words(text: str) -> list[str]:
    """Normalised words, hyphenated compounds split ("NHS-style" -> "nh", "style"), connectives
    dropped so "Department of Health" and "Department Health" agree."""
    return [_norm(w) for w in re.findall(r"[^\W_]+(?:[’'][^\W_]+)?", text) if w.lower() not in _CONNECTIVES]


def name_found(name: list[str], text_words: list[str]) -> bool:
    """``name``'s words occur in order in ``text_words``, each as a prefix of a text word."""
    wanted = [w for part in name for w in _words(part)]
    if len(wanted) > 1 and "".join(w[0] for w in wanted) in text_words:
        return True  # "Department of Health" ~ "DH"
    for i in range(len(text_words) - len(wanted) + 1):
        if all(text_words[i + k].startswith(w) for k, w in enumerate(wanted)):
            return True
    return False


def missing_name(question: str, evidence_text: str) -> str | None:
    """The first name in the question that the evidence never mentions, if any. Names listed
    together ("A, B, and C", "A and B") ask about any of them: one found is enough."""
    words = _words(evidence_text)
    for group in _listed(question):
        names = [n for part in group for n in named_things("_ " + part)]
        if names and not any(name_found(name, words) for name in names):
            return " ".join(names[0])
    return None


# "A, B, and C" / "A and the B": capitalised names joined by commas or "and" (a follow-up's
# "they" becomes such a list). "Health and Social Care" is split too: either part will do.
_LIST_GAP = re.compile(r"\s*,\s*(?:and\s+)?(?:the\s+)?|\s+and\s+(?:the\s+)?")
_AND_NAME = re.compile(r"\s+and\s+(?:the\s+)?(?=[A-Z])")


def _listed(question: str) -> list[list[str]]:
    """The question's names (after its first word), in groups of names listed together."""
    words = question.split(maxsplit=1)
    body = words[1] if len(words) > 1 else ""
    groups: list[list[str]] = []
    last_end = -1
    for m in _NAME.finditer(body):
        parts = [p for p in _AND_NAME.split(m.group()) if p.strip()]
        if groups and _LIST_GAP.fullmatch(body[last_end : m.start()]):
            groups[-1].extend(parts)
        else:
            groups.append(parts)
        last_end = m.end()
    return groups


def _acronym(words: list[str]) -> str:
    return "".join(w[0] for w in words).lower()


def type_fits(question: str, sentence: str) -> bool:
    """Does ``sentence`` hold the kind of answer the question asks for (a number, a count of
    the thing asked about)? True when the question asks for no particular type."""
    m = _HOW_MANY.search(question)
    if m:
        noun_words = [w for w in re.findall(r"[\w’'\-]+", m.group("np"))
                      if w.lower() not in ("more", "new", "extra", "additional", "of", "the")]
        if not noun_words:
            return bool(_NUMBER.search(sentence))
        head = terms(noun_words[-1])
        acronym = _acronym(noun_words) if len(noun_words) > 1 else None
        tokens = re.findall(r"[\w£$€%.,’'\-]+", sentence)
        phrase = {w.lower() for w in noun_words}
        for i, tok in enumerate(tokens):
            if not _NUMBER.fullmatch(tok.strip(".,")) and not re.fullmatch(r"[£$€]?\d[\d,.]*\w*", tok.strip(".,")):
                continue
            # The counted thing is the first noun after the number: only modifiers may come between.
            for follow in tokens[i + 1 : i + 8]:
                clean = follow.strip(".,").lower()
                if head and terms(clean) == head or acronym and clean.rstrip("s") == acronym:
                    return True
                if not (clean in phrase or clean in _BETWEEN or follow[:1].isupper()
                        or clean.endswith(("ing", "al", "ed", "’s", "'s"))):
                    break
        return False
    if _NEEDS_TIME.search(question):
        return bool(_NUMBER.search(sentence) or _TIME_UNIT.search(sentence))
    if _NEEDS_NUMBER.search(question):
        return bool(_NUMBER.search(sentence))
    return True


def wants_type(question: str) -> bool:
    return bool(_HOW_MANY.search(question) or _NEEDS_TIME.search(question) or _NEEDS_NUMBER.search(question))
