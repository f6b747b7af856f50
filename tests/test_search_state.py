"""The search as it is written to and read from the URL."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from ui.search_state import DEFAULT_K, MAX_K, Search, from_params, to_params

DOCS = ("rural-ecosystem", "poverty-alleviation", "endogenous-driving-force")


def test_defaults_are_left_out_of_the_url() -> None:
    assert to_params(Search()) == {}
    assert to_params(Search(q="  when  ")) == {"q": "when"}


def test_full_search_in_the_url() -> None:
    search = Search("when", ("rural-ecosystem", "poverty-alleviation"), dt.date(2025, 1, 1), None, 3, True)
    assert to_params(search) == {
        "q": "when",
        "docs": "rural-ecosystem,poverty-alleviation",
        "since": "2025-01-01",
        "k": "3",
        "timeline": "1",
    }


def test_shared_link_is_read_back() -> None:
    search, problems = from_params({"q": "when were poverty counties fully covered"}, DOCS)
    assert search == Search(q="when were poverty counties fully covered")
    assert problems == []


def test_bad_values_are_dropped_one_line_each() -> None:
    params = {"docs": "rural-ecosystem,nope,rural-ecosystem", "since": "2025-02-30", "until": "x", "k": "0"}
    search, problems = from_params(params, DOCS)
    assert search == Search(docs=("rural-ecosystem",), k=DEFAULT_K)
    assert problems == [
        "ignored docs='nope' from the link: no such document",
        "ignored since='2025-02-30' from the link: not a date (YYYY-MM-DD)",
        "ignored until='x' from the link: not a date (YYYY-MM-DD)",
        f"ignored k='0' from the link: not a number from 1 to {MAX_K}",
    ]


def test_reversed_range_is_dropped() -> None:
    search, problems = from_params({"since": "2026-01-01", "until": "2025-01-01"}, DOCS)
    assert (search.since, search.until) == (None, None)
    assert problems == ["ignored since/until from the link: 2026-01-01 is after 2025-01-01"]


def test_filtered() -> None:
    assert not Search(q="x").filtered
    assert Search(docs=("a",)).filtered and Search(since=dt.date(2020, 1, 1)).filtered


dates = st.one_of(st.none(), st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31)))


@given(
    q=st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=40),
    docs=st.lists(st.sampled_from(DOCS), unique=True),
    a=dates,
    b=dates,
    k=st.integers(1, MAX_K),
    timeline=st.booleans(),
)
def test_round_trip(
    q: str, docs: list[str], a: dt.date | None, b: dt.date | None, k: int, timeline: bool
) -> None:
    since, until = (a, b) if not (a and b and a > b) else (b, a)
    search = Search(q.strip(), tuple(docs), since, until, k, timeline)
    assert from_params(to_params(search), DOCS) == (search, [])
