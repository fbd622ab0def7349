"""What an abstention shows (retrieval/related.py): distinct passages, one title per document,
each with a snippet; and document titles are never cited as sentences (retrieval/evidence.py)."""

from __future__ import annotations

from retrieval.evidence import Scored, Sentence, sentences_of
from retrieval.hit import Hit
from retrieval.related import by_document, pick, snippet


def hit(rank, source, start, end, text="x", title="T"):
    return Hit(rank, 1.0 / rank, source, start, end, text, title=title)


def test_pick_prefers_one_passage_per_document_and_never_overlaps():
    hits = [hit(1, "a", 0, 100), hit(2, "a", 50, 150), hit(3, "a", 200, 300), hit(4, "b", 0, 100),
            hit(5, "a", 0, 100)]
    chosen = pick(hits, 3)
    assert [(h.source, h.start) for h in chosen] == [("a", 0), ("b", 0), ("a", 200)]
    assert len(pick([hit(1, "a", 0, 100), hit(2, "a", 0, 100)], 3)) == 1  # a duplicate is dropped


def test_by_document_groups_under_one_title():
    hits = [hit(1, "a", 0, 10), hit(2, "b", 0, 10), hit(3, "a", 20, 30)]
    assert [[h.rank for h in g] for g in by_document(hits)] == [[1, 3], [2]]


def test_snippet_is_the_best_scored_sentence_else_the_opening_after_the_title():
    text = "Big News Today.\n\nThe council met on Tuesday. It agreed the budget."
    h = hit(1, "a", 0, len(text), text, title="Big News Today.")
    assert snippet(h) == "The council met on Tuesday. It agreed the budget."
    s = Sentence(h, 45, 66, text[45:66])
    assert snippet(h, [Scored(s, 0.9, 0.5, 0.5)]) == "It agreed the budget."
    long = hit(1, "a", 0, 500, "word " * 100, title=None)
    assert len(snippet(long)) <= 202 and snippet(long).endswith("…")


def test_the_title_line_is_not_a_candidate_sentence():
    text = "Clinton Plan for Taxes Is Expansive but Complex.\n\nThe plan raises $1 trillion."
    h = hit(1, "a", 0, len(text), text, title="Clinton Plan for Taxes Is Expansive but Complex.")
    assert [s.text for s in sentences_of(h)] == ["The plan raises $1 trillion."]
    # The same words as an ordinary sentence of the body are kept.
    other = hit(1, "a", 0, len(text), text, title="Something else")
    assert len(sentences_of(other)) == 2
