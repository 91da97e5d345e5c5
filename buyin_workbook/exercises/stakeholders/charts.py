"""Charts of "Who else must buy in, and who will sell with me?" (altair specs, drawn offline
by ``.._charts``)."""

from __future__ import annotations

import math

import altair as alt
import pandas as pd

from ...kit.charts import CHART_CONFIG, chart_data, tooltips
from ...languages import N_, translator
from .content import StakeholdersContent, load_content

_READINESS_COLOURS = ["#2f7d5b", "#e0b04a", "#c8553d", "#8c959f"]
_QUADRANT_FILLS = {
    "key_players": "#fbe9e4",
    "keep_satisfied": "#f3f0e6",
    "keep_informed": "#e8f0f4",
    "monitor": "#f6f8fa",
}
_SPREAD = 0.24


#: The tooltips' headings, by field.
_TIPS = {
    "name": N_("Stakeholder"),
    "power": N_("Power"),
    "interest": N_("Interest"),
    "stance": N_("Their stance"),
    "where": N_("Where they stand"),
}


def spread(grid: pd.DataFrame) -> pd.DataFrame:
    """The rated stakeholders with x (interest) and y (power) positions: people who share a
    cell sit on a small circle around it, in list order, so none hides another (a jitter
    that is the same on every run)."""
    placed = grid.dropna(subset=["power", "interest"]).copy()
    placed["power"] = placed["power"].astype(int)
    placed["interest"] = placed["interest"].astype(int)
    xs, ys = [], []
    counts = placed.groupby(["power", "interest"]).size().to_dict()
    seen: dict[tuple[int, int], int] = {}
    for power, interest in zip(placed["power"], placed["interest"], strict=True):
        cell = (power, interest)
        index, count = seen.get(cell, 0), counts[cell]
        seen[cell] = index + 1
        radius = 0.0 if count == 1 else _SPREAD
        angle = math.pi / 2 + 2 * math.pi * index / max(count, 1)
        xs.append(round(interest + radius * math.cos(angle), 3))
        ys.append(round(power + radius * math.sin(angle), 3))
    return placed.assign(x=xs, y=ys)


def grid_chart(grid: pd.DataFrame, content: StakeholdersContent | None = None) -> alt.LayerChart:
    """Mendelow's power/interest grid: each rated stakeholder placed by interest (across)
    and power (up), coloured by readiness (low / medium / high, or not known), with the four
    quadrants shaded and named and a ★ by those who could champion the plan."""
    content = content or load_content()
    chart = content.chart
    bands = {band.id: band.label for band in content.readiness_bands}
    unknown = content.readiness["unknown_label"]
    placed = spread(grid)
    data = placed.assign(
        band_label=[bands.get(band, unknown) for band in placed["band"]],
        label=[
            f"{name} ★" if champion else name
            for name, champion in zip(placed["name"], placed["champion"], strict=True)
        ],
        stance=[name or unknown for name in placed["state_name"].fillna("")],
        where=placed["quadrant_label"],
    )[["name", "label", "x", "y", "power", "interest", "band_label", "stance", "where"]]

    split = content.high_from - 0.5
    low, high = 0.5, 5.5
    quadrants = pd.DataFrame(
        [
            {
                "id": q.id,
                "label": q.label,
                "x": split if q.interest == "high" else low,
                "x2": high if q.interest == "high" else split,
                "y": split if q.power == "high" else low,
                "y2": high if q.power == "high" else split,
                "fill": _QUADRANT_FILLS.get(q.id, "#ffffff"),
            }
            for q in content.quadrants
        ]
    )
    quadrants["label_x"] = quadrants["x"] + 0.06
    quadrants["label_y"] = quadrants["y2"] - 0.08

    quadrant_rows, people = chart_data(quadrants), chart_data(data)
    x_scale = alt.Scale(domain=[low, high], nice=False, zero=False)
    y_scale = alt.Scale(domain=[low, high], nice=False, zero=False)
    ticks = [1, 2, 3, 4, 5]
    areas = (
        alt.Chart(quadrant_rows)
        .mark_rect(stroke="#d0d7de")
        .encode(
            x=alt.X(
                "x:Q",
                scale=x_scale,
                title=chart["interest_axis"],
                axis=alt.Axis(values=ticks, format="d", grid=False),
            ),
            x2=alt.X2("x2"),
            y=alt.Y(
                "y:Q",
                scale=y_scale,
                title=chart["power_axis"],
                axis=alt.Axis(values=ticks, format="d", grid=False),
            ),
            y2=alt.Y2("y2"),
            color=alt.Color("fill:N", scale=None),
        )
    )
    names = (
        alt.Chart(quadrant_rows)
        .mark_text(align="left", baseline="top", fontSize=11, fontWeight="bold", color="#57606a")
        .encode(
            x=alt.X("label_x:Q", scale=x_scale),
            y=alt.Y("label_y:Q", scale=y_scale),
            text=alt.Text("label:N"),
        )
    )
    points = (
        alt.Chart(people)
        .mark_circle(size=170, opacity=0.95, stroke="#222", strokeWidth=0.6)
        .encode(
            x=alt.X("x:Q", scale=x_scale),
            y=alt.Y("y:Q", scale=y_scale),
            color=alt.Color(
                "band_label:N",
                title=content.readiness["legend"],
                scale=alt.Scale(
                    domain=[*[b.label for b in content.readiness_bands], unknown],
                    range=_READINESS_COLOURS,
                ),
                legend=alt.Legend(orient="bottom", direction="vertical"),
            ),
            tooltip=tooltips(
                "name:N",
                "power:Q",
                "interest:Q",
                "stance:N",
                "where:N",
                words=translator(content.language),
                titles=_TIPS,
            ),
        )
    )
    labels = (
        alt.Chart(people)
        .mark_text(align="left", dx=9, dy=-1, fontSize=11, limit=200)
        .encode(
            x=alt.X("x:Q", scale=x_scale), y=alt.Y("y:Q", scale=y_scale), text=alt.Text("label:N")
        )
    )
    return alt.LayerChart(
        layer=[areas, names, points, labels],
        title=alt.TitleParams(chart["title"], subtitle=chart["champion"]),
        width=460,
        height=380,
        config=CHART_CONFIG,
    )
