"""A cohort's figures: releases, progress and frames (pandas). See :mod:`workbook.cohorts`."""

from __future__ import annotations

import json
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from ..exercises import EXERCISES
from ..exercises._cohort import CohortMeasure, CohortValues
from ._disclosure import Withheld, withheld
from .figures import COLUMNS, cells, counted_cells, tidy_rows

if TYPE_CHECKING:
    from ..store import Cohort, Participant, Release, WorkbookStore


@dataclass(frozen=True)
class ExerciseResults:
    """What a cohort may see of one exercise right now."""

    exercise: str
    title: str
    measures: tuple[CohortMeasure, ...]
    min_group: int
    #: The figures last released (``None`` before the first).
    release: Release | None
    #: Participants who have finished the exercise now.
    finished: int
    #: Why the newest answers are not in the figures yet (``None`` when they all are).
    waiting: Withheld | None

    def cell(self, key: str) -> tuple[dict[str, Any] | None, Withheld | None]:
        """A figure's value, or why it is withheld (both ``None``: nobody gave one)."""
        if self.release is None or key not in self.release.cells:
            return None, None
        stored = self.release.cells[key]
        if "withheld" in stored:
            return None, Withheld.from_json(stored["withheld"])
        return stored["value"], None


#: Each participant's answers to one exercise, as :meth:`WorkbookStore.counted_answers`
#: reads them: ``{participant id: {key: value}}``.
CountedAnswers = dict[int, dict[str, Any]]


def finished_values(
    store: WorkbookStore, cohort: Cohort, exercise: str, answers: CountedAnswers | None = None
) -> dict[int, CohortValues]:
    """The measures of each participant who has finished ``exercise`` (from ``answers`` when
    the caller has read them already)."""
    if cohort.hub_group is not None:
        # On a hub, participants' workbooks send their measures once they finish.
        return store.sent_values(cohort.id, exercise)
    declared = EXERCISES[exercise]
    if answers is None:
        answers = store.counted_answers(cohort.id, exercise)
    return {
        participant: declared.cohort_values(values)
        for participant, values in answers.items()
        if declared.progress(values) == "done"
    }


def exercise_results(
    store: WorkbookStore,
    cohort: Cohort,
    exercise: str,
    *,
    release: bool = True,
    values: dict[int, CohortValues] | None = None,
) -> ExerciseResults:
    """An exercise's figures. With ``release`` (the facilitator's view, from the coach's
    store) a new release is made first when the finished group allows one; ``values`` are
    the finished participants' measures when the caller has them already. Without it (a
    participant's page) only the latest release is read."""
    content = EXERCISES[exercise].content()
    if not release:
        latest = store.latest_release(cohort.id, exercise)
        finished = len(latest.contributors) if latest else 0
        return ExerciseResults(
            exercise, content.title, content.cohort, cohort.min_group, latest, finished, None
        )
    latest = store.latest_release(cohort.id, exercise)
    on_hub = cohort.hub_group is not None
    if on_hub:
        # Counted by the database: only ids here, never everyone's measures.
        group = store.sent_group(cohort.id, exercise)
    else:
        if values is None:
            values = finished_values(store, cohort, exercise)
        group = frozenset(values)
    waiting = None
    if latest is None or group != latest.contributors:
        # Only a changed group needs every earlier release (the subtraction rule).
        releases = store.releases(cohort.id, exercise)
        waiting = withheld(group, (r.contributors for r in releases), cohort.min_group)
        if waiting is None:
            if on_hub:
                drawn = _draw_counted(store, cohort, exercise, content.cohort, group, releases)
            else:
                assert values is not None
                drawn = _draw(exercise, content.cohort, values, releases, cohort.min_group)
            latest = store.add_release(cohort.id, exercise, group, drawn)
    return ExerciseResults(
        exercise, content.title, content.cohort, cohort.min_group, latest, len(group), waiting
    )


