"""The kind of a question (when, how many, which organisation, ...), from its wording, and the
span types that answer each kind."""

from __future__ import annotations

import re

#: Kinds of question that have a short factual answer, and the span types that answer them.
ANSWER_TYPES: dict[str, tuple[str, ...]] = {
    "when": ("date", "year"),
    "what-year": ("year", "date"),
    "how-many": ("count", "countword"),
    "change": ("percent", "money", "count"),
    "how-much": ("money", "count", "countword"),
    "money": ("money",),
    "share": ("percent",),
    "organisation": ("org",),
    "document": ("doc",),
    "person": ("person",),
    "place": ("place",),
}

_KIND_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(pattern))
    for kind, pattern in (
        (
            "what-year",
            r"\b(what|which) years?\b(?![- ]on[- ])|\bin what year\b"
            r"|\bwhat (was|is) the (\w+ )?year\b(?![- ]on[- ])|\bspan of years\b"
            r"|^\W*years (covered|spanned)\b",
        ),
        (
            "place",  # "which province had the most ...": a place, not the count behind it
            r"\b(which|what) ([a-z]+ )?(province|city|cities|region|prefecture|municipality|county|counties"
            r"|country|countries|town|village)s?\b(?![- ]level)",
        ),
        (
            "organisation",  # "which platform hosted the largest number of ...": the platform
            r"^\W*(which|what) (?!(number|share|percentage|proportion|amount|kinds?|types?|sorts?)\b)"
            r"([\w-]+ ){0,2}(platforms?|compan(y|ies)|firms?|enterprises?|ministr(y|ies)|bod(y|ies)"
            r"|agenc(y|ies))\b"
            r"(?! (is|are|was|were)\b)",
        ),
        (
            "money",  # an amount spent, paid or invested is money, never a count
            r"\bhow much\b.*\b(money|spen[dt]|cost|invest(ed|ment)?|pa(y|id)|fund(ed|ing)?|earn(ed)?"
            r"|budget|charge[sd]?)\b"
            r"|\b(what|which) (\w+ ){0,2}"
            r"(salary|salaries|price|prices|cost|costs|wages?|fees?|budget|income|sum|amount of money)\b",
        ),
        (
            "share",
            r"\bpercent|\bwhat (\S+ ){0,3}growth\b|\bshare of\b|\bwhat share\b|\bproportion\b|\bhow fast\b"
            r"|\brate\b|\bgrowth (figure|number)s?\b|\bwhat(?: is|'s) the (\w+ )?coverage\b|\bwhat fraction\b"
            r"|(?<![\d.])\s*%|\b(minimum|maximum|target|annual|yearly) (\w+ )?growth\b",
        ),
        (
            "when",
            r"^\W*when\b|\bsince when\b|\b(what|which) (date|month|time)\b|\bat what (time|point)\b"
            r"|(\s[:\u2013\u2014-]|,)\s+when (was|were|did|is|are|do|does)\b",
        ),
        (
            "change",
            r"\bby how much\b|\bwhat (\w+ ){0,2}(increase|rise)\b"
            r"|\b(minimum|maximum|target|annual|yearly) (\w+ )?(increase|rise)\b",
        ),
        ("how-many", r"\bhow many\b|\bnumber of\b|\bnet (new|gain|increase|addition)s?\b"),
        (
            "how-much",
            r"\bhow much\b|\bhow (big|large)\b|\bwhat was the value\b|\bvalue of\b|\bhow high\b"
            r"|\bwhat (threshold|level|mark|milestone)\b"
            r"|\b(sales|retail|revenue|turnover) (figure|total|value)\b|\bwhat (\w+ ){0,2}figure\b"
            r"|\bwhat (was|were|is|are|will be|did|do|does) (\S+ ){0,6}"
            r"(sales|value|revenue|turnover|output|worth)\b",
        ),
        (
            "document",
            r"\b(which ((?!ministr|department|office|bod(y|ies)|agenc|organi[sz])[\w/-]+ ){0,6}"
            r"|what ([\w-]+ )?)"
            r"(document|plan|notice|policy|law|outline|report|opinions|programme|program|blueprint)\b"
            r"|\b(name|title) of (the|that|this|their) ([\w/-]+ ){0,6}"
            r"(document|plan|notice|policy|outline|opinions|paper|guidelines?|guidance)\b"
            r"|\b(document|plan|notice|outline|opinions|paper|policy|guidelines?)\b.*\b(called|titled|named)\W*$"
            r"|\bwhat (was|is|were|are) the ([\w-]+ ){0,3}"
            r"(document|plan|notice|outline|opinions|paper|guidelines?|guidance) (called|titled|named)\b",
        ),
        (
            "organisation",
            r"^\W*who(se)?\b|\b(which|what) ([\w-]+ ){0,3}(body|bodies|organi[sz]ations?|ministry|ministries|"
            r"department|departments|agency|agencies|office|institution|platform|lecture platform|company"
            r"|companies)\b",
        ),
    )
)


#: "Who wrote ...": asks for a document's author, which is metadata, not a span of its text.
_AUTHORSHIP = re.compile(r"^\W*who (wrote|writes|authored|is the author|was the author)\b")
#: "Who was the head of ...": asks for a person, not the body they lead.
_PERSON = re.compile(
    r"^\W*who (is|was|were|are) (the )?([\w'\u2019]+ ){0,2}"
    r"(head|heads|director|minister|leader|chair(man|woman|person)?|president|premier|secretary|founder|ceo|spokesperson|spokesman)\b"
    r"|\bname of the (\w+ )?(head|director|minister|leader|chair(man|woman|person)?|founder|spokesperson)\b"
)
#: A question that opens with one of these words is a sentence, not a keyword query.
_ASKING = re.compile(
    r"^\W*(what|when|who|whom|whose|which|how|why|where|is|are|was|were|do|does|did|can|could|should"
    r"|will|would|has|have|had|tell|explain|describe|list|give|show|name|i|i'm|i've)\b"
    r"|[,:;\u2013\u2014-]\s*(what|when|who|whom|whose|which|how|why|where)\b"
)
#: Keyword queries ("rural online retail sales 2023"): the kind their measure word asks for.
_KEYWORD_KINDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("share", re.compile(r"\b(growth|year[- ]on[- ]year)\b")),
    ("what-year", re.compile(r"(?<![\w-])years?\b(?![- ]on[- ])")),
    ("how-much", re.compile(r"\b(sales|revenue|turnover|value|output|investment|funding|budget)\b")),
    ("how-many", re.compile(r"\b(users|subscribers|number|count|total)\b")),
)


#: A clause that sets the time before the question itself ("When the campaign ended, how large ...").
_WHEN_CLAUSE = re.compile(r"^\W*when\b[^,?]*,\s*(?=(how|what|which|who|in what|by how)\b)")


def question_kind(text: str) -> str:
    """The kind of question, from its wording; a keyword query's from its measure word."""
    lowered = _WHEN_CLAUSE.sub("", text.lower().strip())  # "when X happened, how large was Y?"
    if _AUTHORSHIP.search(lowered):  # the author is the document's, in every hit's provenance
        return "other"
    if _PERSON.search(lowered):
        return "person"
    for kind, pattern in _KIND_PATTERNS:
        if pattern.search(lowered):
            return kind
    if not _ASKING.search(lowered):
        for kind, pattern in _KEYWORD_KINDS:
            if pattern.search(lowered):
                return kind
    return "other"
