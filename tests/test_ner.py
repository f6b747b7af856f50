"""Named entities: offsets that slice back to the text, OntoNotes labels, offsets in the body."""

from __future__ import annotations

import datetime as dt

from qa.documents.chunking import chunk_document
from qa.documents.models import Document
from qa.documents.ner import LABELS, entities, tag_passages

TEXT = "Bill Gates and Paul Allen founded Microsoft in Albuquerque in 1975. It paid $7.5 billion for GitHub."


def test_entities_slice_back_and_carry_known_labels():
    (found,) = entities([TEXT])
    spans = {(e.label, TEXT[e.start : e.end]) for e in found}
    assert ("PERSON", "Bill Gates") in spans
    assert ("ORG", "Microsoft") in spans
    assert ("GPE", "Albuquerque") in spans
    assert ("MONEY", "$7.5 billion") in spans
    assert all(e.label in LABELS for e in found)


def test_passage_entities_are_offsets_in_the_document_body():
    body = "Preface line.\n\n" + TEXT
    doc = Document("d", "T", dt.date(2024, 1, 1), body)
    chunks = chunk_document(doc)
    tagged = tag_passages(chunks)
    assert len(tagged) == len(chunks)
    texts = [body[e.start : e.end] for es in tagged for e in es]
    assert "Albuquerque" in texts and "GitHub" in texts
    for chunk, es in zip(chunks, tagged, strict=True):
        assert all(chunk.start <= e.start < e.end <= chunk.end for e in es)
