"""Charts of the motivators exercise (altair specs, drawn offline by ``.._charts``)."""

from __future__ import annotations

import altair as alt
import pandas as pd

from ...kit.charts import CHART_CONFIG, chart_data, tooltips
from ...languages import N_, translator
from .content import MotivatorsContent, load_content

_IMPORTANCE_COLOURS = ["#e8eef3", "#8fb3cf", "#1f5f8b"]
_OVERLAP_COLOURS = ["#c8553d", "#e0b04a", "#2f7d5b"]


#: The tooltips' headings, by field.
_TIPS = {
    "member": N_("Person"),
    "motivator": N_("Motivator"),
    "rank": N_("Place"),
    "with": N_("Overlap with"),
    "overlap": N_("Overlap (0 to 100)"),
}


def heatmap(
    importance: pd.DataFrame, motivator_order: list[str], content: MotivatorsContent | None = None
) -> alt.LayerChart:
    """Members x motivators: how important each motivator is to each person (low / medium /
    high thirds), with the rank written in and the motivators the plan feeds marked ▲."""
    content = content or load_content()
    labels = {band.id: band.label for band in content.importance_bands}
    fed = set(importance.loc[importance["fed"], "motivator"])
    data = importance.assign(
        band_label=importance["band"].map(labels),
        column=[f"{name} ▲" if name in fed else name for name in importance["motivator"]],
    )
    columns = [f"{name} ▲" if name in fed else name for name in motivator_order]
    members = list(dict.fromkeys(data["member"]))
    base = alt.Chart(chart_data(data)).encode(
        x=alt.X(
            "column:N",
            sort=columns,
            title=f"{content.chart['motivator_axis']} ({content.chart['fed']})",
            axis=alt.Axis(labelAngle=-40),
        ),
        y=alt.Y("member:N", sort=members, title=content.chart["member_axis"]),
    )
    cells = base.mark_rect(stroke="white").encode(
        color=alt.Color(
            "band_label:N",
            title=content.chart["heatmap_importance"],
            scale=alt.Scale(
                domain=[b.label for b in content.importance_bands], range=_IMPORTANCE_COLOURS
            ),
            legend=alt.Legend(orient="bottom", direction="vertical"),
        ),
        tooltip=tooltips(
            "member:N", "motivator:N", "rank:Q", words=translator(content.language), titles=_TIPS
        ),
    )
    ranks = base.mark_text(fontSize=10).encode(
        text=alt.Text("rank:Q"),
        color=alt.ColorValue("#222", condition={"test": "datum.band === 'high'", "value": "white"}),
    )
    return alt.LayerChart(
        layer=[cells, ranks],
        title=content.chart["heatmap_title"],
        width=34 * len(columns),
        height=max(60, 22 * len(members)),
        config=CHART_CONFIG,
    )


def overlap_chart(overlaps: pd.DataFrame, content: MotivatorsContent | None = None) -> alt.Chart:
    """Each person's overlap with the plan and with the leader, banded low / medium / high."""
    content = content or load_content()
    chart = content.chart
    long = overlaps.melt(
        id_vars="member", value_vars=["plan", "me"], var_name="with", value_name="overlap"
    ).dropna()
    long["with"] = long["with"].map({"plan": chart["with_plan"], "me": chart["with_me"]})
    long["band"] = [content.overlap_band(v).label for v in long["overlap"]]
    members = list(dict.fromkeys(overlaps["member"]))
    return (
        alt.Chart(
            chart_data(long),
            title=chart["overlap_title"],
            width=380,
            height=max(60, 28 * len(members)),
            config=CHART_CONFIG,
        )
        .mark_bar(height=9)
        .encode(
            x=alt.X("overlap:Q", title=chart["overlap_axis"], scale=alt.Scale(domain=[0, 100])),
            y=alt.Y("member:N", sort=members, title=chart["member_axis"]),
            yOffset=alt.YOffset("with:N", sort=[chart["with_plan"], chart["with_me"]]),
            color=alt.Color(
                "band:N",
                title=translator(content.language).gettext(N_("Overlap")),
                scale=alt.Scale(
                    domain=[b.label for b in content.overlap_bands], range=_OVERLAP_COLOURS
                ),
                legend=alt.Legend(orient="bottom", direction="vertical"),
            ),
            opacity=alt.Opacity(
                "with:N",
                title=chart["overlap_kind"],
                scale=alt.Scale(domain=[chart["with_plan"], chart["with_me"]], range=[1.0, 0.55]),
                legend=alt.Legend(orient="bottom", direction="vertical"),
            ),
            tooltip=tooltips(
                "member:N", "with:N", "overlap:Q", words=translator(content.language), titles=_TIPS
            ),
        )
    )
