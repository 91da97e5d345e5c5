"""Scoring of "Am I bought in myself?": pure functions on plain data, no widgets (the
sentence's checks are in :mod:`.sentences`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Literal

import pandas as pd

from ..._text import N_
from ...kit.cohort import CohortValues
from ...kit.declaration import Figures, Progress
from .content import SelfCheckContent, load_content
from .model import SelfCheckAnswers
from .sentences import (
    Finding,
    measure_mentioned,
    outcome_mentioned,
    purpose_mentioned,
    sentence_count,
    sentence_findings,
    time_mentioned,
    vague_words_in,
    words,
)
from .their_words import shared_outcome_share, shown_goals

__all__ = [
    "Finding",
    "measure_mentioned",
    "outcome_mentioned",
    "purpose_mentioned",
    "sentence_count",
    "sentence_findings",
    "time_mentioned",
    "vague_words_in",
    "words",
]


def foundation_profile(
    answers: SelfCheckAnswers, content: SelfCheckContent | None = None
) -> pd.DataFrame:
    """One row per rated foundation, in content order, with its band."""
    content = content or load_content()
    rows = [
        {
            "foundation_id": f.id,
            "foundation": f.label,
            "order": index,
            "score": score,
            "band": content.foundation_band(score).id,
        }
        for index, f in enumerate(content.foundations)
        if (score := answers.scores.get(f.id)) is not None
    ]
    columns = ["foundation_id", "foundation", "order", "score", "band"]
    return pd.DataFrame(rows, columns=columns)


def weakest_foundation(profile: pd.DataFrame) -> str | None:
    """The lowest-rated foundation's id (the first in content order on a tie)."""
    if profile.empty:
        return None
    return str(profile.sort_values(["score", "order"], kind="stable").iloc[0]["foundation_id"])


ReadingKind = Literal[
    "incomplete", "unsettled", "premature", "not_understood", "ready_weak", "ready_strong"
]


@dataclass(frozen=True)
class Reading:
    kind: ReadingKind
    paragraphs: list[str]
    state: str | None = None
    weakest: str | None = None
    average: float | None = None
    findings_passed: int = 0
    findings: list[Finding] = field(default_factory=list)


def is_ready(attitude_id: str, content: SelfCheckContent) -> bool:
    """At or above the attitude from which a leader can ask others for buy-in."""
    return content.attitude(attitude_id).rank >= content.attitude(content.ready_attitude).rank


def _not_understood(answers: SelfCheckAnswers, content: SelfCheckContent) -> str | None:
    """The first foundation buy-in needs (understood, clear) rated below what it needs."""
    for foundation_id in content.ready_needs:
        if answers.scores.get(foundation_id, 0) < content.ready_needs_score:
            return foundation_id
    return None


