"""qa: ask a pile of documents a question, get back the passage that answers it, with provenance."""

from qa.answer import NO_MATCH, Engine, allowed_positions, answer_to_dict, hit_to_dict
from qa.chunking import chunk_document, paragraph_spans
from qa.corpus import default_corpus_dir, load_corpus
from qa.models import Answer, Chunk, CorpusError, Document, Hit, Person, QAError, Span
from qa.text import highlight_spans, sentence_spans, tokenize
from qa.timeline import DatedFact, DateMention, asks_when, dated_facts, find_dates

__all__ = [
    "NO_MATCH",
    "Answer",
    "Chunk",
    "CorpusError",
    "DateMention",
    "DatedFact",
    "Document",
    "Engine",
    "Hit",
    "Person",
    "QAError",
    "Span",
    "allowed_positions",
    "answer_to_dict",
    "asks_when",
    "chunk_document",
    "dated_facts",
    "default_corpus_dir",
    "find_dates",
    "highlight_spans",
    "hit_to_dict",
    "load_corpus",
    "paragraph_spans",
    "sentence_spans",
    "tokenize",
]
