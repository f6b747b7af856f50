"""Read a question: what kind of fact it asks for (the entity labels that answer it), its terms and
its anchors (the proper nouns and numbers an answer must be about).

Every rule here is one of general English question wording ("who", "how many", "which city");
nothing names a word of one corpus. A corpus's own synonyms come from its vocabulary file
(``qa/answers/vocabulary.py``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property, lru_cache
from importlib import resources

from qa.search.tokenizer import HYPHEN, tokenize

#: Kinds of fact, and the OntoNotes labels (``qa/documents/ner.py``) of the spans that answer each.
LABELS: dict[str, tuple[str, ...]] = {
    "person": ("PERSON",),
    "who": ("PERSON", "ORG"),
    "when": ("DATE", "TIME"),
    "year": ("DATE",),
    "place": ("GPE", "LOC", "FAC"),
    "count": ("CARDINAL", "QUANTITY"),
    "amount": ("MONEY", "QUANTITY", "CARDINAL", "PERCENT"),
    "money": ("MONEY",),
    "percent": ("PERCENT",),
    "duration": ("DATE", "TIME", "QUANTITY"),
    "measure": ("QUANTITY", "CARDINAL", "MONEY"),
    "org": ("ORG",),
    "law": ("LAW",),
    "event": ("EVENT",),
    "work": ("WORK_OF_ART", "LAW"),
    "group": ("NORP",),
    "language": ("LANGUAGE", "NORP"),
    "term": (),  # "what is X called?": the words after "called" in the text (spans.py), no entity
    # "what is the name of ...": any proper name
    "name": (
        "PERSON",
        "ORG",
        "GPE",
        "LOC",
        "FAC",
        "NORP",
        "EVENT",
        "WORK_OF_ART",
        "LAW",
        "PRODUCT",
        "LANGUAGE",
    ),
}

#: Nouns of an amount, which the text may give as money, a quantity or a count.
_AMOUNT_NOUNS = "sales revenue revenues turnover income spending budget total"
#: "Which/what <noun>": nouns of general English naming a kind of entity.
_NOUN_KINDS: dict[str, str] = {}
for _kind, _nouns in {
    "place": "city cities country countries state states region regions province provinces town towns "
    "village villages continent continents island islands river rivers mountain mountains nation nations "
    "county counties capital place places area areas location locations port ports district districts",
    "org": "company companies organization organizations organisation organisations university "
    "universities college colleges team teams party parties agency agencies ministry ministries firm "
    "firms institution institutions church churches club clubs bank banks business businesses "
    "corporation corporations department departments body bodies school schools newspaper newspapers "
    "platform platforms network networks entity entities",
    "person": "person people man woman king kings queen queens emperor president presidents leader "
    "leaders scientist scientists author authors writer writers poet painter composer architect "
    "minister ministers general pope duke prince princess player players founder founders",
    "law": "law laws act acts treaty treaties bill bills constitution amendment amendments regulation "
    "regulations",
    "event": "war wars battle battles revolution revolutions event events",
    "work": "book books film films movie movies song songs album albums novel novels painting paintings "
    "document documents publication publications",
    "language": "language languages",
    "group": "nationality religion religions ethnicity",
    "year": "year years",
    "when": "date dates day month century decade",
    "percent": "percentage percent share proportion fraction rate rates",
    "count": "number population",
    "money": "value cost price worth",
    "amount": _AMOUNT_NOUNS,
    "measure": "size length height weight distance temperature",
    "name": "name names title titles",
}.items():
    _NOUN_KINDS.update(dict.fromkeys(_nouns.split(), _kind))
#: Nouns that name a measure only as the head of what is asked: "what budget" asks for an amount,
#: "what sales models" and "what total value" do not ask for sales or a total.
_HEAD_ONLY = frozenset(["rate", "rates", *_AMOUNT_NOUNS.split()])

_WH = r"(?:what|which)"
_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(p))
    for kind, p in (
        ("year", rf"\bin {_WH} year\b|\b{_WH} year\b"),
        ("when", rf"^\W*when\b|[,;:]\s*when\b|\bsince when\b|\bon {_WH} (day|date)\b|\bby when\b"),
        (
            "percent",
            rf"\b{_WH} (percentage|percent|share|proportion|fraction)\b|\bhow many percent"
            rf"|\b{_WH} (\w+ ){{0,3}}(growth|rate)\b|\bhow fast\b",
        ),
        ("place", rf"^\W*where\b|[,;:]\s*where\b|\bin {_WH} (city|country|state|place|region)\b"),
        ("money", r"\bhow much (money|did .* (cost|pay|spend|earn|raise|sell)|does .* cost|was .* worth)\b"),
        ("count", r"\bhow many\b"),
        ("duration", r"\bhow long\b"),
        ("measure", r"\bhow (big|large|far|tall|high|deep|heavy|wide|fast|old)\b"),
        ("amount", r"\bhow much\b"),
        ("who", r"^\W*(who|whom|whose)\b|[,;:]\s*(who|whom|whose)\b"),
        # "What is X called?", "… known as what?": the name a text gives something
        ("term", r"\b(called|named|termed)\W*$|\b(referred to|known|described) as what\b|\bcalled what\b"),
    )
)


#: "what's", "who's", "where's": the question word and "is", as the patterns read it.
_CONTRACTED_IS = re.compile(r"\b(what|who|where|when|how|which)['\u2019]s\b")


def _plain(text: str) -> str:
    """``text`` lower-cased, its white space single, its "what's" read as "what is"."""
    return _CONTRACTED_IS.sub(r"\1 is", " ".join(text.lower().split()))


def question_kind(text: str) -> str:
    """The kind of fact ``text`` asks for (a key of ``LABELS``), or "other" for an explanation."""
    lowered = _plain(text)
    for kind, pattern in _PATTERNS:
        if pattern.search(lowered):
            return kind
    for match in _NAMED.finditer(lowered):  # "what minimum share": the words up to a verb
        words = _asked(match).split()
        ends = _PHRASE_END.match(lowered, match.end(match.lastindex or 0)) is not None
        for i, word in enumerate(words):
            if word in _NOUN_KINDS and (word not in _HEAD_ONLY or (i == len(words) - 1 and ends)):
                return _NOUN_KINDS[word]
    return "other"


#: Words of a question that say how it asks, not what it is about.
_QUESTION_WORDS = frozenset(
    [
        "what",
        "when",
        "who",
        "whom",
        "whose",
        "which",
        "how",
        "why",
        "where",
        "is",
        "are",
        "was",
        "were",
        "do",
        "does",
        "did",
        "can",
        "could",
        "would",
        "should",
        "will",
        "has",
        "have",
        "had",
    ]
)
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
        if word.lower() in _QUESTION_WORDS:
            continue
        if word[0].isalpha() and text[: match.start()].rstrip().endswith((".", "?", "!", ":")):
            continue  # a capital that opens a sentence
        word = _LOWER_TAIL.sub("", word)  # "Acme-led", "Acme-based": the name is "Acme"
        found.extend(t for t in tokenize(word) if t not in found)
    return tuple(found)


@lru_cache(maxsize=1)
def common_words() -> frozenset[str]:
    """The most frequent words of English (``qa/data/common_words.txt``: Zipf frequency at least 6)."""
    text = resources.files("qa").joinpath("data/common_words.txt").read_text(encoding="utf-8")
    return frozenset(line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#"))


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


#: A question after a change ("By how many did users grow?"), not a total.
_CHANGE_ASKED = re.compile(r"\bby how (?:much|many)\b", re.I)

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

    @cached_property
    def everyday(self) -> frozenset[str]:
        """Terms of the question's everyday English words (wordfreq's Zipf frequency at least
        ``EVERYDAY_ZIPF``): where the texts lack one, it is more likely the asker's wording than a
        subject they lack ("go public" for "went public"); looked up when first needed."""
        from wordfreq import zipf_frequency  # its word list takes a moment to load

        return frozenset(
            t
            for word in re.findall(r"[A-Za-z][\w'\u2019-]*", self.text)
            if zipf_frequency(word.lower(), "en") >= EVERYDAY_ZIPF
            for t in tokenize(word)
        )

    @cached_property
    def common(self) -> frozenset[str]:
        """Terms of the question's words among the most frequent of English (``common_words``)."""
        listed = common_words()
        return frozenset(
            t for word in re.findall(r"[A-Za-z][\w'\u2019-]*", self.text) if word.lower() in listed
            for t in tokenize(word)
        )  # fmt: skip

    @cached_property
    def asks_change(self) -> bool:
        """Whether it asks for a change, not a total: "By how much did sales grow?"."""
        return _CHANGE_ASKED.search(self.text) is not None

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


