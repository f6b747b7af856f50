"""The timeline of dated facts found in the hits: an Altair chart and the same facts as a list."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import altair as alt
import streamlit as st

import qa
from ui.render import escape_markdown


def timeline_rows(facts: Sequence[qa.DatedFact]) -> list[dict[str, Any]]:
    """One row per fact, as the chart reads them (dates as ISO text; Vega parses them)."""
    return [
        {
            "start": f.mention.first.isoformat(),
            "end": (f.mention.last + dt.timedelta(days=1)).isoformat(),
            "when": f.when,
            "as written": f.mention.text,
            "sentence": f.sentence.text,
            "source": f.source or "source not stated",
            "document": f.doc_id,
            "title": f.title,
            "hit": f"#{f.hit_rank}",
        }
        for f in facts
    ]


def timeline_chart(facts: Sequence[qa.DatedFact]) -> alt.LayerChart:
    """Points (years, months, days) and bars (year ranges) on a time axis, one row per hit."""
    data = alt.Data(values=timeline_rows(facts))  # type: ignore[no-untyped-call]
    tooltip = [
        alt.Tooltip("when:N", title="date"),
        alt.Tooltip("sentence:N"),
        alt.Tooltip("source:N"),
        alt.Tooltip("title:N", title="document"),
    ]
    base = alt.Chart(data).encode(
        x=alt.X(
            "start:T",
            title=None,
            axis=alt.Axis(format="%Y", tickCount="year", labelOverlap=True),
            scale=alt.Scale(nice="year", padding=12),
        ),
        y=alt.Y("hit:N", title="hit", sort="ascending"),
        tooltip=tooltip,
    )
    span = base.mark_bar(height=6, opacity=0.45, color="#1f5fa8").encode(x2="end:T")
    point = base.mark_circle(size=140, opacity=0.95, color="#1f5fa8", stroke="#0b2545", strokeWidth=1)
    chart: alt.LayerChart = (span + point).properties(
        height=alt.Step(34), title="Dates written in the hits", description="Timeline of dated facts"
    )
    return chart


def show_timeline(facts: Sequence[qa.DatedFact]) -> None:
    """The chart, then the facts as a list (readable without a mouse, and by screen readers)."""
    if not facts:
        st.caption("Timeline: the passages found write no dates.")
        return
    with st.container(key="qa-timeline"):
        st.altair_chart(timeline_chart(facts), width="stretch")
        lines = []
        for f in sorted(facts, key=lambda f: (f.mention.first, f.hit_rank)):
            lines.append(
                f"- **{escape_markdown(f.when)}** · {escape_markdown(f.sentence.text)} "
                f"· _{escape_markdown(f.source or 'source not stated')}, hit {f.hit_rank}_"
            )
        with st.expander(f"Dated facts as a list ({len(facts)})", expanded=False):
            st.markdown("\n".join(lines))
