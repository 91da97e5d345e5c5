"""A cohort's anonymous figures: one participant's measures as tidy rows, and each figure the
cohort shows, drawn from those rows. Pure functions on plain data and pandas.

A row is one participant-figure: ``participant``, ``exercise``, ``measure``, ``item`` (the
category, item or ranked motivator; empty for a single number) and ``value`` (the number; 1
for a category named, 0 for "named none"; the place for a ranking).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from ..exercises._cohort import CohortMeasure, CohortValues

COLUMNS = ["participant", "exercise", "measure", "item", "value"]


def tidy_rows(
    exercise: str, measures: tuple[CohortMeasure, ...], values: Mapping[Any, CohortValues]
) -> pd.DataFrame:
    """Every participant's measures of one exercise as rows. Anything that is not a listed
    item or category is dropped here, so no typed word can reach a cohort figure."""
    rows: list[tuple[Any, str, str, str, float]] = []
    for participant, their in values.items():
        for measure in measures:
            if measure.id not in their:
                continue
            value = their[measure.id]
            rows.extend(
                (participant, exercise, measure.id, item, number)
                for item, number in _rows_of(measure, value)
            )
    return pd.DataFrame(rows, columns=COLUMNS).astype({"value": "float64"})


#: The largest number a measure may carry (every scale in the workbook is far smaller).
_NUMBER_LIMIT = 1000.0


_KIND_WORDS = {
    "number": "a number",
    "items": "numbers for the exercise's listed items",
    "category": "one of the exercise's listed choices",
    "categories": "a list of the exercise's listed choices",
    "ranking": "the exercise's listed items in an order, each once",
    "flag": "yes or no (true or false)",
}


class MeasuresRefused(ValueError):
    """Measures sent for an exercise that are not numbers and listed categories."""


def received(measures: tuple[CohortMeasure, ...], sent: object) -> CohortValues:
    """Measures sent from a participant's own workbook, checked: every measure one the
    exercise declares, every value of its kind, every category listed. Anything else is
    refused whole, so no typed word can be stored by the cohort service."""
    if not isinstance(sent, dict):
        raise MeasuresRefused("The measures must be an object of measure ids and values.")
    declared = {measure.id: measure for measure in measures}
    unknown = sorted(str(key) for key in sent if key not in declared)
    if unknown:
        raise MeasuresRefused(f"Unknown measures: {', '.join(unknown)[:200]}.")
    checked: CohortValues = {}
    for key, value in sent.items():
        measure = declared[key]
        listed = measure.labels
        kind = measure.kind
        if kind == "number" and _is_number(value):
            checked[key] = float(value)
        elif kind == "items" and isinstance(value, dict) and set(value) <= set(listed):
            if all(_is_number(number) for number in value.values()):
                checked[key] = {item: float(number) for item, number in value.items()}
        elif kind == "category" and isinstance(value, str) and value in listed:
            checked[key] = value
        elif kind in ("categories", "ranking") and isinstance(value, list):
            named = [item for item in value if isinstance(item, str) and item in listed]
            if len(named) == len(value) == len(set(value)):
                checked[key] = named
        elif kind == "flag" and isinstance(value, bool):
            checked[key] = value
        if key not in checked:
            raise MeasuresRefused(f"The value of “{key}” must be {_KIND_WORDS[kind]}.")
    return checked


def _is_number(value: object) -> bool:
    return (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and abs(value) <= _NUMBER_LIMIT
        and value == value  # NaN is not equal to itself
    )


def measure_rows(
    measures: tuple[CohortMeasure, ...], values: CohortValues
) -> list[tuple[str, str, float]]:
    """One participant's measures as (measure, item, value) rows: what the cohort service
    keeps for the database to count."""
    return [
        (measure.id, item, number)
        for measure in measures
        if measure.id in values
        for item, number in _rows_of(measure, values[measure.id])
    ]


def _rows_of(measure: CohortMeasure, value: Any) -> list[tuple[str, float]]:
    listed = measure.labels
    if measure.kind == "number":
        return [("", float(value))]
    if measure.kind == "items":
        return [(item, float(value[item])) for item in listed if item in value]
    if measure.kind == "category":
        return [(value, 1.0)] if value in listed else []
    if measure.kind == "categories":
        named = [item for item in listed if item in value]
        return [(item, 1.0) for item in named] or [("", 0.0)]
    if measure.kind == "ranking":
        ranked = [item for item in value if item in listed]
        return [(item, float(place)) for place, item in enumerate(ranked, start=1)]
    return [("", 1.0 if value else 0.0)]  # flag


@dataclass(frozen=True)
class Cell:
    """One figure the cohort may show: who it is drawn over, and its value."""

    key: str
    measure: str
    item: str
    contributors: frozenset[Any]
    value: dict[str, Any]


def cells(measure: CohortMeasure, rows: pd.DataFrame) -> list[Cell]:
    """The figures of one measure, from the rows of that measure only."""
    rows = rows[rows["measure"] == measure.id]
    if measure.kind in ("number", "items"):
        items = [""] if measure.kind == "number" else list(measure.labels)
        result = []
        for item in items:
            part = rows[rows["item"] == item]
            if part.empty:
                continue
            key = measure.id if measure.kind == "number" else f"{measure.id}/{item}"
            result.append(
                Cell(key, measure.id, item, frozenset(part["participant"]), _spread(measure, part))
            )
        return result
    contributors = frozenset(rows["participant"])
    if not contributors:
        return []
    if measure.kind in ("category", "categories"):
        named = rows[rows["value"] > 0].groupby("item")["participant"].nunique()
        value: dict[str, Any] = {
            "n": len(contributors),
            "counts": {item: int(named.get(item, 0)) for item in measure.labels},
        }
    elif measure.kind == "ranking":
        places = rows.groupby("item")["value"].mean()
        value = {
            "n": len(contributors),
            "places": {item: round(float(places[item]), 2) for item in places.index},
        }
    else:  # flag
        value = {"n": len(contributors), "yes": int(rows["value"].sum())}
    return [Cell(measure.id, measure.id, "", contributors, value)]


def _spread(measure: CohortMeasure, part: pd.DataFrame) -> dict[str, Any]:
    """Median, the middle half (quartiles, linear interpolation) and the count per band."""
    numbers = part["value"]
    q1, median, q3 = (float(q) for q in numbers.quantile([0.25, 0.5, 0.75]))
    bands = {band.id: 0 for band in measure.bands}
    for number in numbers:
        bands[measure.band(float(number)).id] += 1
    return {
        "n": int(numbers.size),
        "median": round(median, 2),
        "q1": round(q1, 2),
        "q3": round(q3, 2),
        "bands": bands,
    }


#: One measure's rows as the database counts them: (item, value, how many participants).
Counted = list[tuple[str, float, int]]


def counted_cells(
    measure: CohortMeasure, counted: Counted, sizes: Mapping[str | None, int]
) -> list[tuple[str, str | None, int, dict[str, Any]]]:
    """The figures of one measure from the database's counts (the values :func:`cells`
    draws from every row, the same to the digit): ``(key, item, people, value)`` per
    figure, where ``item`` names whose rows the figure is drawn from (``None``: everyone
    who gave the measure) and ``sizes`` says how many people gave each item."""
    if measure.kind in ("number", "items"):
        items = [""] if measure.kind == "number" else list(measure.labels)
        result: list[tuple[str, str | None, int, dict[str, Any]]] = []
        for item in items:
            pairs = sorted((value, count) for row_item, value, count in counted if row_item == item)
            if not pairs:
                continue
            key = measure.id if measure.kind == "number" else f"{measure.id}/{item}"
            result.append((key, item, sizes[item], _counted_spread(measure, pairs)))
        return result
    people = sizes.get(None, 0)
    if not people:
        return []
    if measure.kind in ("category", "categories"):
        named = {
            item: sum(c for i, v, c in counted if i == item and v > 0) for item in measure.labels
        }
        value: dict[str, Any] = {"n": people, "counts": named}
    elif measure.kind == "ranking":
        places = {}
        for item in sorted({i for i, _, _ in counted}):
            given = [(v, c) for i, v, c in counted if i == item]
            places[item] = round(sum(v * c for v, c in given) / sum(c for _, c in given), 2)
        value = {"n": people, "places": places}
    else:  # flag
        value = {"n": people, "yes": int(sum(v * c for _, v, c in counted))}
    return [(measure.id, None, people, value)]


def _counted_spread(measure: CohortMeasure, pairs: list[tuple[float, int]]) -> dict[str, Any]:
    """:func:`_spread` from (value, how many) pairs, sorted by value."""
    n = sum(count for _, count in pairs)

    def at(index: int) -> float:
        seen = 0
        for value, count in pairs:
            seen += count
            if index < seen:
                return value
        return pairs[-1][0]

    def quantile(q: float) -> float:
        # Linear interpolation between the two nearest ranks, as pandas does.
        position = (n - 1) * q
        lower = int(position)
        low, high = at(lower), at(min(lower + 1, n - 1))
        return low + (high - low) * (position - lower)

    bands = {band.id: 0 for band in measure.bands}
    for value, count in pairs:
        bands[measure.band(float(value)).id] += count
    return {
        "n": n,
        "median": round(quantile(0.5), 2),
        "q1": round(quantile(0.25), 2),
        "q3": round(quantile(0.75), 2),
        "bands": bands,
    }