_COUNTED = re.compile(r"\b(?:how many|what is the number of)\s+((?:[a-z'-]+\s+){0,2}?[a-z'-]+?)"
                      r"(?=\s+(?:are|is|was|were|did|do|does|has"
                      r"|have|had|will|would|can|could|in|of|for|to|on|at|by|with)\b|\W*$)")  # fmt: skip


_NOT_NOUN = rf"(?:{'|'.join(sorted(_QUESTION_WORDS))}|of|in|on|at|to|for|by|with|from|the|a|an)\b"
#: "which/what" and the (up to three) words that follow it, up to a verb or preposition ("what kind
#: of X" asks for an X); or the noun of "what is the X of": "What was the total value of ...?" asks
#: for a value.
_NAMED = re.compile(
    rf"\b{_WH}\s+(?:kinds?|types?|sorts?|class(?:es)?|forms?)\s+of((?:\s+(?!{_NOT_NOUN})[a-z][\w-]*){{1,3}})"
    rf"|\b{_WH}((?:\s+(?!{_NOT_NOUN})[a-z][\w-]*){{1,3}})"
    rf"|\b{_WH}\s+(?:is|was|are|were)\s+(?:the|an?)((?:\s+(?!{_NOT_NOUN})[a-z][\w-]*){{1,3}})\s+of\b"
    rf"|\b{_WH}\s+(?:is|was|are|were)\s+[^?]*?\w['\u2019]s((?:\s+(?!{_NOT_NOUN})[a-z][\w-]*){{1,4}})"
    rf"(?:\s+(?:in|on|at|during|for|by|from|since|as of)\s+[^?,;]*)?\W*$"
)


