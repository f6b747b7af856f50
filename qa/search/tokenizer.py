"""One tokenizer for index and query: words, numbers, stems, stopwords and equivalent forms.

It needs no data files: the stemmer is the Snowball project's own English (Porter2) stemmer,
pure code from ``snowballstemmer`` (light to import: a cold ``qa ask`` pays for no NLTK), and the
stopword list ships in ``qa/data/stopwords.txt``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from functools import lru_cache
from importlib import resources

import snowballstemmer

#: Bumped whenever tokens change, so saved indexes built by an older tokenizer rebuild.
TOKENIZER_VERSION = 3  # 2: the Snowball project's own English stemmer; 3: letters lose their accents
#: Data files the tokenizer reads: a change to one changes the tokens (and invalidates caches).
WORD_LISTS = ("stopwords.txt", "equivalents.txt")

#: A hyphen as the texts write it (ASCII, or Unicode hyphen and non-breaking hyphen).
HYPHEN = r"[-\u2010\u2011]"
_WORD = r"[^\W_]*[^\W\d_][^\W_]*(?:['\u2019][^\W_]+)?"
_TOKEN_RE = re.compile(
    rf"(?P<word>{_WORD}(?:{HYPHEN}{_WORD})*)"  # words, hyphenated words, 14th, COVID-19
    r"|(?P<num>\d+(?:,\d{3})+(?:\.\d+)?%?|\d+(?:\.\d+)?%?)"  # 2019, 1,016, 1.79, 30%
)
#: A year as written in the texts (1900-2099).
YEAR = r"(?:19|20)\d\d"
#: British -ise/-isation spellings, rewritten as the American -ize/-ization the texts use.
BRITISH_IZ = re.compile(r"^([a-z]{4,})is(e|es|ed|ing|ation|ations|er|ers)$")
_PERCENT_WORDS = frozenset({"percent", "per-cent", "pct"})


def word_list(name: str) -> frozenset[str]:
    """The words of ``qa/data/<name>``, one per line, lower-cased; lines opening "#" are comments."""
    text = resources.files("qa").joinpath(f"data/{name}").read_text(encoding="utf-8")
    return frozenset(
        line.strip().lower() for line in text.splitlines() if line.strip() and not line.startswith("#")
    )


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    """The stopword list kept in the repo."""
    return word_list("stopwords.txt")


@lru_cache(maxsize=1)
def equivalents() -> dict[str, str]:
    """Word forms mapped to one canonical word (``qa/data/equivalents.txt``)."""
    text = resources.files("qa").joinpath("data/equivalents.txt").read_text(encoding="utf-8")
    pairs = (line.split(":", 1) for line in text.splitlines() if ":" in line and not line.startswith("#"))
    return {word.strip().lower(): canonical.strip().lower() for word, canonical in pairs}


_STEMMER = snowballstemmer.stemmer("english")


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """Snowball (Porter2) English stem of a lower-case word; each distinct word is stemmed once."""
    stemmed: str = _STEMMER.stemWord(word)
    return stemmed


def _normalise_number(raw: str) -> str:
    return raw.replace(",", "")


def _word_terms(word: str, stop: frozenset[str]) -> Iterator[str]:
    word = re.sub(r"['\u2019]s$", "", word).replace("\u2019", "'")
    word = equivalents().get(word, word)
    word = BRITISH_IZ.sub(r"\1iz\2", word)  # modernisation = modernization
    parts = [p for p in re.split(HYPHEN, word) if p]
    if len(parts) > 1:
        joined = "".join(parts)
        if joined not in stop:
            yield stem(joined)
        for part in parts:
            if len(part) > 1 and part not in stop:
                yield part if part.isdigit() else stem(part)
    elif word not in stop and (len(word) > 1 or word.isdigit()):
        yield stem(word)


@lru_cache(maxsize=4096)
def _plain(char: str) -> str:
    """``char`` without its accents ("é" -> "e"), one character for one, so offsets hold; a
    character that is not a letter with combining marks ("ß", "æ", "ﬁ") is kept as it is."""
    parts = unicodedata.normalize("NFD", char)
    if (
        len(parts) > 1
        and all(unicodedata.combining(c) for c in parts[1:])
        and not unicodedata.combining(parts[0])
    ):
        return parts[0]
    return char


def fold(text: str) -> str:
    """``text`` with its letters' accents dropped, length kept: a reader who types "Beausejour" or
    "Celeron" asks about "Beauséjour" and "Céloron"."""
    return text if text.isascii() else "".join(map(_plain, text))


def tokenize(text: str) -> list[str]:
    """Terms of ``text``: lower-cased, stopwords dropped, stemmed, numbers normalised.

    ``1,016`` becomes ``1016``; ``30 percent`` and ``30 per cent`` become ``30%``;
    ``e-commerce`` gives ``ecommerc`` and ``commerc``; ``2021-2025`` gives both years; accents go
    (``Beauséjour`` and ``Beausejour`` give one term).
    """
    stop = stopwords()
    out: list[str] = []
    matches = list(_TOKEN_RE.finditer(fold(text.lower())))
    i = 0
    while i < len(matches):
        m = matches[i]
        if m.group("num") is not None:
            num = _normalise_number(m.group("num"))
            nxt = matches[i + 1].group(0) if i + 1 < len(matches) else ""
            if not num.endswith("%") and nxt in _PERCENT_WORDS:
                num += "%"
                i += 1
            elif (
                not num.endswith("%")
                and nxt == "per"
                and i + 2 < len(matches)
                and matches[i + 2].group(0) == "cent"
            ):
                num += "%"
                i += 2
            out.append(num)
            if num.endswith("%"):
                out.append("percent")  # "30%" says "30 percent": a question about a percentage finds it
        else:
            out.extend(_word_terms(m.group("word"), stop))
        i += 1
    return out


def highlight_spans(text: str, question: str) -> list[tuple[int, int]]:
    """(start, end) of the words of ``text`` that share a term with ``question``."""
    wanted = set(tokenize(question))
    if not wanted:
        return []
    spans = []
    for match in _TOKEN_RE.finditer(text):
        if wanted & set(tokenize(match.group(0))):
            spans.append((match.start(), match.end()))
    return spans
