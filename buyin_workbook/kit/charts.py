"""Charts that need no network: the kernel sends a Vega-Lite spec, the page draws it.

The workbook's labextension renders ``application/vnd.vegalite.v6.json`` in JupyterLab and
in Voila with vega and vega-lite bundled (altair's default renderer would load them from a
CDN). The kernel never draws an image: files (the report's SVG, PNG, HTML and PDF) are drawn
by vl-convert in the process that writes them (``buyin_workbook.report.render``).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from ..languages import Translator, translator

if TYPE_CHECKING:
    import altair as alt
    import pandas as pd

#: The mimetype altair 6 gives Vega-Lite 6 specs, drawn by the workbook's labextension.
VEGALITE_MIME = "application/vnd.vegalite.v6.json"
#: The same, for a notebook cell's output: a notebook file keeps an output as JSON only
#: under a ``+json`` type (nbformat's schema), so a saved notebook stays valid.
VEGALITE_CELL_MIME = "application/vnd.vegalite.v6+json"

#: Shared look of every workbook chart.
CHART_CONFIG: dict[str, Any] = {
    "font": "DejaVu Sans, Liberation Sans, Arial, sans-serif",
    "axis": {"labelFontSize": 12, "titleFontSize": 12, "labelLimit": 260},
    "legend": {"labelFontSize": 12, "titleFontSize": 12, "labelLimit": 360},
    "title": {"fontSize": 14, "anchor": "start"},
    "view": {"stroke": None},
}


def chart_data(frame: pd.DataFrame) -> alt.InlineData:
    """A frame's rows as a chart's inline data.

    pandas writes the JSON in C (missing values as null, numpy numbers as plain ones);
    altair's own clean-up of a DataFrame takes three times as long, and a chart is rebuilt
    on every answer.
    """
    import altair as alt

    return alt.InlineData(values=json.loads(frame.to_json(orient="records", double_precision=15)))


def tooltips(
    *fields: str, words: Translator | None = None, titles: Mapping[str, str] | None = None
) -> list[alt.Tooltip]:
    """Tooltip channels for ``"field:type"`` shorthands, each headed by its words in
    ``titles`` (by field name, marked ``N_``), said in the chart's language (``words``).

    Channels are built here rather than given to altair as strings: altair turns each
    string into a channel through ``from_dict``, which hashes its whole schema every time
    (about 5 ms a string), and a chart is rebuilt on every answer.
    """
    import altair as alt

    said = words or translator()
    named = titles or {}
    return [
        alt.Tooltip(field, title=said.gettext(named[name]))
        if (name := field.split(":")[0]) in named
        else alt.Tooltip(field)
        for field in fields
    ]


def chart_bundle(chart: alt.TopLevelMixin, description: str) -> dict[str, Any]:
    """A display bundle: the chart's spec for the page to draw, and its text alternative
    (for screen readers, nbval and any front end without the workbook's renderer).

    The spec is not validated here: the tests validate every chart against altair's schema,
    and a kernel redrawing a chart on each answer should not pay for it.
    """
    spec = chart.to_dict(validate=False)
    spec["description"] = description
    return {VEGALITE_MIME: spec, "text/plain": description}
