"""A cohort's figures: releases, progress and frames (pandas).

What a facilitator sees of an exercise is a *release*: figures drawn over the participants
who have finished it, kept in the store with who each figure was drawn over and the answers
behind it (counts per value, never who gave which), so every later release obeys the rules
of :mod:`buyin_workbook._disclosure` against all earlier ones. Between releases the figures
stay as they were, even if answers change, and everything a facilitator can get (the
dashboard, the frames, an export) is read from the releases alone.

Each function is handed the exercises it works on (their declarations, or a catalogue of
them by id); :mod:`buyin_workbook.cohorts` offers the same for the workbook's own.
"""

from __future__ import annotations

import json
import logging
import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import pandas as pd

from ..._disclosure import Memo, Withheld, withheld
from ...kit.cohort import CohortMeasure, CohortValues
from ...kit.declaration import Exercise
from .figures import Answers, cells, checked_values, counted_cells, tidy_rows

log = logging.getLogger(__name__)
_T = TypeVar("_T")

#: The exercises a cohort may hold, by id.
Catalogue = Mapping[str, Exercise]

if TYPE_CHECKING:
    from ...store import Cohort, Participant, Release, WorkbookStore


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


#: Each participant's answers to one exercise in the plan the cohort counts:
#: ``{participant id: {key: value}}`` (see :func:`counted_answers`).
CountedAnswers = dict[int, dict[str, Any]]


def _safely(what: Callable[[], _T], fallback: _T, participant: int, exercise: Exercise) -> _T:
    """One participant's answers read by an exercise's scoring; answers it cannot read
    (a forged or damaged plan) count as none, so one bad participant never breaks the page,
    the dashboard or the export for the others."""
    try:
        return what()
    except Exception:
        log.warning("Participant %s: answers to %s cannot be read", participant, exercise.id)
        return fallback


def finished_values(
    store: WorkbookStore,
    cohort: Cohort,
    exercise: Exercise,
    answers: CountedAnswers | None = None,
) -> dict[int, CohortValues]:
    """The measures of each participant who has finished ``exercise``, checked against the
    exercise's declared kinds and ranges (from ``answers`` when the caller has read them
    already)."""
    measures = exercise.content().cohort
    if cohort.hub_group is not None:
        # On a hub, participants' workbooks send their measures once they finish.
        return {
            participant: checked_values(measures, sent)
            for participant, sent in store.sent_values(cohort.id, exercise.id).items()
        }
    if answers is None:
        answers = _counted(store, cohort, exercise)
    finished = {}
    for participant, values in answers.items():
        if _progress(exercise, participant, values) == "done":
            given = _PARTICIPANT_VALUES.get(exercise, participant, values)
            finished[participant] = checked_values(measures, given)
    return finished


