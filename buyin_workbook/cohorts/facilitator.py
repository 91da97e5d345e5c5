"""The cohort use cases (:mod:`buyin_workbook.use_cases.cohorts`) bound to the workbook's
own exercises, by id: what a facilitator's notebook, ``serve`` and the hub service call."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

import pandas as pd

from ..exercises import EXERCISES
from ..kit.cohort import CohortValues
from ..use_cases.cohorts import dashboard as _dashboard
from ..use_cases.cohorts import results as _results
from ..use_cases.cohorts.results import CountedAnswers, ExerciseResults

if TYPE_CHECKING:
    from ..store import Cohort, Participant, WorkbookStore


def exercise_results(
    store: WorkbookStore,
    cohort: Cohort,
    exercise: str,
    *,
    release: bool = True,
    values: dict[int, CohortValues] | None = None,
) -> ExerciseResults:
    """An exercise's figures, by its id (see
    :func:`buyin_workbook.use_cases.cohorts.results.exercise_results`)."""
    return _results.exercise_results(
        store, cohort, EXERCISES[exercise], release=release, values=values
    )


def finished_values(
    store: WorkbookStore, cohort: Cohort, exercise: str, answers: CountedAnswers | None = None
) -> dict[int, CohortValues]:
    """The measures of each participant who has finished ``exercise``."""
    return _results.finished_values(store, cohort, EXERCISES[exercise], answers)


def counted_answers(store: WorkbookStore, cohort: Cohort) -> dict[str, CountedAnswers]:
    """Every participant's counted answers to each of the cohort's exercises."""
    return _results.counted_answers(store, cohort, EXERCISES)


def participant_progress(
    store: WorkbookStore, cohort: Cohort, answers: dict[str, CountedAnswers] | None = None
) -> list[tuple[Participant, dict[str, str]]]:
    """Each participant (by alias) with their progress on each of the cohort's exercises."""
    return _results.participant_progress(store, cohort, EXERCISES, answers)


def cohort_frames(store: WorkbookStore, cohort: Cohort) -> dict[str, pd.DataFrame]:
    """The cohort's released figures as tidy DataFrames (see
    :func:`~buyin_workbook.use_cases.cohorts.results.cohort_frames`)."""
    return _results.cohort_frames(store, cohort, EXERCISES)


def sample_frames() -> dict[str, pd.DataFrame]:
    """The frames of a made-up cohort of six, to try the notebook on."""
    return _results.sample_frames(EXERCISES)


def dashboard(
    store: WorkbookStore, cohort: Cohort, *, page: int = 1, language: str = "en"
) -> _dashboard.Dashboard:
    """A facilitator's dashboard of ``cohort`` (on a hub, one page of its participants), in
    ``language``."""
    return _dashboard.cohort_dashboard(store, cohort, EXERCISES, page=page, language=language)


def list_cohorts(store: WorkbookStore | None = None) -> pd.DataFrame:
    """Your cohorts, one row each (from the workbook's store, unless one is given)."""
    rows = []
    with _opened(store) as opened:
        for cohort in opened.cohorts():
            rows.append(
                {
                    "cohort": cohort.name,
                    "open": cohort.open,
                    "participants": len(opened.participants(cohort.id)),
                    "min_group": cohort.min_group,
                    "exercises": ", ".join(cohort.exercises),
                }
            )
    return pd.DataFrame(rows, columns=["cohort", "open", "participants", "min_group", "exercises"])


def frames(
    cohort: str | None = None, store: WorkbookStore | None = None
) -> dict[str, pd.DataFrame]:
    """A cohort's frames (:func:`cohort_frames`) by its name; ``None``: the made-up cohort."""
    if cohort is None:
        return sample_frames()
    with _opened(store) as opened:
        return cohort_frames(opened, opened.find_cohort(cohort))


@contextmanager
def _opened(store: WorkbookStore | None) -> Iterator[WorkbookStore]:
    """The store given (left open), or the workbook's own, closed afterwards."""
    if store is not None:
        yield store
        return
    from ..store import WorkbookStore

    with WorkbookStore() as opened:
        yield opened
