"""Read a question: what kind of fact it asks for (``kinds.py``), its terms and its anchors (the
proper nouns and numbers an answer must be about), whether it negates, what it counts.

Every rule here is one of general English question wording ("who", "how many", "which city");
nothing names a word of one corpus. A corpus's own synonyms come from its vocabulary file
(``qa/answers/vocabulary.py``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property, lru_cache

from qa.answers.kinds import LABELS, QUESTION_WORDS, WH_WORDS, keyword_kind, named_noun, question_kind
from qa.answers.meaning import asks_meaning
from qa.search.tokenizer import HYPHEN, tokenize, word_list

#: What a hyphen joins to a name in lower case at its end ("-led", "-based", "-owned").
_LOWER_TAIL = re.compile(rf"(?:{HYPHEN}[a-z][\w']*)+$")
_ANCHOR = re.compile(r"\d[\w,.]*\w%?|\d%?|[A-Z][\w'\u2019-]*")


def anchors(text: str) -> tuple[str, ...]:
    """Terms of the question's proper nouns (capitalised words past its first word) and numbers:
    what an answer must be about. A number keeps its own token ("14" stays when "2014" is there);
    a name hyphenated to words in lower case ("Acme-led") is the name alone."""
    found: list[str] = []
    first = re.search(r"\w", text)
    for match in _ANCHOR.finditer(text):
        word = match.group(0)
        if word[0].isalpha() and (first is None or match.start() == first.start()):
            continue  # the question's first word
        if word.lower() in QUESTION_WORDS:
            continue
        if word[0].isalpha() and text[: match.start()].rstrip().endswith((".", "?", "!", ":")):
            continue  # a capital that opens a sentence
        word = _LOWER_TAIL.sub("", word)  # "Acme-led", "Acme-based": the name is "Acme"
        found.extend(t for t in tokenize(word) if t not in found)
    return tuple(found)


@lru_cache(maxsize=1)
def common_words() -> frozenset[str]:
    """The most frequent words of English (``qa/data/common_words.txt``: Zipf frequency at least 6)."""
    return word_list("common_words.txt")


#: A word that negates a clause: "not", "-n't", "never", "no" (not "No. 1"), "nothing", …
_NEGATION = re.compile(
    r"\b(?:not|never|none|nobody|nothing|neither|nor|cannot)\b|n['\u2019]t\b|\bno\b(?!\.?\s*\d)", re.I
)
#: What a question says aside, or as an open alternative, that does not negate what it asks.
_ASIDE = re.compile(r"\([^)]*\)|\bor (?:may |might |can |could |do |does |did )?not\b", re.I)


def negates(text: str) -> bool:
    """Whether ``text`` holds a word that negates a clause."""
    return _NEGATION.search(text) is not None


#: Words that say something is not so without a negation: "without", "lacks", "fails to".
_NEGATIVE = re.compile(r"\b(?:without|lack(?:s|ed|ing)?|fail(?:s|ed|ing)?\s+to)\b", re.I)


def says_not(text: str) -> bool:
    """Whether a passage says anywhere that something is not so: it could answer what is not."""
    return negates(text) or _NEGATIVE.search(text) is not None


#: A question after a change ("By how many did users grow?", "How many new users …?"), not a total.
_CHANGE_ASKED = re.compile(
    r"\bby how (?:much|many)\b|\bhow many (?:new|more|additional|extra)\b"
    r"|\bnet (?:new|gains?|increases?|additions?)\b",
    re.I,
)

#: A clause naming where a fact is told: "according to X", "per the X", "as reported by X".
_SOURCE = re.compile(
    r"\b(?:(?i:according to)|per(?=\s+(?:the\s+)?[A-Z])|per the"
    r"|(?:as\s+)?(?:reported|cited|stated)\s+(?:by|in))\s+([^,;?()]+)",
)

#: Zipf frequency (wordfreq; 3 = once per million words) from which a word is an everyday one.
EVERYDAY_ZIPF = 3.75


@dataclass(frozen=True)
class Question:
    """A question as the engine reads it."""

    text: str
    kind: str
    terms: tuple[str, ...]
    anchors: tuple[str, ...]
    counted: tuple[str, ...] = ()  # terms of what "how many X" counts
    counted_as: tuple[str, ...] = ()  # what the corpus's vocabulary calls that X ("steps": measures)
    named: tuple[str, ...] = ()  # terms of the noun of "which/what X": a name holding one fits X

    @property
    def words(self) -> list[str]:
        """The question's words as written ("didn't", "e-commerce")."""
        return re.findall(r"[A-Za-z][\w'\u2019-]*", self.text)

    @cached_property
    def everyday(self) -> frozenset[str]:
        """Terms of the question's everyday English words (wordfreq's Zipf frequency at least
        ``EVERYDAY_ZIPF``): where the texts lack one, it is more likely the asker's wording than a
        subject they lack ("go public" for "went public"); looked up when first needed."""
        from wordfreq import zipf_frequency  # its word list takes a moment to load

        return frozenset(
            t
            for word in self.words
            if zipf_frequency(word.lower(), "en") >= EVERYDAY_ZIPF
            for t in tokenize(word)
        )

    @cached_property
    def common(self) -> frozenset[str]:
        """Terms of the question's words among the most frequent of English (``common_words``)."""
        listed = common_words()
        return frozenset(
            t for word in self.words if word.lower() in listed
            for t in tokenize(word)
        )  # fmt: skip

    @cached_property
    def attributed(self) -> frozenset[str]:
        """Terms of where the question says its fact is told ("…, according to the agency's data",
        "per the Daily"): they name a source, not what the answer stands near in a sentence."""
        return frozenset(t for m in _SOURCE.finditer(self.text) for t in tokenize(m.group(1)))

    @cached_property
    def asks_change(self) -> bool:
        """Whether it asks for a change, not a total: "By how much did sales grow?"."""
        return _CHANGE_ASKED.search(self.text) is not None

    @cached_property
    def joined(self) -> frozenset[str]:
        """Terms of its hyphenated words read as one ("boostagricultureviaecommerc" of
        "boost-agriculture-via-e-commerce"), besides the terms of their parts."""
        found = set()
        for word in self.words:
            terms = tokenize(word) if re.search(HYPHEN, word) else []
            if len(terms) > 1:
                found.add(terms[0])  # the tokenizer gives the word read as one first, then its parts
        return frozenset(found)

    @cached_property
    def asks_meaning(self) -> bool:
        """Whether it asks what something means or is ("What is meant by X?"; qa/answers/meaning.py)."""
        return asks_meaning(self.text)

    @property
    def asks_first(self) -> bool:
        """Whether it asks when something first happened: "When was the scheme launched?", "In what
        year did the ministries first issue the notice?"."""
        return self.kind in ("when", "year") and _FIRST.search(self.text) is not None

    @property
    def negated(self) -> bool:
        """Whether the question asks what is not so ("Who wasn't on the expedition?", "What does
        the treaty not allow?"); a parenthesis, "whether or not" and "No. 1" aside."""
        return negates(_ASIDE.sub(" ", self.text))

    @property
    def figures(self) -> tuple[str, ...]:
        """Its numbers of two digits or more (years, counts, article numbers): a passage that holds
        none of one is about another year or figure. One-digit numbers are left out, as texts often
        write them as words or roman numerals ("three", "Type I")."""
        return tuple(a for a in self.anchors if sum(ch.isdigit() for ch in a) >= 2)

    @property
    def labels(self) -> tuple[str, ...]:
        """Entity labels of the spans that answer it (empty for an explanation)."""
        return LABELS.get(self.kind, ())


