"""Charts of a cohort's figures for the facilitator's notebook (altair), from the tidy
``values`` frame of :func:`buyin_workbook.cohorts.frames`, and a renderer that draws them (and any
altair chart in that notebook) with the workbook's own bundled vega, offline.

Each chart speaks the kernel's language (the leader's, JupyterLab's setting) unless given one.
"""

from __future__ import annotations

from typing import Any

import altair as alt
import pandas as pd

from ..exercises import EXERCISES
from ..kit.charts import VEGALITE_CELL_MIME, chart_data
from ..languages import N_, translator
from ..use_cases.visitor import page_language

_VALUE = N_("Value")
_PEOPLE = N_("People")

#: The name of the renderer :func:`draw_offline` enables.
RENDERER = "buyin-workbook"


def _offline_bundle(spec: dict[str, Any], **_options: Any) -> dict[str, Any]:
    """A chart's spec for the workbook's labextension to draw (no CDN), with its text."""
    description = spec.get("description") or spec.get("title") or "A chart of the cohort."
    if isinstance(description, dict):  # a title with a subtitle
        description = description.get("text", "A chart of the cohort.")
    return {VEGALITE_CELL_MIME: spec, "text/plain": str(description)}


def draw_offline() -> None:
    """Draw every altair chart of this kernel with the workbook's renderer: its bundled vega
    in JupyterLab and Voila, never a script from the internet (altair's default)."""
    if RENDERER not in alt.renderers.names():
        alt.renderers.register(RENDERER, _offline_bundle)
    alt.renderers.enable(RENDERER)


def _measure(exercise: str, measure: str, language: str) -> Any:
    return {m.id: m for m in EXERCISES[exercise].content(language).cohort}[measure]


def spread_chart(
    values: pd.DataFrame, exercise: str, measure: str, language: str | None = None
) -> alt.LayerChart:
    """Each item's spread across the cohort (a box per item: the middle half, the median
    and the whole range), one dot per answer behind the figure."""
    language = language or page_language()
    words = translator(language)
    declared = _measure(exercise, measure, language)
    rows = values[(values["exercise"] == exercise) & (values["measure"] == measure)].copy()
    rows["label"] = [declared.label(item) if item else declared.title for item in rows["item"]]
    order = [declared.label(item) for item in declared.labels] or [declared.title]
    data = chart_data(rows[["label", "value"]])
    y = alt.Y("label:N", sort=order, title=None)
    boxes = (
        alt.Chart(data)
        .mark_boxplot(extent="min-max", color="#2f6f8f")
        .encode(x=alt.X("value:Q", title=words.gettext(_VALUE)), y=y)
    )
    dots = (
        alt.Chart(data)
        .mark_circle(size=40, opacity=0.6, color="#8a3b12")
        .encode(
            x="value:Q",
            y=y,
            tooltip=[
                alt.Tooltip("label:N", title=declared.title),
                alt.Tooltip("value:Q", title=words.gettext(_VALUE)),
            ],
        )
    )
    return alt.LayerChart(
        layer=[boxes, dots],
        title=declared.title,
        description=words.gettext(
            N_("{measure}: the spread of each item across the cohort."), measure=declared.title
        ),
        width=420,
    )


def counts_chart(
    values: pd.DataFrame, exercise: str, measure: str, language: str | None = None
) -> alt.Chart:
    """How many participants named each listed category."""
    language = language or page_language()
    words = translator(language)
    declared = _measure(exercise, measure, language)
    rows = values[
        (values["exercise"] == exercise) & (values["measure"] == measure) & (values["value"] > 0)
    ]
    # One row per person who named an item: each named it once.
    counts = rows.groupby("item").size().reindex(list(declared.labels), fill_value=0)
    data = pd.DataFrame(
        {"label": [declared.label(i) for i in counts.index], "people": counts.to_numpy()}
    )
    return (
        alt.Chart(chart_data(data))
        .mark_bar(color="#2f6f8f")
        .encode(
            x=alt.X("people:Q", title=words.gettext(_PEOPLE), axis=alt.Axis(tickMinStep=1)),
            y=alt.Y("label:N", sort=list(data["label"]), title=None),
            tooltip=[
                alt.Tooltip("label:N", title=declared.title),
                alt.Tooltip("people:Q", title=words.gettext(_PEOPLE)),
            ],
        )
        .properties(
            title=declared.title,
            description=words.gettext(
                N_("{measure}: how many people named each."), measure=declared.title
            ),
            width=420,
        )
    )