def _draw(
    exercise: str,
    measures: tuple[CohortMeasure, ...],
    values: dict[int, CohortValues],
    releases: list[Release],
    min_group: int,
) -> dict[str, Any]:
    """Each figure of a new release, or why it is withheld (rules applied per figure)."""
    rows = tidy_rows(exercise, measures, values)
    group = frozenset(values)
    drawn: dict[str, Any] = {}
    for measure in measures:
        for cell in cells(measure, rows):
            drawn[cell.key] = _drawn_cell(
                cell.contributors, cell.value, group, releases, cell.key, min_group
            )
    return drawn


def _draw_counted(
    store: WorkbookStore,
    cohort: Cohort,
    exercise: str,
    measures: tuple[CohortMeasure, ...],
    group: frozenset[int],
    releases: list[Release],
) -> dict[str, Any]:
    """:func:`_draw` for a hub cohort, from the database's counts. A figure's contributors
    are read only when they are not the whole group (a measure some did not give)."""
    counted, sizes = store.figure_counts(cohort.id, exercise)
    drawn: dict[str, Any] = {}
    for measure in measures:
        if measure.id not in counted:
            continue
        for key, item, people, value in counted_cells(
            measure, counted[measure.id], sizes[measure.id]
        ):
            contributors = (
                group
                if people == len(group)
                else store.figure_members(cohort.id, exercise, measure.id, item)
            )
            drawn[key] = _drawn_cell(contributors, value, group, releases, key, cohort.min_group)
    return drawn


def _drawn_cell(
    contributors: frozenset[Any],
    value: dict[str, Any],
    group: frozenset[Any],
    releases: list[Release],
    key: str,
    min_group: int,
) -> dict[str, Any]:
    """One figure of a new release, or why it is withheld. Its contributors are kept only
    when they are not the release's whole group (10,000 ids once, not once a figure)."""
    earlier = [cell_contributors(r, key) for r in releases if "value" in r.cells.get(key, {})]
    reason = withheld(contributors, earlier, min_group)
    if reason:
        return {"withheld": reason.to_json(), "n": len(contributors)}
    if contributors == group:
        return {"value": value}
    return {"contributors": sorted(contributors), "value": value}


def cell_contributors(release: Release, key: str) -> frozenset[Any]:
    """Whose answers one figure of a release was drawn from."""
    cell = release.cells[key]
    return frozenset(cell["contributors"]) if "contributors" in cell else release.contributors


def counted_answers(store: WorkbookStore, cohort: Cohort) -> dict[str, CountedAnswers]:
    """Every participant's counted answers to each of the cohort's exercises, read once
    for a page that shows both progress and figures (none on a hub: answers stay there)."""
    if cohort.hub_group is not None:
        return {}
    return {exercise: store.counted_answers(cohort.id, exercise) for exercise in cohort.exercises}


def participant_progress(
    store: WorkbookStore, cohort: Cohort, answers: dict[str, CountedAnswers] | None = None
) -> list[tuple[Participant, dict[str, str]]]:
    """Each participant (by alias) with their progress on each of the cohort's exercises."""
    if cohort.hub_group is not None:
        _, _, page = store.sent_progress(cohort.id)
        return [
            (p, {e: "done" if e in sent else "not sent" for e in cohort.exercises})
            for p, sent in page
        ]
    if answers is None:
        answers = counted_answers(store, cohort)
    progress: dict[int, dict[str, str]] = {}
    for exercise, by_participant in answers.items():
        for participant, values in by_participant.items():
            progress.setdefault(participant, {})[exercise] = EXERCISES[exercise].progress(values)
    return [
        (p, {e: progress.get(p.id, {}).get(e, "not started") for e in cohort.exercises})
        for p in store.participants(cohort.id)
    ]


def cohort_frames(store: WorkbookStore, cohort: Cohort) -> dict[str, pd.DataFrame]:
    """The cohort's anonymous figures as tidy DataFrames:

    - ``"figures"``: one row per participant-figure (the columns of :mod:`.figures`), only
      for figures the facilitator may see, each participant under a random id drawn for
      this call (so two exports cannot be matched up), rows in random order;
    - ``"aggregates"``: one row per figure shown (``exercise``, ``measure``, ``item``,
      ``statistic``, ``value``).
    """
    figure_rows = []
    aggregate_rows = []
    for exercise in cohort.exercises:
        values = finished_values(store, cohort, exercise)
        results = exercise_results(store, cohort, exercise, values=values)
        if results.release is None:
            continue
        released = {p: v for p, v in values.items() if p in results.release.contributors}
        rows, statistics = _exercise_frames(exercise, released, results.release.cells)
        figure_rows.append(rows)
        aggregate_rows.extend(statistics)
    return _frames(figure_rows, aggregate_rows, None)


