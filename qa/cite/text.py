"""Text rules the citation styles share: the cited work, names, title and sentence case, short titles,
dates and trimmed quotes. The styles themselves are in ``qa/cite/records.py`` and ``qa/cite/styles.py``."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from qa.documents.models import Document, Person
from qa.documents.sentences import sentence_spans

ARTICLES = frozenset({"a", "an", "the"})
CONJUNCTIONS = frozenset({"and", "but", "for", "nor", "or", "so", "yet"})
_PREPOSITIONS = (
    "about above across after against along amid among around as at before behind below beneath beside"
    " besides between beyond by concerning despite down during except from in inside into like near of"
    " off on onto out outside over past per regarding since than through throughout till to toward"
    " towards under underneath unlike until up upon via with within without"
)
PREPOSITIONS = frozenset(_PREPOSITIONS.split())
#: Chicago 17 (8.159) and MLA 9 lower-case these in titles, whatever their length.
MINOR_WORDS = ARTICLES | CONJUNCTIONS | PREPOSITIONS
#: APA 7 (6.17) lower-cases only minor words of three letters or fewer.
APA_MINOR_WORDS = frozenset(w for w in MINOR_WORDS if len(w) <= 3) | {"if"}
#: First parts of a hyphenated word that are prefixes, not words: the part after them stays lower case.
PREFIXES = frozenset({"anti", "co", "e", "inter", "micro", "multi", "non", "post", "pre", "re", "sub", "un"})
MONTHS = tuple(dt.date(2000, m, 1).strftime("%B") for m in range(1, 13))
MLA_MONTHS = ("Jan.", "Feb.", "Mar.", "Apr.", "May", "June", "July", "Aug.", "Sept.", "Oct.", "Nov.", "Dec.")
ELLIPSIS = "…"
_QUOTES = "\"'“”‘’«»"
_PUNCT = _QUOTES + ",.:;!?()[]"


@dataclass(frozen=True)
class Name:
    """A person's name split for citing; ``family_first`` when the name is written family name first
    (Chinese order), ``literal`` for an organisation, which is never inverted or shortened."""

    family: str
    given: str = ""
    family_first: bool = False
    literal: bool = False

    @property
    def natural(self) -> str:
        """The name as it is written: "Ouyang Rihui", "John Smith", "Department of Energy"."""
        if self.literal or not self.given:
            return self.family
        return f"{self.family} {self.given}" if self.family_first else f"{self.given} {self.family}"

    @property
    def inverted(self) -> str:
        """Family name first, for a list: "Smith, John"; a family-first name stays as written (MLA 9,
        Chicago 17 8.14: "Ouyang Rihui", no comma)."""
        if self.literal or not self.given or self.family_first:
            return self.natural
        return f"{self.family}, {self.given}"

    @property
    def initials_tight(self) -> str:
        """Harvard (Cite Them Right): initials without spaces, "Smith, M.A."."""
        return self.initials if self.literal or not self.given else self.initials.replace(". ", ".")

    @property
    def initials(self) -> str:
        """APA and Harvard: "Ouyang, R.", "Kim, M.-J."."""
        if self.literal or not self.given:
            return self.family
        parts = [
            "-".join(p[0].upper() + "." for p in word.split("-") if p) for word in self.given.split() if word
        ]
        return f"{self.family}, {' '.join(parts)}"


@lru_cache(maxsize=1)
def chinese_surnames() -> frozenset[str]:
    """Family names read as coming first (``qa/data/chinese_surnames.txt``)."""
    text = resources.files("qa").joinpath("data/chinese_surnames.txt").read_text(encoding="utf-8")
    return frozenset(
        w.lower() for line in text.splitlines() if not line.startswith("#") for w in line.split()
    )


def parse_name(name: str) -> Name:
    """Split a name: "Family, Given" as stated; "Ouyang Rihui" (a two-word name whose first word is a
    Chinese family name) family first; otherwise the last word is the family name."""
    name = " ".join(name.split())
    if "," in name:
        family, given = (p.strip() for p in name.split(",", 1))
        return Name(family, given)
    words = name.split(" ")
    if len(words) == 1:
        return Name(name)
    if len(words) == 2 and words[0].lower() in chinese_surnames():
        return Name(words[0], words[1], family_first=True)
    return Name(words[-1], " ".join(words[:-1]))


@dataclass(frozen=True)
class Work:
    """What a citation names: a web page (a page of a site section) or a newspaper article."""

    key: str
    kind: str  # "webpage" or "newspaper"
    title: str
    date: dt.date
    authors: tuple[Name, ...]
    container: str  # the newspaper, or the site (section) the page is in
    publisher: str = ""
    url: str = ""
    keywords: tuple[str, ...] = ()
    language: str = "en"
    sentence_title: str = ""  # the title in sentence case (APA, Harvard)


def _extra(doc: Document, key: str) -> str:
    value = dict(doc.extra).get(key)
    return str(value).strip() if isinstance(value, (str, int, float)) and not isinstance(value, bool) else ""


def work_of(doc: Document) -> Work:
    """The work a document is: a newspaper article when it names an outlet, else a web page.

    Authors come from ``authors``; with none, an ``organization`` named in the front matter is the
    author; with neither the work has no author and the styles put the title first. The URL is used
    only when the front matter gives one."""
    authors = tuple(parse_name(p.name) for p in doc.authors if isinstance(p, Person) and p.name.strip())
    organization = _extra(doc, "organization") or _extra(doc, "organisation")
    if not authors and organization:
        authors = (Name(organization, literal=True),)
    kind = "newspaper" if doc.outlet else "webpage"
    container = doc.outlet or doc.source or doc.section or doc.publisher
    sentence = _extra(doc, "title_sentence_case") or sentence_case(doc.title, doc.body)
    return Work(
        key=doc.id,
        kind=kind,
        title=" ".join(doc.title.split()),
        date=doc.date,
        authors=authors,
        container=container,
        publisher=doc.publisher if doc.publisher != container else "",
        url=doc.url,
        keywords=doc.keywords,
        language=doc.language,
        sentence_title=sentence,
    )


def _core(word: str) -> str:
    return word.strip(_PUNCT)


def _capitalize(word: str) -> str:
    """Upper-case the first letter of a lower-case word, leaving any leading quote mark."""
    for i, ch in enumerate(word):
        if ch.isalpha():
            return word[:i] + ch.upper() + word[i + 1 :] if word[i:].islower() else word
    return word


def _is_acronym(part: str) -> bool:
    letters = [c for c in part if c.isalpha()]
    return len(letters) > 1 and any(c.isupper() for c in letters[1:])


def title_case(title: str, minor: frozenset[str] = MINOR_WORDS) -> str:
    """Headline-style capitalisation: first and last words and words after a colon capitalised, the
    ``minor`` words lower case; hyphenated words capitalise each part except minor words and the part
    after a prefix ("High-Quality", "E-commerce"). Words with capitals inside are left alone."""
    words = title.split()
    out = []
    for i, word in enumerate(words):
        edge = i in (0, len(words) - 1) or words[i - 1].endswith((":", "?", "!", "—"))
        parts = word.split("-")
        new_parts = []
        for j, part in enumerate(parts):
            core = _core(part).lower()
            if _is_acronym(part) or any(c.isdigit() for c in part):
                new_parts.append(part)
            elif j == 0:
                new_parts.append(_capitalize(part) if edge or core not in minor else part.lower())
            elif _core(parts[j - 1]).lower() in PREFIXES or core in minor:
                new_parts.append(part.lower() if not _is_acronym(part) else part)
            else:
                new_parts.append(_capitalize(part))
        out.append("-".join(new_parts))
    return " ".join(out)


@lru_cache(maxsize=64)
def _body_usage(body: str) -> tuple[frozenset[str], frozenset[str], tuple[int, ...]]:
    """(words written capitalised mid-sentence, words written in lower case, sentence starts)."""
    starts = tuple(s for s, _ in sentence_spans(body))
    capital, lower = set(), set()
    for m in re.finditer(r"[^\W_](?:[\w'’.-]*[^\W_])?", body):
        word = m.group(0)
        if word[0].islower():
            lower.add(word.lower())
        elif not _at_sentence_start(body, m.start(), starts):
            capital.add(word.lower())
    return frozenset(capital), frozenset(lower), starts


def _at_sentence_start(body: str, pos: int, starts: tuple[int, ...]) -> bool:
    prev = max((s for s in starts if s <= pos), default=0)
    return not body[prev:pos].strip(_QUOTES + " ")


def sentence_case(title: str, body: str = "") -> str:
    """APA 7 sentence case: first word, words after a colon, acronyms, numbers and proper nouns keep
    their capitals; other words go lower case. A word counts as a proper noun when the document body
    writes it capitalised mid-sentence and never in lower case, or when it ends a capitalised phrase of
    the title that the body writes that way mid-sentence ("No. 5 Annual Report")."""
    words = title.split()
    capital, lower, starts = _body_usage(body)

    def proper(word: str) -> bool:
        w = _core(word).lower()
        return w in capital and w not in lower

    def capitalised(k: int) -> bool:
        return not _core(words[k])[:1].islower()

    def joins(k: int) -> bool:  # inside a name: capitalised, or a minor word ("Department of Energy")
        return capitalised(k) or _core(words[k]).lower() in MINOR_WORDS

    def in_named_phrase(i: int) -> bool:
        lo = hi = i
        while lo > 0 and joins(lo - 1):
            lo -= 1
        while hi < len(words) - 1 and joins(hi + 1):
            hi += 1
        for a in range(lo, i + 1):
            for b in range(max(i, a + 1), hi + 1):
                last = _core(words[b])
                if not (capitalised(a) and (last.isdigit() or proper(last))):
                    continue
                phrase = " ".join(_core(w) if k in (a, b) else w for k, w in enumerate(words) if a <= k <= b)
                for m in re.finditer(re.escape(phrase), body):
                    if not _at_sentence_start(body, m.start(), starts):
                        return True
        return False

    out = []
    for i, word in enumerate(words):
        core = _core(word)
        keep = (
            i == 0
            or words[i - 1].endswith((":", "?", "!", "—"))
            or not core[:1].isupper()
            or any(c.isdigit() for c in core)
            or any(_is_acronym(p) for p in core.split("-"))
            or proper(core)
            or in_named_phrase(i)
        )
        out.append(word if keep else word.lower())
    return " ".join(out)


def short_title(title: str) -> str:
    """A title shortened for an in-text citation: up to the first preposition or conjunction that follows
    two content words (never inside quotation marks); longer than six words, the first four."""
    words = title.split()
    content = 0
    depth = 0
    cut = len(words)
    for i, word in enumerate(words):
        core = _core(word).lower()
        if depth == 0 and content >= 2 and core in PREPOSITIONS | CONJUNCTIONS:
            cut = i
            break
        if core not in MINOR_WORDS:
            content += 1
        depth ^= sum(word.count(q) for q in '"“”') % 2
    words = words[:cut]
    if len(words) > 6:
        words = words[:4]
        while sum(w.count(q) for w in words for q in '"“”') % 2 and len(words) < cut:
            words.append(title.split()[len(words)])
    while len(words) > 1 and _core(words[-1]).lower() in MINOR_WORDS:
        words.pop()
    return " ".join(words).rstrip(",:;")


def curly_quotes(text: str, inner: bool = False) -> str:
    """Straight double quotes made typographic: “…”, or ‘…’ for a title set inside quotation marks."""
    opening, closing = ("‘", "’") if inner else ("“", "”")
    out = []
    for i, ch in enumerate(text):
        if ch in '"“”':
            before = text[i - 1] if i else " "
            out.append(opening if before.isspace() or before in "([—" else closing)
        else:
            out.append(ch)
    return "".join(out)


def trim_quote(text: str, max_chars: int) -> str:
    """``text`` whole when it fits, else cut at the last word boundary within ``max_chars`` with "…"."""
    text = text.strip()
    if max_chars <= 0 or len(text) <= max_chars:
        return text
    cut = text[: max_chars + 1]
    space = cut.rfind(" ")
    head = cut[:space] if space > 0 else text[:max_chars]
    return head.rstrip(" ,;:—-") + ELLIPSIS
