"""Text from documents is escaped: it can never become Markdown, HTML or a Streamlit directive."""

from __future__ import annotations

from hypothesis import assume, given
from hypothesis import strategies as st

from ui.render import escape_markdown, highlighted, plain


def test_markup_is_escaped() -> None:
    text = "<script>alert(1)</script> **bold** [link](http://x) :red[x] $x$ # h"
    out = escape_markdown(text)
    for raw in ("<script>", "**", "](", ":red[", "$x$"):
        assert raw not in out
    assert plain(out) == text


def test_highlight_marks_spans_and_round_trips() -> None:
    text = "Full coverage of 832 counties."
    out = highlighted(text, [(0, 4), (21, 29)])
    assert out.startswith(":orange-background[Full]")
    assert ":orange-background[counties]" in out
    assert plain(out) == text


def test_sentence_highlight_bolds_terms_inside() -> None:
    text = "First one. In 2019, counties were covered."
    out = highlighted(text, [(0, 5), (20, 28)], sentence=(11, len(text)))
    assert out.startswith(":orange-background[First]")
    assert ":blue-background[" in out and "**counties**" in out
    assert plain(out) == text


@given(st.text(max_size=120), st.lists(st.tuples(st.integers(0, 120), st.integers(0, 120)), max_size=4))
def test_plain_round_trip_for_any_text(text: str, raw: list[tuple[int, int]]) -> None:
    assume("  \n" not in text)
    spans = sorted({(min(a, b), max(a, b)) for a, b in raw if max(a, b) <= len(text) and a != b})
    assert plain(highlighted(text, spans)) == text
