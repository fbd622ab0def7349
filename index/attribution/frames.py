"""Speech frames: the words of a sentence that say someone speaks, and the phrase naming them.

spaCy's dependency parse links a speech verb to its subject whichever side of the quotation
it stands ("“…,” said Caddell", "Caddell said: “…”", "“…,” he added, “…”"), through
conjunctions ("smiled and said") and participles ("…, saying …"). A verb is a speech cue when
its Snowball stem is in the lexicon learned from PolNeAR train (:mod:`index.attribution.learn`)
and spaCy tags it a verb. Quoted words are never cues: “I said no,” she said has one frame.

Besides verbs: "according to X"; a light verb with a speech noun ("raised concerns",
"expressed alarm"); and a speaker label, a name and a colon opening a sentence or a transcript
line ("PENCE: Well, look …", "Baker: “…”").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from index.attribution.lexicon import DOC_NOUNS, LIGHT_VERBS, PHRASAL_CUES, SPEECH_NOUNS, Lexicon, stem

Token = Any

_SUBJECTS = ("nsubj", "nsubjpass")
_CONTENT_DEPS = ("ccomp", "xcomp", "parataxis", "dobj", "advcl", "conj", "prep", "dep", "obj", "attr", "npadvmod")


@dataclass(frozen=True)
class Frame:
    """A cue and the head token of its source phrase (None when the parse gives none).

    ``kind``: "verb", "according", "light" or "label". ``cue``: document offsets of the cue
    words. ``intro``: the sentence ends with a colon after the cue, introducing words that
    follow ("X tweeted:").
    """

    kind: str
    cue: tuple[int, int]
    source: Token | None
    verb: Token | None = None
    intro: bool = False


def in_quote(tok: Token, offset: int, mask: bytearray) -> bool:
    i = offset + tok.idx
    return 0 <= i < len(mask) and bool(mask[i])


def frames(sent: Any, offset: int, mask: bytearray, lex: Lexicon) -> list[Frame]:
    """The speech frames of one spaCy sentence (``offset``: its paragraph's document start)."""
    out: list[Frame] = []
    toks = list(sent)
    for tok in toks:
        if in_quote(tok, offset, mask) or tok.is_space:
            continue
        low = tok.lower_
        if low == "according" and tok.i + 1 < len(tok.doc) and tok.doc[tok.i + 1].lower_ == "to":
            to = tok.doc[tok.i + 1]
            pobj = next((c for c in to.children if c.dep_ == "pobj"), None)
            if pobj is not None:
                out.append(Frame("according", (offset + tok.idx, offset + to.idx + len(to)), pobj))
            continue
        key = stem(low)
        with_subject = _with_clause_subject(tok) if low.endswith("ing") and key in lex.cues else None
        if with_subject is not None:
            # "…, with the RCGP warning hospital-led integration would …": read off the words, as
            # the parse of this absolute clause varies.
            out.append(Frame("verb", (offset + tok.idx, offset + tok.idx + len(tok)), with_subject, tok))
            continue
        if not tok.tag_.startswith("VB"):
            continue
        if key in LIGHT_VERBS:
            obj = next((c for c in tok.children if c.dep_ in ("dobj", "obj") and stem(c.lower_) in
                        {stem(n) for n in SPEECH_NOUNS}), None)
            if obj is not None:
                out.append(Frame("light", (offset + tok.idx, offset + obj.idx + len(obj)), subject_of(tok), tok))
            continue
        phrasal = any((low, c.lower_) in PHRASAL_CUES for c in tok.children
                      if c.dep_ in ("prt", "acomp", "advmod", "dobj", "oprd", "xcomp", "ccomp"))
        if key not in lex.cues and low not in lex.cues and not phrasal:
            continue
        if tok.dep_ == "aux" or tok.dep_ == "auxpass":
            continue
        if tok.dep_ == "amod" or (tok.tag_ == "VBN" and tok.dep_ in ("acl", "amod") and not any(
                c.dep_ == "agent" for c in tok.children)):
            continue  # "the said plan", "a report published …"
        source = subject_of(tok)
        if source is not None and in_quote(source, offset, mask):
            # “My reaction, that was outrageous,” the strategist said: the parse may give the verb
            # a subject inside the quotation as well as the speaker outside it.
            outside = [c for c in tok.children if c.dep_ in _SUBJECTS and not in_quote(c, offset, mask)
                       and c.tag_ in ("NN", "NNS", "NNP", "NNPS", "PRP")]
            source = outside[0] if outside else _inverted_subject(tok, offset, mask)  # “Meh,” wrote a Trump supporter
        if source is None and tok.tag_ == "VBG" and tok.dep_ == "acl":
            source = tok.head  # "a statement saying …"
        intro = _colon_after(tok, sent)
        out.append(Frame("verb", (offset + tok.idx, offset + tok.idx + len(tok)), source, tok, intro))
    if not any(f.kind == "verb" for f in out):
        post = postposed(sent, offset, mask)
        if post is not None:
            out.append(post)
    label = speaker_label(sent, offset, mask)
    if label is not None:
        out.append(label)
    if not out:
        lead = colon_lead(sent, offset, mask)
        if lead is not None:
            out.append(lead)
    return out


_WORKS = frozenset("speech statement remarks letter article blog tweet tweets evidence submission response "
                   "interview comments testimony post column op-ed".split())


def colon_lead(sent: Any, offset: int, mask: bytearray) -> Frame | None:
    """A sentence ending in a colon that introduces someone's words without a speech verb:
    "… this, from Debbie Freake, director of …:", "Here is part of Burnham’s speech …:"."""
    toks = [t for t in sent if not t.is_space]
    if len(toks) < 3 or toks[-1].text != ":" or in_quote(toks[-1], offset, mask):
        return None
    colon = (offset + toks[-1].idx, offset + toks[-1].idx + 1)
    for tok in toks:
        if tok.lower_ == "from" and tok.dep_ == "prep":
            pobj = next((c for c in tok.children if c.dep_ == "pobj"), None)
            if pobj is not None and (pobj.ent_type_ == "PERSON" or pobj.tag_ == "NNP"):
                return Frame("lead", colon, pobj, intro=True)
        if tok.lower_ in _WORKS and tok.tag_ in ("NN", "NNS"):
            owner = next((c for c in tok.children if c.dep_ == "poss" and (c.ent_type_ == "PERSON" or c.tag_ == "NNP")), None)
            if owner is not None:
                return Frame("lead", colon, owner, intro=True)
    return None


def document_lead(sent: Any, offset: int, mask: bytearray) -> Frame | None:
    """"An editorial also addresses the issue. “…”": a document ("an editorial", "the report")
    as the subject of the sentence's main verb, whatever the verb, is the source of the
    quotation that follows on its own; the caller checks that one does. The frame is an
    introduction, its source the document noun (read as its publisher)."""
    root = sent.root
    if not root.tag_.startswith("VB") or in_quote(root, offset, mask):
        return None
    subj = next((c for c in root.children if c.dep_ == "nsubj"), None)
    if subj is None or subj.tag_ != "NN" or subj.lower_ not in DOC_NOUNS or in_quote(subj, offset, mask) \
            or not any(c.dep_ == "det" for c in subj.children):
        return None
    return Frame("lead", (offset + root.idx, offset + root.idx + len(root)), subj, root, intro=True)


def postposed(sent: Any, offset: int, mask: bytearray, tail: int = 10) -> Frame | None:
    """A sentence that is a quotation and a short clause after it ("“…”, she begins", "“…”,
    runs the headline", "“…,” grumbled one commuter"): whatever its verb, the clause says who
    speaks. The verb is the sentence's root, right after the closing mark (a comma or dash
    between), and at most ``tail`` tokens follow it."""
    toks = [t for t in sent if not t.is_space]
    if len(toks) < 3 or not in_quote(toks[0], offset, mask):
        return None
    i = next((k for k, t in enumerate(toks) if not in_quote(t, offset, mask)), None)
    while i is not None and i < len(toks) and toks[i].text in (",", "—", "–", "-"):
        i += 1
    if i is None or i >= len(toks) or len(toks) - i > tail + 1:
        return None
    # The root verb first ("runs the headline") or second ("she begins").
    verb = next((t for t in toks[i:i + 2] if t.tag_.startswith("VB") and t.is_alpha and t.i == sent.root.i), None)
    if verb is None:
        return None
    source = next((c for c in verb.children if c.dep_ in _SUBJECTS and not in_quote(c, offset, mask)), None)
    source = source or _inverted_subject(verb, offset, mask)
    if source is None:
        return None
    return Frame("verb", (offset + verb.idx, offset + verb.idx + len(verb)), source, verb)


def _with_clause_subject(tok: Token) -> Token | None:
    """The proper noun of "with [the] X warning/saying/…" right before ``tok``, if the words
    have that shape."""
    doc = tok.doc
    j = tok.i - 1
    names = []
    while j >= 0 and doc[j].tag_ in ("NNP", "NNPS") and len(names) < 5:
        names.insert(0, doc[j])
        j -= 1
    if not names:
        return None
    if j >= 0 and doc[j].lower_ == "the":
        j -= 1
    return names[-1] if j >= 0 and doc[j].lower_ == "with" else None


def co_subjects(verb: Token, subject: Token) -> list[Token]:
    """Other subjects of the verb that stand in apposition to ``subject`` (see subject_of)."""
    return [c for c in verb.children if c.dep_ in _SUBJECTS and c is not subject and c.tag_ in ("NN", "NNS", "NNP")]


def subject_of(verb: Token) -> Token | None:
    """The subject of a speech verb, looking through conjunctions, participles, relative
    clauses and passives ("was quoted as saying"). Where the parse gives none, or an unlikely
    one, the nearest named entity before the verb in its clause ("Flynn, a top surrogate, said")."""
    seen = 0
    v = verb
    while v is not None and seen < 4:
        seen += 1
        passive = any(c.dep_ == "auxpass" for c in v.children)
        # In the passive ("Hospitals will be asked to …") the subject is spoken to, not speaking.
        subjects = [] if passive else [
            c for c in v.children if c.dep_ in _SUBJECTS and c.lower_ not in ("that", "which", "it")
            or c.dep_ in _SUBJECTS and c.lower_ == "it" and c.tag_ == "PRP"]
        # "The President of the College, Dr Clifford Mann said": an apposition parsed as a second
        # subject; the person is the speaker (their title is read as an apposition).
        subj = next((c for c in subjects if c.ent_type_ == "PERSON"),
                    next((c for c in subjects if c.tag_ in ("NNP", "NNPS")), subjects[0] if subjects else None))
        if subj is not None:
            if subj.lower_ in ("who", "which", "that") and v.dep_ == "relcl":
                return v.head
            if subj.i > v.i and not _plain_inversion(v, subj):
                return _left_entity(verb) or subj
            return subj
        agent = next((c for c in v.children if c.dep_ == "agent"), None)
        if agent is not None:
            pobj = next((c for c in agent.children if c.dep_ == "pobj"), None)
            if pobj is not None:
                return pobj
        if passive:
            return None
        if v.dep_ == "relcl":
            return v.head
        if v.dep_ in ("conj", "advcl", "xcomp", "ccomp") and v.head is not v:
            v = v.head
            continue
        break
    return _left_entity(verb)


def _inverted_subject(verb: Token, offset: int, mask: bytearray) -> Token | None:
    """The noun phrase right after the verb, outside quotation marks ("…,” wrote a supporter")."""
    for tok in verb.doc[verb.i + 1 : verb.i + 4]:
        if in_quote(tok, offset, mask) or tok.is_punct:
            return None
        if tok.tag_ in ("NN", "NNS", "NNP", "NNPS", "PRP"):
            return tok if tok.dep_ not in ("compound", "amod") else tok.head
    return None


def _plain_inversion(verb: Token, subj: Token) -> bool:
    """ "…,” said Caddell" or "said the senator": the subject follows the verb closely, with
    no preposition between (the parse of "said on Fox News's show" is not an inversion)."""
    between = verb.doc[verb.i + 1 : subj.left_edge.i]
    return len(between) <= 3 and not any(t.tag_ == "IN" or t.dep_ == "prep" for t in between)


def _left_entity(verb: Token) -> Token | None:
    """The last PERSON or ORG entity before ``verb`` in its sentence, when nothing but an
    apposition, adverbs and punctuation stand between them and no other clause begins."""
    sent = verb.sent
    i = verb.i - 1
    while i >= sent.start:
        tok = verb.doc[i]
        if tok.ent_type_ in ("PERSON", "ORG") and tok.ent_iob_ in ("B", "I") and tok.dep_ in ("compound", "amod", "poss") \
                and tok.head.tag_ in ("NN", "NNS") and tok.head.dep_ == "appos" and tok.head.left_edge.i > sent.start:
            i = tok.head.left_edge.i - 1  # "Flynn, a top Trump surrogate, said": past the apposition
            continue
        if tok.ent_type_ in ("PERSON", "ORG") and tok.ent_iob_ in ("B", "I"):
            ent = next(e for e in verb.doc.ents if e.start <= i < e.end)
            found = ent.root if ent.root.i < verb.i else verb.doc[ent.end - 1]
            # "Ed Miliband and Andy Burnham set out": the first of a list speaks for it.
            while found.dep_ == "conj" and found.head.ent_type_ == found.ent_type_ and found.head.i < found.i:
                found = found.head
            return found
        if tok.tag_.startswith("VB") and tok.dep_ not in ("aux", "auxpass") or tok.dep_ == "mark" \
                or tok.lower_ in ("that", "who", "which", "when", "while", "because", "if"):
            return None
        i -= 1
    return None


def _colon_after(verb: Token, sent: Any) -> bool:
    last = [t for t in sent if not t.is_space]
    return bool(last) and last[-1].text == ":" and last[-1].i > verb.i


def speaker_label(sent: Any, offset: int, mask: bytearray) -> Frame | None:
    """ "PENCE: Well, look …" or "Baker: “…”": a name of at most four words and a colon open
    the sentence (or follow a dash: "… - Philip Bump: “…”"), and speech follows. The head of the
    name is the source."""
    toks = [t for t in sent if not t.is_space]
    dash = max((i for i, t in enumerate(toks) if t.text in ("-", "–", "—") and i + 3 < len(toks)
                and not in_quote(t, offset, mask)), default=None)
    if dash is not None:
        after = speaker_label_at(toks[dash + 1 :], offset, mask)
        if after is not None:
            return after
    return speaker_label_at(toks, offset, mask)


def speaker_label_at(toks: list[Any], offset: int, mask: bytearray) -> Frame | None:
    while toks and toks[0].text in ('"', "“", "'", "‘") and not (len(toks) > 1 and toks[1].text == ":"):
        toks = toks[1:]  # a stray mark opening the line
    if len(toks) < 3:
        return None
    for k in range(1, min(5, len(toks) - 1)):
        if toks[k].text != ":":
            continue
        name = toks[:k]
        if not all(t.text[:1].isupper() and t.is_alpha or t.text in (".", "-") for t in name):
            return None
        if any(in_quote(t, offset, mask) for t in name) and not name[0].text.isupper():
            return None
        is_caps = all(t.text.isupper() for t in name if t.is_alpha)
        is_person = any(t.ent_type_ == "PERSON" for t in name)
        after = toks[k + 1]
        speech = in_quote(after, offset, mask) or after.text in ("“", '"') or is_caps
        if (is_caps or is_person) and speech:
            return Frame("label", (offset + toks[k].idx, offset + toks[k].idx + 1), name[-1])
        return None
    return None
