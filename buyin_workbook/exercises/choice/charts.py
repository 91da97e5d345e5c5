"""Charts of "How much choice can I give?" (altair specs, drawn offline by ``.._charts``)."""

from __future__ import annotations

import altair as alt
import pandas as pd

from ...kit.charts import CHART_CONFIG, chart_data, tooltips
from ...languages import N_, translator
from .content import ChoiceContent, load_content

_ZONE_COLOURS = ["#f3e3d3", "#e9ecd2", "#d5e8e4"]
_DIMENSION_COLOURS = ["#1f5f8b", "#c0632b"]
_BAND_COLOURS = ["#b8c4cc", "#6f9fbf", "#1f5f8b"]
#: The leader's two levels in dark greys, the team's in the dimensions' blue and orange.
_SAY_COLOURS = ["#1f2933", "#7b8794", "#1f5f8b", "#c0632b"]


#: The tooltips' headings, by field.
_TIPS = {
    "decision": N_("Decision"),
    "dimension_label": N_("What or how"),
    "moment": N_("When"),
    "level": N_("Level"),
    "what": N_("WHAT"),
    "how": N_("HOW"),
    "total": N_("Levels in all"),
    "who": N_("Who"),
}


def _level_axis(content: ChoiceContent, title: str) -> alt.Axis:
    names = ", ".join(repr(level.name) for level in content.levels)
    return alt.Axis(
        values=list(range(1, 8)), title=title, grid=False, labelExpr=f"[{names}][datum.value - 1]"
    )


def choice_chart(frame: pd.DataFrame, content: ChoiceContent | None = None) -> alt.LayerChart:
    """Every decision's WHAT and HOW: today (open marker) against the most possible (filled),
    on bands that say who decides (the low/medium/high legend)."""
    content = content or load_content()
    labels = {dim: spec["label"] for dim, spec in content.dimensions.items()}
    order = list(dict.fromkeys(frame.sort_values("order")["decision"]))
    rows = frame.assign(dimension_label=frame["dimension"].map(labels))
    # One labelled row per decision and dimension ("Rota · WHAT"), not two nameless ones.
    rows = rows.assign(question=rows["decision"] + " · " + rows["dimension_label"])
    points = pd.concat(
        [
            rows.assign(moment=content.chart["today"], level=rows["today"]),
            rows.assign(moment=content.chart["possible"], level=rows["possible"]),
        ]
    )
    zones = pd.DataFrame(
        [
            {"zone": zone.label, "start": min(zone.levels) - 0.5, "end": max(zone.levels) + 0.5}
            for zone in content.zones
        ]
    )
    x_scale = alt.Scale(domain=[0.5, 7.5], nice=False)
    y = alt.Y("decision:N", sort=order, title=content.chart["decision_axis"])
    y_offset = alt.YOffset("dimension_label:N", sort=[labels["what"], labels["how"]])

    # Zones use the fill channel and dimensions the colour channel, so each gets one legend.
    bands = (
        alt.Chart(chart_data(zones))
        .mark_rect()
        .encode(
            x=alt.X("start:Q", scale=x_scale),
            x2=alt.X2("end"),
            fill=alt.Fill(
                "zone:N",
                title=content.chart["zones_legend"],
                scale=alt.Scale(domain=[z.label for z in content.zones], range=_ZONE_COLOURS),
                legend=alt.Legend(orient="bottom", direction="vertical"),
            ),
        )
    )
    colour = alt.Color(
        "dimension_label:N",
        title=content.chart["dimension"],
        scale=alt.Scale(domain=[labels["what"], labels["how"]], range=_DIMENSION_COLOURS),
        legend=alt.Legend(orient="bottom", direction="vertical"),
    )
    shape = alt.Shape(
        "moment:N",
        title="Marker",
        scale=alt.Scale(
            domain=[content.chart["today"], content.chart["possible"]],
            range=["circle", "triangle-right"],
        ),
        legend=None,
    )
    spans = (
        alt.Chart(chart_data(rows))
        .mark_rule(strokeWidth=2)
        .encode(
            x=alt.X("today:Q", scale=x_scale),
            x2=alt.X2("possible"),
            y=y,
            yOffset=y_offset,
            color=colour,
        )
    )
    x_level = alt.X(
        "level:Q", scale=x_scale, axis=_level_axis(content, content.chart["level_axis"])
    )
    tooltip = tooltips(
        "decision:N",
        "dimension_label:N",
        "moment:N",
        "level:Q",
        words=translator(content.language),
        titles=_TIPS,
    )
    today = (
        alt.Chart(chart_data(points[points["moment"] == content.chart["today"]]))
        .mark_point(size=110, strokeWidth=2, filled=False, fill="white")
        .encode(x=x_level, y=y, yOffset=y_offset, color=colour, shape=shape, tooltip=tooltip)
    )
    possible = (
        alt.Chart(chart_data(points[points["moment"] == content.chart["possible"]]))
        .mark_point(size=130, filled=True, opacity=1)
        .encode(x=x_level, y=y, yOffset=y_offset, color=colour, shape=shape, tooltip=tooltip)
    )
    height = max(120, 46 * len(order))
    return alt.LayerChart(
        layer=[bands, spans, today, possible],
        title=alt.TitleParams(content.chart["title"], subtitle=content.chart["markers"]),
        width=440,
        height=height,
        config=CHART_CONFIG,
    )


