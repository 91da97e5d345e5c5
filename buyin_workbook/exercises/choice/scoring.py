"""Scoring of "How much choice can I give?": pure functions, plain data and pandas, no widgets.

Headroom of a decision on one dimension (WHAT or HOW) is ``max(0, possible - today)``: the
delegation levels the leader could hand over without breaking a real constraint. A decision's
headroom adds WHAT and HOW (0 to 12); the plan's total adds every rated decision.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import pandas as pd

from ..._text import N_
from ...kit.cohort import CohortValues
from ...kit.declaration import Figures, Progress
from .content import DIMENSIONS, MOMENTS, ChoiceContent, load_content
from .model import ChoiceAnswers, Constraint, Decision
from .team_say import felt_say_gap, shown_team_say

#: Levels at or below which the team is only told or sold to: always worth explaining.
TOLD_OR_SOLD = 2
#: The first level at which the team has a real say (Agree).
REAL_SAY = 4
#: The most decisions the reading names as places to offer choice.
TOP_OPPORTUNITIES = 3

RATING_COLUMNS = [
    "decision_id",
    "decision",
    "order",
    "dimension",
    "today",
    "possible",
    "headroom",
    "over_limit",
]

ReadingKind = Literal[
    "incomplete", "already_open", "no_room_real", "no_room_self", "no_room_unexplained", "headroom"
]


def is_rated(answers: ChoiceAnswers, decision: Decision) -> bool:
    """Whether all four levels of a decision are given."""
    return all(
        answers.rating(decision.id, dim, moment) is not None
        for dim in DIMENSIONS
        for moment in MOMENTS
    )


def ratings_frame(answers: ChoiceAnswers) -> pd.DataFrame:
    """One row per rated decision and dimension, in the leader's order."""
    rows = []
    for order, decision in enumerate(answers.decisions):
        if not is_rated(answers, decision):
            continue
        for dim in DIMENSIONS:
            today = answers.rating(decision.id, dim, "today")
            possible = answers.rating(decision.id, dim, "possible")
            assert today is not None and possible is not None
            rows.append(
                {
                    "decision_id": decision.id,
                    "decision": decision.label,
                    "order": order,
                    "dimension": dim,
                    "today": today,
                    "possible": possible,
                    "headroom": max(0, possible - today),
                    "over_limit": possible < today,
                }
            )
    return pd.DataFrame(rows, columns=RATING_COLUMNS).astype(
        {
            "order": "int64",
            "today": "int64",
            "possible": "int64",
            "headroom": "int64",
            "over_limit": "bool",
        }
    )


def needs_constraint(today: int | None, possible: int | None) -> bool:
    """Whether to ask what holds the leader back on one dimension of one decision.

    Asked when the most they could give is no higher than today (unless the team already
    decides alone), or when the team is only told or sold to.
    """
    if today is None or possible is None:
        return False
    no_room = possible <= today and today < 7
    return no_room or today <= TOLD_OR_SOLD


def constraints_to_name(answers: ChoiceAnswers) -> list[tuple[Decision, str]]:
    """(decision, dimension) pairs for which step 4 asks what holds the leader."""
    return [
        (decision, dim)
        for decision in answers.decisions
        for dim in DIMENSIONS
        if needs_constraint(
            answers.rating(decision.id, dim, "today"), answers.rating(decision.id, dim, "possible")
        )
    ]


def headroom_by_decision(frame: pd.DataFrame, content: ChoiceContent | None = None) -> pd.DataFrame:
    """Headroom per decision: WHAT, HOW, their total, its band, and the opportunity score.

    The opportunity score ranks where offering choice would do most: the total headroom plus
    one for each dimension where the team would move from the leader deciding (levels 1-3)
    to a real say (Agree or above).
    """
    content = content or load_content()
    columns = ["decision_id", "decision", "order", "what", "how", "total", "band", "opportunity"]
    if frame.empty:
        return pd.DataFrame(columns=columns)
    crossing = (frame["today"] < REAL_SAY) & (frame["possible"] >= REAL_SAY)
    scored = frame.assign(crossing=crossing.astype(int))
    wide = scored.pivot_table(
        index=["decision_id", "decision", "order"],
        columns="dimension",
        values="headroom",
        aggfunc="sum",
    ).reset_index()
    crossings = scored.groupby("decision_id")["crossing"].sum()
    wide["total"] = wide["what"] + wide["how"]
    wide["band"] = [content.headroom_band(total).id for total in wide["total"]]
    wide["opportunity"] = wide["total"] + wide["decision_id"].map(crossings)
    wide.columns.name = None
    return wide.sort_values("order")[columns].reset_index(drop=True)


