"""qa: ask a pile of documents a question, get back the passage that answers it, with provenance."""

from qa.answers import Engine, Reason, Settings, Vocabulary, allowed_positions, load_vocabulary, message
from qa.chunking import chunk_document, paragraph_spans
from qa.cite import (
    MAX_QUOTE,
    STYLE_NAMES,
    STYLES,
    cite_hit,
    cite_id,
    cite_passage,
    passage_context,
    references_file,
)
from qa.corpus import default_corpus_dir, load_corpus
from qa.ingest import DEFAULT_MAX_BYTES, SUPPORTED_SUFFIXES, Overrides, ingest_bytes, ingest_file
from qa.jsonform import answer_to_dict, hit_to_dict
from qa.manifest import AddReport, Outcome
from qa.models import Answer, Chunk, Citation, CorpusError, Document, Hit, Person, QAError, Span
from qa.store import Built, Store, default_data_dir
from qa.text import highlight_spans, sentence_spans, tokenize
from qa.timeline import DatedFact, DateMention, asks_when, dated_facts, find_dates

#: The message of an answer no passage matches.
NO_MATCH = message(Reason.NO_MATCH)

__all__ = [
    "DEFAULT_MAX_BYTES",
    "MAX_QUOTE",
    "NO_MATCH",
    "STYLES",
    "STYLE_NAMES",
    "SUPPORTED_SUFFIXES",
    "AddReport",
    "Answer",
    "Built",
    "Chunk",
    "Citation",
    "CorpusError",
    "DateMention",
    "DatedFact",
    "Document",
    "Engine",
    "Hit",
    "Outcome",
    "Overrides",
    "Person",
    "QAError",
    "Reason",
    "Settings",
    "Span",
    "Store",
    "Vocabulary",
    "allowed_positions",
    "answer_to_dict",
    "asks_when",
    "chunk_document",
    "cite_hit",
    "cite_id",
    "cite_passage",
    "dated_facts",
    "default_corpus_dir",
    "default_data_dir",
    "find_dates",
    "highlight_spans",
    "hit_to_dict",
    "ingest_bytes",
    "ingest_file",
    "load_corpus",
    "load_vocabulary",
    "paragraph_spans",
    "passage_context",
    "references_file",
    "sentence_spans",
    "tokenize",
]
