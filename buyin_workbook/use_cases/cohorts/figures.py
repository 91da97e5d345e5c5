"""A cohort's anonymous figures: one participant's measures as tidy rows, and each figure the
cohort shows, drawn from those rows. Pure functions on plain data and pandas.

A row is one participant-figure: ``participant``, ``exercise``, ``measure``, ``item`` (the
category, item or ranked motivator; empty for a single number) and ``value`` (the number; 1
for a category named, 0 for "named none"; the place for a ranking). Rows stay inside the
cohort's code: what leaves it is each figure and the answers behind it as counts per
``(item, value)``, which say how many gave each answer and never who.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from ..._text import N_, Said
from ...kit.cohort import CohortMeasure, CohortValue, CohortValues

COLUMNS = ["participant", "exercise", "measure", "item", "value"]


def tidy_rows(
    exercise: str, measures: tuple[CohortMeasure, ...], values: Mapping[Any, CohortValues]
) -> pd.DataFrame:
    """Every participant's measures of one exercise as rows. Anything that is not a listed
    item or category, or a number outside its range, is dropped here, so no typed word and no
    forged number can reach a cohort figure."""
    rows: list[tuple[Any, str, str, str, float]] = []
    for participant, given in values.items():
        their = checked_values(measures, given)
        for measure in measures:
            if measure.id not in their:
                continue
            value = their[measure.id]
            rows.extend(
                (participant, exercise, measure.id, item, number)
                for item, number in _rows_of(measure, value)
            )
    return pd.DataFrame(rows, columns=COLUMNS).astype({"value": "float64"})


#: Why a measure's value is refused, by the measure's kind ({measure}: its id).
_REFUSED_VALUE = {
    "number": N_("The value of “{measure}” must be a number from {low} to {high}."),
    "items": N_(
        "The value of “{measure}” must be numbers from {low} to {high} for the exercise's "
        "listed items."
    ),
    "category": N_("The value of “{measure}” must be one of the exercise's listed choices."),
    "categories": N_("The value of “{measure}” must be a list of the exercise's listed choices."),
    "ranking": N_(
        "The value of “{measure}” must be the exercise's listed items in an order, each once."
    ),
    "flag": N_("The value of “{measure}” must be yes or no (true or false)."),
}


class MeasuresRefused(Said, ValueError):
    """Measures sent for an exercise that are not numbers and listed categories (said in the
    sender's language by their own page)."""


def checked_value(
    measure: CohortMeasure, value: object, *, strict: bool = True
) -> CohortValue | None:
    """``value`` as the measure declares it (its kind, its listed items, its range), or
    ``None`` when it is not one. Not ``strict``, a list keeps its listed items and drops the
    rest (a kind of limit this version does not list)."""
    listed = measure.labels
    kind = measure.kind
    if kind == "number" and _in_range(measure, value):
        return float(value)  # type: ignore[arg-type]
    if (
        kind == "items"
        and isinstance(value, dict)
        and set(value) <= set(listed)
        and all(_in_range(measure, number) for number in value.values())
    ):
        return {item: float(number) for item, number in value.items()}
    if kind == "category" and isinstance(value, str) and value in listed:
        return value
    if kind in ("categories", "ranking") and isinstance(value, list):
        named = [item for item in value if isinstance(item, str) and item in listed]
        if len(named) == len(value) == len(set(named)):
            return named
        if not strict:
            return list(dict.fromkeys(named))
    if kind == "flag" and isinstance(value, bool):
        return value
    return None


def received(measures: tuple[CohortMeasure, ...], sent: object) -> CohortValues:
    """Measures sent from a participant's own workbook, checked: every measure one the
    exercise declares, every value of its kind and range, every category listed, and at
    least one measure. Anything else is refused whole, so no typed word and no number a
    page could not give is stored by the cohort service."""
    if not isinstance(sent, dict):
        raise MeasuresRefused(N_("The measures must be an object of measure ids and values."))
    if not sent:
        raise MeasuresRefused(N_("Nothing to send: the exercise gave no figures yet."))
    declared = {measure.id: measure for measure in measures}
    unknown = sorted(str(key) for key in sent if key not in declared)
    if unknown:
        raise MeasuresRefused(
            N_("Unknown measures: {measures}."), measures=", ".join(unknown)[:200]
        )
    checked: CohortValues = {}
    for key, value in sent.items():
        measure = declared[key]
        kept = checked_value(measure, value)
        if kept is None:
            low, high = measure.range or (0, 0)
            raise MeasuresRefused(
                _REFUSED_VALUE[measure.kind], measure=key, low=f"{low:g}", high=f"{high:g}"
            )
        checked[key] = kept
    return checked


def checked_values(measures: tuple[CohortMeasure, ...], values: object) -> CohortValues:
    """One participant's measures as their exercise's scoring gave them, keeping only those
    of the declared kind and range (and a list's listed items): a plan edited by hand or
    imported from a forged file loses its bad measures here, and everyone else's figures
    are drawn as usual."""
    if not isinstance(values, dict):
        return {}
    kept: CohortValues = {}
    for measure in measures:
        if measure.id in values:
            value = checked_value(measure, values[measure.id], strict=False)
            if value is not None:
                kept[measure.id] = value
    return kept


def _in_range(measure: CohortMeasure, value: object) -> bool:
    if not isinstance(value, int | float) or isinstance(value, bool) or value != value:
        return False  # NaN is not equal to itself
    low, high = measure.range or (float("-inf"), float("inf"))
    return low <= value <= high


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


#: The answers behind one figure: how many people gave each (item, value), sorted.
Answers = tuple[tuple[str, float, int], ...]


@dataclass(frozen=True)
class Cell:
    """One figure the cohort may show: who it is drawn over, its value, and the answers
    behind it (counts only)."""

    key: str
    measure: str
    item: str
    contributors: frozenset[Any]
    value: dict[str, Any]
    answers: Answers = ()


def _answers(rows: pd.DataFrame) -> Answers:
    counted = rows.groupby(["item", "value"])["participant"].nunique()
    return tuple((str(item), float(value), int(n)) for (item, value), n in counted.items())


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
                Cell(
                    key,
                    measure.id,
                    item,
                    frozenset(part["participant"]),
                    _spread(measure, part),
                    _answers(part),
                )
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
    return [Cell(measure.id, measure.id, "", contributors, value, _answers(rows))]


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


#: One figure as the database's counts give it: key, whose rows it is drawn from (an item,
#: or ``None`` for everyone who gave the measure), how many people, value, answers.
CountedCell = tuple[str, str | None, int, dict[str, Any], Answers]


def counted_cells(
    measure: CohortMeasure, counted: Counted, sizes: Mapping[str | None, int]
) -> list[CountedCell]:
    """The figures of one measure from the database's counts (the values and answers
    :func:`cells` draws from every row, the same to the digit); ``sizes`` says how many
    people gave each item."""
    if measure.kind in ("number", "items"):
        items = [""] if measure.kind == "number" else list(measure.labels)
        result: list[CountedCell] = []
        for item in items:
            pairs = sorted((value, count) for row_item, value, count in counted if row_item == item)
            if not pairs:
                continue
            key = measure.id if measure.kind == "number" else f"{measure.id}/{item}"
            answers = tuple((item, float(value), int(count)) for value, count in pairs)
            result.append((key, item, sizes[item], _counted_spread(measure, pairs), answers))
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
    answers = tuple(sorted((str(i), float(v), int(c)) for i, v, c in counted))
    return [(measure.id, None, people, value, answers)]


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