_COUNTED = re.compile(r"\b(?:how many|number of)\s+((?:[a-z'-]+\s+){0,3}?[a-z'-]+?)"
                      r"(?=\s+(?:are|is|was|were|did|do|does|has"
                      r"|have|had|will|would|can|could|in|of|for|to|on|at|by|with|within|over|under"
                      r"|during|from|across|among|between|that|which|who)\b|\W*$)")  # fmt: skip


#: Words saying a when-question asks for a beginning.
_FIRST = re.compile(
    r"\b(?:first|launch(?:ed|es|ing)?|beg[ai]n(?:ning|s)?|start(?:ed|ing|s)?|original(?:ly)?|initial(?:ly)?)\b",
    re.I,
)


#: A word that asks; a query without one ("value of exports in 2020") reads as "What is the …?".
_ASKS = re.compile(rf"\b(?:{'|'.join(WH_WORDS)})\b", re.I)


def parse_question(text: str) -> Question:
    """Kind, terms, anchors, counted noun and "which X" noun of ``text``; a query of keywords
    without a word that asks is read as "What is the <query>?"."""
    asked = text if _ASKS.search(text) else f"What is the {text}"
    counted = _COUNTED.search(asked.lower())
    kind = question_kind(asked)
    if kind == "other" and asked != text:  # a query of keywords: what its head noun names
        kind = keyword_kind(text)
    return Question(
        text=text,
        kind=kind,
        terms=tuple(tokenize(text)),
        anchors=anchors(text),
        counted=tuple(tokenize(counted.group(1))) if counted else (),
        named=named_noun(asked),
    )