#: What follows the last noun of what is asked: a verb, a preposition, punctuation or the end.
_PHRASE_END = re.compile(rf"\s*(?:$|[^\w\s]|{_NOT_NOUN})")


def _asked(match: re.Match[str]) -> str:
    """The words of a ``_NAMED`` match that say what is asked for."""
    return next(g for g in match.groups() if g)


def named_noun(text: str) -> tuple[str, ...]:
    """Terms of the words after "which"/"what" ("What fort did the British capture?" -> fort): a
    name that holds one of them ("Fort Beausejour") is the kind of thing asked for."""
    plain = _plain(text)
    found = _NAMED.search(plain)
    if found is None:
        return ()
    asked = _asked(found)
    if asked.split()[-1] in ("name", "names", "title", "titles"):  # "the name of the notice": a notice
        of = _NAME_OF.search(plain)
        asked = of.group(1) if of else asked
    return tuple(dict.fromkeys(tokenize(asked)))


#: What "the name/title of" names: "What was the name of the 2016 notice …?" -> "2016 notice".
_NAME_OF = re.compile(rf"\b(?:name|title)s?\s+of\s+(?:the\s+|an?\s+)?((?:(?!{_NOT_NOUN})[\w-]+\s*){{1,3}})")


#: A word that asks; a query without one ("value of exports in 2020") reads as "What is the …?".
_ASKS = re.compile(r"\b(?:what|when|who|whom|whose|which|how|why|where)\b", re.I)


def parse_question(text: str) -> Question:
    """Kind, terms, anchors, counted noun and "which X" noun of ``text``; a query of keywords
    without a word that asks is read as "What is the <query>?"."""
    asked = text if _ASKS.search(text) else f"What is the {text}"
    counted = _COUNTED.search(asked.lower())
    return Question(
        text=text,
        kind=question_kind(asked),
        terms=tuple(tokenize(text)),
        anchors=anchors(text),
        counted=tuple(tokenize(counted.group(1))) if counted else (),
        named=named_noun(asked),
    )
