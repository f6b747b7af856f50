"""Read a question: its kind (when, how many, ...), its search terms, synonyms and anchors."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property, lru_cache
from importlib import resources

from qa.asks import ask_terms
from qa.dates import text_dates
from qa.kinds import ANSWER_TYPES, question_kind
from qa.text import BRITISH_IZ, HYPHEN, YEAR, stopwords, tokenize

#: Words that start a question or are too generic to decide whether the corpus holds an answer.
_GENERIC = frozenset(
    re.findall(
        r"\w+",
        "what when who whom which how why where many much did does do is are was were the a an of in on "
        "for to by and or with from at as its it this that these those there their about into",
    )
)


@dataclass(frozen=True)
class Question:
    """A question as the engine reads it."""

    text: str
    kind: str  # a key of ANSWER_TYPES, or "other"
    terms: tuple[str, ...]  # tokens of the question itself
    expansion: tuple[str, ...]  # extra tokens from synonyms
    anchors: tuple[str, ...]  # proper nouns and numbers: tokens an answer must hold
    #: question term -> tokens that say the same (its synonym's, or a compound's parts)
    stands_for: tuple[tuple[str, tuple[str, ...]], ...] = ()
    counted: tuple[str, ...] = ()  # what a "how many" question counts, head noun last
    asks: tuple[str, ...] = ()  # words saying what kind of explanation it asks ("define"), if any

    @property
    def years(self) -> tuple[str, ...]:
        """The years the question names (2019, 2023)."""
        return tuple(a for a in self.anchors if re.fullmatch(YEAR, a))

    @cached_property
    def named_dates(self) -> frozenset[str]:
        """Terms of the dates by which the question names a text ("the 2024 Economic Daily piece");
        read once, as every abstention check of one question needs them."""
        return frozenset(text_dates(self.text))

    @cached_property
    def rare(self) -> tuple[str, ...]:
        """Terms of words that are rare in English (blockchain, Guizhou); looked up only when
        asked for (the word list takes a moment to load)."""
        return rare_terms(self.text)

    @property
    def answer_types(self) -> tuple[str, ...]:
        """Span types that would answer this question (empty for explanations)."""
        return ANSWER_TYPES.get(self.kind, ())

    @property
    def search_terms(self) -> tuple[str, ...]:
        """Question terms followed by synonym terms (each once)."""
        return self.terms + tuple(t for t in dict.fromkeys(self.expansion) if t not in self.terms)


@lru_cache(maxsize=1)
def synonym_rules() -> tuple[tuple[re.Pattern[str], tuple[tuple[str, ...], ...]], ...]:
    """(pattern for the user's phrase, tokens of each of the text's phrases) from
    ``qa/data/synonyms.txt``.

    The user's phrase is matched as whole words (not stems: "yearly" must not match "year"), its
    words apart or hyphenated."""
    text = resources.files("qa").joinpath("data/synonyms.txt").read_text(encoding="utf-8")
    rules = []
    for line in text.splitlines():
        if "=>" in line and not line.lstrip().startswith("#"):
            left, right = line.split("=>", 1)
            words = rf"(?:\s+|{HYPHEN})".join(
                re.escape(w) for w in left.lower().split()
            )  # "farm-produce" too
            phrases = tuple(tuple(tokenize(p)) for p in right.split("|") if tokenize(p))
            rules.append((re.compile(rf"(?<![\w-]){words}(?![\w])"), phrases))
    return tuple(rules)


_Matched = list[tuple[re.Match[str], tuple[tuple[str, ...], ...]]]


def expand(matched: _Matched, terms: tuple[str, ...]) -> tuple[str, ...]:
    """Tokens of the text phrases that the synonym list gives for the ``matched`` phrases."""
    extra: list[str] = []
    for _, phrases in matched:
        extra.extend(t for tokens in phrases for t in tokens if t not in terms and t not in extra)
    return tuple(extra)


def matched_rules(text: str) -> _Matched:
    """The synonym rules whose phrase the question holds, with the match."""
    lowered = text.lower()
    found = []
    for pattern, phrases in synonym_rules():
        match = pattern.search(lowered)
        if match:
            found.append((match, phrases))
    return found


def stands_for(matched: _Matched) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Each question term of a ``matched`` synonym phrase, with the tokens of each text phrase it
    stands for (one pair per phrase): a passage holding one phrase's tokens holds what the
    question's phrase means."""
    pairs: list[tuple[str, tuple[str, ...]]] = []
    for match, phrases in matched:
        for term in tokenize(match.group(0)):
            pairs.extend((term, tokens) for tokens in phrases if (term, tokens) not in pairs)
    return tuple(pairs)


