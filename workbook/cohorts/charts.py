"""Charts of a cohort's figures for the facilitator's notebook (altair), from the tidy
``figures`` frame of :func:`workbook.cohorts.frames`."""

from __future__ import annotations

import altair as alt
import pandas as pd

from ..exercises import EXERCISES


def spread_chart(figures: pd.DataFrame, exercise: str, measure: str) -> alt.LayerChart:
    """Each item's spread across the cohort (a box per item: the middle half, the median
    and the whole range), one dot per participant's answer."""
    declared = {m.id: m for m in EXERCISES[exercise].content().cohort}[measure]
    rows = figures[(figures["exercise"] == exercise) & (figures["measure"] == measure)].copy()
    rows["label"] = [declared.label(item) if item else declared.title for item in rows["item"]]
    order = [declared.label(item) for item in declared.labels] or [declared.title]
    y = alt.Y("label:N", sort=order, title=None)
    boxes = (
        alt.Chart(rows)
        .mark_boxplot(extent="min-max", color="#2f6f8f")
        .encode(x=alt.X("value:Q", title="Value"), y=y)
    )
    dots = (
        alt.Chart(rows)
        .mark_circle(size=40, opacity=0.6, color="#8a3b12")
        .encode(x="value:Q", y=y, tooltip=[alt.Tooltip("participant:N"), alt.Tooltip("value:Q")])
    )
    return alt.LayerChart(
        layer=[boxes, dots],
        title=declared.title,
        description=f"{declared.title}: the spread of each item across the cohort.",
        width=420,
    )


def counts_chart(figures: pd.DataFrame, exercise: str, measure: str) -> alt.Chart:
    """How many participants named each listed category."""
    declared = {m.id: m for m in EXERCISES[exercise].content().cohort}[measure]
    rows = figures[
        (figures["exercise"] == exercise) & (figures["measure"] == measure) & (figures["value"] > 0)
    ]
    counts = (
        rows.groupby("item")["participant"].nunique().reindex(list(declared.labels), fill_value=0)
    )
    data = pd.DataFrame(
        {"label": [declared.label(i) for i in counts.index], "people": counts.to_numpy()}
    )
    return (
        alt.Chart(data)
        .mark_bar(color="#2f6f8f")
        .encode(
            x=alt.X("people:Q", title="People", axis=alt.Axis(tickMinStep=1)),
            y=alt.Y("label:N", sort=list(data["label"]), title=None),
            tooltip=["label:N", "people:Q"],
        )
        .properties(
            title=declared.title,
            description=f"{declared.title}: how many people named each.",
            width=420,
        )
    )
