"""Who-answers judged on whom they name and which side they put them on.

A who-answer (``Answer.mode == "who"``) lists actors, one line each::

    - **Royal College of General Practitioners (Maureen Baker, chair)** — opposes: “…” [1]; also “…” [2]

:func:`listed_actors` reads those lines back: the label, the stance shown, and the speakers and
organisations of the line's citations. The gold of a who-question (eval/questions.py) gives each
span an ``actor`` ("Maureen Baker", "Tax Foundation", "Jeff Merkley, Sherrod Brown and Robert
Menendez") and, for questions that ask for a side, a ``stance``.

- **named**: a gold actor is named when some listed actor matches it (:func:`actor_matches`);
  recall is named gold actors over all gold actors of the who-questions. An answer of cited
  sentences (a who-question about a fact, "who was appointed …") names the speakers of its
  citations and the names its quotes contain; an abstention names nobody.
- **wrong stance** (who-questions whose gold carries stances, i.e. that ask for a side): a
  listed actor stands under the wrong stance when its line's label is not the side asked for
  (nor "mixed"), e.g. "neutral" or the contrary side, or when it matches no gold actor. Two
  shares are reported: *strict* counts an actor matching no gold actor as wrong (the gold was
  searched for every actor on the asked side, so an unmatched one is most likely on the other
  side or no side); *matched only* judges only actors that match a gold actor.

The side asked for is the product's reading of the question's verb (:func:`retrieval.who.parse_who`)
when it has one, else the gold's majority stance.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from eval.attribution import _close, organisation_match, person_match
from eval.questions import Question

_LINE = re.compile(r"^- \*\*(?P<label>.+?)\*\* — (?P<stance>supports|opposes|mixed|neutral): (?P<rest>.*)$")
_MARK = re.compile(r"\[(\d+)\]")
# Words that say what kind of body or post an actor is, not which one: never enough to match.
_GENERIC = frozenset("""
the a an of and for in on at to by with from campaign party office department committee group
sen rep mr mrs ms dr gov president senator representative governor mayor chairman chair secretary
spokesman spokeswoman spokesperson director executive chief leader leaders member members official
officials former new national state states united american democrats democrat democratic republicans
republican conservative conservatives labour liberal house senate congress government his her their
""".split())
SIDES = ("supports", "opposes")


@dataclass(frozen=True)
class ListedActor:
    """One line of a who-answer. ``names`` are every name the line gives the actor: the label's
    organisation and people, and each cited sentence's speaker and organisation."""

    label: str
    stance: str
    names: tuple[str, ...]


def label_names(label: str) -> list[str]:
    """ "Org (Person, role; Person2)" -> ["Org", "Person", "Person2"]; a bare label -> [label]."""
    m = re.match(r"^(?P<head>.*?)\s*\((?P<inner>.*)\)$", label)
    if not m:
        return [label.strip()]
    out = [m.group("head").strip()]
    for part in m.group("inner").split(";"):
        name = part.split(",")[0].strip()
        if name and name != "the publication itself":
            out.append(name)
    return [n for n in out if n]


def listed_actors(answer) -> list[ListedActor]:
    """The actor lines of a who-answer (empty for any other answer)."""
    from retrieval.answer import unmd

    if answer.mode != "who":
        return []
    out = []
    for line in answer.answer.splitlines():
        m = _LINE.match(line)
        if not m:
            continue
        label = unmd(m.group("label"))
        names = label_names(label)
        for n in _MARK.findall(m.group("rest")):
            c = answer.citations[int(n) - 1] if 0 < int(n) <= len(answer.citations) else None
            if c is not None:
                names += [x for x in (c.speaker, c.organisation) if x]
        out.append(ListedActor(label, m.group("stance"), tuple(dict.fromkeys(names))))
    return out


_NAME_RUN = re.compile(r"(?:[A-Z][\w.’'\-]*)(?:\s+(?:[A-Z][\w.’'\-]*|of|the|for|and))*")


def cited_names(answer) -> list[ListedActor]:
    """For an answer that lists no actors (sentences): one pseudo-actor per citation, named by
    its speaker, its organisation and the capitalised names in its quote ("Health minister
    Norman Lamb last week invited …" names Norman Lamb). Counts for recall only: no stance."""
    out = []
    for c in answer.citations:
        names = [x for x in (c.speaker, c.organisation) if x] + _NAME_RUN.findall(c.quote)
        out.append(ListedActor(c.speaker or c.organisation or "", "", tuple(dict.fromkeys(names))))
    return out


def _content(text: str) -> set[str]:
    words = re.findall(r"[a-z0-9]+", text.lower().replace("’s", "").replace("'s", ""))
    return {w for w in words if len(w) >= 3 and w not in _GENERIC}


