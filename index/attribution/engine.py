"""Attribute every sentence of a document: spaCy's parse for grammar, the project's rules for
quotations, references and layout.

Per document (all documents' paragraphs go through ``nlp.pipe`` together, each paragraph a
spaCy doc, so a sentence never crosses a line break):

1. quotations from the quotation marks (:mod:`index.attribution.quotes`), sections (live-blog
   entries, reader comments: :mod:`index.sections`);
2. the registry of people and organisations from every PERSON and ORG entity
   (:mod:`index.attribution.registry`);
3. speech frames per sentence (:mod:`index.attribution.frames`), their source phrases read
   (:mod:`index.attribution.mentions`) and resolved in document order: pronouns to the latest
   compatible person, titles to their holder, "the union" to the organisation;
4. each quotation to the frame of its sentence or the next one, or to the quotation it
   continues, or to the speaker of the paragraph before;
5. each sentence to its own frame's speaker (reported speech) or its quotation's; then layout
   (:mod:`index.attribution.structure`): comments, tweets, introduced paragraphs, live runs.

Returns a :class:`~index.attribution.records.DocumentAttribution` per document: one row per
sentence and the attributed spans (quotations, and sentences of reported speech).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from index.attribution.frames import Frame, co_subjects, document_lead, frames, in_quote
from index.attribution.lexicon import DOC_NOUNS, Lexicon, load_lexicon, party_of
from index.attribution.mentions import Mention, _proper_phrase, read_mention
from index.attribution.quotes import Quotation, quotation_runs, quote_mask
from index.attribution.records import Attribution, DocumentAttribution, Span
from index.attribution.references import Context, References, honorific_before
from index.attribution.registry import Actor, Registry
from index.attribution.sentences import _LINE_PREFIX
from index.attribution import structure
from index.sections import find_sections


_HEADING = re.compile(r"^[^.!?:;”’\"]{1,70}$")
_INNER_LABEL = re.compile(r"[“\"‘](?P<name>[A-Z][\w’'\-]+(?: [A-Z][\w’'\-]+)?):\s")
_SPACES = str.maketrans({c: " " for c in "\u00a0\u2007\u2009\u200a\u202f\u205f\u3000"})
_OUTLET_VERBS = frozenset("reports reported reporting reveals revealed".split())
_SCENE = frozenset("when while after before because if once until".split())
# What a person says or writes, as a thing they own ("Jo Bloggs’s comment", "her remarks").
_OWN_WORDS = frozenset("""comment comments remark remarks words speech tweet tweets post posts letter reply
response statement blog article column interview email message""".split())
_WRITES = frozenset("write writes wrote writing written report reports reported reporting blogs blogged".split())


@dataclass(eq=False)
class Sent:
    """One sentence while the document is worked on. ``offset`` is its paragraph's start."""

    start: int
    end: int
    para: int
    section: int
    span: Any
    offset: int
    text: str
    quoted: float
    heading: bool = False
    frames: list[Frame] = field(default_factory=list)
    actor: Actor | None = None
    kind: str | None = None
    own: bool = False  # the speaker comes from this sentence's own frame
    frame: Frame | None = None
    mention: Mention | None = None
    intro: bool = False
    cue_word: str | None = None

    @property
    def subject(self) -> str | None:
        """The proper-noun subject of the sentence's main verb, as written ("Burnham")."""
        root = self.span.root
        subj = next((c for c in root.children if c.dep_ == "nsubj"), None)
        return subj.text if subj is not None and subj.tag_ == "NNP" else None

    @property
    def present(self) -> bool:
        return self.span.root.tag_ == "VBZ"

    def set(self, actor: Actor | None, kind: str | None, own: bool = False) -> None:
        self.actor, self.kind, self.own = actor, kind, own or self.own


def paragraphs(text: str) -> list[tuple[int, int]]:
    """(start, end) of every non-blank line."""
    out, pos = [], 0
    for line in text.split("\n"):
        end = pos + len(line)
        if line.strip():
            out.append((pos, end))
        pos = end + 1
    return out