def top_opportunities(by_decision: pd.DataFrame, limit: int = TOP_OPPORTUNITIES) -> list[str]:
    """Up to ``limit`` decisions where offering choice would do most (ties: leader's order)."""
    ranked = by_decision[by_decision["total"] > 0].sort_values(
        ["opportunity", "order"], ascending=[False, True], kind="stable"
    )
    return list(ranked["decision"].head(limit))


@dataclass(frozen=True)
class NamedConstraint:
    decision: str
    dimension: str
    kind: str
    nature: str
    note: str


def named_constraints(
    answers: ChoiceAnswers, content: ChoiceContent | None = None
) -> list[NamedConstraint]:
    """Answered constraints for the decisions and dimensions step 4 asks about."""
    content = content or load_content()
    named = []
    for decision, dim in constraints_to_name(answers):
        constraint = answers.constraints.get((decision.id, dim), Constraint())
        if constraint.answered:
            assert constraint.kind is not None and constraint.nature is not None
            named.append(
                NamedConstraint(
                    decision.label,
                    content.dimensions[dim]["label"],
                    content.constraint_kind(constraint.kind).label,
                    constraint.nature,
                    constraint.note,
                )
            )
    return named


@dataclass(frozen=True)
class Reading:
    """The honest reading of the exercise, as plain text paragraphs."""

    kind: ReadingKind
    paragraphs: list[str]
    total_headroom: int = 0
    average_headroom: float = 0.0
    band: str | None = None
    top: list[str] = field(default_factory=list)
    self_imposed: list[str] = field(default_factory=list)


def reading(answers: ChoiceAnswers, content: ChoiceContent | None = None) -> Reading:
    """What the answers say, in plain words, with the leader's own figures."""
    content = content or load_content()
    frame = ratings_frame(answers)
    rated = frame["decision_id"].nunique() if not frame.empty else 0
    if rated < content.limits["min_decisions"]:
        return Reading(
            "incomplete",
            [content.text("reading", "incomplete", min=content.limits["min_decisions"])],
        )

    by_decision = headroom_by_decision(frame, content)
    total = int(by_decision["total"].sum())
    average = round(total / rated, 1)
    named = named_constraints(answers, content)
    self_items = [f"{c.decision} ({c.dimension}): {c.kind}" for c in named if c.nature == "self"]
    unanswered = len(constraints_to_name(answers)) > len(named)

    over = frame[frame["over_limit"]]
    paragraphs: list[str] = []
    top: list[str] = []
    band = content.headroom_band(average)
    if total == 0:
        if (frame["today"] >= REAL_SAY).all():
            kind: ReadingKind = "already_open"
            paragraphs.append(
                content.text("reading", "already_open" if over.empty else "already_open_over")
            )
            if self_items:
                paragraphs.append(
                    content.text(
                        "reading",
                        "self_imposed",
                        count=len(self_items),
                        items="; ".join(self_items),
                    )
                )
        elif self_items:
            kind = "no_room_self"
            paragraphs.append(
                content.text(
                    "reading", "no_room_self", count=len(self_items), items="; ".join(self_items)
                )
            )
        elif unanswered:
            kind = "no_room_unexplained"
            paragraphs.append(content.text("reading", "no_room_unexplained"))
        else:
            kind = "no_room_real"
            paragraphs.append(content.text("reading", "no_room_real"))
    else:
        kind = "headroom"
        top = top_opportunities(by_decision)
        paragraphs.append(
            content.text(
                "reading",
                "headroom",
                total=total,
                average=f"{average:g}",
                band=band.name,
                top=content.listed(top),
            )
        )
        paragraphs.append(content.text("reading", "top_explain"))
        if self_items:
            paragraphs.append(
                content.text(
                    "reading", "self_imposed", count=len(self_items), items="; ".join(self_items)
                )
            )
    # Where the whole plan is fixed, no_room_real says it for every decision at once.
    fixed = _limited(answers, frame, content, nature="real", told_or_sold=True)
    if fixed and kind != "no_room_real":
        paragraphs.append(content.text("reading", "persuade", items=content.listed(fixed)))
    contradicting = _limited(answers, frame, content, nature="self", told_or_sold=False)
    if contradicting:
        paragraphs.append(
            content.text("reading", "self_at_possible", items=content.listed(contradicting))
        )
    if not over.empty:
        items = [
            f"{row.decision} ({content.dimensions[row.dimension]['label']})"
            for row in over.itertuples()
        ]
        paragraphs.append(content.text("reading", "over_limit", items=content.listed(items)))
    return Reading(kind, paragraphs, total, average, band.id, top, self_items)


