"""Attribution scoring on PolNeAR: load a split's gold, run an engine on its articles, score.

The metric itself is in :mod:`eval.polnear_metric` (pure functions); this module does the
I/O around it:

- :func:`load_documents` reads ``../shared/polnear/<split>.jsonl`` (dev or train; the test
  split is held out and refused), marks each gold attribution as direct or not under a
  quotation-mark reading, and returns :class:`~eval.polnear_metric.Document` objects;
- an *engine* is any callable ``texts -> claims per text``; :data:`ENGINES` makes the two
  known ones (``product``, the index-time attribution of :mod:`index.attribution`, and
  ``textacy``, the peer of :mod:`eval.peers`) and :func:`run_engine` times one;
- :func:`load_org_labels` reads the hand-labelled organisations
  (``eval/data/polnear/organisations.jsonl``) and checks every label's digest against the text;
- :func:`summary_line` is the one line ``python -m eval`` prints about PolNeAR.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from eval.polnear_corpus import POLNEAR_DIR, PolnearMissing, read_split, split_path
from eval.polnear_metric import (
    Claim,
    Document,
    Engine,
    Gold,
    OrgLabel,
    OrgScore,
    Score,
    holds_mark,
    quote_mark_positions,
    score,
    score_organisations,
)
from eval.spans import digest

SPLITS = ("dev", "train")
ORG_LABELS = Path(__file__).parent / "data" / "polnear" / "organisations.jsonl"
RECORDED = Path(__file__).parent / "attribution_recorded.json"


class HeldOut(ValueError):
    """The test split is not to be scored here."""


def load_documents(split: str = "dev", reading: str = "double",
                   polnear_dir: Path = POLNEAR_DIR) -> list[Document]:
    """Every article of ``split`` with its gold attributions, in file order."""
    if split not in SPLITS:
        raise HeldOut(f"split {split!r} is not scored here: use dev (or train); the test split is held out")
    return documents_from_records(read_split(split_path(split, polnear_dir)), reading)


def documents_from_records(records: list[dict], reading: str = "double") -> list[Document]:
    docs = []
    for rec in records:
        text = rec["text"]
        marks = quote_mark_positions(text, reading)
        gold = tuple(
            Gold(rec["doc_id"], i, _spans(q["content_spans"]), _spans(q["source_spans"]),
                 _spans(q["cue_spans"]), q.get("source_text"), holds_mark(q["content_spans"], marks))
            for i, q in enumerate(rec["quotes"]))
        docs.append(Document(rec["doc_id"], text, gold))
    return docs


def _spans(pairs) -> tuple[tuple[int, int], ...]:
    return tuple((int(s), int(e)) for s, e in pairs)


# --- engines ----------------------------------------------------------------------------------

def product_engine(texts: list[str]) -> list[list[Claim]]:
    """The index-time engine (:mod:`index.attribution`): each attributed span (a quotation, or
    a sentence of reported speech) is a claim, with its speaker, organisation, and the offsets
    of its source mention and cue when it has its own. A fresh Attributor: nothing cached."""
    from index.attribution import Attributor, attribute_documents

    return [[Claim(s.start, s.end, s.speaker, s.organisation, s.role, s.kind, s.mention, s.cue)
             for s in result.spans] for result in attribute_documents(texts, Attributor(cache=0))]


def _textacy_peer() -> Engine:
    from eval.peers import TextacyPeer

    return TextacyPeer()


# name -> a function making the engine (the textacy peer keeps its spaCy pipeline and counts)
ENGINES: dict[str, Callable[[], Engine]] = {"product": lambda: product_engine, "textacy": _textacy_peer}


@dataclass(frozen=True)
class EngineRun:
    name: str
    claims: list[list[Claim]]
    seconds: float
    docs: int
    note: str = ""  # e.g. the textacy peer's refused paragraphs

    @property
    def docs_per_second(self) -> float:
        return self.docs / self.seconds if self.seconds else float("inf")


def run_engine(name: str, docs: list[Document], engine: Engine | None = None) -> EngineRun:
    """Run ``engine`` (default: a new ``ENGINES[name]()``) once over the articles, timed (wall
    clock; the textacy peer's spaCy loading is included, and given apart in ``note``)."""
    engine = engine or ENGINES[name]()
    texts = [d.text for d in docs]
    t0 = time.perf_counter()
    claims = engine(texts)
    seconds = time.perf_counter() - t0
    if len(claims) != len(texts):
        raise ValueError(f"engine {name} returned {len(claims)} claim lists for {len(texts)} texts")
    note = getattr(engine, "note", lambda: "")()
    return EngineRun(name, [list(c) for c in claims], seconds, len(texts), note)


# --- organisation labels ----------------------------------------------------------------------

class LabelMismatch(ValueError):
    """An organisation label does not point at the quote it says it labels."""


def load_org_labels(docs: list[Document], path: Path = ORG_LABELS) -> list[OrgLabel] | None:
    """The labels of ``path`` for the documents given, each checked against the text by its
    digest and against the gold quote it names; None when the file does not exist."""
    path = Path(path)
    if not path.is_file():
        return None
    by_id = {d.doc_id: d for d in docs}
    out = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            rec = json.loads(line)
            lid = rec.get("id", f"line {n}")
            doc = by_id.get(rec["doc_id"])
            if doc is None:
                continue  # a label of another split
            s, e = rec["content_start"], rec["content_end"]
            if not (0 <= s < e <= len(doc.text)) or digest(doc.text[s:e]) != rec["sha1"]:
                raise LabelMismatch(f"{path.name} {lid}: {rec['doc_id']}[{s}:{e}] does not match sha1 {rec['sha1']}")
            q = rec["quote"]
            if not (0 <= q < len(doc.gold)) or doc.gold[q].extent is None or \
                    not (doc.gold[q].extent[0] <= s and e <= doc.gold[q].extent[1]):
                raise LabelMismatch(f"{path.name} {lid}: [{s}, {e}) is not inside quote {q} of {rec['doc_id']}")
            src = (rec["source_start"], rec["source_end"]) if rec.get("source_start") is not None else None
            out.append(OrgLabel(str(lid), rec["doc_id"], q, (s, e), src, rec["sha1"], rec.get("speaker"),
                                rec.get("organisation"), rec.get("role")))
    return out


def organisations(labels: list[OrgLabel] | None, docs: list[Document], run: EngineRun) -> OrgScore | None:
    return None if labels is None else score_organisations(labels, docs, run.claims)


# --- the line in python -m eval ---------------------------------------------------------------

def product_score(split: str = "dev") -> tuple[Score, EngineRun]:
    docs = load_documents(split)
    run = run_engine("product", docs)
    return score(docs, run.claims), run


def summary_line(split: str = "dev") -> str:
    """One line: the product's recall, coverage and precision on PolNeAR ``split``."""
    try:
        s, run = product_score(split)
    except PolnearMissing as exc:
        return f"PolNeAR {split} attribution: skipped ({exc})"
    return (f"PolNeAR {split} attribution (product, {s.counted} named direct quotes): "
            f"recall {s.recall.value:.3f}, coverage {s.coverage.value:.3f}, "
            f"precision {s.precision.value:.3f} ({s.precision.hits}/{s.precision.total} claims); "
            f"{run.seconds:.1f} s; python -m eval attribution for the rest")
