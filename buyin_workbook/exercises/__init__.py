"""The workbook's exercises, in the order a leader works through them.

Each exercise is one folder that declares itself (its ``EXERCISE``: see
:mod:`buyin_workbook.kit.declaration`); this module only lists them (where a plan stands on
each is :mod:`buyin_workbook.use_cases.plans`). Importing it loads no widgets, charts or
pandas: an exercise's parts are imported when first used.
"""

from __future__ import annotations

# The kit first, before any exercise imports altair: it keeps a slow grammar build out
# (see kit/_lean_imports.py).
from ..kit.declaration import Exercise, Figures, Progress, ReportChart, ReportPart, Values
from . import choice, motivators, selfcheck, stakeholders

EXERCISES: dict[str, Exercise] = {
    exercise.id: exercise
    for exercise in (
        choice.EXERCISE,
        selfcheck.EXERCISE,
        motivators.EXERCISE,
        stakeholders.EXERCISE,
    )
}


__all__ = [
    "EXERCISES",
    "Exercise",
    "Figures",
    "Progress",
    "ReportChart",
    "ReportPart",
    "Values",
]