def _limited(
    answers: ChoiceAnswers,
    frame: pd.DataFrame,
    content: ChoiceContent,
    *,
    nature: str,
    told_or_sold: bool,
) -> list[str]:
    """ "Decision (WHAT)" where the most possible is no higher than today and the limit named
    there is of this nature; with ``told_or_sold``, only where the team is told or sold to."""
    items = []
    for row in frame.itertuples():
        constraint = answers.constraints.get((row.decision_id, row.dimension), Constraint())
        if not constraint.answered or constraint.nature != nature or row.possible > row.today:
            continue
        if told_or_sold and row.today > TOLD_OR_SOLD:
            continue
        items.append(f"{row.decision} ({content.dimensions[row.dimension]['label']})")
    return items


def delegation_board(answers: ChoiceAnswers, content: ChoiceContent | None = None) -> str | None:
    """The levels agreed with the team, decision by decision, as one sentence; ``None``
    until one is agreed."""
    content = content or load_content()
    items = []
    for decision in answers.decisions:
        levels = [
            f"{content.dimensions[dim]['label']} {content.level(level).label}"
            for dim in DIMENSIONS
            if (level := answers.agreed.get((decision.id, dim))) is not None
        ]
        if levels:
            items.append(
                content.board["report_item"].format(
                    decision=decision.label, levels=", ".join(levels)
                )
            )
    return content.board["report"].format(items="; ".join(items)) if items else None


def progress(answers: ChoiceAnswers, content: ChoiceContent | None = None) -> Progress:
    """How far the leader is: done means enough decisions, all rated, every limit named."""
    content = content or load_content()
    if not answers.decisions and not answers.ratings and not answers.reflections:
        return "not started"
    enough = content.limits["min_decisions"] <= len(answers.decisions)
    all_rated = all(is_rated(answers, d) for d in answers.decisions)
    all_named = all(
        answers.constraints.get((d.id, dim), Constraint()).answered
        for d, dim in constraints_to_name(answers)
    )
    return "done" if enough and all_rated and all_named else "in progress"


# The figures' names are kept in each snapshot as written here (English); the report says
# them in its language from the catalogues.
_HEADROOM = N_("choice headroom (levels)")
_SAY_TODAY = N_("team's say today (average level)")
_FELT_SAY = N_("team's felt say vs yours (levels)")


def figures(answers: ChoiceAnswers) -> Figures:
    """The few numbers worth following over time: the headroom, the team's say today, and
    (once revealed) how the team's felt say compares with the leader's rating."""
    frame = ratings_frame(answers)
    shown = shown_team_say(answers)
    # Perceived against intended say: only once the team's answers are revealed.
    felt: Figures = {_FELT_SAY: felt_say_gap(shown) if shown else None}
    if frame.empty:
        return {_HEADROOM: None, _SAY_TODAY: None} | felt
    by_decision = headroom_by_decision(frame)
    own: Figures = {
        _HEADROOM: int(by_decision["total"].sum()),
        _SAY_TODAY: round(float(frame["today"].mean()), 2),
    }
    return own | felt


def cohort_values(answers: ChoiceAnswers) -> CohortValues:
    """What one leader gives a course cohort's figures: numbers and listed kinds only."""
    frame = ratings_frame(answers)
    if frame.empty:
        return {}
    by_decision = headroom_by_decision(frame)
    # Only constraints step 4 still asks about (a changed rating can make one moot).
    asked = {(decision.id, dim) for decision, dim in constraints_to_name(answers)}
    return {
        "headroom": round(float(by_decision["total"].mean()), 2),
        "say": {
            "today": round(float(frame["today"].mean()), 2),
            "possible": round(float(frame["possible"].mean()), 2),
        },
        "self_imposed": sorted(
            {
                constraint.kind
                for where, constraint in answers.constraints.items()
                if where in asked
                and constraint.answered
                and constraint.nature == "self"
                and constraint.kind is not None
            }
        ),
    }
