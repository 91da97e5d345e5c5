"""The plan's summary report as plain data: what every exercise done so far says.

Building reads only the store; rendering (``render.py``) turns the result into files.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

import altair as alt
import pandas as pd

from .._text import optional_date
from .._version import __version__
from ..exercises import EXERCISES
from ..store import WorkbookStore

#: Where the summary notebook keeps the leader's action list.
SUMMARY = "summary"
NOT_STARTED = "Not started yet."


@dataclass(frozen=True)
class ReportChart:
    name: str
    title: str
    chart: alt.TopLevelMixin
    #: Text alternative, for screen readers and for the Markdown export.
    description: str


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


def read_actions(values: dict[str, Any]) -> list[Action]:
    actions = []
    for item in values.get("actions") or []:
        if not isinstance(item, dict):
            continue
        actions.append(Action(str(item.get("what", "")), str(item.get("who", "")),
                              optional_date(item.get("by_when"))))
    return [action for action in actions if action.what.strip()]


# -- one section per exercise ----------------------------------------------------------------

def _choice(values: dict[str, Any]) -> tuple[list[str], list[tuple[str, str]], list[ReportChart]]:
    from ..exercises.choice import charts, scoring
    from ..exercises.choice.model import ChoiceAnswers

    answers = ChoiceAnswers.from_store(values)
    result = scoring.reading(answers)
    frame = scoring.ratings_frame(answers)
    facts = [("Decisions listed", str(len(answers.decisions)))]
    report_charts = []
    if not frame.empty:
        by_decision = scoring.headroom_by_decision(frame)
        facts.append(("Choice headroom", f"{int(by_decision['total'].sum())} levels"))
        per_decision = ", ".join(f"{r.decision}: {r.total}" for r in by_decision.itertuples())
        report_charts = [
            ReportChart("choice-today-and-possible", "Today and the most you could give",
                        charts.choice_chart(frame), f"Delegation levels per decision. "
                        f"Headroom per decision: {per_decision}."),
            ReportChart("choice-headroom", "Levels you could hand over",
                        charts.headroom_chart(by_decision), per_decision),
        ]
    return result.paragraphs, facts, report_charts


def _selfcheck(values: dict[str, Any]
               ) -> tuple[list[str], list[tuple[str, str]], list[ReportChart]]:
    from ..exercises.selfcheck import charts, scoring
    from ..exercises.selfcheck.content import load_content
    from ..exercises.selfcheck.model import SelfCheckAnswers

    content = load_content()
    answers = SelfCheckAnswers.from_store(values)
    facts = []
    report_charts = []
    if answers.attitude:
        attitude = content.attitude(answers.attitude)
        facts.append(("Attitude", f"{attitude.name} ({content.states[attitude.state]})"))
        report_charts.append(ReportChart("selfcheck-ladder", "Where you stand",
                                         charts.ladder_chart(attitude.id), attitude.name))
    if answers.stance:
        facts.append(("Stance", next(s.label for s in content.stances
                                     if s.id == answers.stance)))
    if answers.sentence:
        facts.append(("The goal in one sentence", answers.sentence))
    profile = scoring.foundation_profile(answers)
    if not profile.empty:
        report_charts.append(ReportChart(
            "selfcheck-foundations", "The five foundations", charts.foundations_chart(profile),
            ", ".join(f"{r.foundation} {r.score}" for r in profile.itertuples())))
    return scoring.reading(answers).paragraphs, facts, report_charts


def _motivators(values: dict[str, Any]
                ) -> tuple[list[str], list[tuple[str, str]], list[ReportChart]]:
    from ..exercises.motivators import charts, scoring
    from ..exercises.motivators.model import MotivatorsAnswers

    answers = MotivatorsAnswers.from_store(values)
    analysis = scoring.analyse(answers)
    facts = [("People", str(len(answers.members)))]
    report_charts = []
    overlaps = analysis.overlaps_frame()
    if analysis.members and overlaps[["plan", "me"]].notna().any().any():
        report_charts.append(ReportChart(
            "motivators-overlap", "Overlap with the plan and with you",
            charts.overlap_chart(overlaps), "; ".join(
                f"{r.member}: plan {r.plan}, me {r.me}" for r in overlaps.itertuples())))
    if analysis.members:
        importance = scoring.importance_frame(answers)
        names = [m.name for m in scoring.catalogue(answers)]
        report_charts.append(ReportChart("motivators-heatmap", "What moves each person",
                                         charts.heatmap(importance, names),
                                         f"{len(analysis.members)} people"))
    return analysis.paragraphs, facts, report_charts


def _stakeholders(values: dict[str, Any]
                  ) -> tuple[list[str], list[tuple[str, str]], list[ReportChart]]:
    from ..exercises.stakeholders import charts, scoring
    from ..exercises.stakeholders.model import StakeholdersAnswers

    analysis = scoring.analyse(StakeholdersAnswers.from_store(values))
    facts = [(f"Champion: {c.name}",
              "; ".join(part for part in (f"sells to {c.audience}" if c.audience else "",
                                          f"case: {c.case}" if c.case else "") if part)
              or "audience and case not written yet")
             for c in analysis.champions]
    facts += [(f"Next conversation: {c.who or 'someone to name'}",
               (c.about or "topic not written yet")
               + (f" (by {c.by_when:%d %b %Y})" if c.by_when else ""))
              for c in analysis.next_conversations]
    report_charts = []
    if not analysis.grid.empty:
        report_charts.append(ReportChart("stakeholders-grid", "Power and interest",
                                         charts.grid_chart(analysis.grid),
                                         f"{len(analysis.grid)} stakeholders"))
    return analysis.paragraphs, facts, report_charts


SectionBuilder = Callable[[dict[str, Any]],
                          tuple[list[str], list[tuple[str, str]], list[ReportChart]]]
_BUILDERS: dict[str, SectionBuilder] = {"choice": _choice, "selfcheck": _selfcheck,
                                        "motivators": _motivators,
                                        "stakeholders": _stakeholders}


def trend_chart(store: WorkbookStore, plan_id: int) -> ReportChart | None:
    """How the key figures moved between snapshots (needs two snapshots of something)."""
    rows = []
    for snapshot in store.snapshots(plan_id):
        title = EXERCISES[snapshot.exercise].title if snapshot.exercise in EXERCISES else ""
        for name, value in snapshot.figures.items():
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                rows.append({"taken_at": snapshot.taken_at, "figure": name,
                             "exercise": title, "value": value})
    frame = pd.DataFrame(rows, columns=["taken_at", "figure", "exercise", "value"])
    if frame.empty or frame.groupby("figure")["taken_at"].nunique().max() < 2:
        return None
    frame["taken_at"] = pd.to_datetime(frame["taken_at"], utc=True)
    base = alt.Chart(frame).encode(
        x=alt.X("taken_at:T", title="Snapshot"),
        y=alt.Y("value:Q", title=None),
        tooltip=["figure:N", "taken_at:T", "value:Q"],
    )
    chart = (
        alt.layer(base.mark_line(), base.mark_point(filled=True), data=frame)
        .properties(width=300, height=120)
        .facet(facet=alt.Facet("figure:N", title=None), columns=2)
        .resolve_scale(y="independent")
        .properties(title="How the key figures moved between snapshots")
    )
    summary = "; ".join(f"{figure}: {', '.join(f'{v:g}' for v in group['value'])}"
                        for figure, group in frame.groupby("figure", sort=False))
    return ReportChart("history-trend", "How the key figures moved", chart, summary)


def build_report(store: WorkbookStore, plan_id: int) -> Report:
    """Everything done so far for one plan; exercises not started say so."""
    plan = store.get_plan(plan_id)
    sections = []
    for exercise in EXERCISES.values():
        values = {key: answer.value for key, answer in store.answers(plan_id, exercise.id).items()}
        progress = exercise.progress(values)
        if progress == "not started":
            sections.append(ReportSection(exercise.id, exercise.title, progress, [NOT_STARTED]))
            continue
        paragraphs, facts, report_charts = _BUILDERS[exercise.id](values)
        sections.append(ReportSection(exercise.id, exercise.title, progress, paragraphs, facts,
                                      report_charts))
    summary = {key: answer.value for key, answer in store.answers(plan_id, SUMMARY).items()}
    return Report(plan.name, datetime.now(UTC).isoformat(timespec="seconds"), sections,
                  read_actions(summary), trend_chart(store, plan_id))