def attribute_texts(texts: list[str], nlp: Any, lex: Lexicon | None = None,
                    batch_size: int = 64) -> list[DocumentAttribution]:
    """Attribution of each text, parsing all their paragraphs in one ``nlp.pipe``."""
    lex = lex or load_lexicon()
    paras = [paragraphs(t) for t in texts]
    # spaCy makes a no-break space a token of its own, which splits names and noun phrases
    # ("Na’eem\xa0Ahmed"); a plain space in its place keeps every offset.
    flat = [texts[i][s:e].translate(_SPACES) for i, ps in enumerate(paras) for s, e in ps]
    docs = iter(nlp.pipe(flat, batch_size=batch_size))
    out = []
    for text, ps in zip(texts, paras):
        parsed = [(s, next(docs)) for s, _ in ps]
        out.append(_Document(text, parsed, lex).run())
    return out


class _Document:
    def __init__(self, text: str, parsed: list[tuple[int, Any]], lex: Lexicon):
        self.text = text
        self.parsed = parsed
        self.lex = lex
        self.sections = find_sections(text)
        self.mask = quote_mask(text, [s.start for s in self.sections])
        self.quotations = quotation_runs(text, self.mask)
        self.registry = Registry(handles=structure.signature_handles(text))
        self.sents: list[Sent] = []
        self.refs = References(self.registry, lex, text, self.sents)
        self.inner_labels: set[int] = set()  # quotations that name their own speaker (“Bennett: …”)

    # --- 1. sentences ---------------------------------------------------------------------------

    def _sentences(self) -> None:
        starts = [s.start for s in self.sections]
        for pi, (offset, doc) in enumerate(self.parsed):
            section = max(i for i, s in enumerate(starts) if s <= offset) if starts else 0
            for sent in doc.sents:
                s, e = offset + sent.start_char, offset + sent.end_char
                if sent.start == 0 or self.text[offset:s].strip() == "":
                    m = _LINE_PREFIX.match(self.text, s, e)
                    if m and m.end() > s and m.group().strip():
                        s = m.end()
                while s < e and self.text[s].isspace():
                    s += 1
                while e > s and self.text[e - 1].isspace():
                    e -= 1
                if e <= s or not any(c.isalnum() for c in self.text[s:e]):
                    continue
                quoted = sum(self.mask[s:e]) / (e - s)
                line = doc.text.strip()
                heading = (len(doc.text.strip()) == len(self.text[s:e].strip()) and bool(_HEADING.match(line))
                           and quoted == 0 and len(line.split()) <= 12)
                self.sents.append(Sent(s, e, pi, section, sent, offset, self.text[s:e], quoted, heading))

    # --- 2. registry ----------------------------------------------------------------------------

    def _registry(self) -> None:
        reg = self.registry
        for offset, doc in self.parsed:
            for ent in doc.ents:
                if ent.label_ == "ORG":
                    reg.add_org(re.sub(r"^(?:the|The)\s+", "", re.sub(r"[’']s$", "", ent.text)))
            for ent in doc.ents:
                if ent.label_ != "PERSON" or in_quote(ent.root, offset, self.mask) and len(ent) < 2:
                    continue
                mention = read_mention(ent.root, offset, self.lex)
                if mention.name and len(mention.name.split()) > 1:
                    actor = reg.add_person(mention)
                    self.refs.note_gender(actor, ent)
        for offset, doc in self.parsed:  # single names after full ones, so they can join them
            for ent in doc.ents:
                if ent.label_ == "PERSON" and len(ent) == 1:
                    known = reg.full_name(ent.text) in reg.people
                    actor = reg.person(ent.text)
                    if known:
                        actor.mentions += 1  # "Axelrod said": the article's person is named often


    # --- 3. frames and references ---------------------------------------------------------------

    def _frames(self) -> None:
        contexts: dict[int, Context] = {}
        for i, sent in enumerate(self.sents):
            ctx = contexts.setdefault(sent.section, Context())
            found = frames(sent.span, sent.offset, self.mask, self.lex)
            best, mention, actor = None, None, None
            remaining = [f for f in found if f.source is not None]
            if not remaining and i + 1 < len(self.sents):
                nxt = self.sents[i + 1]
                if nxt.para == sent.para and nxt.quoted >= 0.8 and self.mask[nxt.start]:
                    lead = document_lead(sent.span, sent.offset, self.mask)
                    remaining = [lead] if lead is not None else []
            while remaining and actor is None:
                # The preferred frame first; if its source names nobody ("GP leaders expressed
                # alarm …"), the next ("… with the RCGP warning …").
                best = self._choose(sent, remaining)
                remaining = [f for f in remaining if f is not best]
                extra = [t for t in co_subjects(best.verb, best.source) if not in_quote(t, sent.offset, self.mask)] \
                    if best.verb is not None else []
                mention = read_mention(best.source, sent.offset, self.lex, extra)
                actor = self.refs.resolve(mention, ctx, i, best)
            if best is not None and actor is not None:
                actor.learn(None, _speaking_as(best.verb, self.registry))
                if actor.name:
                    actor.learn(*_post_as(best.verb, self.lex, self.registry))
                if not actor.name and best.verb is not None and best.verb.lower_ in _OUTLET_VERBS:
                    actor.outlet = True
                sent.frame, sent.mention, sent.intro = best, mention, best.intro
                sent.cue_word = best.verb.lower_ if best.verb is not None else None
                kind = "tweet" if sent.cue_word and sent.cue_word.startswith("tweet") else None
                sent.set(actor, kind, own=True)
                if actor.name and mention.name and best.verb is not None and best.source.i > best.verb.i:
                    self.refs.name_introduced(actor, i, sent.section)  # "…,” said Jo Bloggs, professor of …
                if actor.name and any(c.dep_ == "conj" and c.ent_type_ == "PERSON" for c in best.source.children):
                    ctx.plurals.append(actor)  # "A and B set out …. As they have said" -> A
                if actor.name or actor.role:
                    ctx.speakers.append((i, actor))
                    if mention.name and len(mention.name.split()) == 1 or honorific_before(best.source):
                        self.refs.name_pending(actor, i, sent.section)
                elif actor.organisation:
                    (ctx.plurals if actor.plural else ctx.orgs).append(actor)
            self._note_subjects(sent, ctx, i)

    def _choose(self, sent: Sent, found: list[Frame]) -> Frame | None:
        """One frame per sentence: the one nearest the sentence's first quotation, else the first."""
        found = [f for f in found if f.source is not None]
        if not found:
            return None
        labels = [f for f in found if f.kind == "label"]
        if labels:
            return labels[0]
        according = [f for f in found if f.kind == "according"]
        if according:
            return according[0]
        # Nested speech ("Trump said that Clinton described it as “…”"): the outer speaker's.
        verbs = [f for f in found if f.verb is not None]
        outer = [f for f in verbs if not any(g is not f and _reports(g.verb, f.verb) for g in verbs)]
        found = [f for f in found if f.verb is None or f in outer]
        # "Trump saying, “…,” when Clinton blasted him": a cue in a clause of time or condition
        # sets the scene; it does not introduce the quotation.
        main = [f for f in found if f.verb is None or not any(
            c.dep_ in ("advmod", "mark") and c.lower_ in _SCENE for c in f.verb.children)]
        found = main or found
        first_quote = next((q.start for q in self.quotations if sent.start <= q.start < sent.end), None)
        if first_quote is not None and len(found) > 1:
            return min(found, key=lambda f: min(abs(f.cue[0] - first_quote), abs(f.cue[1] - first_quote)))
        return found[0]

    def _note_subjects(self, sent: Sent, ctx: Context, index: int) -> None:
        """People and organisations the sentence is about, for later pronouns and "the union".
        Within a sentence the subject is the likelier antecedent, so objects are noted first
        (a candidate noted later counts as more recent)."""
        self._note_publishers(sent)
        self._note_owners(sent, ctx, index)
        for tok in sent.span:
            if tok.ent_type_ == "PERSON" and tok.dep_ in ("dobj", "pobj") and tok.ent_iob_ in ("B", "I") \
                    and not in_quote(tok, sent.offset, self.mask):
                ent = next((e for e in tok.doc.ents if e.start <= tok.i < e.end), None)
                if ent is not None and ent.root.i == tok.i:
                    mention = read_mention(ent.root, sent.offset, self.lex)
                    if mention.name:
                        ctx.persons.append((index - 0.5, self.registry.person(mention.name)))
        for tok in sent.span:
            # "The Democratic senator also forced Stumpf …": a description that tells the reader
            # more about a person already named (her party, his title).
            if tok.dep_ == "nsubj" and tok.tag_ == "NN" and self.lex.is_title(tok.text) and not sent.own \
                    and any(c.dep_ == "det" and c.lower_ == "the" for c in tok.children):
                mention = read_mention(tok, sent.offset, self.lex)
                places = tuple(w for w in mention.titles if w != tok.lower_)
                holder = self.registry.holder_of(mention.role or tok.lower_, tok.lower_, mention.party, places)
                if holder is not None:
                    holder.learn(None, None, mention.party)
                    ctx.persons.append((index, holder))
        for tok in sent.span:
            if tok.dep_ not in ("nsubj", "nsubjpass", "dobj", "pobj") or in_quote(tok, sent.offset, self.mask):
                continue
            if tok.ent_type_ == "PERSON" and tok.dep_ in ("nsubj", "nsubjpass"):
                ent = next((e for e in tok.doc.ents if e.start <= tok.i < e.end), None)
                if ent is not None:
                    mention = read_mention(ent.root, sent.offset, self.lex)
                    if mention.name:
                        person = self.registry.person(mention.name)
                        ctx.persons.append((index, person))
                        if tok.head.tag_.startswith("VB"):
                            person.learn(*_post_as(tok.head, self.lex, self.registry))
                        if any(c.dep_ == "conj" and c.ent_type_ == "PERSON" for c in ent.root.children):
                            ctx.plurals.append(person)  # "A and B look at …. They write" -> A
            elif tok.ent_type_ == "ORG" and tok.dep_ in ("nsubj", "nsubjpass"):
                ent = next((e for e in tok.doc.ents if e.start <= tok.i < e.end), None)
                if ent is not None:
                    org = self.refs.org(self.registry.expand_org(re.sub(r"^(?:the|The)\s+", "", ent.text)))
                    if org is not None and org not in ctx.orgs[-1:]:
                        ctx.orgs.append(org)

    def _note_owners(self, sent: Sent, ctx: Context, index: int) -> None:
        """"The chief executive of X has responded … . Scroll down to Jo Bloggs’s comment.":
        a person named as the owner of words (a comment, remarks, a letter) is a speaker the
        text points to: they name a description still waiting for its person, and a pronoun
        after them ("“…”, she begins") is theirs."""
        for tok in sent.span:
            if tok.dep_ != "poss" or tok.ent_type_ != "PERSON" or tok.head.lower_ not in _OWN_WORDS \
                    or in_quote(tok, sent.offset, self.mask):
                continue
            ent = next((e for e in tok.doc.ents if e.start <= tok.i < e.end), None)
            if ent is None:
                continue
            mention = read_mention(ent.root, sent.offset, self.lex)
            if not mention.name:
                continue
            person = self.registry.person(mention.name)
            self.refs.name_pending(person, index, sent.section)
            ctx.persons.append((index, person))

    def _note_publishers(self, sent: Sent) -> None:
        """"The DH, Monitor, CQC and the TDA have issued a joint statement": who publishes a
        document, for a later "the statement says". Organisations only (proper names that are
        not a person's)."""
        for tok in sent.span:
            if tok.dep_ not in ("dobj", "obj") or tok.lower_ not in DOC_NOUNS or not tok.head.tag_.startswith("VB") \
                    or in_quote(tok, sent.offset, self.mask):
                continue
            subj = next((c for c in tok.head.children if c.dep_ == "nsubj"), None)
            if subj is None or subj.tag_ not in ("NNP", "NNPS") or subj.ent_type_ == "PERSON":
                continue
            items, frontier = [], [subj]
            while frontier:
                t = frontier.pop(0)
                if t.ent_type_ == "PERSON" or t.tag_ not in ("NNP", "NNPS"):
                    return
                parts, stack = [t], [t]
                while stack:
                    for x in stack.pop().lefts:
                        if x.dep_ == "compound" and x.tag_ in ("NNP", "NNPS"):
                            parts.append(x)
                            stack.append(x)
                items.append(" ".join(x.text for x in sorted(parts, key=lambda x: x.i)))
                frontier += [c for c in t.children if c.dep_ in ("conj", "appos")]  # lists parse either way
            names = [self.registry.expand_org(i.strip()) for i in items]
            text = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
            org = self.refs.org(text, plural=len(names) > 1)
            if org is not None:
                self.refs.publishers[tok.lower_] = org

    # --- 4. quotations --------------------------------------------------------------------------

    def _quotations(self) -> dict[int, tuple[Actor, Sent | None]]:
        """Quotation index -> (speaker, the sentence whose frame names them, if any)."""
        out: dict[int, tuple[Actor, Sent | None]] = {}
        by_para: dict[int, list[Sent]] = {}
        for s in self.sents:
            by_para.setdefault(s.para, []).append(s)
        para_of = {}
        for pi, (offset, doc) in enumerate(self.parsed):
            para_of[pi] = (offset, offset + len(doc.text))
        last_para_actor: dict[int, tuple[int, Actor]] = {}
        prev_q: int | None = None
        for qi, q in enumerate(self.quotations):
            pi = next((p for p, (s, e) in para_of.items() if s <= q.start < e), None)
            sents = by_para.get(pi, [])
            inside = [s for s in sents if s.start < q.end and q.start < s.end]
            framed = [s for s in inside if s.own and s.frame is not None and not _cue_inside(s.frame, q)]
            choice: tuple[Actor, Sent | None] | None = None
            inner = _INNER_LABEL.match(self.text, q.start)
            if inner and self.registry.knows_person(inner.group("name").split()[-1]):
                choice = (self.registry.person(inner.group("name")), None)  # a tweet quoting “Bennett: …”
                self.inner_labels.add(qi)
            if choice is None and framed:
                best = min(framed, key=lambda s: _cue_distance(s.frame, q))
                choice = (best.actor, best)
            if choice is None and inside:
                after = [s for s in sents if s.start >= inside[-1].end]
                before = [s for s in sents if s.end <= inside[0].start]
                nxt = after[0] if after else None
                if nxt is not None and nxt.own and nxt.frame is not None and nxt.frame.kind == "verb" \
                        and nxt.start - q.end < 40:
                    choice = (nxt.actor, nxt)  # “…”\n He said. / “…” She added, …
                elif before and before[-1].own and before[-1].intro:
                    choice = (before[-1].actor, before[-1])  # X said: “…”
            if choice is None and q.continues and prev_q is not None and prev_q in out:
                choice = (out[prev_q][0], None)
            if choice is None and inside:
                # "It was necessary, Mr Burnham said, to …. ‘We need to …’": reported speech, then
                # the same speaker's words in the sentences after it.
                before = [s for s in sents if s.end <= inside[0].start]
                if before and before[-1].own and before[-1].actor is not None and before[-1].actor.real:
                    choice = (before[-1].actor, None)
            if choice is None:
                same_para = [out[k][0] for k in out if self.quotations[k].start >= para_of[pi][0]] if pi is not None else []
                if same_para:
                    choice = (same_para[-1], None)
            if choice is None and pi is not None and inside and inside[0].start - para_of[pi][0] <= 1:
                # A paragraph that opens with a quotation continues the speaker of the paragraph
                # before (a subheading between them aside), when it ended with their words.
                prev = self._paragraph_speaker(pi - 1, by_para, last_para_actor)
                if prev is not None:
                    choice = prev
            if choice is None:
                prev_intro = [s for s in by_para.get(pi - 1 if pi is not None else -1, []) if s.own and s.intro]
                if prev_intro and inside and inside[0].start - para_of[pi][0] <= 1:
                    choice = (prev_intro[-1].actor, prev_intro[-1])
            if choice is None and inside:
                # In a live-blog entry, words quoted without a speaker are the entry's lead's.
                lead = self._entry_lead(inside[0].section)
                if lead is not None:
                    choice = (lead, None)
            if choice is not None:
                out[qi] = choice
                last_para_actor[pi] = (qi, choice[0])
            prev_q = qi
        # Paragraphs whose last sentence is someone's reported speech also hand on their speaker.
        return out

    def _paragraph_speaker(self, pi: int, by_para: dict[int, list[Sent]],
                           quoted: dict[int, tuple[int, Actor]]) -> tuple[Actor, Sent | None] | None:
        """Who speaks last in paragraph ``pi`` (skipping a heading line before it): the speaker
        of its last quotation, or of its last sentence of reported speech."""
        while pi >= 0 and by_para.get(pi) and all(s.heading for s in by_para[pi]):
            pi -= 1
        sents = by_para.get(pi, [])
        if not sents:
            return None
        last = sents[-1]
        if last.own and last.actor is not None and last.actor.real:
            return last.actor, last
        if pi in quoted:
            return quoted[pi][1], None
        return None

    def _entry_lead(self, section: int) -> Actor | None:
        sec = self.sections[section]
        if not sec.time:
            return None
        first = next((s for s in self.sents if s.section == section and not s.heading), None)
        return first.actor if first is not None and first.own and first.actor is not None and first.actor.real else None

    # --- 5. sentences ---------------------------------------------------------------------------

    def _assign(self, quoted: dict[int, tuple[Actor, Sent | None]]) -> None:
        for qi in self.inner_labels:  # "X tweets: “Bennett: …”": the sentence is mostly Bennett's words
            q = self.quotations[qi]
            for sent in self.sents:
                if sent.start <= q.start < sent.end and q.end - q.start >= 0.5 * (sent.end - sent.start):
                    sent.set(quoted[qi][0], sent.kind, own=True)
        for sent in self.sents:
            if sent.own:
                continue
            share: dict[int, int] = {}
            for qi, (actor, _) in quoted.items():
                q = self.quotations[qi]
                overlap = min(q.end, sent.end) - max(q.start, sent.start)
                if overlap > 0:
                    share[id(actor)] = share.get(id(actor), 0) + overlap
            if share:
                best = max(share, key=share.get)
                if share[best] >= 0.3 * (sent.end - sent.start) or share[best] >= 15:
                    actor, origin = next((a, o) for a, o in quoted.values() if id(a) == best)
                    sent.set(actor, "tweet" if origin is not None and origin.kind == "tweet" else None)

    def _layout(self) -> None:
        sections = self.sections
        for sent in self.sents:
            sec = sections[sent.section]
            if sec.commenter is not None and not sent.heading:
                named_other = sent.own and sent.actor is not None and sent.actor.name and \
                    sent.actor.name != sec.commenter and sent.mention is not None and sent.mention.name
                if not named_other:
                    sent.set(self.registry.person(sec.commenter), "comment", own=sent.own)
        # "X has tweeted:" / "X said:" gives X the next paragraph, if it has no speaker of its own.
        by_para: dict[int, list[Sent]] = {}
        for s in self.sents:
            by_para.setdefault(s.para, []).append(s)
        for pi, sents in by_para.items():
            last = sents[-1]
            if last.own and last.intro and last.actor is not None:
                nxt = by_para.get(pi + 1, [])
                if nxt and nxt[0].section == last.section and not any(s.own for s in nxt):
                    kind = "tweet" if last.kind == "tweet" else None
                    for s in nxt:
                        if s.actor is None:
                            s.set(last.actor, kind)
        for sent in self.sents:  # "@handle: “…”"
            m = structure.HANDLE_LEAD.match(sent.text)
            if m and m.group("handle").lower() in self.registry.handles:
                sent.set(self.registry.person(self.registry.handles[m.group("handle").lower()]), "tweet", own=True)
        structure.signatures(self.text, self.sents, lambda name: self.registry.person(name))
        structure.bylines(self.text, self.sents, lambda name: self.registry.person(name))
        structure.labelled_paragraphs(self.sents)
        structure.live_runs(self.sents, sections)
        self._entry_orgs()

    def _entry_orgs(self) -> None:
        """In a live-blog entry led by an organisation ("5.20pm The Royal College … have
        concerns"), a person introduced by a title only ("Chair Dr X said") speaks for it."""
        lead_org: dict[int, str] = {}
        for sent in self.sents:
            if sent.section in lead_org or sent.heading:
                continue
            sec = self.sections[sent.section]
            if not sec.time:
                continue
            actor = sent.actor
            lead_org[sent.section] = actor.organisation if actor is not None and not actor.name \
                and not actor.outlet else None
        for sent in self.sents:
            org = lead_org.get(sent.section)
            actor = sent.actor
            if org and actor is not None and actor.name and not actor.organisation and sent.mention is not None \
                    and sent.mention.role:
                actor.organisation = org

    # --- output ---------------------------------------------------------------------------------

    def run(self) -> DocumentAttribution:
        self._sentences()
        self._registry()
        self._frames()
        self.refs.settle_pending()
        quoted = self._quotations()
        self._assign(quoted)
        self._layout()
        return self._output(quoted)

    def _final(self, actor: Actor) -> tuple[str | None, str | None, str | None]:
        name = actor.name
        titles = set(actor.titles)
        if name and name in self.registry.people:
            known = self.registry.people[name]
            if known is not actor:
                actor.learn(known.role, known.organisation, known.party)
                titles |= known.titles
                known.titles |= actor.titles
        org = actor.organisation or actor.party
        if not org and actor.name and "shadow" in titles:
            org = self._dominant_party()  # the opposition front bench: the party the text is about
        return name, self.registry.expand_org(org) if org else None, actor.role

    def _dominant_party(self) -> str | None:
        if not hasattr(self, "_party"):
            counts: dict[str, int] = {}
            for word in re.findall(r"\b(?:[A-Z][a-z]+(?: [A-Z][a-z]+)?)\b", self.text):
                party = party_of(word)
                if party:
                    counts[party] = counts.get(party, 0) + 1
            self._party = max(counts, key=counts.get) if counts else None
        return self._party

    def _output(self, quoted: dict[int, tuple[Actor, Sent | None]]) -> DocumentAttribution:
        rows = []
        for sent in self.sents:
            sec = self.sections[sent.section]
            actor = sent.actor
            if actor is None or not actor.real or sent.heading and not sent.own:
                rows.append(Attribution(sent.start, sent.end, entry_time=sec.time))
                continue
            name, org, role = self._final(actor)
            direct = sent.quoted >= 0.3 or sent.quoted * (sent.end - sent.start) >= 15
            kind = sent.kind or ("comment" if sec.commenter else "quote" if direct else "reported")
            rows.append(Attribution(sent.start, sent.end, name, org, role, kind, sec.time))
        spans: list[Span] = []
        covered: list[tuple[int, int]] = []
        for qi, (actor, frame_sent) in sorted(quoted.items()):
            if not actor.real:
                continue
            q = self.quotations[qi]
            name, org, role = self._final(actor)
            row = next((r for r in rows if r.start < q.end and q.start < r.end and r.kind), None)
            kind = row.kind if row is not None and row.kind in ("tweet", "comment") else "quote"
            mention = (frame_sent.mention.start, frame_sent.mention.end) if frame_sent is not None and frame_sent.mention else None
            cue = frame_sent.frame.cue if frame_sent is not None and frame_sent.frame else None
            spans.append(Span(q.start, q.end, name, org, role, kind, mention, cue))
            covered.append((q.start, q.end))
        for sent, row in zip(self.sents, rows):
            if not row.attributed:
                continue
            inside = sum(max(0, min(e, sent.end) - max(s, sent.start)) for s, e in covered)
            if inside >= 0.5 * (sent.end - sent.start):
                continue
            mention = (sent.mention.start, sent.mention.end) if sent.own and sent.mention else None
            cue = sent.frame.cue if sent.own and sent.frame else None
            spans.append(Span(sent.start, sent.end, row.speaker, row.organisation, row.role, row.kind, mention, cue))
        spans.sort(key=lambda s: (s.start, s.end))
        return DocumentAttribution(tuple(rows), tuple(spans))


