"""Speaker attribution at index time: for every sentence of a document, who is speaking.

News articles, live blogs and comment threads mark reported speech in a few regular ways,
and this module follows them with regular expressions (no model, a few milliseconds a
document):

- a speech verb with its subject before or after it: ``Chair Dr Maureen Baker said: "…"``,
  ``"…," he added``, ``…, Mr Burnham said on Tuesday``, ``said Jonathan Benger, professor of …``,
  ``according to X``, ``with the RCGP warning …``, ``X has welcomed / raised concerns / tweeted``;
- quotations that run over several paragraphs (each opening with a quotation mark), and a
  quoted paragraph with no verb, which continues the previous speaker;
- tweets: ``X has tweeted:`` followed by the tweet, ``X tweets: "…"``, an embedded tweet signed
  ``— Name (@handle) date`` and an entry opening ``@handle: "…"``;
- reader comments: everything under ``Name says:`` is that reader's, nested replies included;
- live blogs: an entry's time ("5.20pm") and lead ("The Royal College … have concerns"), which
  gives the organisation of a speaker introduced only by a title (``Chair Dr X said``), and a
  run of minute-by-minute entries covering one speech, which all belong to its speaker.

References resolve inside the same entry or paragraph: he/she/they to the last speaker, "the
College", "the union", "the paper" to the organisation named earlier, "the statement" to the
entry's organisation, acronyms to a full name used elsewhere in the document, a surname to the
full name, a title alone ("the shadow health secretary") to the person it introduces.

:func:`attribute_document` returns one :class:`Attribution` per sentence, in order; sentences
with no speaker have all fields None. Offsets are document offsets: ``text[start:end]`` is the
sentence, exactly.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from index.mentions import (
    CAP,
    COMMON_CAPS,
    DOC_NOUNS,
    GROUP_NOUNS,
    ORG_NOUNS,
    ROLE_HEADS,
    Mention,
    acronym_of,
    describe,
    is_acronym,
    looks_like_org,
    org_spans,
    parse_mention,
    party_counts,
    person_runs,
    strip_honorific,
)
from index.sections import find_sections

KINDS = ("quote", "tweet", "comment", "reported")


@dataclass(frozen=True)
class Attribution:
    """Who speaks in the sentence ``text[start:end]``.

    ``speaker``: the person(s), names joined by " and "; ``organisation`` and ``role`` as the
    text gives them; ``kind``: "quote" (direct speech), "tweet", "comment" (a reader's) or
    "reported" (indirect speech). All None when the sentence is nobody's reported speech.
    """

    start: int
    end: int
    speaker: str | None = None
    organisation: str | None = None
    role: str | None = None
    kind: str | None = None
    entry_time: str | None = None

    @property
    def attributed(self) -> bool:
        return bool(self.speaker or self.organisation)

    def row(self) -> list:
        """The compact form stored in passage metadata: [start, end, speaker, organisation, role, kind]."""
        return [self.start, self.end, self.speaker, self.organisation, self.role, self.kind]


# --- sentences --------------------------------------------------------------------------------

_ABBREVIATIONS = frozenset(
    "mr mrs ms dr prof st no vs etc e.g i.e dept co ltd inc gen gov sen rep rev hon cllr mt jr sr "
    "approx est fig al op cf".split()
)
_END = re.compile(r"[.!?…]+[”’\"')\]]*(?=\s)|(?<=[a-z,])”(?=\s+[A-Z][a-z]+\s)")
_LINE_PREFIX = re.compile(
    r"[ \t\u00a0]*(?:\d{1,2}[.:]\d{2}\s?[ap]m\b:?|(?:\d{1,2}\.|[•\-\*–·])(?=[ \t\u00a0]))?[ \t\u00a0]*",
    re.IGNORECASE,
)


def split_sentences(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """``(start, end)`` of each sentence in ``text[start:end]``, in document offsets.

    Sentences never cross a line break. A leading live-blog time ("5.20pm"), list number or
    bullet is left out of the sentence; surrounding whitespace is trimmed; spans without a
    letter or digit are dropped.
    """
    end = len(text) if end is None else end
    spans: list[tuple[int, int]] = []
    pos = start
    while pos < end:
        nl = text.find("\n", pos, end)
        line_end = end if nl < 0 else nl
        prefix = _LINE_PREFIX.match(text, pos, line_end)
        s = prefix.end() if prefix else pos
        cursor = s
        for m in _END.finditer(text, s, line_end):
            cut = m.end()
            word = re.search(r"([A-Za-z.]+)[.]$", text[max(s, m.start() - 12) : m.start() + 1])
            if text[m.start()] == "." and re.search(r"(?:^|[“\"‘(\s])\d{1,2}$", text[s : m.start()]):
                continue
            if text[m.start()] == "." and word and (
                word.group(1).lower().rstrip(".") in _ABBREVIATIONS or len(word.group(1)) == 1
                or re.fullmatch(r"(?:[A-Za-z]\.)+", word.group(1) + ".")
            ):
                continue
            nxt = re.match(r"\s*(\S)", text[cut:line_end])
            if nxt and not (nxt.group(1).isupper() or nxt.group(1).isdigit() or nxt.group(1) in "“‘\"'(£@#["):
                continue
            spans.append((cursor, cut))
            cursor = cut
        spans.append((cursor, line_end))
        pos = line_end + 1
    out = []
    for s, e in spans:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s and any(c.isalnum() for c in text[s:e]):
            out.append((s, e))
    return out


# --- quotations -------------------------------------------------------------------------------

_OPEN_D, _CLOSE_D, _OPEN_S, _CLOSE_S = "“", "”", "‘", "’"


def quote_mask(text: str, breaks: list[int]) -> bytearray:
    """1 for every character inside quotation marks (the marks included), else 0.

    Double quotes that are still open at the end of a paragraph stay open into the next one
    (a quotation running over several paragraphs, each reopened with a mark); nothing stays
    open past a section boundary in ``breaks``. Single quotes close at the paragraph's end.
    An apostrophe inside a word (Labour’s, don’t) never opens or closes anything.
    """
    mask = bytearray(len(text))
    breaks_set = set(breaks)
    double = single = False
    open_at = 0
    n = len(text)
    i = 0
    while i < n:
        if i in breaks_set:
            double = single = False
        c = text[i]
        prev = text[i - 1] if i else " "
        nxt = text[i + 1] if i + 1 < n else " "
        if c == "\n" and nxt == "\n" or c == "\n" and text[i + 1 : i + 3].strip() == "" and i + 2 < n:
            single = False
        if c == "\n" and double and text[open_at + 1 : i].strip() == "" and "\n\n" in text[i : i + 3] + "\n":
            double = False  # a stray opening mark at the very end of a paragraph opens nothing
            for k in range(open_at, i):
                mask[k] = 0
        if c == _OPEN_D and text[i + 1 : (text.find("\n", i) + 1 or n + 1) - 1].strip() == "":
            # An opening mark with nothing after it on the line: a typo for the closing one.
            if double:
                mask[i] = 1
                double = False
        elif c == _OPEN_D:
            if not double:
                open_at = i
            double = True
            mask[i] = 1
        elif c == _CLOSE_D:
            if double:
                mask[i] = 1
                double = False
            elif nxt.isalpha():  # 'said:”It is ...' uses the closing mark to open
                double, open_at = True, i
                mask[i] = 1
        elif c == '"':
            if double and not (prev.isspace() and nxt.isalnum()):
                mask[i] = 1
                double = False
            elif not double and (prev.isspace() or prev in "([:—–-") and not nxt.isspace():
                double, open_at = True, i
                mask[i] = 1
        elif c == _OPEN_S and not double:
            if not prev.isalnum():
                single = True
                mask[i] = 1
        elif c in (_CLOSE_S, "'") and not double:
            if single and not nxt.isalnum() and not prev.isspace():
                mask[i] = 1
                single = False
            elif c == "'" and not single and not prev.isalnum() and nxt.isalpha():
                single = True
                mask[i] = 1
        elif double or single:
            mask[i] = 1
        if double or single:
            mask[i] = 1
        i += 1
    return mask


# --- speech frames ----------------------------------------------------------------------------

_VERBS = (
    "said|says|say|saying|added|adds|adding|told|tells|telling|stated|states|explained|explains|"
    "commented|comments|replied|replies|responded|responds|wrote|writes|written|noted|notes|"
    "argued|argues|arguing|warned|warns|warning|insisted|insists|insisting|claimed|claims|claiming|"
    "urged|urges|revealed|reveals|confirmed|confirms|suggested|suggests|suggest|suggesting|"
    "acknowledged|acknowledges|admitted|admits|asked|asks|concluded|concludes|announced|announces|"
    "declared|declares|tweeted|tweets|tweeting|remarked|stressed|stresses|emphasised|emphasized|"
    "predicted|predicts|promised|promises|pledged|pledges|vowed|vows|complained|criticised|"
    "criticized|criticises|welcomed|welcomes|questioned|questions|reported|reports|reporting|"
    "reassure|reassured|invited|invites|endorsed|endorses|backed(?!\\s+down)|backs(?!\\s+down)|opposed|opposes|attacked|"
    "praised|condemned|defended|hailed|rejected|dismissed|repeats|repeated|wants|wanted|"
    "calls\\s+for|called\\s+for|called\\s+on|begins|continued|continues|unveiled|unveils|"
    "write|raised\\s+(?:concerns?|fears|doubts|questions)|expressed\\s+(?:alarm|concerns?|doubts|support)|"
    "made\\s+clear|makes\\s+clear|set\\s+out|sets\\s+out|accused|accuses|dismissed|agreed|agrees"
)
_VERB_RE = re.compile(rf"\b(?:{_VERBS})\b")
_PASSIVE = re.compile(r"\b(?:is|are|was|were|be|been|being|get|got)\s+(?:\w+ly\s+)?$")
_PRESENT_SPEECH = re.compile(r"^(?:says|repeats|wants|calls\s+for|tells|urges|warns|adds|promises|pledges|"
                             r"insists|argues|claims|reveals|suggests|announces)$")
_ACCORDING = re.compile(r"\baccording\s+to\s+")
_WITH_ING = re.compile(r"\bwith\s+((?:the\s+)?[^,;]{1,60}?)\s+(?:warning|claiming|saying|arguing|insisting|"
                       r"suggesting|adding|calling\s+for|urging)\b")
_SIGNATURE = re.compile(r"[ \t]*[—–-]+\s*(?P<name>[^(\n]{2,60}?)\s*\(@(?P<handle>\w+)\)")
_HANDLE_LEAD = re.compile(r"@(?P<handle>\w{2,}):")
_INNER = re.compile(r"[“\"‘](?P<name>[A-Z][a-z]+(?:\s[A-Z][a-z]+)?):\s")
_HEADING = re.compile(r"^[^.!?:;”’\"]{1,70}$")
_TIME = re.compile(r"(\d{1,2})[.:](\d{2})\s?([ap]m)", re.IGNORECASE)
_NP = rf"(?:{CAP}(?:[’']s)?(?:\s+(?:of|and|for|&|the))*\s+)*{CAP}(?:[’']s)?"
_LEAD_NP = re.compile(rf"^(?:(?:The|the|A|An)\s+)?{_NP}(?:,\s+{_NP})*(?:,?\s+and\s+{_NP})?")


@dataclass(eq=False)
class _Entity:
    """A speaker as the document builds it up; shared by every sentence that refers to it, so a
    title bound to a name later ("the care minister" ... "Mr Lamb") updates them all."""

    name: str | None = None
    organisation: str | None = None
    role: str | None = None
    via_role: bool = False  # introduced by a title, not by an organisation ("Chair Dr X", "the minister")
    outlet: bool = False  # a publication reporting others: its name is nobody's employer

    @property
    def real(self) -> bool:
        return bool(self.name or self.organisation)


@dataclass
class _Sentence:
    start: int
    end: int
    section: int
    paragraph: int
    quoted: float  # share of characters inside quotation marks
    opens_in_quote: bool  # begins inside a quotation opened earlier
    frame_text: str  # the sentence with quoted text blanked out (each quotation starts with ";")
    heading: bool = False
    text_opens_quote: bool = False  # the sentence's first character is a quotation mark
    actor: _Entity | None = None
    kind: str | None = None
    direct: bool = False  # the actor comes from this sentence's own speech verb
    intro: bool = False  # introduces the speaker's words that follow; not their words itself


@dataclass
class _Context:
    """What one section (live-blog entry, comment, or whole article) has said so far."""

    last_speaker: _Entity | None = None
    last_person: _Entity | None = None
    last_org: str | None = None
    topic: _Entity | None = None
    topic_set: bool = False
    para_topic: dict[int, _Entity | None] = field(default_factory=dict)
    pending: list[_Entity] = field(default_factory=list)  # titles still waiting for a name


@dataclass
class _Registry:
    """What the whole document says about people and organisations."""

    people: dict[str, tuple[str | None, str | None]] = field(default_factory=dict)  # name -> (role, org)
    handles: dict[str, str] = field(default_factory=dict)
    orgs: list[str] = field(default_factory=list)
    mentions: Counter = field(default_factory=Counter)  # surname -> count
    parties: dict[str, int] = field(default_factory=dict)
    entities: dict[str, _Entity] = field(default_factory=dict)  # full name -> entity

    def full_name(self, name: str) -> str:
        """A surname or first name alone ("Burnham", "Alastair") -> the one full name that fits."""
        if " " in name:
            return name
        fits = {p for p in self.people if " " in p and " and " not in p
                and (p.split()[-1] == name or p.split()[0] == name)}
        return fits.pop() if len(fits) == 1 else name

    def known(self, name: str) -> tuple[str | None, str | None]:
        return self.people.get(name, (None, None))

    def add_person(self, name: str, role: str | None, org: str | None) -> None:
        old_role, old_org = self.people.get(name, (None, None))
        self.people[name] = (old_role or role, old_org or org)

    def person(self, name: str) -> _Entity:
        """The one entity for a person, with what the document says about them."""
        full = self.full_name(name)
        if full not in self.entities:
            role, org = self.known(full)
            self.entities[full] = _Entity(name=full, role=role, organisation=self.expand_org(org))
        return self.entities[full]

    def expand_org(self, org: str | None) -> str | None:
        """Acronyms and one-word references ("DH", "the College", "the Mail") -> a full name
        the document uses elsewhere, if exactly one fits. Lists are expanded item by item."""
        if not org:
            return org
        items = re.split(r",\s*|\s+and\s+", org)
        if len(items) > 1 and all(len(i.split()) <= 4 for i in items) and "," in org:
            full = [self.expand_org(i) or i for i in items]
            return ", ".join(full[:-1]) + " and " + full[-1]
        bare = re.sub(r"^The\s+", "", org)
        if is_acronym(bare):
            fits = {o for o in self.orgs if o != bare and acronym_of(o).upper() == bare.rstrip("s").upper()}
            return fits.pop() if len(fits) == 1 else org
        if " " not in bare:
            fits = {o for o in self.orgs if " " in o and re.search(rf"\b{re.escape(bare)}\b", o)
                    and not o.startswith(bare + " of") and "," not in o}
            return fits.pop() if len(fits) == 1 else org
        return org


def attribute_document(text: str) -> list[Attribution]:
    """One :class:`Attribution` per sentence of ``text``, in document order."""
    sections = find_sections(text)
    mask = quote_mask(text, [s.start for s in sections])
    sentences = _sentences(text, sections, mask)
    registry = _registry(text, sentences)
    _frames(text, sentences, sections, registry)
    _signatures(text, sentences)
    _live_runs(sentences, sections)
    return _finish(sentences, sections, registry)


def _sentences(text: str, sections, mask: bytearray) -> list[_Sentence]:
    out: list[_Sentence] = []
    paragraph = 0
    for si, section in enumerate(sections):
        last_end = section.start
        for s, e in split_sentences(text, section.start, section.end):
            if re.search(r"\n[ \t\u00a0]*\n", text[last_end:s]):
                paragraph += 1
            last_end = e
            quoted = sum(mask[s:e]) / (e - s)
            frame = "".join(";" if mask[i] and (i == s or not mask[i - 1]) else (" " if mask[i] else text[i])
                            for i in range(s, e))
            line_start = text.rfind("\n", 0, s) + 1
            line_end = text.find("\n", e)
            line = text[line_start : len(text) if line_end < 0 else line_end].strip()
            heading = bool(_HEADING.match(line)) and quoted == 0 and len(line.split()) <= 10 \
                and not _SIGNATURE.match(line) and not line.endswith(("says", "says:"))
            opens_in_quote = bool(mask[s]) and (s > 0 and bool(mask[s - 1]) and text[s] not in "“‘"
                                                or _continues_quote(text, mask, s))
            out.append(_Sentence(s, e, si, paragraph, quoted, opens_in_quote, frame, heading,
                                 text[s] in "“\"‘'"))
        paragraph += 1
    return out


def _continues_quote(text: str, mask: bytearray, s: int) -> bool:
    """A sentence opening with a quotation mark while an earlier quotation never closed: the
    same speaker goes on (news style reopens a quotation at each new paragraph)."""
    j = s - 1
    while j >= 0 and text[j].isspace():
        j -= 1
    return j >= 0 and mask[j] == 1 and text[j] not in "”\"’'"


def _registry(text: str, sentences: list[_Sentence]) -> _Registry:
    reg = _Registry(parties=party_counts(text))
    for m in _SIGNATURE.finditer(text):
        reg.handles[m.group("handle").lower()] = m.group("name").strip()
    for sent in sentences:
        body = sent.frame_text
        for start, end, name in person_runs(body):
            if _inside_org(body, start, end):
                continue
            clean = strip_honorific(name)
            role, org = describe(body[:start], body[end:])
            reg.add_person(clean, role, org)
        appointed = _APPOINTED.search(body)
        if appointed:
            orgs = org_spans(appointed.group("org"))
            reg.people[appointed.group("name")] = (appointed.group("role"), orgs[0][2] if orgs else None)
        for _, _, org in org_spans(body):
            if looks_like_org(org) and org not in reg.orgs:
                reg.orgs.append(org)
    # How often each person is named, possessives included ("Burnham's speech").
    surnames = {p.split()[-1] for p in reg.people if " " in p and " and " not in p}
    for word in re.findall(r"\b[A-Z][a-z]+(?:[’'-][A-Za-z]+)?\b", text):
        base = re.sub(r"[’']s$", "", word)
        if base in surnames:
            reg.mentions[base] += 1
    return reg


_APPOINTED = re.compile(
    rf"(?P<name>{CAP}\s+{CAP})\s+(?:has\s+been|was|is|had\s+been)\s+appointed\s+(?:as\s+)?(?:the\s+)?"
    r"(?P<role>[a-z][a-z\s\-]*?)\s+of\s+(?:the\s+)?(?P<org>[^,.;]+)"
)


def _frames(text: str, sentences: list[_Sentence], sections, reg: _Registry) -> None:
    """Attribute each sentence from its own speech verb, or carry a speaker over to it."""
    contexts: dict[int, _Context] = {}
    prev: _Sentence | None = None
    for sent in sentences:
        ctx = contexts.setdefault(sent.section, _Context())
        sec = sections[sent.section]
        first_in_section = not ctx.topic_set and not sent.heading
        first_in_para = sent.paragraph not in ctx.para_topic and not sent.heading
        frame = _frame(text, sent, reg)
        entity, kind = _resolve(frame, reg, ctx) if frame is not None else (None, None)
        if entity is not None and entity.via_role and not entity.organisation and sec.time and ctx.topic is not None \
                and ctx.topic.organisation and not ctx.topic.name and not ctx.topic.outlet:
            entity.organisation = ctx.topic.organisation  # "Chair Dr X said" under "The College has ..."
        if sec.commenter is not None and not sent.heading:
            # A reader's comment is theirs, unless it quotes a named third party.
            if entity is None or not entity.name or frame is None or frame.mention is None \
                    or not frame.mention.name:
                entity, kind = reg.person(sec.commenter), "comment"
        _note_people(sent, reg, ctx, entity)
        if entity is not None and (entity.real or entity.via_role):
            sent.actor, sent.kind, sent.direct = entity, kind, True
            sent.intro = frame is not None and frame.intro
            if entity.name or entity.via_role:
                ctx.last_speaker = entity
            if entity.organisation and not entity.name:
                ctx.last_org = entity.organisation
        if first_in_section:
            ctx.topic = sent.actor if sent.actor is not None else _lead_actor(sent.frame_text, reg, ctx)
            if sent.actor is not None and frame is not None and frame.outlet:
                sent.actor.outlet = True
            ctx.topic_set = True
        if first_in_para:
            ctx.para_topic[sent.paragraph] = sent.actor or _lead_actor(sent.frame_text, reg, ctx)
        if sent.actor is None and not sent.heading:
            sent.actor, sent.kind = _carry(sent, prev, ctx, sec, reg)
        if not sent.heading:
            prev = sent
    # A title never tied to a name in its entry: the person the document is most about.
    salient = _salient_person(reg)
    for ctx in contexts.values():
        for entity in ctx.pending:
            if not entity.name and salient:
                person = reg.person(salient)
                entity.name = salient
                person.role = person.role or entity.role
                entity.organisation = entity.organisation or person.organisation


def _note_people(sent: _Sentence, reg: _Registry, ctx: _Context, speaker: _Entity | None) -> None:
    """People named in passing: for later pronouns, and to give a waiting title its name."""
    body = sent.frame_text
    for start, end, name in person_runs(body):
        if _inside_org(body, start, end):
            continue
        person = reg.person(strip_honorific(name))
        for pending in ctx.pending:
            if pending is not speaker and not pending.name:
                pending.name = person.name
                person.role = person.role or pending.role
                pending.organisation = pending.organisation or person.organisation
                person.organisation = person.organisation or pending.organisation
                reg.add_person(person.name, pending.role, pending.organisation)
        ctx.pending = [p for p in ctx.pending if not p.name]
        if speaker is None or (person.name != speaker.name):
            ctx.last_person = person


def _inside_org(body: str, start: int, end: int) -> bool:
    return any(s <= start and end <= e for s, e, _ in org_spans(body))


@dataclass
class _Frame:
    """What a sentence's own words say about its speaker."""

    mention: Mention | None = None
    entity: _Entity | None = None
    kind: str | None = None
    outlet: bool = False  # "X reports that ...": X is a publication
    intro: bool = False  # "… this, from X:": introduces X's words without being them
    extra_org: str | None = None  # "speaking as a senior member of the Liberal Democrat Party"


_OUTLET_VERBS = re.compile(r"^(?:reports|reported|reporting|reveals|revealed)$")
_SPEAKING_AS = re.compile(r"^[\s,]*speaking\s+(?:[a-z ]{0,30}?\s)?as\s+(?:a|an|the)\s+([^.;]+)")


def _frame(text: str, sent: _Sentence, reg: _Registry) -> _Frame | None:
    """The speaker this sentence names with a speech verb (or a tweet handle), if any."""
    body = sent.frame_text
    raw = text[sent.start : sent.end]
    m = _HANDLE_LEAD.match(body) or _HANDLE_LEAD.match(raw)
    if m and m.group("handle").lower() in reg.handles:
        return _Frame(entity=reg.person(reg.handles[m.group("handle").lower()]), kind="tweet")
    inner = _INNER.search(raw)
    if inner and sent.quoted > 0.5:
        return _Frame(entity=reg.person(inner.group("name")), kind="reported")
    candidates: list[tuple[int, _Frame]] = []
    for vm in _VERB_RE.finditer(body):
        verb = vm.group()
        before = body[: vm.start()]
        if _PASSIVE.search(before) and not verb.endswith("ing"):
            continue
        wm = _WITH_ING.search(body, max(0, vm.start() - 70), vm.end())
        if wm and wm.end() == vm.end():
            mention = parse_mention(wm.group(1))
        elif verb in ("saying", "claiming", "warning", "arguing", "insisting", "adding", "suggesting") \
                and not re.search(r"\b(?:is|are|was|were|been)\s+$", before):
            mention = _sentence_subject(body)
        else:
            mention = parse_mention(before)
        if mention.empty or _junk(mention):
            after = body[vm.end() :]
            if re.match(r"\s+(?:[A-Z]|the\s|a\s)", after) and (not before.strip() or before.rstrip()[-1:] in ",;"):
                mention = parse_mention(after, forward=True)
        if mention.empty or _junk(mention):
            continue
        extra = _SPEAKING_AS.match(body[vm.end() :])
        extra_org = None
        if extra:
            orgs = org_spans(extra.group(1))
            extra_org = orgs[-1][2] if orgs else None
        kind = "tweet" if verb.startswith("tweet") else None
        candidates.append((vm.start(), _Frame(mention, kind=kind, outlet=bool(_OUTLET_VERBS.match(verb)),
                                              extra_org=extra_org)))
    for am in _ACCORDING.finditer(body):
        mention = parse_mention(body[am.end() :], forward=True)
        if not mention.empty and not _junk(mention):
            return _Frame(mention)  # "according to X" names the source behind any reporter
    if not candidates and body.rstrip().endswith(":"):
        lead = _colon_lead(body)
        if lead is not None:
            candidates.append((0, _Frame(lead, intro=True)))
    if not candidates:
        return None
    if sent.quoted > 0 and len(candidates) > 1:
        first_quote = body.find(";")
        return min(candidates, key=lambda c: abs(c[0] - first_quote))[1]
    return min(candidates, key=lambda c: c[0])[1]


def _junk(mention: Mention) -> bool:
    """A noun-only mention that names no speaker ("a third of", "the day")."""
    if mention.name or mention.organisation or mention.pronoun or mention.role or mention.group:
        return False
    return mention.noun not in DOC_NOUNS | ORG_NOUNS | ROLE_HEADS | GROUP_NOUNS


def _sentence_subject(body: str) -> Mention:
    m = _LEAD_NP.match(body.strip())
    return parse_mention(m.group()) if m else Mention()


def _colon_lead(body: str) -> Mention | None:
    """An entry lead that introduces quotations: "… this, from Debbie Freake, director …:" or
    "Here is an interesting part of Burnham's speech …:"."""
    m = re.search(r"\bfrom\s+(.*?):?\s*$", body)
    if m:
        mention = parse_mention(m.group(1), forward=True)
        if mention.name:
            return mention
    m = re.search(rf"({CAP}(?:\s+{CAP})*)[’']s?\s+(?:speech|statement|remarks|letter|article|blog|tweets?|"
                  r"evidence|submission|response)\b", body)
    if m:
        mention = parse_mention(m.group(1))
        if not mention.empty:
            return mention
    return None


def _resolve(frame: _Frame, reg: _Registry, ctx: _Context) -> tuple[_Entity | None, str | None]:
    """Who a frame refers to: pronouns, descriptions, surnames and acronyms resolved."""
    entity, kind = _refer(frame, reg, ctx)
    if entity is not None and not entity.organisation and entity.role and "shadow" in entity.role.split():
        entity.organisation = _dominant_party(reg)  # the opposition front bench: the party in the news
    return entity, kind


def _dominant_party(reg: _Registry) -> str | None:
    return max(reg.parties, key=reg.parties.get) if reg.parties else None


def _refer(frame: _Frame, reg: _Registry, ctx: _Context) -> tuple[_Entity | None, str | None]:
    kind = frame.kind
    if frame.entity is not None:
        return frame.entity, kind
    m = frame.mention
    assert m is not None
    if m.pronoun in ("he", "she"):
        return ctx.last_speaker or ctx.last_person, kind
    if m.pronoun == "they":
        for ref in (ctx.last_speaker, ctx.last_person):
            if ref is not None and ref.name and " and " in ref.name:
                return ref, kind
        if ctx.last_speaker is not None:
            return ctx.last_speaker, kind
        return (ctx.topic if ctx.topic is not None and ctx.topic.organisation else None), kind
    if m.pronoun == "it":
        return (ctx.topic if ctx.topic is not None and ctx.topic.organisation and not ctx.topic.name else None), kind
    if m.name:
        person = reg.person(m.name)
        person.role = person.role or m.role
        person.organisation = person.organisation or reg.expand_org(m.organisation or frame.extra_org)
        if m.role and not m.organisation and not reg.known(person.name)[1]:
            person.via_role = True
        return person, kind
    if m.organisation and not m.role:
        return _Entity(organisation=reg.expand_org(m.organisation), outlet=frame.outlet), kind
    if m.group:
        return _Entity(name=m.group), kind  # "GP leaders", "Tony Blair supporters"
    if m.noun and not m.role:
        if m.noun == "party":
            party = max(reg.parties, key=reg.parties.get) if reg.parties else None
            return (_Entity(organisation=party) if party else None), kind
        if m.noun not in DOC_NOUNS:
            named = [o for o in reversed(reg.orgs) if m.noun in o.lower().split()]
            if named:
                return _Entity(organisation=named[0]), kind
        if ctx.topic is not None and ctx.topic.organisation and (not ctx.topic.name or m.noun in DOC_NOUNS):
            return _Entity(organisation=ctx.topic.organisation), kind
        if ctx.last_org:
            return _Entity(organisation=ctx.last_org), kind
        return None, kind
    if m.role:
        # "the shadow health secretary" when the document names its holder elsewhere; a bare
        # "chief executive" could be anyone's, so the organisation must agree too.
        for name, (role, org) in reg.people.items():
            if role == m.role and " " in name and " and " not in name and (
                    len(role.split()) > 1 and not m.organisation or m.organisation and org == m.organisation):
                return reg.person(name), kind
        entity = _Entity(role=m.role, organisation=reg.expand_org(m.organisation or frame.extra_org), via_role=True)
        ctx.pending.append(entity)
        return entity, kind
    return None, kind


def _lead_actor(body: str, reg: _Registry, ctx: _Context) -> _Entity | None:
    """The organisation or person a paragraph's first sentence is about ("The Daily Mail devotes …")."""
    body = body.strip()
    if _DOC_SUBJECT.match(body):
        return _Entity(organisation=ctx.last_org) if ctx.last_org else None
    m = _LEAD_NP.match(body)
    if not m or m.group().split()[0] in COMMON_CAPS and m.group().split()[0] not in ("The", "A", "An"):
        return None
    if re.fullmatch(r"[A-Z]{2,}s?", m.group()):
        return None  # "NHS will be ...", "CCGs would ...": a bare acronym is a topic, not a speaker
    mention = parse_mention(m.group())
    if mention.organisation and not mention.name and not re.fullmatch(r"[A-Z]{2,}s", mention.organisation):
        return _Entity(organisation=reg.expand_org(mention.organisation))
    if mention.name and " " in mention.name:
        return reg.person(mention.name)
    if mention.noun in DOC_NOUNS and ctx.last_org:
        return _Entity(organisation=ctx.last_org)
    return None


_DOC_SUBJECT = re.compile(rf"(?:The|An|A|This)\s+(?:[a-z\-]+\s+)?(?:{'|'.join(sorted(DOC_NOUNS))})\b")


def _carry(sent: _Sentence, prev: _Sentence | None, ctx: _Context, sec, reg: _Registry):
    """A quotation with no speech verb of its own: the speaker goes on from before."""
    if sec.commenter is not None:
        return reg.person(sec.commenter), "comment"
    if not (sent.quoted > 0 or sent.opens_in_quote):
        return None, None
    if prev is not None and prev.section == sent.section and prev.actor is not None \
            and (prev.actor.real or prev.actor.via_role):
        same_para = prev.paragraph == sent.paragraph
        # Across paragraphs: a reopened quotation, or a quotation right after reported speech.
        next_para = prev.paragraph == sent.paragraph - 1 and prev.direct
        if same_para or sent.opens_in_quote or sent.text_opens_quote or next_para:
            return prev.actor, "tweet" if prev.kind == "tweet" else None
    para = ctx.para_topic.get(sent.paragraph)
    if para is not None and para.real:
        return para, None
    # A whole article's first actor speaks for later quotations only if it is an organisation
    # (an article "about" a person quotes many others in between).
    if ctx.topic is not None and ctx.topic.real and (sec.time or not ctx.topic.name):
        return ctx.topic, None
    return None, None


def _signatures(text: str, sentences: list[_Sentence]) -> None:
    """An embedded tweet's signature line ("— Name (@handle) date") claims the paragraph above."""
    for i, sent in enumerate(sentences):
        line_start = text.rfind("\n", 0, sent.start) + 1
        m = _SIGNATURE.match(text, line_start)
        if not m or not line_start <= sent.start <= m.end():
            continue
        author = _Entity(name=m.group("name").strip())
        sent.actor, sent.kind, sent.direct = author, "tweet", True
        j = i - 1
        while j >= 0 and sentences[j].section == sent.section and sentences[j].paragraph == sent.paragraph - 1:
            sentences[j].actor, sentences[j].kind, sentences[j].direct = author, "tweet", True
            j -= 1


def _minutes(time: str | None) -> int | None:
    m = _TIME.search(time or "")
    if not m:
        return None
    hour = int(m.group(1)) % 12 + (12 if m.group(3).lower() == "pm" else 0)
    return hour * 60 + int(m.group(2))


def _live_runs(sentences: list[_Sentence], sections, gap: int = 5) -> None:
    """Minute-by-minute coverage of a speech: entries with no speaker of their own, a few
    minutes after an entry such as "Burnham says …", are the same speaker's words."""
    timed = [(i, _minutes(s.time)) for i, s in enumerate(sections) if s.time]
    timed = [(i, t) for i, t in timed if t is not None]
    if len(timed) < 3:
        return
    falling = sum(b[1] < a[1] for a, b in zip(timed, timed[1:]))
    order = list(reversed(timed)) if falling > len(timed) / 2 else timed
    by_section: dict[int, list[_Sentence]] = {}
    for sent in sentences:
        by_section.setdefault(sent.section, []).append(sent)
    speaker: _Entity | None = None
    last_t = -1
    for si, t in order:
        sents = [s for s in by_section.get(si, []) if not s.heading]
        if not sents:
            continue
        lead = sents[0]
        verb = _VERB_RE.search(lead.frame_text)
        if lead.direct and lead.actor is not None and lead.actor.name and verb \
                and _PRESENT_SPEECH.match(verb.group()):
            speaker, last_t = lead.actor, t
            for s in sents[1:]:
                if not s.direct:
                    s.actor, s.kind = speaker, None
            continue
        if speaker is None or not 0 <= t - last_t <= gap:
            speaker = None
            continue
        surname = speaker.name.split()[-1]
        own = any(s.actor is not None and s.direct for s in sents)
        about = any(re.search(rf"\b{re.escape(surname)}\b", s.frame_text) for s in sents)
        if own or about:
            speaker = None
            continue
        for s in sents:
            s.actor, s.kind = speaker, None
        last_t = t


def _finish(sentences: list[_Sentence], sections, reg: _Registry) -> list[Attribution]:
    dominant = _dominant_party(reg)
    out = []
    for sent in sentences:
        sec = sections[sent.section]
        actor = sent.actor
        if actor is None or not actor.real or sent.intro:
            out.append(Attribution(sent.start, sent.end, entry_time=sec.time))
            continue
        name, org, role = actor.name, actor.organisation, actor.role
        if name and " and " not in name:
            known_role, known_org = reg.known(name)
            role = role or known_role
            org = org or reg.expand_org(known_org)
        if not org and role and "shadow" in role and dominant:
            org = dominant  # the opposition's front bench: the party the document is about
        direct = sent.quoted >= 0.3 or sent.quoted * (sent.end - sent.start) >= 15 or sent.opens_in_quote
        kind = sent.kind or ("comment" if sec.commenter else "quote" if direct else "reported")
        out.append(Attribution(sent.start, sent.end, name, reg.expand_org(org), role, kind, sec.time))
    return out


def _salient_person(reg: _Registry) -> str | None:
    """The person the document names most often (at least three times), if any."""
    if not reg.mentions:
        return None
    surname, count = reg.mentions.most_common(1)[0]
    if count < 3:
        return None
    full = reg.full_name(surname)
    return full if " " in full else None
