"""What an exercise gives a course cohort: a few measures per participant, declared with
their words in the exercise's ``content.toml`` (``[[cohort]]``), and their values from its
scoring (``cohort_values(answers)``). Only numbers and listed categories: never free text.

A measure's kind says what one participant contributes and how the cohort's figure is made:

- ``number``: one number (its median, spread, and how many are low, medium or high);
- ``items``: a number per listed item, e.g. per foundation (the same, per item);

  both declare the ``range`` a number can take (``[lowest, highest]``): a value outside it,
  from a forged message or an edited file, never reaches a figure.
- ``category``: one listed category, e.g. a rung of the ladder (how many chose each);
- ``categories``: any of a list, e.g. the limits they named (how many named each);
- ``ranking``: the listed items in an order (their average place);
- ``flag``: yes or no (how many said yes).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal, get_args

MeasureKind = Literal["number", "items", "category", "categories", "ranking", "flag"]
MEASURE_KINDS: tuple[str, ...] = get_args(MeasureKind)

#: One participant's value of one measure (see the kinds above).
CohortValue = float | bool | str | list[str] | dict[str, float]
#: One participant's values of an exercise's measures; a measure left out has no value yet.
CohortValues = dict[str, CohortValue]


@dataclass(frozen=True)
class CohortBand:
    """Low, medium or high: a number up to ``upto`` (inclusive) is in this band."""

    id: str
    upto: float
    label: str


@dataclass(frozen=True)
class CohortMeasure:
    id: str
    kind: MeasureKind
    title: str
    #: One sentence under the title: what the figure is.
    explain: str = ""
    #: For ``number`` and ``items``: the legend's bands, lowest first.
    bands: tuple[CohortBand, ...] = ()
    #: The listed items or categories, in the order they are shown: ``{id: label}``.
    labels: dict[str, str] = field(default_factory=dict)
    #: For ``number`` and ``items``: the lowest and the highest value a number can take.
    range: tuple[float, float] | None = None

    def band(self, value: float) -> CohortBand:
        for band in self.bands:
            if value <= band.upto:
                return band
        return self.bands[-1]

    def label(self, item: str) -> str:
        return self.labels.get(item, item)


def read_cohort_measures(raw: dict[str, Any]) -> tuple[CohortMeasure, ...]:
    """The ``[[cohort]]`` entries of a ``content.toml``; ``labels_from`` names a list in the
    same file (a dotted path) whose entries' ``label`` or ``name`` label the items."""
    measures = []
    for entry in raw.get("cohort", []):
        if entry["kind"] not in MEASURE_KINDS:
            raise ValueError(f"unknown cohort measure kind {entry['kind']!r}")
        labels = dict(entry.get("labels", {}))
        if "labels_from" in entry:
            listed: Any = raw
            for part in entry["labels_from"].split("."):
                listed = listed[part]
            labels = {item["id"]: item.get("label") or item["name"] for item in listed}
        bounds = entry.get("range")
        if entry["kind"] in ("number", "items") and (
            not isinstance(bounds, list) or len(bounds) != 2 or not bounds[0] < bounds[1]
        ):
            raise ValueError(f"cohort measure {entry['id']!r} needs range = [lowest, highest]")
        measures.append(
            CohortMeasure(
                id=entry["id"],
                kind=entry["kind"],
                title=entry["title"],
                explain=" ".join(entry.get("explain", "").split()),
                bands=tuple(CohortBand(**band) for band in entry.get("bands", [])),
                labels=labels,
                range=(float(bounds[0]), float(bounds[1])) if bounds else None,
            )
        )
    return tuple(measures)
