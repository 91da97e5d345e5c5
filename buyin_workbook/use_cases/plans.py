"""Where a plan stands on each exercise, and its answers as an exercise reads them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..kit.declaration import Exercise, Progress, Values
from .team_voice import with_their_answers

if TYPE_CHECKING:
    from ..store import WorkbookStore


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
    team members sent beside them (kept apart in the store: see ``kit/team_voice.py``)."""
    values = {key: answer.value for key, answer in store.answers(plan_id, exercise).items()}
    return with_their_answers(store, plan_id, exercise, values)


def plan_progress(
    store: WorkbookStore, plan_id: int, exercises: Iterable[Exercise], language: str = "en"
) -> list[ExerciseProgress]:
    """Each of ``exercises``' progress in one plan of ``store`` (their titles in
    ``language``)."""
    result = []
    for exercise in exercises:
        answers = store.answers(plan_id, exercise.id)
        values = {key: answer.value for key, answer in answers.items()}
        result.append(
            ExerciseProgress(
                exercise.id,
                exercise.content(language).title,
                exercise.notebook,
                exercise.progress(values),
                max((a.updated_at for a in answers.values()), default=None),
            )
        )
    return result