#: A language naming a wording, not a subject ("the exact English title of the notice").
_LANGUAGE_OF = re.compile(
    r"\b(?:English|Chinese|Mandarin)\s+(?=(?:title|name|version|translation|term|word|wording|phrase)s?\b)"
)


def anchors(text: str) -> tuple[str, ...]:
    """Tokens of proper nouns (capitalised words past the first) and numbers in the question."""
    words = re.findall(r"[\w][\w.,%'\u2019-]*", _LANGUAGE_OF.sub("", text))
    found: list[str] = []
    stop = stopwords()
    for i, word in enumerate(words):
        word = word.rstrip(".,")
        if not word or word.lower() in _GENERIC or word.lower() in stop:
            continue
        if any(c.isdigit() for c in word) or (i > 0 and word[0].isupper()):
            # of a hyphenated word, the parts that name something ("MOFCOM-led": MOFCOM)
            parts = re.split(HYPHEN, word)
            named = [p for p in parts if p[:1].isupper() or p[:1].isdigit()] if len(parts) > 1 else []
            found.extend(t for p in named or [word] for t in tokenize(p) if t not in found)
    return tuple(found)


#: Nouns that count occurrences of what the word before them names ("live-stream sessions").
_UNIT_NOUNS = frozenset(
    ["sessions", "times", "instances", "rounds", "batches", "cases", "events", "occasions"]
)


#: Past tenses that end the counted phrase as "-ed" does ("how many counties *took* part").
_IRREGULAR_PAST = frozenset(
    (
        *("took", "got", "made", "went", "came", "gave", "saw", "ran", "won", "held", "set", "put"),
        *("brought", "bought", "sold", "grew", "became", "began", "drew", "kept", "left", "met"),
        *("paid", "rose", "sent", "spent", "stood", "wrote"),
    )
)

#: Turns of phrase that ask for plainness, not a subject ("in plain English, what does … involve?").
_IDIOMS = re.compile(
    r"\b(?:in (?:plain|simple) (?:english|terms|words|language)|in a nutshell|broadly speaking)\b",
    re.IGNORECASE,
)

_QUESTION_WORD = (
    r"(?=(?:what|when|which|who|whom|whose|how|why|where|in what|is|are|was|were|does|did|do|can|could)\b)"
)

#: A lead-in saying who asks or what for ("For my lesson plan:", "As a student, ...", "Quick question
#: for my report:", "So"), before the question.
_PREAMBLE = re.compile(
    r"^\W*(?:(?:for (?:my|our|a|an)|i'?m|i am|we'?re|we are|quick (?:one|question)"
    r"|as an?(?!\s+(?:share|percent\w*|proportion|result|whole|rule)\b))\b[^:.?!,]*?[:.!,\u2013\u2014-]\s+"
    r"|(?:so|ok|okay|well|hi|hello|hey)\b,?\s+)" + _QUESTION_WORD,
    re.IGNORECASE,
)

#: Any lead-in before a colon ("Economic Daily piece on the driving force: when were ..."); it may
#: name the subject, so it is left out only in telling the kind of a question that has none with it.
_LEAD = re.compile(r"^[^:?]{1,120}?:\s+" + _QUESTION_WORD, re.IGNORECASE)

