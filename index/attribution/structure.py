"""Speech that a document's layout attributes, not its grammar: what spaCy cannot see.

- **Reader comments**: everything under "Name says:" is that reader's (sections,
  :mod:`index.sections`), nested replies included, unless it quotes a named third party.
- **Embedded tweets**: a signature line "— Name (@handle) date" claims the paragraph above it;
  an entry opening "@handle: “…”" is the handle's owner's.
- **Introduced words**: a sentence that ends in a colon after a speech cue ("X has tweeted:",
  "Chair Dr X said:") gives its speaker the next paragraph.
- **Live-blog runs**: minute-by-minute entries covering one speech ("5.22pm Burnham says …",
  then "5.24pm …", "5.25pm …") with no speaker of their own belong to that speech's speaker.
"""

from __future__ import annotations

import re
from typing import Any, Callable

SIGNATURE = re.compile(r"[ \t]*[—–-]+\s*(?P<name>[^(\n]{2,60}?)\s*\(@(?P<handle>\w+)\)")
HANDLE_LEAD = re.compile(r"@(?P<handle>\w{2,}):")
# "“…” ― Sonya Herridge": a quotation signed with a dash and a name at the end of its paragraph.
BYLINE = re.compile(r"[”\"’]\s*[―—–-]{1,2}\s*(?P<name>[A-Z][\w.’'\- ]{1,50}?)[.,]?\s*$")
_TIME = re.compile(r"(\d{1,2})[.:](\d{2})\s?([ap]m)", re.IGNORECASE)
_PRESENT = frozenset("say says repeat repeats want wants tell tells urge urges warn warns add adds promise "
                     "promises pledge pledges insist insists argue argues claim claims reveal reveals suggest "
                     "suggests announce announces".split())


def signature_handles(text: str) -> dict[str, str]:
    """Twitter handle (lower case) -> the name its signature line gives."""
    return {m.group("handle").lower(): m.group("name").strip() for m in SIGNATURE.finditer(text)}


def signatures(text: str, sentences: list[Any], make_actor: Callable[[str], Any]) -> None:
    """An embedded tweet's signature line claims its own sentence and the paragraph above."""
    for i, sent in enumerate(sentences):
        line_start = text.rfind("\n", 0, sent.start) + 1
        m = SIGNATURE.match(text, line_start)
        if not m or not line_start <= sent.start <= m.end():
            continue
        author = make_actor(m.group("name").strip())
        sent.set(author, "tweet", own=True)
        j = i - 1
        while j >= 0 and sentences[j].section == sent.section and sentences[j].para == sent.para - 1:
            sentences[j].set(author, "tweet", own=True)
            j -= 1


def bylines(text: str, sentences: list[Any], make_actor: Callable[[str], Any]) -> None:
    """A paragraph that is a quotation signed "― Name" is that person's, sentence by sentence."""
    by_para: dict[int, list[Any]] = {}
    for s in sentences:
        by_para.setdefault(s.para, []).append(s)
    for sents in by_para.values():
        end = sents[-1].end
        line_end = text.find("\n", end)
        line = text[text.rfind("\n", 0, sents[0].start) + 1 : len(text) if line_end < 0 else line_end]
        m = BYLINE.search(line)
        if not m or len(m.group("name").split()) > 5:
            continue
        author = make_actor(m.group("name").strip())
        for s in sents:
            s.set(author, None, own=True)


def labelled_paragraphs(sentences: list[Any]) -> None:
    """A transcript line ("PENCE: Well, look …") is its speaker's to the end of the paragraph."""
    current = None
    for s in sentences:
        if s.frame is not None and s.frame.kind == "label" and s.own:
            current = (s.para, s.actor)
            continue
        if current is not None and s.para == current[0] and not s.own:
            s.set(current[1], None)


def minutes(time: str | None) -> int | None:
    m = _TIME.search(time or "")
    if not m:
        return None
    hour = int(m.group(1)) % 12 + (12 if m.group(3).lower() == "pm" else 0)
    return hour * 60 + int(m.group(2))


def live_runs(sentences: list[Any], sections: list[Any], gap: int = 5) -> None:
    """Entries a few minutes after "X says …" with no speaker of their own, and not naming X,
    are X's words (minute-by-minute coverage of one speech)."""
    timed = [(i, minutes(s.time)) for i, s in enumerate(sections) if s.time]
    timed = [(i, t) for i, t in timed if t is not None]
    if len(timed) < 3:
        return
    falling = sum(b[1] < a[1] for a, b in zip(timed, timed[1:]))
    order = list(reversed(timed)) if falling > len(timed) / 2 else timed
    by_section: dict[int, list[Any]] = {}
    for sent in sentences:
        by_section.setdefault(sent.section, []).append(sent)
    speaker = None
    last_t = -1
    for si, t in order:
        sents = [s for s in by_section.get(si, []) if not s.heading]
        if not sents:
            continue
        lead = sents[0]
        if lead.own and lead.actor is not None and lead.actor.name and lead.cue_word in _PRESENT:
            speaker, last_t = lead.actor, t
            for s in sents[1:]:
                if not s.own:
                    s.set(speaker, None)
            continue
        if speaker is None or not 0 <= t - last_t <= gap:
            speaker = None
            continue
        surname = speaker.name.split()[-1]
        if lead.subject == surname and lead.present:
            # "11.55am Burnham wants an end to …": the same speech goes on under his name.
            for s in sents:
                if not s.own or s.actor is None:
                    s.set(speaker, None)
            last_t = t
            continue
        own = any(s.actor is not None and s.own for s in sents)
        about = any(re.search(rf"\b{re.escape(surname)}\b", s.text) for s in sents)
        if own or about:
            speaker = None
            continue
        for s in sents:
            s.set(speaker, None)
        last_t = t
