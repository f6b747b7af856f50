"""Typed spans of a sentence: the named entities (``qa/documents/ner.py``) of a kind a question asks
for, title runs and noun phrases that fit its "which X", and how near each stands to the question's
terms. Which of them is quoted as the short answer is ``short.py``'s job.

Entities are computed once per passage when it is indexed; here they are only filtered and
ranked. A span the question itself names is never an answer ("When did Microsoft buy GitHub?"
is not answered by "GitHub").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from qa.answers.defined import defining
from qa.answers.question import Question
from qa.answers.titles import quoted_title, title_runs
from qa.documents.models import Span
from qa.documents.ner import PHRASE, Entity
from qa.search.tokenizer import tokenize

_YEAR = r"(?<!\d)(?:1\d|20)\d\d(?!\d)"
YEARS = re.compile(rf"{_YEAR}(?:\s?[-\u2013]\s?{_YEAR})?")  # a year, or a span of years
#: What joins names of one label into one answer: a list ("the Department of Energy and the Department
#: of Labor"), or a name of a name the NER split ("the Central Committee of the Communist Party").
_LIST_JOIN = re.compile(r"^(?:,\s*(?:and\s+|or\s+)?|\s+(?:and|or|of)\s+)(?:the\s+)?$")
#: Labels of figures and dates: one of them answers a question, never a list of them.
FIGURES = frozenset({"PERCENT", "MONEY", "CARDINAL", "QUANTITY", "ORDINAL", "DATE", "TIME"})
_POSSESSIVE = re.compile(r"['\u2019]s$")  # a name's possessive ending is not part of the name
LEADING = re.compile(r"^(?:the|a|an|in|on|at|by|from|since)\s+", re.I)  # not part of a name or figure
#: Nouns that name a kind of something ("a reciprocating piston type steam engine"): what comes before
#: one says which kind.
_KIND_WORDS = frozenset(
    ["kind", "kinds", "type", "types", "sort", "sorts", "class", "classes", "form", "forms", "variety"]
)
#: Words that open a noun phrase without saying which thing it is ("other immune cells", "several
#: sources", "related fields"): they are no answer to "which X?".
_VAGUE = frozenset(
    [
        *("other", "others", "many", "several", "various", "few", "numerous", "some", "such", "same"),
        *("certain", "different", "similar", "particular", "related", "common", "main", "key"),
        *("important", "usual", "typical"),
    ]
)
#: What a text puts before a change (``Question.asks_change``): "an increase of 1.2 million", "grew
#: by 5%", "up 8.8%", not what it puts before a total ("reached 19 million").
_CHANGE_BEFORE = re.compile(
    r"\b(?:increase[sd]?|growth|gr[eo]w[ns]?|rise[sn]?|rose|gain(?:ed|s)?|f[ae]ll(?:en|s)?|drop(?:ped|s)?"
    r"|decrease[sd]?|decline[sd]?|up|down|added)\s+(?:of\s+|by\s+)?(?:(?:about|around|nearly|almost|over"
    r"|some|roughly)\s+)?$",
    re.I,
)
#: The noun phrase after a figure: up to punctuation or "and"/"or" ("about 1000 county level electric
#: bus charging bays, 100 depots …"), which names what it counts.
_PHRASE_AFTER = re.compile(r"(?:(?![,;:.()]|\s(?:and|or)\s).)*", re.S)
#: Kinds of question a title answers: a name, a law, a work.
_TITLE_KINDS = frozenset({"name", "law", "work"})
#: A hyphen inside a word ("e-commerce"): the word names the compound, not its parts.
_INNER_HYPHEN = re.compile(r"(?<=\w)-(?=\w)")


@lru_cache(maxsize=64)
def _said(question: str) -> tuple[str, ...]:
    """The question's terms in order, each hyphenated compound one term: read once per question,
    not once per entity of every candidate sentence."""
    return tuple(tokenize(_INNER_HYPHEN.sub("", question)))


def in_question(text: str, q: Question) -> bool:
    """Whether the question itself says ``text``: its terms, in order, are a run of the question's
    ("When did Microsoft buy GitHub?" says "GitHub"; "Which ministry runs agricultural pilots?" does
    not say "the Ministry of Agriculture"). A compound of the question counts whole: "e-commerce"
    does not say "Commerce" (the tokenizer also gives a compound's parts)."""
    terms = tuple(tokenize(text))
    asked = _said(q.text)
    n = len(terms)
    return n > 0 and any(asked[i : i + n] == terms for i in range(len(asked) - n + 1))


def typed(entities: Sequence[Entity], sentence: Span, q: Question) -> list[Span]:
    """Spans of ``sentence`` whose entity label answers ``q`` (in the order of ``q.labels``'
    preference, then of the text), the question's own words aside. For "what year" a date gives
    its year alone."""
    out: list[tuple[int, int, Span]] = []
    phrases: list[tuple[int, int, Span]] = []  # a name that fits X is preferred to a noun phrase
    phrases_answer = not q.labels and bool(q.named)  # "which X?" where no entity label fits X
    aliases = [(sentence.start + a, sentence.start + b) for a, b in defining(sentence.text)]
    for e in entities:
        if e.start < sentence.start or e.end > sentence.end:
            continue
        if any(a <= e.start and e.end <= b for a, b in aliases):
            continue  # "(hereinafter referred to as the Plan)": the long name before it answers
        start, end = e.start, e.end
        text = sentence.text[start - sentence.start : end - sentence.start]
        if e.label == PHRASE:
            which = _which(text, q) if phrases_answer else None
            if which is not None:
                at, to = quoted_title(sentence, start + which[0], start + which[1])
                span = Span(sentence.text[at - sentence.start : to - sentence.start], at, to)
                if not in_question(span.text, q):
                    phrases.append((len(q.labels), span.start, span))
            continue
        if e.label in q.labels:
            rank = q.labels.index(e.label)
        elif q.named and e.label not in FIGURES and not set(q.named).isdisjoint(tokenize(text)):
            rank = len(q.labels)  # "What fort ...?": "Fort Beausejour", whatever its label
        else:
            continue
        if q.kind == "year":
            year = YEARS.search(text)
            if year is None:
                continue
            start, end = start + year.start(), start + year.end()
        else:
            lead = LEADING.match(text)
            if lead and lead.end() < len(text):
                start += lead.end()
            if _POSSESSIVE.search(text) and end - 2 > start:
                end -= 2  # "Robert Koch's" names Robert Koch
            if e.label not in FIGURES:
                start, end = quoted_title(sentence, start, end)
        span = Span(sentence.text[start - sentence.start : end - sentence.start], start, end)
        if not in_question(span.text, q):
            out.append((rank, start, span))
    if q.kind in _TITLE_KINDS or q.named:
        out = _with_titles(out, sentence, q)
    if q.kind in ("year", "when"):  # a year the NER left untagged ("as early as 2005"): docs/answers.md
        out.extend(_bare_years(entities, sentence, q))
    found = _lists(out, sentence, q) or phrases
    return [s for _, _, s in sorted(found, key=lambda x: (x[0], x[1]))]


def _with_titles(
    found: list[tuple[int, int, Span]], sentence: Span, q: Question
) -> list[tuple[int, int, Span]]:
    """``found`` with the title runs of ``sentence`` (``titles.py``) that answer ``q``: one that says
    the asked noun ("Which notice …?", "the name of the notice …"), or any for a question after a
    written work ("Which book …?", "Which document …?") or after a name or title that names no noun.
    A run replaces the names inside it, and ranks as the best of them."""
    for run in title_runs(sentence):
        says = not set(q.named).isdisjoint(tokenize(run.text))
        fits = says or q.kind == "work" or (q.kind in _TITLE_KINDS and not q.named)
        if not fits or in_question(run.text, q):
            continue
        inside = [f for f in found if run.start <= f[2].start and f[2].end <= run.end]
        rank = min((f[0] for f in inside), default=len(q.labels))
        found = [f for f in found if f not in inside] + [(rank, run.start, run)]
    return found


def _bare_years(entities: Sequence[Entity], sentence: Span, q: Question) -> list[tuple[int, int, Span]]:
    """The years of ``sentence`` that no entity covers, as dates."""
    out = []
    for match in YEARS.finditer(sentence.text):
        start, end = sentence.start + match.start(), sentence.start + match.end()
        if any(e.start < end and start < e.end for e in entities if e.label != PHRASE):
            continue
        span = Span(match.group(0), start, end)
        if not in_question(span.text, q):
            out.append((q.labels.index("DATE"), start, span))
    return out


def _which(phrase: str, q: Question) -> tuple[int, int] | None:
    """For "which X?" where no entity label fits X: the part of a noun phrase ending in X that says
    which X it is (offsets in ``phrase``), or None. "the adaptive immune system" answers "What immune
    system …?" whole; one word before X answers alone ("Islamist groups" -> "Islamist"), and what
    comes before "type" or "kind" does ("reciprocating piston type steam engines"). Only for a question
    with no entity label and a "which X" noun (``typed`` checks, once per sentence)."""
    words = [(m.start(), m.end(), m.group(0)) for m in re.finditer(r"\S+", phrase)]
    if len(words) < 2 or set(q.named).isdisjoint(tokenize(words[-1][2])):
        return None
    kinds = [i for i, w in enumerate(words[:-1]) if w[2].lower() in _KIND_WORDS]
    if kinds:
        which = words[: kinds[0]]
        return (which[0][0], which[-1][1]) if which else None
    while len(words) > 1 and words[0][2].lower() in _VAGUE:
        words = words[1:]
    modifiers = words[:-1]
    asked = set(q.terms)
    if not modifiers or all(set(tokenize(w)) <= asked for _, _, w in modifiers):
        return None
    return (words[0][0], words[0][1] if len(modifiers) == 1 else words[-1][1])


def _lists(found: list[tuple[int, int, Span]], sentence: Span, q: Question) -> list[tuple[int, int, Span]]:
    """``found`` with each run of same-label names joined as a list ("A, B and C") made one span.
    Figures and dates are never joined: "grew 6.7% and 9.9%" answers a question about one of them."""
    found = sorted(found, key=lambda x: x[2].start)
    out: list[tuple[int, int, Span]] = []
    for item in found:
        if out and out[-1][0] == item[0] and item[0] < len(q.labels) and q.labels[item[0]] not in FIGURES:
            last = out[-1][2]
            gap = sentence.text[last.end - sentence.start : item[2].start - sentence.start]
            if _LIST_JOIN.match(gap):
                text = sentence.text[last.start - sentence.start : item[2].end - sentence.start]
                out[-1] = (item[0], last.start, Span(text, last.start, item[2].end))
                continue
        out.append(item)
    return out


@lru_cache(maxsize=8192)
def word_positions(sentence: Span) -> tuple[tuple[int, frozenset[str]], ...]:
    """(offset, terms) of each word of the sentence; kept for the sentences of recent questions' best
    passages, which the next questions mostly meet again."""
    return tuple(
        (sentence.start + m.start(), frozenset(tokenize(m.group(0))))
        for m in re.finditer(r"[\w'\u2019%$€£.,-]+", sentence.text)
    )


def closeness(span: Span, sentence: Span, q: Question) -> float:
    """How well ``span`` answers in ``sentence``: how near it stands to the question's terms plus
    how well it fits what is asked (``nearness`` + ``fit``)."""
    return nearness(span, sentence, q) + fit(span, sentence, q)


def nearness(span: Span, sentence: Span, q: Question) -> float:
    """How near ``span`` stands to the question's terms in ``sentence``: the sum over the terms the
    sentence holds of 1 / (1 + words between), so a span inside the phrase the question paraphrases
    scores highest."""
    words = word_positions(sentence)
    at = [i for i, (off, _) in enumerate(words) if span.start <= off < span.end] or [0]
    first, last = at[0], at[-1]
    score = 0.0
    for term in set(q.terms):
        places = [
            i for i, (off, terms) in enumerate(words) if term in terms and not span.start <= off < span.end
        ]
        if places:
            gap = min(first - i if i < first else i - last for i in places)
            score += 1.0 / (1.0 + gap)
    return score


def fit(span: Span, sentence: Span, q: Question) -> float:
    """2 for a figure that is what the question counts or the change it asks after ("by how many
    did users grow": the increase, not the total; "how many counties": the figure of counties)."""
    score = 0.0
    if q.asks_change and _CHANGE_BEFORE.search(sentence.text[: span.start - sentence.start]):
        score += 2.0  # "by how many did users grow": the increase, not the total
    if q.counted:  # "how many counties": the figure that counts counties
        phrase = _PHRASE_AFTER.match(sentence.text, span.end - sentence.start)
        after = " ".join(phrase.group(0).split()[:8]) if phrase else ""
        if not {q.counted[-1], *q.counted_as}.isdisjoint(tokenize(after)):
            score += 2.0
    return score