#: A sentence after the question about the asker, not the texts ("I need the exact figure.",
#: "Please explain.", "Thanks!").
_AFTERWORD = re.compile(
    r"(?<=[?.!])\s+(?:i|i'm|i'd|i've|i am|we|we're|my|please|thanks|thank you|cheers)\b[^?]*$", re.IGNORECASE
)


def asked_part(text: str) -> str:
    """``text`` without a lead-in saying who asks and a closing sentence about the asker."""
    return _AFTERWORD.sub("", _PREAMBLE.sub("", text.strip())) or text


_COUNTED = re.compile(
    r"\b(?:how many|number of)\s+((?:[\w'-]+\s+){0,3}?[\w'-]+?(?:\s+(?:or|and)\s+[\w'-]+)?)"
    r"(?=\s+(?:are|is|was|were|did|do|does|has|have|had|will|would|can|could|should"
    r"|in|of|for|to|on|at|by|with)\b|\s*[/,;:(]|\W*$)"
)


def counted(question: str) -> tuple[str, ...]:
    """Tokens of what a "how many" question counts, its head noun last: "How many *rural e-commerce
    leaders* are ..."; empty when it does not say ("how many of the counties were ...")."""
    m = _COUNTED.search(question.lower())
    if not m or m.group(1).startswith(
        ("of ", "percent", "per cent")
    ):  # "how many percentage points": a share
        return ()
    words = m.group(1).split()
    for i, word in enumerate(words[1:], start=1):  # "other departments *signed* on": a verb, not the noun
        if word.endswith("ed") or word in _IRREGULAR_PAST:
            words = words[:i]
            break
    if len(words) > 1 and words[-1] in _UNIT_NOUNS:  # "live-stream *sessions*": the live streams
        words = words[:-1]
    return tuple(tokenize(" ".join(words)))


def compounds(text: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Each hyphenated word's joined token with the tokens of its parts ("e-commerce-for-agriculture"
    stands for "e-commerce" and "agriculture" where the joined form is found nowhere)."""
    pairs = []
    for word in re.findall(rf"\w+(?:{HYPHEN}\w+)+", text):
        tokens = tokenize(word)
        parts = tuple(t for t in tokenize(re.sub(HYPHEN, " ", word)) if t != tokens[0])
        if len(tokens) > 1 and parts:
            pairs.append((tokens[0], parts))
    return tuple(pairs)


#: A word below this Zipf frequency (wordfreq: 3 = once per million words) is specific enough that
#: its absence from the corpus says the question is about something else; commoner words
#: ("weaknesses", "published") are more likely the user's paraphrase of what the texts say.
RARE_ZIPF = 3.75


def rare_terms(text: str) -> tuple[str, ...]:
    """Terms of the question's words that are rare in English (numbers aside)."""
    from wordfreq import zipf_frequency  # imported here: loading its word list takes a moment

    found: list[str] = []
    for word in re.findall(r"[A-Za-z][\w'\u2019-]*", text):
        plain = re.sub(r"['\u2019]s$", "", word.lower())  # the ministry's = ministry
        american = BRITISH_IZ.sub(r"\1iz\2", plain)  # modernisation = modernization
        if max(zipf_frequency(plain, "en"), zipf_frequency(american, "en")) < RARE_ZIPF:
            found.extend(t for t in tokenize(word) if t not in found)
    return tuple(found)


def parse_question(text: str, use_synonyms: bool = True) -> Question:
    """Kind, terms, synonym expansion and anchors of ``text``."""
    asked = asked_part(text)
    said = _IDIOMS.sub(" ", asked)  # what it asks about, without turns of phrase
    terms = tuple(tokenize(said))
    matched = matched_rules(said) if use_synonyms else []
    kind = question_kind(asked)
    if kind == "other":  # "Economic Daily piece on the driving force: when were ... released?"
        kind = question_kind(_LEAD.sub("", asked))
    return Question(
        text=text,
        kind=kind,
        terms=terms,
        expansion=expand(matched, terms),
        anchors=anchors(said),
        stands_for=stands_for(matched) + compounds(said),
        counted=counted(said),
        asks=() if kind in ANSWER_TYPES else ask_terms(said),
    )
