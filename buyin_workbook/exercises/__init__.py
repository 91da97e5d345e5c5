"""The workbook's exercises, in the order a leader works through them.

Each exercise is one folder that declares itself (its ``EXERCISE``: see ``_exercise.py``);
this module only lists them, and says where a plan stands on each. Importing it loads no
widgets, charts or pandas: an exercise's parts are imported when first used.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

# The kit first, before any exercise imports altair: it keeps a slow grammar build out
# (see kit/_lean_imports.py).
from ..kit.declaration import Exercise, Figures, Progress, ReportChart, ReportPart, Values
from ..kit.team_voice import with_team
from . import choice, motivators, selfcheck, stakeholders

if TYPE_CHECKING:
    from ..store import WorkbookStore

EXERCISES: dict[str, Exercise] = {
    exercise.id: exercise
    for exercise in (
        choice.EXERCISE,
        selfcheck.EXERCISE,
        motivators.EXERCISE,
        stakeholders.EXERCISE,
    )
}


@dataclass(frozen=True)
class ExerciseProgress:
    """Where one plan stands on one exercise."""

    id: str
    title: str
    notebook: str
    progress: Progress
    #: When an answer last changed (ISO 8601), or ``None``.
    last_changed: str | None


def plan_values(store: WorkbookStore, plan_id: int, exercise: str) -> Values:
    """One exercise's answers in one plan as its model reads them: the leader's, with what
    team members sent beside them (kept apart in the store: see ``_team_voice.py``)."""
    values = {key: answer.value for key, answer in store.answers(plan_id, exercise).items()}
    return with_team(values, store.team_answers(plan_id, exercise))


def plan_progress(store: WorkbookStore, plan_id: int) -> list[ExerciseProgress]:
    """Each exercise's progress in one plan of ``store``."""
    result = []
    for exercise in EXERCISES.values():
        answers = store.answers(plan_id, exercise.id)
        values = {key: answer.value for key, answer in answers.items()}
        result.append(
            ExerciseProgress(
                exercise.id,
                exercise.title,
                exercise.notebook,
                exercise.progress(values),
                max((a.updated_at for a in answers.values()), default=None),
            )
        )
    return result


__all__ = [
    "EXERCISES",
    "Exercise",
    "ExerciseProgress",
    "Figures",
    "Progress",
    "ReportChart",
    "ReportPart",
    "Values",
    "plan_progress",
    "plan_values",
]