def reading(answers: SelfCheckAnswers, content: SelfCheckContent | None = None) -> Reading:
    """The honest reading, in plain words, with the leader's own answers.

    A stance that disagrees with the attitude opens the reading as a question; "ready" needs
    a buy-in attitude, a stance that says so, and the goal understood and clear.
    """
    content = content or load_content()
    profile = foundation_profile(answers, content)
    if answers.attitude is None or len(profile) < len(content.foundations):
        return Reading("incomplete", [content.text("reading", "incomplete")])

    attitude = content.attitude(answers.attitude)
    state = content.states[attitude.state]
    weakest_id = weakest_foundation(profile)
    assert weakest_id is not None
    weakest = content.foundation(weakest_id)
    weakest_score = answers.scores[weakest_id]
    average = round(float(profile["score"].mean()), 1)
    name = content.in_sentence(attitude.name)
    ready = is_ready(attitude.id, content)
    paragraphs: list[str] = []
    kind: ReadingKind

    if answers.stance == "bought_in" and not ready:
        paragraphs.append(content.text("reading", "question_bought_in", attitude=name))
    elif answers.stance == "aligned" and ready:
        paragraphs.append(content.text("reading", "question_aligned", attitude=name))
    unclear = _not_understood(answers, content)

    if not ready:
        kind = "premature"
        paragraphs.append(
            content.text("reading", "premature", attitude=name, state=state, weakest=weakest.label)
        )
        if attitude.id == "genuine_compliance":
            paragraphs.append(content.text("reading", "genuine_compliance"))
        if attitude.state in ("agreement", "compliance", "resistance"):
            paragraphs.append(content.text("reading", "carrying"))
    elif answers.stance == "aligned":
        kind = "unsettled"
        paragraphs.append(content.text("reading", "unsettled"))
    elif unclear is not None:
        kind = "not_understood"
        paragraphs.append(
            content.text(
                "reading",
                "not_understood",
                attitude=name,
                foundation=content.foundation(unclear).label,
                score=answers.scores[unclear],
            )
        )
    elif int(profile["score"].min()) >= 4:
        kind = "ready_strong"
        paragraphs.append(
            content.text("reading", "ready_strong", attitude=name, average=content.number(average))
        )
        if weakest_score < 5:
            paragraphs.append(
                content.text(
                    "reading", "ready_strong_lowest", weakest=weakest.label, score=weakest_score
                )
            )
    else:
        kind = "ready_weak"
        paragraphs.append(
            content.text(
                "reading",
                "ready_weak",
                attitude=name,
                weakest=weakest.label,
                band=content.foundation_band(weakest_score).name,
                score=weakest_score,
            )
        )
    # A next step only where a foundation needs one (not "Weakest: Clear (5 of 5)").
    if content.foundation_band(weakest_score).id != "high":
        paragraphs.append(
            content.text(
                "reading",
                "weakest",
                foundation=weakest.label,
                score=weakest_score,
                step=weakest.next_step,
            )
        )

    listed = [m for m in answers.movers if m.what.strip()]
    if listed:
        dated = [m for m in listed if m.by_when is not None]
        first = min(dated, key=lambda m: m.by_when or date.max) if dated else listed[0]
        say = content.reading
        when = say["by_day"].format(day=content.short_day(first.by_when)) if first.by_when else ""
        when += say["from_whom"].format(whom=first.from_whom) if first.from_whom.strip() else ""
        paragraphs.append(
            content.text("reading", "movers", count=len(listed), what=first.what, when=when)
        )
    elif kind == "premature" or answers.stance == "aligned":
        paragraphs.append(content.text("reading", "no_movers"))

    findings = sentence_findings(answers.sentence, content)
    passed = sum(finding.passed for finding in findings)
    if findings:
        paragraphs.append(content.text("reading", "sentence", passed=passed, total=len(findings)))
    return Reading(kind, paragraphs, attitude.state, weakest_id, average, passed, findings)


def progress(answers: SelfCheckAnswers, content: SelfCheckContent | None = None) -> Progress:
    content = content or load_content()
    started = (
        answers.attitude
        or answers.stance
        or answers.scores
        or answers.sentence.strip()
        or answers.movers
        or any(answers.evidence.values())
    )
    if not started:
        return "not started"
    done = (
        answers.attitude is not None
        and answers.stance is not None
        and len(answers.scores) == len(content.foundations)
        and answers.sentence.strip()
    )
    return "done" if done else "in progress"


def figures(answers: SelfCheckAnswers, content: SelfCheckContent | None = None) -> Figures:
    """The few numbers worth following over time: the attitude and the foundations."""
    content = content or load_content()
    scores = list(answers.scores.values())
    return {
        N_("attitude (7 commitment … 1 apathy)"): content.attitude(answers.attitude).rank
        if answers.attitude
        else None,
        N_("foundations (average of 5)"): round(sum(scores) / len(scores), 2) if scores else None,
        N_("team naming your goal's outcome (share)"): _shared_outcome(answers, content),
    }


def _shared_outcome(answers: SelfCheckAnswers, content: SelfCheckContent) -> float | None:
    goals = shown_goals(answers, content)
    return None if goals is None else shared_outcome_share(goals)


def cohort_values(
    answers: SelfCheckAnswers, content: SelfCheckContent | None = None
) -> CohortValues:
    """What one leader gives a course cohort's figures: their rung, their stance and their
    foundations' scores (never the sentence, evidence or movers they wrote)."""
    content = content or load_content()
    values: CohortValues = {}
    if answers.attitude is not None:
        values["ladder"] = answers.attitude
    if answers.stance is not None:
        values["stance"] = answers.stance
    profile = foundation_profile(answers, content)
    if not profile.empty:
        values["foundations"] = {
            str(row.foundation_id): float(row.score) for row in profile.itertuples()
        }
    if len(profile) == len(content.foundations):
        weakest = weakest_foundation(profile)
        assert weakest is not None
        values["weakest"] = weakest
    return values
