"""The plan's summary report as plain data: what every exercise done so far says.

Building reads only the store; rendering (``render.py``) turns the result into files.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

import altair as alt
import pandas as pd

from .._text import optional_date
from .._version import __version__
from ..exercise_ids import SUMMARY
from ..exercises import EXERCISES, ReportChart
from ..kit.charts import tooltips
from ..languages import N_, translator
from ..store import WorkbookStore
from ..use_cases.plans import plan_values
from .across import across_exercises
from .content import load_content

NOT_STARTED = N_("Not started yet.")
#: Where an exercise stands (its progress id), as the report says it.
PROGRESS = {"not started": N_("not started"), "in progress": N_("in progress"), "done": N_("done")}
_SNAPSHOT = N_("Snapshot")
_FIGURE = N_("Figure")
_VALUE = N_("Value")
_MOVED = N_("How the key figures moved between snapshots")
_MOVED_SHORT = N_("How the key figures moved")
#: The report's section of readings across exercises (not an exercise of its own).
ACROSS = "across"


@dataclass(frozen=True)
class ReportSection:
    exercise: str
    title: str
    progress: str
    paragraphs: list[str] = field(default_factory=list)
    facts: list[tuple[str, str]] = field(default_factory=list)
    charts: list[ReportChart] = field(default_factory=list)


@dataclass(frozen=True)
class Action:
    what: str
    who: str
    by_when: date | None


@dataclass(frozen=True)
class Report:
    plan: str
    generated_at: str
    sections: list[ReportSection]
    actions: list[Action]
    trend: ReportChart | None
    app_version: str = __version__
    #: The language its words are in.
    language: str = "en"


def read_actions(values: dict[str, Any]) -> list[Action]:
    actions = []
    for item in values.get("actions") or []:
        if not isinstance(item, dict):
            continue
        actions.append(
            Action(
                str(item.get("what", "")),
                str(item.get("who", "")),
                optional_date(item.get("by_when")),
            )
        )
    return [action for action in actions if action.what.strip()]


#: One figure in the trend's text: its name, then its values in the order taken.
_FIGURE_MOVED = N_("{figure}: {values}")


def snapshot_labels(stamps: list[pd.Timestamp], language: str = "en") -> dict[pd.Timestamp, str]:
    """Each snapshot's label: its date ("26 Nov 2026"), with the time only where two
    snapshots share a day (and the seconds only where they share a minute)."""
    words = translator(language)
    unique = sorted(set(stamps))
    days = Counter(stamp.date() for stamp in unique)
    minutes = Counter(stamp.strftime("%Y-%m-%d %H:%M") for stamp in unique)
    labels = {}
    for stamp in unique:
        label = words.short_day(stamp.date()).lstrip("0")
        if days[stamp.date()] > 1:
            many = minutes[stamp.strftime("%Y-%m-%d %H:%M")] > 1
            label += f" {stamp:%H:%M:%S}" if many else f" {stamp:%H:%M}"
        labels[stamp] = label
    return labels


def trend_chart(store: WorkbookStore, plan_id: int, language: str = "en") -> ReportChart | None:
    """How the key figures moved between snapshots (needs two snapshots of something)."""
    words = translator(language)
    titles = {e.id: e.content(language).title for e in EXERCISES.values()}
    rows = []
    for snapshot in store.snapshots(plan_id):
        title = titles.get(snapshot.exercise, "")
        declared = EXERCISES.get(snapshot.exercise)
        for name, value in snapshot.figures.items():
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                rows.append(
                    {
                        "taken_at": snapshot.taken_at,
                        "figure": declared.figure_name(name, language) if declared else name,
                        "exercise": title,
                        "value": value,
                    }
                )
    frame = pd.DataFrame(rows, columns=["taken_at", "figure", "exercise", "value"])
    if frame.empty or frame.groupby("figure")["taken_at"].nunique().max() < 2:
        return None
    frame["taken_at"] = pd.to_datetime(frame["taken_at"], utc=True)
    labels = snapshot_labels(list(frame["taken_at"]), language)
    frame["snapshot"] = frame["taken_at"].map(labels)
    order = list(dict.fromkeys(labels[stamp] for stamp in sorted(labels)))
    base = alt.Chart(frame).encode(
        x=alt.X(
            "snapshot:O", title=words.gettext(_SNAPSHOT), sort=order, axis=alt.Axis(labelAngle=-30)
        ),
        y=alt.Y("value:Q", title=None),
        tooltip=tooltips(
            "figure:N",
            "snapshot:N",
            "value:Q",
            words=words,
            titles={"figure": _FIGURE, "snapshot": _SNAPSHOT, "value": _VALUE},
        ),
    )
    chart = (
        alt.layer(base.mark_line(), base.mark_point(filled=True), data=frame)
        .properties(width=300, height=120)
        .facet(facet=alt.Facet("figure:N", title=None), columns=2)
        .resolve_scale(y="independent")
        .properties(title=words.gettext(_MOVED))
    )
    # Each figure's values in the order taken, as the report's language writes numbers.
    moves = {
        figure: " → ".join(words.number(v) for v in group["value"])
        for figure, group in frame.groupby("figure", sort=False)
    }
    summary = "; ".join(
        words.gettext(_FIGURE_MOVED, figure=figure, values=values)
        for figure, values in moves.items()
    )
    return ReportChart("history-trend", words.gettext(_MOVED_SHORT), chart, summary)


def build_report(store: WorkbookStore, plan_id: int, language: str = "en") -> Report:
    """Everything done so far for one plan, in ``language``; exercises not started say so."""
    words = translator(language)
    plan = store.get_plan(plan_id)
    sections = []
    answers = {}
    for exercise in EXERCISES.values():
        values = answers[exercise.id] = plan_values(store, plan_id, exercise.id)
        progress = exercise.progress(values)
        title = exercise.content(language).title
        said = words.gettext(PROGRESS[progress])
        if progress == "not started":
            sections.append(ReportSection(exercise.id, title, said, [words.gettext(NOT_STARTED)]))
            continue
        part = exercise.report(values, language)
        sections.append(
            ReportSection(exercise.id, title, said, part.paragraphs, part.facts, part.charts)
        )
    across = across_exercises(answers, language)
    if across:
        across_words = load_content(language).across
        sections.append(
            ReportSection(ACROSS, across_words["title"], across_words["progress"], across)
        )
    summary = {key: answer.value for key, answer in store.answers(plan_id, SUMMARY).items()}
    return Report(
        plan.name,
        datetime.now(UTC).isoformat(timespec="seconds"),
        sections,
        read_actions(summary),
        trend_chart(store, plan_id, language),
        language=language,
    )
