"""Dated copies of an exercise's answers and key figures, to compare later.

A leader asks for one ("requested"), and finishing an exercise keeps one by itself
("completed"): the first time its progress turns to done in the open plan.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Literal

from ..kit.declaration import Exercise, Values
from .plans import plan_values

if TYPE_CHECKING:
    from ..store import Snapshot, WorkbookStore

Reason = Literal["requested", "completed"]


def is_done(exercise: Exercise, values: Values) -> bool:
    """Whether these answers finish the exercise."""
    return exercise.progress(values) == "done"


def finished_now(exercise: Exercise, values: Values, *, was_done: bool) -> bool:
    """Whether a save has just finished the exercise: the moment its snapshot is taken."""
    return not was_done and is_done(exercise, values)


def snapshot_exercise(
    store: WorkbookStore, plan_id: int, exercise: Exercise, values: Values, reason: Reason
) -> Snapshot:
    """Keep a dated copy of one exercise's answers in a plan, with its key figures."""
    return store.take_snapshot(
        plan_id, exercise.id, reason=reason, figures=exercise.figures(values)
    )


def snapshot_started(
    store: WorkbookStore, plan_id: int, exercises: Iterable[Exercise], reason: Reason
) -> list[Exercise]:
    """Keep a snapshot of each of ``exercises`` already started in a plan; the ones kept."""
    taken = []
    for exercise in exercises:
        values = plan_values(store, plan_id, exercise.id)
        if exercise.progress(values) != "not started":
            snapshot_exercise(store, plan_id, exercise, values, reason)
            taken.append(exercise)
    return taken
