"""Who an actor is, as a key: one organisation, or one person without one.

A person quoted with their organisation speaks for it ("Maureen Baker, Royal College of General
Practitioners"), so the organisation is the key; its acronym and its full name share one key
(RCGP). Used to group who-answers by actor (:mod:`retrieval.who`) and to keep one actor from
filling a who-question's top results (:mod:`retrieval.searcher`).
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any, Iterable

from index.attribution.lexicon import acronym_of, is_acronym


def org_key(org: str) -> str:
    bare = re.sub(r"^the\s+", "", org.strip(), flags=re.I)
    if is_acronym(bare):
        return bare.rstrip("s").upper()
    if " " in bare:
        return acronym_of(bare).upper()
    return bare.upper()


def person_key(name: str) -> str:
    return "P:" + " ".join(name.lower().split())


def actor_key(speaker: str | None, organisation: str | None) -> str | None:
    """The key of whoever speaks: their organisation if known, else the person; None for nobody."""
    if organisation:
        return org_key(organisation)
    if speaker:
        return person_key(speaker)
    return None


def lead_actor(rows: Iterable[list[Any]] | None) -> str | None:
    """The actor who speaks the most characters of a passage, from its attribution rows
    ``[start, end, speaker, organisation, ...]`` (passage metadata); None if nobody speaks."""
    spoken: Counter[str] = Counter()
    for row in rows or ():
        key = actor_key(row[2], row[3])
        if key is not None:
            spoken[key] += int(row[1]) - int(row[0])
    if not spoken:
        return None
    return max(spoken.items(), key=lambda kv: (kv[1], kv[0]))[0]
