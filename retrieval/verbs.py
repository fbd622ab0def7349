"""English verb forms for rewritten questions: "opposed" -> "oppose", "invite" -> "invited".

Rules and a short table of irregular verbs, no model; only used to word a standalone question
("Why did they oppose …", "Who welcomed what the minister invited councils to bid for?").
"""

from __future__ import annotations

import re

IRREGULAR = {"said": "say", "thought": "think", "wrote": "write", "spoke": "speak", "felt": "feel",
             "made": "make", "took": "take", "gave": "give", "told": "tell", "meant": "mean",
             "set": "set", "put": "put", "led": "lead", "ran": "run", "saw": "see", "knew": "know",
             "had": "have", "did": "do", "got": "get", "went": "go", "came": "come", "kept": "keep",
             "brought": "bring", "bought": "buy", "found": "find", "left": "leave", "paid": "pay",
             "sent": "send", "spent": "spend", "won": "win", "lost": "lose", "held": "hold",
             "began": "begin", "chose": "choose", "cut": "cut", "hit": "hit", "let": "let",
             "sought": "seek", "taught": "teach", "fought": "fight", "built": "build", "heard": "hear",
             "understood": "understand", "stood": "stand", "drew": "draw", "grew": "grow", "threw": "throw"}
_PAST = {base: past for past, base in IRREGULAR.items()}


def base_form(verb: str) -> str:
    """The bare infinitive of a past-tense verb: "opposed" -> "oppose", "backed" -> "back"."""
    v = verb.lower()
    if v in IRREGULAR:
        return IRREGULAR[v]
    if v.endswith("ied"):
        return v[:-3] + "y"
    if not v.endswith("ed"):
        return v
    stem = v[:-2]
    if re.search(r"(?:[cgvzu]|[^s]s|^[a-z]*[aeiou][kmb]|crib|ur[^aeiou])$", stem) and not stem.endswith(("ck", "sk", "sh")):
        return stem + "e"  # opposed, criticised, pledged, argued, welcomed, described
    if len(stem) > 3 and stem[-1] == stem[-2] and stem[-1] not in "slz":
        return stem[:-1]  # "planned" -> "plan"
    return stem


def past_form(verb: str) -> str:
    """The simple past of a bare infinitive: "invite" -> "invited", "plan" -> "planned",
    "say" -> "said", "carry" -> "carried"."""
    v = verb.lower()
    if v in _PAST:
        return _PAST[v]
    if v.endswith("e"):
        return v + "d"
    if re.search(r"[^aeiou]y$", v):
        return v[:-1] + "ied"
    if re.fullmatch(r"[^aeiou]*[aeiou][bdgmnpt]", v):  # one short syllable: "plan", "stop", "ban"
        return v + v[-1] + "ed"
    return v + "ed"


# Verbs that questions about a debate use; a word among them is taken for the verb before a
# word that might be an adjective or a noun ("What did the new chief executive say?").
COMMON = frozenset("""
say tell think want like support oppose back welcome criticise criticize reject praise endorse favour favor
condemn challenge dismiss resist warn believe propose announce argue claim suggest mean tweet write
comment respond react describe explain predict promise pledge insist ask make get take give see know
lead run affect feel speak go come become keep agree set reply answer rate vote drop invite urge happen
plan call expect hope offer cost fund pay spend cut raise show find decide accept deny admit blame
accuse defend attack demand recommend order win lose do bring set out publish launch unveil introduce
release reveal report estimate forecast
""".split()) | frozenset(IRREGULAR.values())
