"""Charts of "Am I bought in myself?" (altair specs, drawn offline by ``.._charts``)."""

from __future__ import annotations

import altair as alt
import pandas as pd

from ...kit.charts import CHART_CONFIG, chart_data, tooltips
from ...languages import N_, translator
from .content import SelfCheckContent, load_content

_BAND_COLOURS = ["#c8553d", "#e0b04a", "#2f7d5b"]
_LADDER_COLOURS = ["#2f7d5b", "#e0b04a", "#c8553d"]


#: The tooltips' headings, by field.
_TIPS = {
    "foundation": N_("Foundation"),
    "score": N_("Score"),
}


def foundations_chart(
    profile: pd.DataFrame, content: SelfCheckContent | None = None
) -> alt.LayerChart:
    """The five foundations rated 1 to 5, coloured low / medium / high."""
    content = content or load_content()
    labels = {band.id: band.label for band in content.foundation_bands}
    data = profile.assign(band_label=profile["band"].map(labels))
    order = [f.label for f in content.foundations]
    base = alt.Chart(chart_data(data)).encode(
        y=alt.Y("foundation:N", sort=order, title=content.chart["foundation_axis"])
    )
    bars = base.mark_bar(height=20).encode(
        x=alt.X(
            "score:Q",
            title=content.chart["profile_axis"],
            scale=alt.Scale(domain=[0, 5]),
            axis=alt.Axis(values=[1, 2, 3, 4, 5], format="d"),
        ),
        color=alt.Color(
            "band_label:N",
            title=content.chart["strength"],
            scale=alt.Scale(
                domain=[b.label for b in content.foundation_bands], range=_BAND_COLOURS
            ),
            legend=alt.Legend(orient="bottom", direction="vertical"),
        ),
        tooltip=tooltips(
            "foundation:N", "score:Q", words=translator(content.language), titles=_TIPS
        ),
    )
    values = base.mark_text(align="left", dx=4).encode(x=alt.X("score:Q"), text=alt.Text("score:Q"))
    return alt.LayerChart(
        layer=[bars, values],
        title=content.chart["profile_title"],
        width=380,
        height=170,
        config=CHART_CONFIG,
    )


def ladder_chart(attitude_id: str, content: SelfCheckContent | None = None) -> alt.LayerChart:
    """Senge's seven attitudes as a ladder, highest first, with the leader's rung marked."""
    content = content or load_content()
    rungs = pd.DataFrame(
        [
            {
                "attitude": a.name,
                "rank": a.rank,
                "band": content.ladder_band(a.state).label,
                "you": content.chart["you"] if a.id == attitude_id else "",
                "chosen": a.id == attitude_id,
            }
            for a in content.attitudes
        ]
    )
    order = [a.name for a in content.attitudes]
    source = chart_data(rungs)
    y = alt.Y("attitude:N", sort=order, title=content.chart["ladder_axis"])
    bars = (
        alt.Chart(source)
        .mark_bar(height=18)
        .encode(
            x=alt.X("rank:Q", title=None, axis=None, scale=alt.Scale(domain=[0, 8.5])),
            y=y,
            color=alt.Color(
                "band:N",
                title=content.chart["ladder_legend"],
                scale=alt.Scale(
                    domain=[b.label for b in content.ladder_bands], range=_LADDER_COLOURS
                ),
                legend=alt.Legend(orient="bottom", direction="vertical"),
            ),
            opacity=alt.OpacityValue(0.28, condition={"test": "datum.chosen", "value": 1.0}),
            stroke=alt.StrokeValue(None, condition={"test": "datum.chosen", "value": "#111"}),
        )
    )
    marker = (
        alt.Chart(source)
        .mark_text(align="left", dx=6, fontWeight="bold")
        .encode(x=alt.X("rank:Q"), y=y, text=alt.Text("you:N"))
    )
    return alt.LayerChart(
        layer=[bars, marker],
        title=content.chart["ladder_title"],
        width=300,
        height=200,
        config=CHART_CONFIG,
    )
