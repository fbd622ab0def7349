"""Reading a who-question: its verb, the side it asks for, and the proposition.

"Who opposed X?", "Who has come out against X?", "Which senators went after X?", "Who is
backing X?", "Who wants to keep X?", "Which tax experts found fault with X?". The verb decides
the side (``polarity``: "opposes", "supports", or None for "who said / argued …"); the words
after it are the proposition the stances are about. "Which N …" questions name the kind of
actor asked for (``asked_for``: "senators", "tax experts"), and are read as who-questions only
with a verb that takes a side, so "Which hospital trust became …" stays a factual question.

Only ``re``: the search plan (:mod:`retrieval.query`) reads questions with it too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Verb phrases -> the side the question asks for. General English of political debate, in the
# forms a question uses them (past, present, perfect participle).
OPPOSE = (
    r"opposed?|opposes|critici[sz]e[ds]?|attacked|attacks?|rejected|rejects?|objected\s+to|objects?\s+to|"
    r"questioned|questions?|doubted|doubts?|condemned|condemns?|challenged|disagreed\s+with|disputed|"
    r"warned(?:\s+(?:against|about|of))?|warns?(?:\s+(?:against|about|of))?|raised\s+concerns?(?:\s+(?:about|over))?|"
    r"expressed\s+(?:concerns?|alarm|doubts?)(?:\s+(?:about|over|at))?|argued\s+against|spoken?\s+(?:out\s+)?against|"
    r"(?:was|were|is|are)\s+against|resisted|dismissed|distrusted|feared|slammed|blasted|denounced|decried|"
    r"ridiculed|mocked|derided|ripped(?:\s+into)?|lambasted|berated|scolded|accused|blamed|"
    r"(?:went|go|goes|gone)\s+after|(?:found|finds?)\s+fault\s+with|(?:came|come|comes)\s+out\s+against|"
    r"hit\s+out\s+at|took\s+aim\s+at|taken\s+aim\s+at|lashed\s+out\s+at|pushed\s+back\s+(?:on|against)|"
    r"voted\s+against|protested(?:\s+against)?|sued|(?:called|calls)\s+out|(?:wants?|wanted)\s+to\s+"
    r"(?:scrap|repeal|end|abolish|stop|block|kill|overturn)"
)
SUPPORT = (
    r"supported|supports?|backed|backs?|(?:is|are|was|were)\s+backing|welcomed|welcomes?|praised|praises?|"
    r"endorsed|endorses?|favou?red|favou?rs?|championed|champions?|defended|defends?|argued\s+for|"
    r"spoken?\s+(?:up\s+|out\s+)?for|called\s+for|calls?\s+for|(?:called|calls?)\s+on|urged|urges?|"
    r"(?:was|were|is|are)\s+in\s+favou?r\s+of|agreed\s+with|liked|approved(?:\s+of)?|pushed\s+for|"
    r"(?:stood|stand|stands)\s+up\s+for|stuck\s+up\s+for|vouched\s+for|rallied\s+(?:behind|around|to)|"
    r"(?:came|come|comes)\s+out\s+(?:for|in\s+favou?r\s+of)|hailed|applauded|lauded|commended|cheered|"
    r"embraced|lobbied\s+for|campaigned\s+for|voted\s+for|signed\s+on\s+to|"
    r"(?:wants?|wanted)\s+to\s+(?:keep|save|extend|protect|preserve|expand)"
)
NEUTRAL = (
    r"said|says?|argued(?:\s+that)?|argues?|claimed|claims?|suggested|suggests?|proposed|proposes?|announced|"
    r"set\s+out|sets\s+out|tweeted|commented(?:\s+on)?|responded\s+to|thought|thinks?|believed|believes?|"
    r"wanted|wants?|described|explained|predicted|promised|pledged|insisted|asked|talked\s+about|"
    r"spoke\s+(?:about|on)|wrote(?:\s+about)?|reacted\s+to|answered"
)
_AUX = r"(?:has|have|had|did|do|does|else|also)"
# "Which senators", "Which USA Today letter writers", "Which Republicans or tax specialists":
# up to six words, none of them an auxiliary (so "Which bodies might Labour …" is not one).
_WHICH = r"which\s+(?P<asked>(?:(?!(?:did|does|do|might|would|will|could|should|can|is|are|was|were|has|have|had)\b)" \
         r"[\w.’'\-]+\s+){1,6}?)"
_WHO = re.compile(
    rf"^\s*(?:who\s+|{_WHICH})(?:{_AUX}\s+)?(?:(?:\w+ly|also|publicly|first)\s+)?"
    rf"(?:(?P<oppose>{OPPOSE})|(?P<support>{SUPPORT})|(?P<neutral>{NEUTRAL}))\b"
    r"\s*(?P<rest>.*?)[\s?.!]*$",
    re.IGNORECASE | re.DOTALL,
)


@dataclass(frozen=True)
class WhoQuestion:
    """``polarity`` is the side the question asks about ("opposes", "supports") or None;
    ``asked_for`` the kind of actor a "which N" question names ("senators"), else None."""

    verb: str
    polarity: str | None
    proposition: str
    asked_for: str | None = None


def parse_who(question: str) -> WhoQuestion | None:
    """The parts of a who-question about what people said or thought; None for any other
    question (including "who was appointed …", which asks for a fact, not for speakers)."""
    m = _WHO.match(question)
    if not m:
        return None
    polarity = "opposes" if m.group("oppose") else "supports" if m.group("support") else None
    asked = m.group("asked")
    if asked is not None and polarity is None:
        return None  # "Which bodies said …" asks for a fact more often than for speakers
    verb = " ".join((m.group("oppose") or m.group("support") or m.group("neutral")).lower().split())
    rest = m.group("rest").strip()
    proposition = re.sub(r"^(?:that|the\s+idea\s+that|whether)\s+", "", rest, flags=re.I)
    return WhoQuestion(verb, polarity, proposition, asked.strip() if asked else None)