def _post_as(verb: Any, lex: Lexicon, registry: Registry) -> tuple[str | None, str | None]:
    """(role, organisation) of a post the verb's clause gives its subject: "X has been appointed
    as chair of the Y Centre", "In his guise as Z editor, X added". The post is a title noun
    after "as", on the verb or one prepositional phrase below it ("in his capacity as"); its
    organisation is what the phrase reading finds ("of Y", an employer before the title). A
    former post ("as a former aide") gives nothing."""
    if verb is None:
        return None, None
    heads = [verb] + [p for c in verb.children if c.dep_ == "prep" and c.lower_ != "as"
                      for p in c.children if p.dep_ == "pobj"]
    for h in heads:
        for c in h.children:
            if c.dep_ != "prep" or c.lower_ != "as":
                continue
            post = next((t for t in c.children if t.dep_ == "pobj"), None)
            if post is None or post.tag_ not in ("NN", "NNS") or not lex.is_title(post.text) \
                    or any(t.lower_ in ("former", "ex", "then", "onetime") for t in post.subtree):
                continue
            mention = read_mention(post, 0, lex)
            org = mention.organisation
            if org and not any(t.ent_type_ == "ORG" or t.tag_ == "NNP" and t.ent_type_ not in ("GPE", "LOC", "NORP")
                               for t in post.subtree):
                org = None  # "as an associate at a small law firm": no organisation by name
            return mention.role, registry.expand_org(org) if org else None
    return None, None