def _one(gold: str, name: str) -> bool:
    if person_match(gold, name):
        return True
    g_words, n_words = re.findall(r"[a-z]+", gold.lower()), re.findall(r"[a-z]+", name.lower())
    if len(g_words) >= 2 and len(n_words) >= 2 and g_words[-1] == n_words[-1] and len(g_words[-1]) >= 4 \
            and g_words[0][:2] == n_words[0][:2]:
        return True  # a short form of the first name: "Len Burman" = "Leonard Burman"
    if len(g_words) >= 2 and len(n_words) >= 2 and _close(g_words[-1], n_words[-1]) and g_words[0] in n_words[:-1]:
        return True  # a misspelt surname behind a stray word: "Brighton Ed Milliband" = "Ed Miliband"
    if organisation_match(gold, name, ("party", "campaign"), True):
        return True
    g, n = _content(gold), _content(name)
    # "Clinton campaign" ~ "Hillary Clinton", "Tax Foundation" ~ "the Tax Foundation": all the
    # distinctive words of one are in the other.
    return bool(g and n) and (g <= n or n <= g)


def actor_matches(gold_actor: str, listed: ListedActor) -> bool:
    """Does ``listed`` name ``gold_actor``? A gold actor of several ("Charles Grassley and
    Patrick Leahy", "the EPA, 18 states, Apple …") is named when any of them is. Names match
    as people (full name, surname alone, a misspelt surname: eval/attribution.py), as
    organisations (acronyms, a leading "the", "campaign"/"party" and possessives dropped), or
    when every distinctive word of one occurs in the other."""
    pieces = [p for p in re.split(r",\s*|\s+and\s+|\s+led\s+by\s+", gold_actor) if p.strip()] or [gold_actor]
    return any(_one(p.strip(), n) for p in pieces for n in listed.names)


@dataclass(frozen=True)
class WhoScore:
    """One who-question: gold actors named, and (for a side) listed actors on the wrong one."""

    qid: str
    gold_actors: tuple[str, ...]
    named: tuple[str, ...]
    listed: tuple[ListedActor, ...]
    side: str | None
    wrong: tuple[str, ...]  # labels of listed actors under the wrong stance (strict)
    unmatched: tuple[str, ...]  # labels of listed actors matching no gold actor


def asked_side(question: Question) -> str | None:
    """The side a who-question asks for, None when it asks for none (its gold has no stance)."""
    from retrieval.who import parse_who

    stances = [g.stance for g in question.gold if g.stance]
    if not stances:
        return None
    parsed = parse_who(question.question)
    if parsed is not None and parsed.polarity:
        return parsed.polarity
    counts = Counter(s for s in stances if s in SIDES)
    return counts.most_common(1)[0][0] if counts else None


def score_who(question: Question, answer) -> WhoScore:
    listed = listed_actors(answer)
    gold = question.actors
    naming = listed if answer.mode == "who" else cited_names(answer)
    named = tuple(g for g in gold if any(actor_matches(g, a) for a in naming))
    side = asked_side(question)
    wrong, unmatched = [], []
    for a in listed:
        matched = any(actor_matches(g, a) for g in gold)
        if not matched:
            unmatched.append(a.label)
        if side is not None and (not matched or a.stance not in (side, "mixed")):
            wrong.append(a.label)
    return WhoScore(question.id, gold, named, tuple(listed), side, tuple(wrong), tuple(unmatched))


@dataclass(frozen=True)
class WhoReport:
    scores: list[WhoScore]

    @property
    def recall(self) -> float:
        total = sum(len(s.gold_actors) for s in self.scores)
        return sum(len(s.named) for s in self.scores) / total if total else 0.0

    def _sided(self) -> list[WhoScore]:
        return [s for s in self.scores if s.side is not None]

    @property
    def wrong_strict(self) -> float:
        listed = sum(len(s.listed) for s in self._sided())
        return sum(len(s.wrong) for s in self._sided()) / listed if listed else 0.0

    @property
    def wrong_matched(self) -> float:
        """Wrong-stance share among listed actors that match a gold actor."""
        matched = sum(len(s.listed) - len(s.unmatched) for s in self._sided())
        wrong = sum(len(set(s.wrong) - set(s.unmatched)) for s in self._sided())
        return wrong / matched if matched else 0.0

    def summary(self) -> str:
        total = sum(len(s.gold_actors) for s in self.scores)
        named = sum(len(s.named) for s in self.scores)
        sided = self._sided()
        listed = sum(len(s.listed) for s in sided)
        wrong = sum(len(s.wrong) for s in sided)
        return (f"who-answers name {self.recall:.1%} of gold actors ({named}/{total}, {len(self.scores)} "
                f"questions); wrong stance {self.wrong_strict:.1%} of {listed} listed actors on "
                f"{len(sided)} side questions ({wrong}; unmatched counted wrong), "
                f"{self.wrong_matched:.1%} of those matching a gold actor")


def evaluate_who(questions: list[Question], answers: dict) -> WhoReport:
    return WhoReport([score_who(q, answers[q.id]) for q in questions if q.kind == "who" and q.actors])
