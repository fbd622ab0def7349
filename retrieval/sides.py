"""Which actors a who-question about a side lists, with which quotes, under which stance.

"Who criticised the maternity pay plan?" must not list the minister who proposed it, nor put
everyone under "neutral". The rules, all general:

1. **Own words.** An actor's stance is read from their own sentences (the attributed sentences
   :func:`retrieval.who.group_actors` gathers), each labelled by :func:`retrieval.stance.stance`
   toward the proposition on the speaker's words only (:func:`own_words`: the quote without
   the reporter's tag). Listed under the side asked for only when those words lean that
   way: the best quote has the side (or is mixed) *and* the actor's relevant sentences do not
   lean the other way on balance (:func:`actor_stance`).
2. **Authors are not critics.** The one whose plan it is (their name is the proposition's
   possessor, "Trump's tax plan"), or whose sentences propose, announce or defend it ("we will
   introduce …", "our plan", "announced the plan"), is never listed as opposing it; for
   "welcomed / praised" questions the possessor is not listed either (one does not welcome
   one's own plan), while "defended / stood up for" may list them.
3. **Reported stances.** News states many stances in narration rather than quotes: "The move
   enraged critics, including Senator Mitch McConnell", "Elizabeth Warren grilled the bank's
   chief executive", "A passionate defender of RT America, Mr. Schultz …". A sentence no one
   is quoted in, holding a verb or noun of the side asked for and a name as its subject or
   apposition, gives that name as an actor whose stance is the verb's (:func:`narration_actors`).
4. **No side, no list.** When no actor's words carry the side, the answer is not a list of
   "neutral" actors under a heading that says they took it; the composer falls back to cited
   sentences.

Plain data; the stance labeller is passed in so tests can replace it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

from retrieval.evidence import Scored, neighbourhood
from retrieval.stance import echoes, mentions, stance, target_terms
from retrieval.who import Actor, WhoQuestion, group_actors, is_party

# Questions whose verb an author may answer to ("Who defended X's tweets?" lists X).
_DEFENDING = re.compile(r"^(?:defend|stood\s+up|stand\s+up|stuck\s+up|spoken?\s+(?:up|out)\s+for|vouched)", re.I)
# A who-question asking for the proposition's author ("Who set out Labour's policy?").
_AUTHORING_VERB = re.compile(r"^(?:set\s+out|sets\s+out|proposed?|proposes|announced?|announces|unveiled|"
                             r"introduced|launched|promised|pledged|wrote)", re.I)
# Owning the proposition in one's own words ("our plan", "we will introduce …") ...
_FIRST_PERSON = re.compile(
    r"\b(?:(?:our|my)\s+(?:\w+\s+)?(?:plan|proposal|policy|bill|idea|scheme|programme|program|reforms?)|"
    r"we\s+will|we'll|i\s+will|i'll|we\s+are\s+going\s+to|we\s+(?:have\s+)?(?:propos|announc|introduc|launch|unveil)\w*|"
    r"i\s+(?:have\s+)?(?:propos|announc|introduc|launch|unveil)\w*)\b", re.I)
# ... or, in a report of what the speaker did, announcing it ("Burnham unveiled the plan").
_ANNOUNCING = re.compile(r"\b(?:announc|unveil|propos|introduc|launch|outlin)(?:ed|es|ing)\b|\b(?:set|sets|rolled)\s+out\b"
                         r"|\bput\s+forward\b", re.I)
_PASSIVE = re.compile(r"\b(?:was|were|is|are|be|been|being)\s+\w*$|\b(?:asks|as|plans|ideas)\s*$", re.I)


def _authors(clause: str, kind: str | None) -> bool:
    if kind in ("quote", "tweet", "comment"):
        return bool(_FIRST_PERSON.search(clause))
    m = _ANNOUNCING.search(clause)
    return bool(m) and not _PASSIVE.search(clause[: m.start()])


CONTEXT_SHARE = 0.9  # a quote's relevance is at least this share of its neighbourhood's best
DOCUMENT_SHARE = 0.7  # ... and of its document's best (eval/README.md, "Choosing the composer's settings")
_NAME = r"(?:(?:[A-Z][a-z]{1,4}\.\s+)?(?:[A-Z][\w’'\-]+|[A-Z]\.)(?:\s+(?:[A-Z][\w’'\-]+|[A-Z]\.|de|van|von|al))*)"
_OPPOSE_NARRATION = (
    r"critici[sz](?:ed|es|ing)|attack(?:ed|s|ing)|slam(?:med|s|ming)|blast(?:ed|s|ing)|grill(?:ed|s|ing)|"
    r"hammer(?:ed|s|ing)|rebuk(?:ed|es)|scold(?:ed|s)|denounc(?:ed|es|ing)|condemn(?:ed|s|ing)|decr(?:ied|ies)|"
    r"ridicul(?:ed|es)|mock(?:ed|s)|lambast(?:ed|s)|assail(?:ed|s)|berat(?:ed|es)|challeng(?:ed|es|ing)|"
    r"su(?:ed|es|ing)|oppos(?:ed|es|ing)|reject(?:ed|s)|object(?:ed|s)\s+to|warn(?:ed|s)\s+(?:against|about|that)|"
    r"accus(?:ed|es)|blam(?:ed|es)|questioned|doubt(?:ed|s)|hit\s+out\s+at|took\s+aim\s+at|lashed\s+out\s+at|"
    r"ripped(?:\s+into)?|went\s+after|voted\s+against|pushed\s+back\s+on"
)
_SUPPORT_NARRATION = (
    r"prais(?:ed|es|ing)|laud(?:ed|s)|hail(?:ed|s)|applaud(?:ed|s)|commend(?:ed|s)|welcom(?:ed|es)|"
    r"defend(?:ed|s|ing)|back(?:ed|s|ing)(?!\s+(?:off|away|down|out))|endors(?:ed|es|ing)|support(?:ed|s|ing)|"
    r"champion(?:ed|s)|urg(?:ed|es)|called\s+for|calls\s+for|pushed\s+for|lobbied\s+for|vouched\s+for|"
    r"stood\s+up\s+for|rallied\s+(?:behind|around)|voted\s+for|embraced"
)
# A side's verb whose object is undoing the proposition states the other side.
_UNDOING = re.compile(r"\s+(?:for\s+)?(?:the\s+|a\s+|an\s+)?(?:\w+\s+)?(?:repeal|abolition|scrapping|removal|ban|"
                      r"rejection|withdrawal|elimination|dismantling|defeat|end)\b", re.I)
_STANCE_VERB = re.compile(rf"\b(?:{_OPPOSE_NARRATION}|{_SUPPORT_NARRATION}|echo(?:ed|es))\b", re.I)
_OPPOSE_NOUNS = r"critics?|opponents?|detractors?|skeptics?|sceptics?"
_SUPPORT_NOUNS = r"defenders?|supporters?|backers?|proponents?|champions?|advocates?|allies|ally|believers?|fans?"
# A speaker the index names only by such a noun ("Proponents, including X, have urged …") is
# nobody in particular: the sentence is narration, and no actor line is labelled "Proponents".
_SIDE_NOUN = re.compile(rf"^(?:the\s+|some\s+|many\s+)?(?:{_OPPOSE_NOUNS}|{_SUPPORT_NOUNS})$", re.I)


def nameless(sentence) -> bool:
    """Attributed to a side noun alone ("Critics", "Proponents"), not to anyone."""
    return bool(sentence.speaker) and not sentence.organisation and bool(_SIDE_NOUN.match(sentence.speaker.strip()))
_TITLES = re.compile(r"^(?:(?:Mr|Mrs|Ms|Dr|Sens?|Reps?|Gov|Gen|Lt|Col|Sir|Senators?|Representatives?|Governors?|President|"
                     r"Secretary|Minister|Mayor|Judge|Justice|Chairman|Chairwoman|Speaker|Professor|Prof)\.?\s+)+")
_NOT_ACTORS = {"The", "A", "An", "This", "That", "It", "He", "She", "They", "We", "I", "But", "And", "In", "On",
               "At", "After", "Before", "When", "While", "As", "For", "If", "Another", "Some", "Many", "Critics",
               "Supporters", "Opponents", "Democrats", "Republicans"}


_QUOTED = re.compile(r"“([^”]+)”|\"([^\"]+)\"|''(.+?)''")
_SAID = re.compile(r"\b(?:said|says|told|tells|argued|argues|added|insisted|warned|wrote|claimed|stated|"
                   r"according\s+to\s+[^,]+,)\s+(?:that\s+)?", re.IGNORECASE)


def own_words(sentence) -> str:
    """The part of a sentence that is the speaker's: the quoted words when it quotes (not the
    reporter's tag, "… said after Pagliano failed to show up"), the reported clause after the
    speech verb ("X said the plan would …"), else the whole sentence."""
    text = sentence.text
    quoted = [next(g for g in m.groups() if g) for m in _QUOTED.finditer(text)]
    if sum(len(q.split()) for q in quoted) >= 3:  # a quotation, not a scare-quoted word
        return " ".join(quoted)
    if sentence.kind == "reported":
        m = _SAID.search(text)
        if m and len(text) - m.end() >= 20:
            return text[m.end():]
    return text


# A sentence that says someone spoke, wrote or holds a view: the index attributes narration about
# an actor to them too ("Republicans have been trying to question …", "The nominee has been
# endorsed by dozens of papers"), which is not their words on the question.
_SPEECH = re.compile(
    r"\b(?:said|says|say|saying|told|tells|tell|argued|argues|argue|added|adds|insisted|insists|wrote|writes|"
    r"claimed|claims|stated|states|noted|notes|explained|explains|asserted|asserts|contended|contends|declared|"
    r"declares|acknowledged|believes?|think|thinks|called|calls|urged|urges|asked|asks|tweeted|posted|announced|"
    r"announces|stressed|described|predicted|maintained|countered|complained|complains|warned|warns|vowed|vows|"
    r"promised|pledged|testified|remarked|replied|responded|conceded|admitted|agreed|disagreed|questioned|"
    r"criticised|criticized|praised|welcomed|accused|according\s+to|in\s+a\s+(?:statement|interview|letter|"
    r"speech|tweet|post)|demanded|pressed|(?:forced|pushed|got)\b[^.;]{0,120}\bto\s+(?:admit|concede|acknowledge|"
    r"apologi[sz]e|answer))\b|\b(?:I|we|We|my|our|Our|My)\b")


def speaks(sentence) -> bool:
    """The sentence gives the speaker's words or view: a quote, tweet or comment, quoted words,
    or a verb of saying or holding a view; not narration that merely names them."""
    if sentence.kind in ("quote", "tweet", "comment"):
        return True
    text = sentence.text
    quoted = [next(g for g in m.groups() if g) for m in _QUOTED.finditer(text)]
    if sum(len(q.split()) for q in quoted) >= 3 or _SPEECH.search(text):
        return True
    # Narration of a side taken, in the active voice ("Democrats also blasted Oversight", "the
    # campaign is defending his tweets"; not "the nominee has been endorsed by dozens of papers").
    return any(not re.search(r"\b(?:been|being|was|were|be)\s+$", text[: m.start()])
               for m in _STANCE_VERB.finditer(text))


def _patterns(polarity: str) -> list[re.Pattern]:
    verbs = _OPPOSE_NARRATION if polarity == "opposes" else _SUPPORT_NARRATION
    nouns = f"(?i:{_OPPOSE_NOUNS if polarity == 'opposes' else _SUPPORT_NOUNS})"  # "Critics of …" opens a sentence
    return [
        # "Elizabeth Warren grilled …", "Sen. X, who chairs the panel, slammed …"
        re.compile(rf"(?P<name>{_NAME})(?:\s*\([^)]*\))?(?:,[^,.;]{{0,80}},)?\s+(?:(?:has|have|had|also|"
                   rf"sharply|publicly|repeatedly|again)\s+)*(?:{verbs})\b"),  # not "X was accused": passive
        # "critics, including Senator Mitch McConnell", "supporters such as X", "Critics of the
        # program, like Senators A and B", "Proponents, including the Conference of Mayors"
        re.compile(rf"\b(?:{nouns})(?:\s+of\s+[^,.;]{{1,60}}?)?,?\s+(?:including|such\s+as|among\s+them|like)\s+"
                   rf"(?:the\s+)?(?P<name>{_NAME})"),
        # "One of the plan's believers is X", "Among its critics were X and Y"
        re.compile(rf"\b(?:{nouns})\s+(?:is|are|was|were|include|includes|included)\s+(?P<name>{_NAME})"),
        # "Another critic, Laurence H. Tribe, …", "A passionate defender of RT America, Mr. Schultz …"
        re.compile(rf"\b(?:[Aa]nother|[Aa]|[Oo]ne)\s+(?:\w+\s+){{0,2}}(?:{nouns})(?:\s+of\s+[^,]{{1,60}})?,\s+"
                   rf"(?P<name>{_NAME})"),
        # "X, a longtime critic of …"
        re.compile(rf"(?P<name>{_NAME}),\s+(?:a|an|the)\s+(?:\w+\s+){{0,2}}(?:{nouns})\b"),
    ]


def _clean_name(name: str) -> str | None:
    name = _TITLES.sub("", name.strip(" ,.")).strip()
    words = name.split()
    while words and words[0] in _NOT_ACTORS:
        words = words[1:]
    if not words or len(words) > 6 or all(len(w) <= 2 for w in words) or _SIDE_NOUN.match(" ".join(words)):
        return None
    return " ".join(words)


# The head nouns of a body's name that an "of" phrase continues ("Conference of Mayors").
_BODY_HEADS = frozenset("""conference association council department institute university college bank committee
union league society federation chamber board commission coalition alliance network foundation organization
organisation school court office bureau agency center centre""".split())


def _with_body(name: str, rest: str) -> str:
    """ "United States Conference" + " of Mayors, …" -> "United States Conference of Mayors"."""
    if name.split()[-1].lower() in _BODY_HEADS:
        m = re.match(r"\s+of\s+((?:the\s+)?[A-Z][\w’'\-]+(?:\s+(?:[A-Z][\w’'\-]+|and|&))*)", rest)
        if m:
            return f"{name} of {m.group(1)}"
    return name


def narration_actors(scored: list[Scored], who: WhoQuestion, floor: float,
                     relevance: Callable[[Scored], float] = lambda e: e.score) -> list[Actor]:
    """Actors whose stance a sentence reports rather than quotes (rule 3 of the module doc):
    one :class:`Actor` per name, from sentences nobody is quoted in (or only a side noun,
    :func:`nameless`) whose ``relevance`` reaches ``floor``, best evidence first."""
    if who.polarity is None:
        return []
    found: dict[str, Actor] = {}
    patterns = _patterns(who.polarity)
    for item in scored:
        s = item.sentence
        if s.actor and not nameless(s) or relevance(item) < floor:
            continue
        for pattern in patterns:
            for m in pattern.finditer(s.text):
                if _UNDOING.match(s.text, m.end()):
                    continue  # "X has called for the complete repeal of …" is the other side
                name = _clean_name(_with_body(m.group("name"), s.text[m.end("name"):]))
                if name is None:
                    continue
                key = "N:" + name.lower()
                actor = found.setdefault(key, Actor(key, None, [name], {}, [], reported=True))
                if item not in actor.evidence:
                    actor.evidence.append(item)
    actors = list(found.values())
    for a in actors:
        a.evidence.sort(key=lambda e: -e.score)
    return actors


def reported_side(sentence, polarity: str | None, people: list[str] = ()) -> bool:
    """The reporter states the side of the sentence's speaker (or of one of ``people``): "Another
    critic, Laurence H. Tribe, likened the rules to …", "A passionate defender of RT America,
    Mr. Schultz likened RT to the BBC", "Critics of the program, like Senators A and B, …" for
    A quoted elsewhere: a narration pattern of the side names them."""
    surnames = {p.split()[-1].lower() for p in [*people, sentence.speaker or ""] if p.split()}
    if polarity is None or not surnames:
        return False
    for pattern in _patterns(polarity):
        for m in pattern.finditer(sentence.text):
            name = _clean_name(m.group("name"))
            if name and name.split()[-1].lower() in surnames:
                return True
    return False


def possessors(proposition: str) -> set[str]:
    """Lower-cased capitalised words of the proposition's head phrase, the words before its
    first preposition or relative clause ("Donald Trump's tax plan" -> donald, trump; "Donald
    Trump over his claims about where Barack Obama was born" -> donald, trump): whose plan,
    speech or tweets it is, or who it is about; and any possessive further on ("… in response to
    Burnham's plans"). Other names further on are what it concerns."""
    head = re.split(r"\b(?:of|in|for|on|at|to|with|via|from|under|by|over|against|about|after|that|who|which)\b|[(,]",
                    proposition)[0]
    owned = re.findall(r"\b((?:[A-Z][A-Za-z]+\s+)*[A-Z][A-Za-z]+)['’]s?\b", proposition)  # "… to Burnham's plans"
    return {w.lower() for w in re.findall(r"\b[A-Z][A-Za-z]+", head + " " + " ".join(owned))}


def named_in(actor: Actor, proposition: str) -> bool:
    """The proposition names the actor: a person by surname ("Burnham's plans", "Dr. Mehmet
    Oz"), or the actor's organisation ("RT America", "Trump's tweets" for the Trump campaign,
    "Wells Fargo's chief executive" for Wells Fargo's)."""
    named = possessors(proposition)
    if any(p.split()[-1].lower() in named for p in actor.people):
        return True
    if actor.people and actor.organisation and is_party(actor.organisation):
        return False  # a party's plan is not each member's ("from within the Labour Party")
    org = [w.lower() for w in re.findall(r"[A-Za-z]+", actor.organisation or "")
           if w[:1].isupper() and w.lower() not in _ORG_GENERIC]
    return bool(org) and set(org) <= named


_ORG_GENERIC = frozenset("the of and for party campaign committee department office group council".split())


def is_author(actor: Actor, who: WhoQuestion, labels: list[tuple[Scored, str]]) -> bool:
    """The actor owns the proposition or is what it is about: named in it (:func:`named_in`),
    or their own sentences announce, propose or claim it as theirs while supporting it."""
    if named_in(actor, who.proposition):
        return True
    target = target_terms(who.proposition)
    # "We will introduce the levy", "Burnham announced the plan": owning it, beside the target,
    # in a clause that does not itself turn against it ("we will oppose the plan").
    return any(item.sentence.actor and any(
        _authors(clause, item.sentence.kind) and mentions(clause, target)
        and stance(clause, who.proposition).label != "opposes"
        for clause in re.split(r"[;:,]|\bbut\b|\band\b", item.sentence.text)) for item, _ in labels)


def is_neighbour(item: Scored) -> bool:
    """The sentence stands in a passage read beside the search's hits, not in one of them."""
    return bool(item.sentence.hit.metadata.get("neighbour"))


def actor_stance(labels: list[str]) -> str:
    """The lean of an actor's labelled sentences: a side when its sentences outnumber the
    other side's by more than two to one, "mixed" when both sides are there short of that,
    "neutral" with no side. (A "mixed" sentence counts half to each side.)"""
    sup = labels.count("supports") + 0.5 * labels.count("mixed")
    opp = labels.count("opposes") + 0.5 * labels.count("mixed")
    if sup == opp == 0:
        return "neutral"
    if sup > 2 * opp:
        return "supports"
    if opp > 2 * sup:
        return "opposes"
    return "mixed"


@dataclass(frozen=True)
class Listed:
    """One actor line: the actor, its quotes with their stance labels, and the line's stance."""

    actor: Actor
    picks: list[tuple[Scored, str]]
    stance: str


def actor_quotes(actor: Actor, who: WhoQuestion, floor: float, label_of: Callable[[str, str | None], str],
                 relevance: Callable[[Scored], float] = lambda e: e.score,
                 ) -> tuple[list[tuple[Scored, str]], list[tuple[Scored, str]]]:
    """(up to two quotes for the line, every labelled sentence of the pool).

    Quotes come from the actor's relevant sentences, and from the rest of the same entry as
    their most relevant one: a speaker's later sentences ("It simply will not work") rarely
    repeat the topic's words. The best-fitting first; the second from another source and of
    the same stance as the first, so an "opposes" line never carries a "mixed" quote."""
    top = actor.best.score
    anchor = actor.best.sentence
    pool = [e for e in actor.evidence if relevance(e) >= floor or (
        e.sentence.hit.source == anchor.hit.source
        and e.sentence.hit.metadata.get("section_start") == anchor.hit.metadata.get("section_start"))]
    labelled, ranked = [], []
    for item in pool[:8]:
        label = who.polarity if actor.reported or reported_side(item.sentence, who.polarity, actor.people) \
            else label_of(own_words(item.sentence), who.proposition)
        labelled.append((item, label))
        fit = 2 if label == who.polarity else 1 if label == "mixed" else 0 if label == "neutral" else -1
        # Words in the question's own terms ("we question …" for "who questioned X?") are the
        # line's best quote, even when the rest of the sentence concedes ("while we are not
        # opposed …"): they take the side asked about as the question words it.
        echo = int(bool(who.polarity) and fit >= 1 and echoes(own_words(item.sentence), who.verb))
        fit = 2 if echo else fit
        # A named person's own words beat a reporter's summary of nearly the same relevance.
        direct = int(item.sentence.kind in ("quote", "tweet", "comment") and bool(item.sentence.speaker)
                     and (item.score >= 0.85 * top or item.sentence.hit.source == anchor.hit.source))
        ranked.append((fit if who.polarity else 0, echo, direct, item.score, item, label))
    ranked.sort(key=lambda r: (-r[0], -r[1], -r[2], -r[3]))
    if not ranked or who.polarity and ranked[0][0] < 0:
        return [], labelled
    picks = [(ranked[0][4], ranked[0][5])]
    first = ranked[0][4].sentence
    for fit, _, _, _, item, label in ranked[1:]:
        if item.sentence.hit.source != first.hit.source and label == ranked[0][5] and (
                not who.polarity or fit > 0 and fit >= ranked[0][0]):
            picks.append((item, label))
            break
    return picks, labelled


def choose_actors(who: WhoQuestion, scored: list[Scored], min_score: float, max_actors: int,
                  label_of: Callable[[str, str | None], str], floor_ratio: float = 0.55) -> list[Listed]:
    """The actor lines of a who-answer, best evidence first (rules 1-4 of the module doc). An
    actor needs evidence scoring ``floor_ratio`` of the best (and ``min_score``)."""
    if not scored:
        return []
    best = scored[0].score
    floor = max(min_score, floor_ratio * best)
    actors = [a for a in group_actors(scored, own_voice=who.polarity is not None)
              if not all(nameless(e.sentence) for e in a.evidence)]
    around = neighbourhood(scored)
    documents: dict[str, float] = {}
    for item in scored:
        documents[item.sentence.hit.source] = max(documents.get(item.sentence.hit.source, 0.0), item.score)

    def relevance(e: Scored) -> float:
        # A quote stands on the sentence that introduces it (CONTEXT_SHARE of its neighbourhood)
        # and on the article it is in (DOCUMENT_SHARE of the document's best sentence): news
        # quotes its actors in an article about the question's topic, in words of their own.
        return max(e.score, CONTEXT_SHARE * around.get((e.sentence.hit.source, e.sentence.start), 0.0),
                   DOCUMENT_SHARE * documents.get(e.sentence.hit.source, 0.0))

    quoted = {p.split()[-1].lower(): a for a in actors for p in a.people}
    # A reported stance adds an actor, or, for someone quoted under that surname, the sentence
    # stating their side joins their own words (it is labelled with the side, reported_side).
    for reported in narration_actors(scored, who, floor, relevance):
        speaker = quoted.get(reported.people[0].split()[-1].lower())
        if speaker is None:
            actors.append(reported)
        else:
            speaker.evidence = sorted(speaker.evidence + [e for e in reported.evidence if e not in speaker.evidence],
                                      key=lambda e: -e.score)
    actors.sort(key=lambda a: -a.best.score)
    defending = bool(_DEFENDING.match(who.verb))

    chosen: list[Listed] = []
    for actor in actors:
        if max(relevance(e) for e in actor.evidence) < floor:
            continue
        picks, labelled = actor_quotes(actor, who, 0.45 * best, label_of, relevance)
        if not picks:
            continue
        line = picks[0][1]
        if who.polarity:
            if line not in (who.polarity, "mixed"):
                continue
            # A side needs the actor's own words: a line of narration that only names them
            # (attributed to them by the index) does not say where they stand.
            if not (actor.reported or actor.own_voice or any(
                    speaks(item.sentence) or reported_side(item.sentence, who.polarity, actor.people)
                    for item, _ in picks)):
                continue
            # The lean of the words found by the search; the neighbouring passages' words
            # (retrieval.searcher.Searcher.neighbours) only when those take no side: beside
            # the topic, a speaker goes on to other things.
            leaning = actor_stance([label for item, label in labelled if not is_neighbour(item)])
            if leaning == "neutral":
                leaning = actor_stance([label for _, label in labelled])
            if leaning not in (who.polarity, "mixed"):
                continue  # one fitting remark among words that lean the other way
            if is_author(actor, who, labelled) and (who.polarity == "opposes" or not defending):
                continue
        elif named_in(actor, who.proposition) and not actor.organisation_only and not _AUTHORING_VERB.match(who.verb):
            continue  # "What the sources quote on Burnham's plans" quotes others on them
        chosen.append(Listed(actor, picks, line))
    # A party with no one named ("Republicans want a photo op") is a reporter's summary of many
    # speakers, who are often quoted by name beside it: the named ones come first, so
    # ``max_actors`` cuts the summary rather than a person.
    chosen.sort(key=lambda line: line.actor.organisation_only and not line.actor.own_voice
                and is_party(line.actor.organisation or ""))
    return asked_for(chosen, who.asked_for)[:max_actors]


# Abbreviations a text uses for the kinds of actor a question asks for ("Which senators …").
_KIND_ABBREVIATIONS = {"sen": "senator", "rep": "representative", "gov": "governor", "gop": "republican"}


def asked_for(lines: list[Listed], kind: str | None) -> list[Listed]:
    """For "Which senators / Republicans / tax experts …", the lines whose actor is of that
    kind (a word of its role, organisation or quote sharing five letters with a word of the
    kind) first, the others after: a senator's role is often not written beside the quote, so
    the others are kept."""
    if not kind:
        return lines
    wanted = [w[:5] for w in re.findall(r"[a-z]+", kind.lower()) if len(w) >= 4]
    if not wanted:
        return lines

    def words(line: Listed) -> list[str]:
        texts = [line.actor.organisation or "", *line.actor.roles.values(), *(
            item.sentence.role or "" for item, _ in line.picks), *(item.sentence.text for item, _ in line.picks)]
        out = [w for t in texts for w in re.findall(r"[a-z]+", t.lower())]
        return out + [_KIND_ABBREVIATIONS[w] for w in out if w in _KIND_ABBREVIATIONS]

    matching = [line for line in lines if any(w[:5] in wanted for w in words(line) if len(w) >= 4)]
    return matching + [line for line in lines if line not in matching]
