"""Passages: paragraph and sentence boundaries, stable ids, offsets that slice back."""

from __future__ import annotations

import datetime as dt
import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

import qa
from qa.documents.chunking import MAX_WORDS, REFERS_BACK


def _doc(body: str, doc_id: str = "d") -> qa.Document:
    return qa.Document(id=doc_id, title="T", date=dt.date(2024, 1, 1), body=body)


def test_shipped_chunks_slice_back_and_stay_in_paragraph(corpus: list[qa.Document]) -> None:
    for doc in corpus:
        paragraphs = qa.paragraph_spans(doc.body)
        chunks = qa.chunk_document(doc)
        assert chunks
        for chunk in chunks:
            assert doc.body[chunk.start : chunk.end] == chunk.text
            p_start, p_end = paragraphs[chunk.paragraph - 1]
            assert p_start <= chunk.start < chunk.end <= p_end
            for sent in chunk.sentences:
                assert doc.body[sent.start : sent.end] == sent.text
        assert [c.id for c in chunks] == [f"{doc.id}:{i}" for i in range(1, len(chunks) + 1)]


def _own_sentences(chunks: list[qa.Chunk]) -> list[qa.Span]:
    """Each passage's sentences, less the one it borrows from the passage before (overlap)."""
    own: list[qa.Span] = []
    for chunk in chunks:
        borrowed = bool(own) and own[-1] == chunk.sentences[0]
        own.extend(chunk.sentences[1:] if borrowed else chunk.sentences)
    return own


def test_every_sentence_is_in_one_chunk_or_two_where_the_next_refers_back(corpus: list[qa.Document]) -> None:
    overlaps = 0
    for doc in corpus:
        chunks = qa.chunk_document(doc)
        expected = [
            (p0 + s, p0 + e)
            for p0, p1 in qa.paragraph_spans(doc.body)
            for s, e in qa.sentence_spans(doc.body[p0:p1])
        ]
        assert [(s.start, s.end) for s in _own_sentences(chunks)] == expected
        for before, after in itertools.pairwise(chunks):
            if after.start < before.end:  # an overlap: one sentence, and the next one refers back
                overlaps += 1
                assert after.sentences[0] == before.sentences[-1]
                assert REFERS_BACK.match(after.sentences[1].text)
    assert overlaps >= 1  # "In June 2018, ... proposed ... It prioritized ..." in rural-demonstration


def test_a_passage_never_opens_with_a_sentence_that_refers_back() -> None:
    sentence = "The ministry launched a programme for rural shops in many villages and towns."
    body = " ".join(
        [sentence] * 6 + ["It also funded training for local sellers in every county."] + [sentence] * 6
    )
    chunks = qa.chunk_document(_doc(body), max_words=40)
    assert len(chunks) > 2
    for chunk in chunks:
        assert not REFERS_BACK.match(chunk.text)
        assert body[chunk.start : chunk.end] == chunk.text
    assert any("It also funded" in c.text and c.text.startswith("The ministry") for c in chunks)


def test_chunks_keep_under_the_word_limit_when_sentences_allow(corpus: list[qa.Document]) -> None:
    for doc in corpus:
        previous: qa.Chunk | None = None
        for chunk in qa.chunk_document(doc):
            borrowed = previous is not None and chunk.start < previous.end
            own = chunk.sentences[1:] if borrowed else chunk.sentences
            assert sum(len(s.text.split()) for s in own) <= MAX_WORDS or len(own) == 1
            previous = chunk


def test_ids_are_stable_across_runs(corpus: list[qa.Document]) -> None:
    first = [(c.id, c.start, c.end) for c in qa.chunk_document(corpus[0])]
    assert first == [(c.id, c.start, c.end) for c in qa.chunk_document(corpus[0])]


def test_paragraph_numbers_follow_blank_lines() -> None:
    body = "One. Two.\n\nThree.\n\n\n  Four.\n"
    chunks = qa.chunk_document(_doc(body))
    assert [(c.paragraph, c.text) for c in chunks] == [(1, "One. Two."), (2, "Three."), (3, "Four.")]


def test_no_tiny_leftover_at_paragraph_end() -> None:
    sentence = "Each sentence has exactly eight words in it."
    body = " ".join([sentence] * 13)  # 104 words: two passages of about 52, not 88 + 16
    sizes = [len(c.text.split()) for c in qa.chunk_document(_doc(body))]
    assert sum(sizes) == 104
    assert len(sizes) == 2
    assert min(sizes) >= 48


_words = st.text(alphabet="abcdefghij XYZ.,!?\n0123456789-", min_size=0, max_size=400)


@settings(max_examples=200)
@given(_words)
def test_offsets_slice_back_for_any_text(body: str) -> None:
    doc = _doc(body)
    last_end = -1
    for chunk in qa.chunk_document(doc, max_words=12):
        assert body[chunk.start : chunk.end] == chunk.text
        assert chunk.text == chunk.text.strip() and chunk.text
        assert chunk.start >= last_end
        last_end = chunk.end
        for sent in chunk.sentences:
            assert body[sent.start : sent.end] == sent.text
