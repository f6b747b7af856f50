"""qa: ask a pile of documents a question, get back the passage that answers it, with provenance."""

from qa.answer import NO_MATCH, Engine, allowed_positions, answer_to_dict, hit_to_dict
from qa.chunking import chunk_document, paragraph_spans
from qa.corpus import default_corpus_dir, load_corpus
from qa.models import Answer, Chunk, CorpusError, Document, Hit, Person, QAError, Span
from qa.text import highlight_spans, sentence_spans, tokenize

__all__ = [
    "NO_MATCH",
    "Answer",
    "Chunk",
    "CorpusError",
    "Document",
    "Engine",
    "Hit",
    "Person",
    "QAError",
    "Span",
    "allowed_positions",
    "answer_to_dict",
    "chunk_document",
    "default_corpus_dir",
    "highlight_spans",
    "hit_to_dict",
    "load_corpus",
    "paragraph_spans",
    "sentence_spans",
    "tokenize",
]