def _speaking_as(verb: Any, registry: Registry) -> str | None:
    """ "…, the care minister said, speaking in his capacity as a senior member of the Liberal
    Democrat Party": the organisation the speaker speaks for."""
    if verb is None:
        return None
    if verb.lower_ in _WRITES:
        # "… wrote Cameron Easley for Morning Consult": one writes or reports for one's employer.
        for c in [*verb.children, *(t for s in verb.children if s.dep_ in ("nsubj", "nsubjpass") for t in s.children)]:
            if c.dep_ == "prep" and c.lower_ == "for":
                pobj = next((t for t in c.children if t.dep_ == "pobj"), None)
                if pobj is not None and pobj.ent_type_ == "ORG":
                    ent = next(e for e in pobj.doc.ents if e.start <= pobj.i < e.end)
                    return registry.expand_org(re.sub(r"^(?:the|The)\s+", "", ent.text))
                if pobj is not None and pobj.tag_ in ("NNP", "NNPS") and not pobj.ent_type_:
                    return registry.expand_org(_proper_phrase(pobj))
    for c in verb.children:
        if c.lower_ == "speaking" and c.dep_ in ("advcl", "xcomp", "conj"):
            for t in c.subtree:
                if t.ent_type_ == "ORG" and t.dep_ == "pobj":
                    ent = next(e for e in t.doc.ents if e.start <= t.i < e.end)
                    return party_of(ent.text.removesuffix(" Party")) or registry.expand_org(ent.text.removeprefix("the "))
    return None


def _reports(outer: Any, inner: Any) -> bool:
    """The inner verb is speech the outer one reports ("Trump said that Clinton described it
    as …"): it is below the outer verb. A gerund after "of" ("The spot concludes with footage of
    Trump saying “…”") is speech shown, not reported, and stands."""
    if inner.tag_ == "VBG" and inner.dep_ in ("pobj", "pcomp") and inner.head.lower_ == "of":
        return False  # "footage of Trump saying", "a clip of her telling"
    return outer in inner.ancestors


def _cue_inside(frame: Frame, q: Quotation) -> bool:
    return q.start <= frame.cue[0] < q.end


def _cue_distance(frame: Frame, q: Quotation) -> int:
    a, b = frame.cue
    if b <= q.start:
        return q.start - b
    if a >= q.end:
        return a - q.end
    return 0