def headroom_chart(by_decision: pd.DataFrame, content: ChoiceContent | None = None) -> alt.Chart:
    """Levels that could be handed over per decision, coloured by the low/medium/high band."""
    content = content or load_content()
    band_labels = {band.id: band.label for band in content.headroom_bands}
    data = by_decision.assign(band_label=by_decision["band"].map(band_labels))
    order = list(data.sort_values("order")["decision"])
    return (
        alt.Chart(
            chart_data(data),
            title=content.chart["headroom_title"],
            width=440,
            height=max(90, 30 * len(order)),
            config=CHART_CONFIG,
        )
        .mark_bar(height=18)
        .encode(
            x=alt.X(
                "total:Q",
                title=content.chart["headroom_axis"],
                scale=alt.Scale(domain=[0, 12]),
                axis=alt.Axis(tickMinStep=1),
            ),
            y=alt.Y("decision:N", sort=order, title=content.chart["decision_axis"]),
            color=alt.Color(
                "band_label:N",
                title=content.headroom["title"],
                scale=alt.Scale(
                    domain=[b.label for b in content.headroom_bands], range=_BAND_COLOURS
                ),
                legend=alt.Legend(orient="bottom", direction="vertical"),
            ),
            tooltip=tooltips(
                "decision:N",
                "what:Q",
                "how:Q",
                "total:Q",
                words=translator(content.language),
                titles=_TIPS,
            ),
        )
    )


def team_say_chart(frame: pd.DataFrame, content: ChoiceContent | None = None) -> alt.LayerChart:
    """The team's say (``team_say.team_say_frame``) beside the leader's: per decision and
    dimension, the range of the team's "today" answers as a line, their middle answers for
    today and wanted, and the leader's today and most possible."""
    content = content or load_content()
    words = content.team_say
    labels = {dim: spec["label"] for dim, spec in content.dimensions.items()}
    rows = frame.assign(dimension_label=frame["dimension"].map(labels))
    # One labelled row per decision and dimension ("Rota · WHAT"), not two nameless ones.
    rows = rows.assign(question=rows["decision"] + " · " + rows["dimension_label"])
    series = {
        "leader_today": words["you_today"],
        "leader_possible": words["you_possible"],
        "team_today": words["team_today"],
        "team_want": words["team_want"],
    }
    points = pd.concat(
        [
            rows.assign(who=label, level=rows[column])[
                ["decision", "dimension_label", "question", "who", "level"]
            ]
            for column, label in series.items()
        ]
    ).dropna(subset=["level"])
    x_scale = alt.Scale(domain=[0.5, 7.5], nice=False)
    order = list(dict.fromkeys(rows["question"]))
    y = alt.Y(
        "question:N",
        sort=order,
        title=content.chart["decision_axis"],
        axis=alt.Axis(labelLimit=220),
    )
    # Each of the four answers on its own line within the row: a level the leader and the
    # team share shows both marks side by side, never one over the other.
    y_offset = alt.YOffset("who:N", sort=list(series.values()))
    ranges = (
        alt.Chart(chart_data(rows))
        .mark_rule(strokeWidth=3, color="#b8c4cc")
        .encode(
            x=alt.X("team_today_low:Q", scale=x_scale),
            x2=alt.X2("team_today_high"),
            y=y,
        )
    )
    encoding = {
        "x": alt.X(
            "level:Q", scale=x_scale, axis=_level_axis(content, content.chart["level_axis"])
        ),
        "y": y,
        "yOffset": y_offset,
        "color": alt.Color(
            "who:N",
            title=words["series"],
            scale=alt.Scale(domain=list(series.values()), range=_SAY_COLOURS),
            legend=alt.Legend(orient="bottom", direction="vertical"),
        ),
        "shape": alt.Shape(
            "who:N",
            scale=alt.Scale(
                domain=list(series.values()),
                range=["circle", "triangle-right", "diamond", "square"],
            ),
        ),
        "tooltip": tooltips(
            "decision:N",
            "dimension_label:N",
            "who:N",
            "level:Q",
            words=translator(content.language),
            titles=_TIPS,
        ),
    }
    leader = points["who"].isin([series["leader_today"], series["leader_possible"]])
    # The team's answers filled, the leader's as larger outlines.
    team_marks = (
        alt.Chart(chart_data(points[~leader]))
        .mark_point(size=110, strokeWidth=2, filled=True, opacity=1)
        .encode(**encoding)
    )
    leader_marks = (
        alt.Chart(chart_data(points[leader]))
        .mark_point(size=260, strokeWidth=2.5, filled=False, opacity=1)
        .encode(**encoding)
    )
    return alt.LayerChart(
        layer=[ranges, team_marks, leader_marks],
        title=alt.TitleParams(words["chart_title"], subtitle=words["chart_subtitle"]),
        width=440,
        height=max(120, 44 * len(order)),
        config=CHART_CONFIG,
    )
