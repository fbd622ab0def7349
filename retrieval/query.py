"""Read a question's intent before searching it.

A who-question about a stance ("who opposed X?", "who welcomed X?") is answered in news text
by words the question rarely uses: people "raise concerns", "warn", "express alarm". The plan
widens such a question with general English stance vocabulary (never corpus names): extra
BM25 terms, and extra dense queries ("concerns about X") whose best similarity counts. It
also asks for breadth (at most ``max_per_section`` passages per live-blog entry or reader
comment, and per lead speaker), since the answer is several actors, not one passage repeated.
Questions that ask for a side in other words ("Which senators went after …", "Who has come out
against …") are read by :mod:`retrieval.who_question` and widened the same way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from retrieval.who_question import parse_who

OPPOSE_VERBS = frozenset("""
opposed oppose opposes opposing criticised criticized criticise criticize criticises criticizes
attacked attack rejected reject objected object warned warn condemned condemn doubted doubt
questioned question resisted resist disputed dispute challenged challenge slammed""".split())
SUPPORT_VERBS = frozenset("""
supported support supports backed back welcomed welcome welcomes endorsed endorse praised praise
favoured favored favour favor applauded applaud championed champion""".split())
STANCE_WORDS = {
    "oppose": ("concerns", "criticism", "criticised", "warned", "against", "alarm", "opposed"),
    "support": ("welcomed", "welcome", "supported", "backed", "endorsed", "praised"),
}
STANCE_TEMPLATES = {
    "oppose": ("concerns about {}", "criticism of {}", "warning against {}"),
    "support": ("welcomed {}", "support for {}"),
}
_WHO = re.compile(r"^\s*who\s+(?:has\s+|have\s+|had\s+)?(\w+)\s+(.+?)[\s?.!]*$", re.IGNORECASE)
WHO_MAX_PER_SECTION = 2
WHO_MAX_PER_ACTOR = 2


@dataclass(frozen=True)
class QueryPlan:
    """How to search one question.

    ``lexical``: the BM25 query. ``dense``: one or more texts to embed; a passage's dense score
    is its best similarity to any of them. ``intent``: "oppose", "support", "who" or None.
    ``proposition``: what the stance is about ("hospital-led integrated care organisations").
    """

    question: str
    lexical: str
    dense: tuple[str, ...]
    intent: str | None = None
    proposition: str | None = None
    max_per_section: int | None = None
    verb: str | None = field(default=None)
    max_per_actor: int | None = None


def plan_query(question: str) -> QueryPlan:
    """The plan for an already cleaned question (see retrieval.question.clean_question)."""
    m = _WHO.match(question)
    who = parse_who(question)
    if not m and who is None:
        return QueryPlan(question, question, (question,))
    verb, proposition = (m.group(1).lower(), m.group(2).strip()) if m else (who.verb, who.proposition)
    stance = "oppose" if verb in OPPOSE_VERBS else "support" if verb in SUPPORT_VERBS else None
    if stance is None and who is not None and who.polarity:
        # A side asked in other words ("come out against", "Which senators went after …").
        stance = "oppose" if who.polarity == "opposes" else "support"
        verb, proposition = who.verb, who.proposition
    if stance is None:
        return QueryPlan(question, question, (question,), "who", proposition,
                         WHO_MAX_PER_SECTION, verb, WHO_MAX_PER_ACTOR)
    lexical = f"{question} {' '.join(STANCE_WORDS[stance])}"
    dense = (question, *(t.format(proposition) for t in STANCE_TEMPLATES[stance]))
    return QueryPlan(question, lexical, dense, stance, proposition, WHO_MAX_PER_SECTION, verb, WHO_MAX_PER_ACTOR)