class _ValuesMemo:
    """Each participant's measures, kept by scoring and answers: a live dashboard is drawn
    again at every change in the room, and only the participant who changed something needs
    their answers read again (an exercise's scoring runs pandas: ~10 ms a participant)."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._kept: OrderedDict[tuple[Callable[..., Any], str], CohortValues] = OrderedDict()
        self._lock = threading.Lock()  # serve draws pages in several threads

    def get(self, exercise: Exercise, participant: int, values: dict[str, Any]) -> CohortValues:
        try:
            # By the scoring itself, not the exercise's id: another declaration, other reads.
            key = (exercise.cohort_values, json.dumps(values, sort_keys=True))
        except (TypeError, ValueError):  # not as stored: read it afresh
            return self._read(exercise, participant, values)
        with self._lock:
            if key in self._kept:
                self._kept.move_to_end(key)
                return self._kept[key]
        given = self._read(exercise, participant, values)
        with self._lock:
            self._kept[key] = given  # read only: checked_values copies what it keeps
            while len(self._kept) > self._size:
                self._kept.popitem(last=False)
        return given

    @staticmethod
    def _read(exercise: Exercise, participant: int, values: dict[str, Any]) -> CohortValues:
        empty: CohortValues = {}
        return _safely(partial(exercise.cohort_values, values), empty, participant, exercise)


#: Enough for a few large cohorts' every exercise.
_PARTICIPANT_VALUES = _ValuesMemo(4096)


def _progress(exercise: Exercise, participant: int, values: dict[str, Any]) -> str:
    return _safely(partial(exercise.progress, values), "not started", participant, exercise)


def exercise_results(
    store: WorkbookStore,
    cohort: Cohort,
    exercise: Exercise,
    *,
    release: bool = True,
    values: dict[int, CohortValues] | None = None,
    language: str = "en",
) -> ExerciseResults:
    """An exercise's figures, its words in ``language`` (the figures are by ids, the same in
    every language). With ``release`` (the facilitator's view, from the coach's store) a
    new release is made first when the finished group allows one; ``values`` are the
    finished participants' measures when the caller has them already. Without it (a
    participant's page) only the latest release is read."""
    content = exercise.content(language)
    if not release:
        latest = store.latest_release(cohort.id, exercise.id)
        finished = len(latest.contributors) if latest else 0
        return ExerciseResults(
            exercise.id, content.title, content.cohort, cohort.min_group, latest, finished, None
        )
    latest = store.latest_release(cohort.id, exercise.id)
    on_hub = cohort.hub_group is not None
    if on_hub:
        # Counted by the database: only ids here, never everyone's measures.
        group = store.sent_group(cohort.id, exercise.id)
    else:
        if values is None:
            values = finished_values(store, cohort, exercise)
        group = frozenset(values)
    waiting = None
    if latest is None or group != latest.contributors:
        # Only a changed group needs every earlier release (the subtraction rule).
        releases = store.releases(cohort.id, exercise.id)
        waiting = withheld(group, (r.contributors for r in releases), cohort.min_group)
        if waiting is None:
            if on_hub:
                drawn = _draw_counted(store, cohort, exercise.id, content.cohort, group, releases)
            else:
                assert values is not None
                drawn = _draw(exercise.id, content.cohort, values, releases, cohort.min_group)
            latest = store.add_release(cohort.id, exercise.id, group, drawn)
    return ExerciseResults(
        exercise.id, content.title, content.cohort, cohort.min_group, latest, len(group), waiting
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
    memo: Memo = {}
    for measure in measures:
        for cell in cells(measure, rows):
            drawn[cell.key] = _drawn_cell(
                cell.contributors,
                cell.value,
                cell.answers,
                group,
                releases,
                cell.key,
                min_group,
                memo,
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
    memo: Memo = {}
    for measure in measures:
        if measure.id not in counted:
            continue
        for key, item, people, value, answers in counted_cells(
            measure, counted[measure.id], sizes[measure.id]
        ):
            contributors = (
                group
                if people == len(group)
                else store.figure_members(cohort.id, exercise, measure.id, item)
            )
            drawn[key] = _drawn_cell(
                contributors, value, answers, group, releases, key, cohort.min_group, memo
            )
    return drawn


def _drawn_cell(
    contributors: frozenset[Any],
    value: dict[str, Any],
    answers: Answers,
    group: frozenset[Any],
    releases: list[Release],
    key: str,
    min_group: int,
    memo: Memo,
) -> dict[str, Any]:
    """One figure of a new release, or why it is withheld. Beside its value it keeps the
    answers behind it (how many gave each, never who), which the frames and exports read;
    its contributors are kept only when they are not the release's whole group (10,000 ids
    once, not once a figure)."""
    earlier = [cell_contributors(r, key) for r in releases if "value" in r.cells.get(key, {})]
    reason = withheld(contributors, earlier, min_group, memo=memo)
    if reason:
        return {"withheld": reason.to_json(), "n": len(contributors)}
    shown = {"value": value, "answers": [list(answer) for answer in answers]}
    if contributors == group:
        return shown
    return {"contributors": sorted(contributors), **shown}


def cell_contributors(release: Release, key: str) -> frozenset[Any]:
    """Whose answers one figure of a release was drawn from."""
    cell = release.cells[key]
    return frozenset(cell["contributors"]) if "contributors" in cell else release.contributors


def counted_answers(
    store: WorkbookStore, cohort: Cohort, catalogue: Catalogue
) -> dict[str, CountedAnswers]:
    """Every participant's counted answers to each of the cohort's exercises, read once
    for a page that shows both progress and figures (none on a hub: answers stay there).

    A participant with several plans is counted, per exercise, by the plan they changed last
    among those where the exercise is done, or else by the plan they changed last: starting
    a new plan does not take their finished answers out of the figures (which would hold
    the figures back, see :mod:`buyin_workbook._disclosure`)."""
    if cohort.hub_group is not None:
        return {}
    return {e: _counted(store, cohort, catalogue[e]) for e in cohort.exercises}


def _counted(store: WorkbookStore, cohort: Cohort, exercise: Exercise) -> CountedAnswers:
    chosen: CountedAnswers = {}
    for participant, plans in store.participant_answers(cohort.id, exercise.id).items():
        done = [v for v in plans if _progress(exercise, participant, v) == "done"]
        chosen[participant] = (done or plans)[-1]
    return chosen


def participant_progress(
    store: WorkbookStore,
    cohort: Cohort,
    catalogue: Catalogue,
    answers: dict[str, CountedAnswers] | None = None,
) -> list[tuple[Participant, dict[str, str]]]:
    """Each participant (by alias) with their progress on each of the cohort's exercises."""
    if cohort.hub_group is not None:
        _, _, page = store.sent_progress(cohort.id)
        return [
            (p, {e: "done" if e in sent else "not sent" for e in cohort.exercises})
            for p, sent in page
        ]
    if answers is None:
        answers = counted_answers(store, cohort, catalogue)
    progress: dict[int, dict[str, str]] = {}
    for exercise, by_participant in answers.items():
        for participant, values in by_participant.items():
            progress.setdefault(participant, {})[exercise] = _progress(
                catalogue[exercise], participant, values
            )
    return [
        (p, {e: progress.get(p.id, {}).get(e, "not started") for e in cohort.exercises})
        for p in store.participants(cohort.id)
    ]


#: The columns of the ``values`` frame: one row per answer behind a figure shown.
VALUE_COLUMNS = ["exercise", "measure", "item", "value"]
AGGREGATE_COLUMNS = ["exercise", "measure", "item", "statistic", "value"]


def cohort_frames(
    store: WorkbookStore, cohort: Cohort, catalogue: Catalogue
) -> dict[str, pd.DataFrame]:
    """The cohort's released figures as tidy DataFrames, read from the releases alone (what
    the dashboard shows, never answers as they are now):

    - ``"values"``: one row per answer behind each figure shown (``exercise``, ``measure``,
      ``item``, ``value``), sorted, with no id: rows of two figures cannot be joined, so no
      row can be followed across measures, exercises or exports to one person;
    - ``"aggregates"``: one row per figure shown (``exercise``, ``measure``, ``item``,
      ``statistic``, ``value``).

    A figure held back on the dashboard is held back here too. Figures released before
    this version kept no answers behind them: they are in ``aggregates`` only, until the
    next release.
    """
    value_rows: list[tuple[str, str, str, float]] = []
    aggregate_rows: list[tuple] = []
    for exercise in cohort.exercises:
        # As the dashboard does: a new release first when the finished group allows one.
        results = exercise_results(store, cohort, catalogue[exercise])
        if results.release is not None:
            _release_rows(exercise, results.release.cells, value_rows, aggregate_rows)
    return _frames(value_rows, aggregate_rows)


def _release_rows(
    exercise: str, drawn: dict[str, Any], value_rows: list[tuple], aggregate_rows: list[tuple]
) -> None:
    """One exercise's value rows and aggregate rows, for the figures ``drawn`` shows."""
    for key in sorted(drawn):
        cell = drawn[key]
        if "value" not in cell:
            continue
        measure, _, item = key.partition("/")
        aggregate_rows.extend(_statistics(exercise, measure, item, cell["value"]))
        for answer_item, value, people in cell.get("answers", []):
            value_rows.extend([(exercise, measure, answer_item, float(value))] * int(people))


def _frames(value_rows: list[tuple], aggregate_rows: list[tuple]) -> dict[str, pd.DataFrame]:
    values = pd.DataFrame(value_rows, columns=VALUE_COLUMNS).astype({"value": "float64"})
    aggregates = pd.DataFrame(aggregate_rows, columns=AGGREGATE_COLUMNS)
    return {"values": values, "aggregates": aggregates}


def sample_frames(catalogue: Catalogue) -> dict[str, pd.DataFrame]:
    """The frames of a made-up cohort of six (``sample.json``), drawn by the same functions
    as a real cohort's: to try the notebook on before a cohort has figures."""
    sample = json.loads(Path(__file__).with_name("sample.json").read_text("utf-8"))
    leaders = dict(enumerate(sample["leaders"], start=1))
    value_rows: list[tuple] = []
    aggregate_rows: list[tuple] = []
    for exercise, declared in catalogue.items():
        values = {n: leader[exercise] for n, leader in leaders.items() if exercise in leader}
        drawn = _draw(exercise, declared.content().cohort, values, [], sample["min_group"])
        _release_rows(exercise, drawn, value_rows, aggregate_rows)
    return _frames(value_rows, aggregate_rows)


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
