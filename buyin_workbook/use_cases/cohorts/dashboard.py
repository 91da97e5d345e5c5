"""A facilitator's dashboard, for ``serve``'s cohorts and the hub's alike: each participant's
progress, and each exercise's figures drawn anew where the rules allow."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ...kit.cohort import CohortValues
from ...languages import translator
from .render import results_html
from .results import (
    Catalogue,
    counted_answers,
    exercise_results,
    finished_values,
    participant_progress,
)

if TYPE_CHECKING:
    from ...store import Cohort, Participant, WorkbookStore

#: Hub participants listed on one page of the dashboard (a course can have thousands).
PAGE_SIZE = 50


@dataclass(frozen=True)
class ExerciseSection:
    """One exercise on the dashboard: its figures' HTML, and whether they are revealed."""

    id: str
    title: str
    revealed: bool
    html: str


@dataclass(frozen=True)
class Dashboard:
    #: Each participant listed, with (exercise title, progress) for each exercise.
    progress: list[tuple[Participant, list[tuple[str, str]]]]
    sections: list[ExerciseSection]
    #: On a hub: participants in all, how many sent each exercise, and this page of them.
    total: int
    sent: list[tuple[str, int]]
    page: int = 1
    pages: int = 1


def cohort_dashboard(
    store: WorkbookStore,
    cohort: Cohort,
    catalogue: Catalogue,
    *,
    page: int = 1,
    language: str = "en",
) -> Dashboard:
    """The dashboard of ``cohort``; on a hub, its ``page`` of participants (from 1). Its
    words in ``language`` (the figures are by ids, the same in every language)."""
    titles = {e: catalogue[e].content(language).title for e in cohort.exercises}
    revealed = store.revealed(cohort.id)
    words = translator(language)

    def section(exercise: str, values: dict[int, CohortValues] | None = None) -> ExerciseSection:
        results = exercise_results(
            store, cohort, catalogue[exercise], values=values, language=language
        )
        html = results_html(results, words=words)
        return ExerciseSection(exercise, results.title, exercise in revealed, html)

    if cohort.hub_group is not None:
        # Counted by the database, a page at a time: the answers stay in people's servers.
        total, sent, people = store.sent_progress(
            cohort.id, offset=(page - 1) * PAGE_SIZE, limit=PAGE_SIZE
        )
        return Dashboard(
            [
                (p, [(titles[e], "done" if e in done else "not sent") for e in cohort.exercises])
                for p, done in people
            ],
            [section(e) for e in cohort.exercises],
            total,
            [(titles[e], sent.get(e, 0)) for e in cohort.exercises],
            page,
            max(1, -(-total // PAGE_SIZE)),
        )
    answers = counted_answers(store, cohort, catalogue)  # read once: progress and figures
    progress = [
        (participant, [(titles[e], state) for e, state in steps.items()])
        for participant, steps in participant_progress(store, cohort, catalogue, answers)
    ]
    sections = [
        section(e, finished_values(store, cohort, catalogue[e], answers[e]))
        for e in cohort.exercises
    ]
    return Dashboard(progress, sections, len(progress), [])
