"""What a chart output must be: a Vega-Lite spec the page draws, never an image."""

from __future__ import annotations

from functools import cache
from typing import Any

import altair as alt
import jsonschema

from buyin_workbook.kit.charts import VEGALITE_MIME


@cache
def _validator() -> jsonschema.Draft7Validator:
    return jsonschema.Draft7Validator(alt.vegalite.v6.schema.load_schema())


def chart_spec(shown: dict[str, Any]) -> dict[str, Any]:
    """The spec of one displayed chart, checked against altair's Vega-Lite schema (the kernel
    skips that check for speed) and its text alternative."""
    data = shown["data"]
    assert set(data) == {VEGALITE_MIME, "text/plain"}, f"not a chart spec: {sorted(data)}"
    spec = data[VEGALITE_MIME]
    _validator().validate(spec)
    assert spec["description"] == data["text/plain"] != ""
    return spec


def chart_strings(spec: dict[str, Any]) -> list[str]:
    """Every string a spec holds (its data included): what the renderer may draw as text."""
    if isinstance(spec, dict):
        return [s for value in spec.values() for s in chart_strings(value)]
    if isinstance(spec, list):
        return [s for value in spec for s in chart_strings(value)]
    return [spec] if isinstance(spec, str) else []
