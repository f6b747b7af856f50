"""Documents: files in, documents and their passages out.

- ``models``: the data types every stage shares (Document, Chunk, Span, Hit, Answer, Citation, errors);
- ``corpus``: a folder of Markdown files with YAML front matter, read and validated;
- ``formats``: the text and metadata of one file's bytes (plain text, Markdown, HTML, PDF);
- ``ingest``: a user's file turned into a Document and its normalised Markdown;
- ``sentences``: the sentence splitter (a Punkt model trained on our own text);
- ``chunking``: passages of whole sentences with stable ids, offsets and paragraph numbers;
- ``ner``: named entities of each passage (spaCy), for typed short answers.
"""

from qa.documents.chunking import chunk_document, paragraph_spans
from qa.documents.corpus import default_corpus_dir, load_corpus
from qa.documents.ingest import DEFAULT_MAX_BYTES, SUPPORTED_SUFFIXES, Overrides, ingest_bytes, ingest_file
from qa.documents.models import Answer, Chunk, Citation, CorpusError, Document, Hit, Person, QAError, Span
from qa.documents.sentences import sentence_spans

__all__ = [
    "DEFAULT_MAX_BYTES",
    "SUPPORTED_SUFFIXES",
    "Answer",
    "Chunk",
    "Citation",
    "CorpusError",
    "Document",
    "Hit",
    "Overrides",
    "Person",
    "QAError",
    "Span",
    "chunk_document",
    "default_corpus_dir",
    "ingest_bytes",
    "ingest_file",
    "load_corpus",
    "paragraph_spans",
    "sentence_spans",
]
