"""What a question asks for: the kind of fact (the entity labels that answer it) and the noun of
"which/what X" (a name holding it is the kind of thing asked for).

Every rule here is one of general English question wording ("who", "how many", "which city");
nothing names a word of one corpus.
"""

from __future__ import annotations

import re

from qa.search.tokenizer import tokenize

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
_AMOUNT_NOUNS = (
    "sales revenue revenues turnover income spending budget total funding increase rise threshold figure"
)
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
    "percent": "percentage percent % share proportion fraction rate rates growth coverage",
    "count": "number count population",
    "money": "value cost price worth",
    "amount": _AMOUNT_NOUNS,
    "measure": "size length height weight distance temperature",
    "name": "name names title titles",
}.items():
    _NOUN_KINDS.update(dict.fromkeys(_nouns.split(), _kind))
#: Nouns that name a measure only as the head of what is asked: "what budget" asks for an amount,
#: "what sales models" and "what total value" do not ask for sales or a total.
_HEAD_ONLY = frozenset(["rate", "rates", "growth", "coverage", *_AMOUNT_NOUNS.split()])

_WH = r"(?:what|which)"
#: A verb that asks after "when" or "where" in mid-sentence (", when did …?"), unlike a clause
#: (", when the war ended").
_AUX = r"(?:did|do|does|is|was|were|are|will|would|has|have|had|can|could|should|must|may|might)\b"
_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(p))
    for kind, p in (
        ("year", rf"\bin {_WH} year\b|\b{_WH} year\b"),
        ("when", rf"^\W*when\b|[,;:]\s*when\s+{_AUX}|\bsince when\b|\bon {_WH} (day|date)\b|\bby when\b"),
        (
            "percent",
            rf"\b{_WH} (percentage|percent|share|proportion|fraction)\b|\bhow many percent"
            r"|\bin (per ?cent|percentage)\b(?! points?)"
            rf"|\b{_WH} ([\w-]+ ){{0,3}}(growth|rate)\b|\bhow fast\b",
        ),
        ("place", rf"^\W*where\b|[,;:]\s*where\s+{_AUX}|\bin {_WH} (city|country|state|place|region)\b"),
        (
            "money",
            r"\bhow much (money|did .* (cost|pay|spend|earn|raise|sell)|does .* cost|was .* worth)\b"
            rf"|\b{_WH} (is|was|are|were) [^?]* worth\b",
        ),
        ("count", r"\bhow many\b"),
        ("duration", r"\bhow long\b"),
        ("measure", r"\bhow (big|large|far|tall|high|deep|heavy|wide|fast|old)\b"),
        (
            "amount",
            rf"\bhow much\b|\b{_WH} (did|do|does|will|would)\b[^?]*?\b(come to|add up to|amount to|total)\b",
        ),
        ("who", r"^\W*(who|whom|whose)\b|[,;:]\s*(who|whom|whose)\b"),
        # "What is X called?", "… known as what?": the name a text gives something
        (
            "term",
            r"\b(called|named|termed)(\W*$|\s+(that|which)\b)|\b(referred to|known|described) as what\b"
            r"|\bcalled what\b",
        ),
    )
)


#: "what's", "who's", "where's": the question word and "is", as the patterns read it.
_CONTRACTED_IS = re.compile(r"\b(what|who|where|when|how|which)['\u2019]s\b")


def _plain(text: str) -> str:
    """``text`` lower-cased, its white space single, its "what's" read as "what is"."""
    return _CONTRACTED_IS.sub(r"\1 is", " ".join(text.lower().split()))


def question_kind(text: str) -> str:
    """The kind of fact ``text`` asks for (a key of ``LABELS``), or "other" for an explanation."""
    lowered = _SCENE.sub("", _plain(text))
    for kind, pattern in _PATTERNS:
        if pattern.search(lowered):
            return kind
    subject = _SUBJECT.search(lowered)  # "What were total steel sales in 2020?": an amount
    head = subject.group(1).split()[-1] if subject else ""
    if head in _HEAD_ONLY:
        return _NOUN_KINDS[head]
    for match in _NAMED.finditer(lowered):  # "what minimum share": the words up to a verb
        words = _asked(match).split()
        ends = _PHRASE_END.match(lowered, match.end(match.lastindex or 0)) is not None
        for i, word in enumerate(words):
            if word in _NOUN_KINDS and (word not in _HEAD_ONLY or (i == len(words) - 1 and ends)):
                return _NOUN_KINDS[word]
    return "other"


#: Where a phrase of a keyword query ends: punctuation, a dash between words, a preposition.
_KEYWORD_BREAK = re.compile(
    r"[,;:?()]|\s[-\u2013\u2014]\s|\b(?:of|in|at|for|by|from|on|to|with|under|during|since|among"
    r"|between|within|over|versus|compared|according|than)\b"
)
#: Words before the head of a keyword query that say which one: "first year …", "2025 sales".
_OPENERS = frozenset(["first", "last", "latest", "earliest", "target", "actual", "minimum", "maximum"])
#: Kinds of a figure, date or name, whose noun heads a query it opens ("year the plan named it").
_FACT_KINDS = frozenset({"year", "when", "count", "money", "amount", "percent", "measure", "name"})
#: A year in a keyword query, and a plural noun before it ("users", "connections"; not "class").
_KEYWORD_YEAR = re.compile(r"(?<!\d)(?:1[5-9]|20)\d\d(?!\d)")
_PLURAL = re.compile(r"\b[a-z]{3,}[^su]s\b")


