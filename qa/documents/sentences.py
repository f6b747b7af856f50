"""The sentence splitter: offsets of the sentences of a text.

It works without NLTK data files: the Punkt model is trained at first use on
``qa/data/punkt_training.txt`` plus the abbreviation list below.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from nltk.tokenize.punkt import PunktSentenceTokenizer

#: Abbreviations after which a full stop does not end a sentence (lower case, no final dot).
ABBREVIATIONS = frozenset(
    {
        "no",
        "nos",
        "u.s",
        "u.k",
        "u.n",
        "e.g",
        "i.e",
        "etc",
        "et",
        "al",
        "vs",
        "approx",
        "dept",
        "govt",
        "inc",
        "ltd",
        "co",
        "corp",
        "dr",
        "prof",
        "mr",
        "mrs",
        "ms",
        "st",
        "jr",
        "sr",
        "fig",
        "figs",
        "vol",
        "vols",
        "p",
        "pp",
        "para",
        "paras",
        "art",
        "sec",
        "ch",
        "ed",
        "eds",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
    }
)


@lru_cache(maxsize=1)
def _sentence_tokenizer() -> PunktSentenceTokenizer:
    # NLTK is imported here, when text is first split into sentences (indexing), not with qa:
    # importing it costs about a second, which a question answered from the cache never needs.
    from nltk.tokenize.punkt import PunktParameters, PunktSentenceTokenizer, PunktTrainer

    trainer = PunktTrainer()
    trainer.INCLUDE_ALL_COLLOCS = True
    training = resources.files("qa").joinpath("data/punkt_training.txt").read_text(encoding="utf-8")
    trainer.train(training, finalize=True)
    params: PunktParameters = trainer.get_params()
    params.abbrev_types.update(ABBREVIATIONS)
    return PunktSentenceTokenizer(params)


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) offsets of the sentences of ``text``, whitespace trimmed."""
    spans = []
    for start, end in _sentence_tokenizer().span_tokenize(text):
        piece = text[start:end]
        if piece.strip():
            start += len(piece) - len(piece.lstrip())
            end -= len(piece) - len(piece.rstrip())
            spans.append((start, end))
    return spans
