"""Counts and amounts as text writes them: in figures ("18", "$1.1 trillion", "43%") and in
words ("twenty-seven", "a dozen", "two-thirds", "hundreds of", "up to eight", "half").

News text spells out small counts and fractions, so a check for "is there a number here"
that only knows digits misses "Twenty-seven states …" and "up to eight super-casinos".
Pure functions over strings; no corpus words.
"""

from __future__ import annotations

import re

_UNITS = ("zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
          "fifteen sixteen seventeen eighteen nineteen").split()
_TENS = "twenty thirty forty fifty sixty seventy eighty ninety".split()
_SCALES = "hundred thousand million billion trillion".split()
# Words that are counts or quantities on their own ("a dozen", "hundreds of", "a third of").
_QUANTITY = ("dozen dozens hundreds thousands millions billions scores half halves thirds quarters "
             "fifths tenths handful once twice thrice").split()
# An ordinal is a fraction only after "a" / "one" ("a third of voters", not "the third debate").
_FRACTION_AFTER_A = frozenset("third quarter fifth sixth tenth".split())
_ORDINAL_FRACTIONS = "half third thirds quarter quarters fifth fifths sixth sixths tenth tenths".split()
NUMBER_WORDS = frozenset(_UNITS + _TENS + _SCALES + _QUANTITY)
# Scale and unit words that may stand between a count and the thing counted ("2 million accounts",
# "18 percent of voters").
SCALE_WORDS = frozenset(_SCALES + ["bn", "m", "k", "percent", "per", "cent", "%"])

_FIGURE = re.compile(r"^[£$€]?\d[\d,.]*(?:%|bn|m|k|st|nd|rd|th|s)?$", re.IGNORECASE)


def _clean(token: str) -> str:
    return token.strip(".,;:!?()[]“”\"'‘’").lower().replace("’", "'")


def is_number_token(token: str) -> bool:
    """One token (punctuation around it ignored) that writes a count or amount: "18", "$1.1",
    "43%", "2,000", "seven", "Twenty-seven", "two-thirds", "dozen", "hundreds"."""
    tok = _clean(token)
    if not tok:
        return False
    if _FIGURE.match(tok):
        return True
    parts = [p for p in tok.split("-") if p]
    if not parts:
        return False
    if all(p in NUMBER_WORDS for p in parts):
        return True
    # "two-thirds", "one-fifth", "three-quarters"
    return len(parts) == 2 and parts[0] in _UNITS + _TENS and parts[1] in _ORDINAL_FRACTIONS


def tokens(text: str) -> list[str]:
    """White-space tokens, hyphenated compounds kept whole ("Twenty-seven", "two-thirds")."""
    return re.findall(r"[\w£$€%.,’'\-]+", text)


def number_at(toks: list[str], i: int) -> bool:
    """Is ``toks[i]`` a count: a number token, or a fraction after "a"/"one" ("a third")?"""
    if is_number_token(toks[i]):
        return True
    return _clean(toks[i]) in _FRACTION_AFTER_A and i > 0 and _clean(toks[i - 1]) in ("a", "one")


def has_number(text: str) -> bool:
    """Does ``text`` hold any count or amount, in figures or in words?"""
    if re.search(r"\d", text):
        return True
    toks = tokens(text)
    return any(number_at(toks, i) for i in range(len(toks)))