def keyword_kind(text: str) -> str:
    """The kind of fact a query of keywords asks for, read from the first of its phrases with a noun
    naming a kind: a noun of a figure, date or name it opens with ("number of stations", "first
    year the festival was held", "Count of members"), or else its last ("steel sales 2020", "vaccine
    coverage rate", "2021 city budget figure"). In a noun phrase the head comes last unless "of" or a
    clause follows it; an opening "city" or "state" only says which. Things counted and a year ("bus
    users 2023") ask how many. "other" when no phrase names a kind, or for a question that opens with
    a verb ("Was the school …?")."""
    if _OPENS_ASKING.match(text):
        return "other"
    for phrase in _KEYWORD_BREAK.split(_plain(text)):
        words = re.findall(r"[a-z%\d][\w%'-]*", phrase)
        while words and (words[0] in _OPENERS or words[0][0].isdigit()):
            words = words[1:]
        kinds = [_NOUN_KINDS[w] for w in words if w in _NOUN_KINDS]
        if kinds:
            return _NOUN_KINDS[words[0]] if _NOUN_KINDS.get(words[0]) in _FACT_KINDS else kinds[-1]
    # "bus users 2023": things counted and a year ask how many there were that year
    counted = _KEYWORD_YEAR.search(text) and _PLURAL.search(_KEYWORD_YEAR.split(text.lower())[0])
    return "count" if counted else "other"


#: The words that ask (a query with none of them reads as "What is the …?": ``parse_question``).
WH_WORDS = ("what", "when", "who", "whom", "whose", "which", "how", "why", "where")
#: Words of a question that say how it asks, not what it is about.
QUESTION_WORDS = frozenset(
    [
        *WH_WORDS,
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
#: A question that opens with a word that asks or a verb ("Was the school …?"): no keyword query.
_OPENS_ASKING = re.compile(rf"\W*(?:{'|'.join(sorted(QUESTION_WORDS))})\b", re.I)
#: A clause that sets the scene before the question proper: "When B cells replicate, what do they
#: become?" asks what, not when ("When did …?" is the question itself). Cut up to the word that asks.
_SCENE = re.compile(
    r"^\W*(?:when|where|while|if|once|after|before|as)\b"
    rf"(?!\s+(?:{'|'.join(sorted(QUESTION_WORDS - set(WH_WORDS)))}|may|might)\b)"
    rf"[^?;:]*?(?<=[\s,])(?=(?:{'|'.join(WH_WORDS)})\b)"
)
_NOT_NOUN = rf"(?:{'|'.join(sorted(QUESTION_WORDS))}|of|in|on|at|to|for|by|with|from|the|a|an)\b"
#: "which/what" and the (up to three) words that follow it, up to a verb or preposition ("what kind
#: of X" asks for an X); or the noun of "what is the X of": "What was the total value of ...?" asks
#: for a value.
_NAMED = re.compile(
    rf"\b{_WH}\s+(?:kinds?|types?|sorts?|class(?:es)?|forms?)\s+of((?:\s+(?!{_NOT_NOUN})[a-z][\w-]*){{1,3}})"
    rf"|\b{_WH}((?:\s+(?!{_NOT_NOUN})[a-z\d][\w-]*){{1,3}})"
    rf"|\b{_WH}\s+(?:is|was|are|were)\s+(?:the|an?)((?:\s+(?!{_NOT_NOUN})[a-z][\w-]*){{1,3}})\s+of\b"
    rf"|\b{_WH}\s+(?:is|was|are|were)\s+[^?]*?\w['\u2019]s((?:\s+(?!{_NOT_NOUN})[a-z][\w-]*){{1,4}})"
    rf"(?:\s+(?:in|on|at|during|for|by|from|since|as of)\s+[^?,;]*)?\W*$"
)

#: The subject of "What is/are X?" when it closes the question, a time or place aside: "What were total
#: steel sales in 2020?" asks for sales (a kind, not a "which X" noun: ``question_kind`` only).
_SUBJECT = re.compile(
    rf"\b{_WH}\s+(?:is|was|are|were)\s+(?:the\s+)?(?:[\w-]+['\u2019]s\s+)?((?:(?!{_NOT_NOUN})[a-z][\w-]*\s*){{1,5}}?)"
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
        called = _CALLED.search(plain)  # "What was the 1994 treaty from the states called?": treaty
        return tuple(tokenize(called.group(1).split()[-1])) if called else ()
    asked = _asked(found)
    if asked.split()[-1] in ("name", "names", "title", "titles"):  # "the name of the notice": a notice
        of = _NAME_OF.search(plain)
        asked = of.group(1) if of else asked
    return tuple(dict.fromkeys(tokenize(asked)))


#: The thing "What is/was the X … called?" asks the name of: the last word of its noun phrase, which
#: ends at a preposition, a relative pronoun or a verb of issuing ("the May 1994 treaty on …").
_CALLED = re.compile(
    rf"\b{_WH}\s+(?:is|was|are|were)\s+(?:the\s+|an?\s+)?((?:[\w'\u2019-]+\s+)*?[a-z][\w'\u2019-]*)"
    r"(?=\s+(?:that|which|who|whose|from|by|with|for|in|on|at|to|issued|released|put|set|setting|sets"
    r"|launched|called|named|titled|officially|formally)\b)[^?]*?\b(?:called|named|titled)(?:\W*$|\s+(?:that|which)\b)"
)
#: What "the name/title of" names: "What was the name of the 2016 notice …?" -> "2016 notice".
_NAME_OF = re.compile(rf"\b(?:name|title)s?\s+of\s+(?:the\s+|an?\s+)?((?:(?!{_NOT_NOUN})[\w-]+\s*){{1,3}})")