def _exercise_frames(
    exercise: str, values: dict[Any, CohortValues], drawn: dict[str, Any]
) -> tuple[pd.DataFrame, list[tuple]]:
    """One exercise's participant rows and aggregate rows, for the figures ``drawn`` shows."""
    declared = EXERCISES[exercise]
    shown = {key for key, cell in drawn.items() if "value" in cell}
    rows = tidy_rows(exercise, declared.content().cohort, values)
    rows = rows[[key in shown for key in _cell_keys(rows, declared)]]
    statistics = []
    for key in sorted(shown):
        measure, _, item = key.partition("/")
        statistics.extend(_statistics(exercise, measure, item, drawn[key]["value"]))
    return rows, statistics


def _frames(
    figure_rows: list[pd.DataFrame], aggregate_rows: list[tuple], ids: dict[Any, str] | None
) -> dict[str, pd.DataFrame]:
    figures = pd.concat(figure_rows) if figure_rows else pd.DataFrame(columns=COLUMNS)
    if ids is None:
        ids = _random_ids(sorted(set(figures["participant"])))
        figures = figures.sample(frac=1, random_state=secrets.randbits(32))
    figures = figures.assign(participant=figures["participant"].map(ids)).reset_index(drop=True)
    aggregates = pd.DataFrame(
        aggregate_rows, columns=["exercise", "measure", "item", "statistic", "value"]
    )
    return {"figures": figures, "aggregates": aggregates}


def sample_frames() -> dict[str, pd.DataFrame]:
    """The frames of a made-up cohort of six (``sample.json``), drawn by the same functions
    as a real cohort's, with fixed ids: to try the notebook on before a cohort has figures."""
    sample = json.loads(Path(__file__).with_name("sample.json").read_text("utf-8"))
    leaders = dict(enumerate(sample["leaders"], start=1))
    figure_rows, aggregate_rows = [], []
    for exercise, declared in EXERCISES.items():
        values = {n: leader[exercise] for n, leader in leaders.items() if exercise in leader}
        drawn = _draw(exercise, declared.content().cohort, values, [], sample["min_group"])
        rows, statistics = _exercise_frames(exercise, values, drawn)
        figure_rows.append(rows)
        aggregate_rows.extend(statistics)
    return _frames(figure_rows, aggregate_rows, {n: f"p-{n}" for n in leaders})


def _cell_keys(rows: pd.DataFrame, declared: Any) -> list[str]:
    """The key of the figure each row feeds (see :class:`.figures.Cell`)."""
    kinds = {m.id: m.kind for m in declared.content().cohort}
    return [
        f"{measure}/{item}" if kinds[measure] == "items" else measure
        for measure, item in zip(rows["measure"], rows["item"], strict=True)
    ]


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


def _random_ids(participants: list[Any]) -> dict[Any, str]:
    ids: dict[Any, str] = {}
    for participant in participants:
        while (candidate := f"p-{secrets.token_hex(3)}") in ids.values():
            pass
        ids[participant] = candidate
    return ids


def _statistics(exercise: str, measure: str, item: str, value: dict[str, Any]) -> list[tuple]:
    rows: list[tuple] = [(exercise, measure, item, "n", float(value["n"]))]
    for statistic in ("median", "q1", "q3", "yes"):
        if statistic in value:
            rows.append((exercise, measure, item, statistic, float(value[statistic])))
    for group in ("bands", "counts", "places"):
        for name, number in value.get(group, {}).items():
            rows.append(
                (exercise, measure, f"{item}/{name}" if item else name, group, float(number))
            )
    return rows
