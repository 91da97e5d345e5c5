"""How much say does the team feel it has? Team members' own votes on the plan's decisions
against the leader's ratings: pure functions on plain data, no widgets.

A member rates each decision, on WHAT and on HOW, twice on the seven delegation levels: the
say the team has today as they experience it, and the say they would want. The team's
figure per decision and dimension is the middle answer (median) and the range; the reading
names where the team feels less say than the leader intends or more, where it wants more
than the leader gives today (within the most they could give, or beyond it under a real or
a self-imposed limit), where it wants less, and where it does not agree. Nothing is shown
below the plan's minimum of voters, and each question only over everyone whose answers are
shown (see :func:`shown_team_say`).
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

import pandas as pd

from ..._text import N_
from ...kit.team_voice import TeamVoice, VoiceFileError
from .content import DIMENSIONS, ChoiceContent, load_content
from .model import (
    ChoiceAnswers,
    Decision,
    Nature,
    SayVote,
    member_votes,
    votes_value,
)

SayKind = Literal[
    "not_felt",
    "felt_more",
    "want_more_real",
    "want_more_self",
    "want_more_unnamed",
    "want_more_within",
    "want_less",
    "disagree",
]


@dataclass(frozen=True)
class SaySpread:
    """The team's answers on one question: the middle one and the range."""

    median: float
    low: int
    high: int

    @property
    def span(self) -> int:
        return self.high - self.low


@dataclass(frozen=True)
class TeamSay:
    """The team's say on one decision and dimension, beside the leader's own ratings."""

    decision: Decision
    dimension: str
    voters: int
    today: SaySpread
    want: SaySpread
    leader_today: int | None
    leader_possible: int | None
    #: What holds the leader on this dimension, as they named it.
    nature: Nature | None


@dataclass(frozen=True)
class SayFinding:
    kind: SayKind
    decision: str
    dimension: str
    text: str


def team_votes(voice: TeamVoice) -> dict[str, list[SayVote]]:
    """Every asked member's complete votes, by member id (members with none left out)."""
    found = {member: member_votes(given) for member, given in voice.answers.items()}
    return {member: votes for member, votes in found.items() if votes}


def has_voted(given: Mapping[str, Any]) -> bool:
    """Whether a member's answers hold at least one complete vote."""
    return bool(member_votes(given))


def team_say_frame(team: list[TeamSay]) -> pd.DataFrame:
    """One row per decision and dimension, for a chart or a table: the leader's today and
    most possible, the team's middle answers and ranges, and how many voted."""
    return pd.DataFrame(
        [
            {
                "decision": say.decision.label,
                "dimension": say.dimension,
                "voters": say.voters,
                "leader_today": say.leader_today,
                "leader_possible": say.leader_possible,
                "team_today": say.today.median,
                "team_today_low": say.today.low,
                "team_today_high": say.today.high,
                "team_want": say.want.median,
                "team_want_low": say.want.low,
                "team_want_high": say.want.high,
            }
            for say in team
        ],
        columns=FRAME_COLUMNS,
    )


FRAME_COLUMNS = [
    "decision",
    "dimension",
    "voters",
    "leader_today",
    "leader_possible",
    "team_today",
    "team_today_low",
    "team_today_high",
    "team_want",
    "team_want_low",
    "team_want_high",
]


def voters(votes: Mapping[str, Iterable[SayVote]]) -> int:
    """How many members have given at least one complete vote."""
    return sum(1 for member_votes_ in votes.values() if any(True for _ in member_votes_))


def team_say(
    answers: ChoiceAnswers,
    votes: Mapping[str, Iterable[SayVote]],
    group: frozenset[str] | None = None,
) -> list[TeamSay]:
    """The team's say on each of the leader's decisions and dimensions that members voted
    on, in the leader's order. Votes on decisions no longer in the plan are left out. With
    ``group`` (the members whose answers are shown), only questions every one of them
    answered: a question fewer answered (one added since, say) would be drawn over fewer
    than the group, down to one person's answer."""
    result = []
    for decision, dimension, question in _questions(answers, votes):
        if group is not None and frozenset(member for member, _ in question) != group:
            continue
        constraint = answers.constraints.get((decision.id, dimension))
        result.append(
            TeamSay(
                decision,
                dimension,
                len(question),
                _spread(v.today for _, v in question),
                _spread(v.want for _, v in question),
                answers.rating(decision.id, dimension, "today"),
                answers.rating(decision.id, dimension, "possible"),
                constraint.nature if constraint else None,
            )
        )
    return result


def _questions(
    answers: ChoiceAnswers, votes: Mapping[str, Iterable[SayVote]]
) -> list[tuple[Decision, str, list[tuple[str, SayVote]]]]:
    """Each of the plan's decisions and dimensions that members voted on, with who voted
    what, in the leader's order."""
    by_question: dict[tuple[str, str], list[tuple[str, SayVote]]] = {}
    for member, given in votes.items():
        for vote in given:
            by_question.setdefault((vote.decision_id, vote.dimension), []).append((member, vote))
    return [
        (decision, dimension, by_question[(decision.id, dimension)])
        for decision in answers.decisions
        for dimension in DIMENSIONS
        if (decision.id, dimension) in by_question
    ]


def held_back(answers: ChoiceAnswers) -> list[tuple[Decision, str]]:
    """While the team's answers are shown, the decisions and dimensions left out of them
    because not everyone shown has answered them yet (see :func:`team_say`)."""
    votes = team_votes(answers.voice)
    if not answers.voice.shown(votes):
        return []
    group = frozenset(votes)
    answered = {(d.id, dim) for d, dim, q in _questions(answers, votes) if len(q) == len(group)}
    return [
        (decision, dimension)
        for decision in answers.decisions
        for dimension in DIMENSIONS
        if (decision.id, dimension) not in answered
    ]


def _spread(levels: Iterable[int]) -> SaySpread:
    values = list(levels)
    return SaySpread(float(statistics.median(values)), min(values), max(values))


def say_findings(team: list[TeamSay], content: ChoiceContent | None = None) -> list[SayFinding]:
    """The reading: each gap of a level or more, and each question the team disagrees on."""
    content = content or load_content()
    words = content.team_say
    found = []
    for say in team:
        dimension = content.dimensions[say.dimension]["label"]
        values = {
            "decision": say.decision.label,
            "dimension": dimension,
            "team": level_text(say.today.median, content),
            "leader": level_text(say.leader_today, content),
            "possible": level_text(say.leader_possible, content),
            "low": level_text(say.today.low, content),
            "high": level_text(say.today.high, content),
        }
        kinds: list[SayKind] = []
        if say.leader_today is not None and say.today.median <= say.leader_today - 1:
            kinds.append("not_felt")
        if say.leader_today is not None and say.today.median >= say.leader_today + 1:
            kinds.append("felt_more")
        if say.leader_possible is not None and say.want.median >= say.leader_possible + 1:
            kinds.append(
                "want_more_real"
                if say.nature == "real"
                else "want_more_self"
                if say.nature == "self"
                else "want_more_unnamed"
            )
        elif (
            say.leader_today is not None
            and say.leader_possible is not None
            and say.want.median >= say.leader_today + 1
        ):
            kinds.append("want_more_within")  # more than today, within what you could give
        if say.leader_today is not None and say.want.median <= say.leader_today - 1:
            kinds.append("want_less")
        wide = say.today if say.today.span >= say.want.span else say.want
        if wide.span >= words["disagree_span"]:
            kinds.append("disagree")
            values |= {"low": level_text(wide.low, content), "high": level_text(wide.high, content)}
        for kind in kinds:
            shown = dict(values)
            if kind.startswith("want_"):
                shown["team"] = level_text(say.want.median, content)
            found.append(
                SayFinding(
                    kind, say.decision.label, dimension, content.text("team_say", kind, **shown)
                )
            )
    return found


def level_text(level: float | None, content: ChoiceContent) -> str:
    """A level as the leader rated them ("4 · Agree"); a middle answer between two levels as
    a number ("3.5")."""
    if level is None:
        return str(content.team_say["not_rated"])
    if float(level).is_integer():
        return content.level(int(level)).label
    return f"{level:g}"


_DECISION_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")
_NO_ANSWERS = N_("This answer file holds no answers.")
_NO_COMPLETE_ANSWER = N_("This answer file holds no complete answer (both levels of a decision).")


def checked_votes(raw: object) -> dict[str, int]:
    """A member's votes as an answer file holds them, keeping only complete votes on
    decision ids the workbook makes; :class:`VoiceFileError` if none is left."""
    if not isinstance(raw, dict):
        raise VoiceFileError(_NO_ANSWERS)
    given = {k: v for k, v in raw.items() if isinstance(k, str) and k.count("/") == 3}
    votes = [v for v in member_votes(given) if _DECISION_ID.fullmatch(v.decision_id)]
    if not votes:
        raise VoiceFileError(_NO_COMPLETE_ANSWER)
    return votes_value(votes)


def shown_team_say(answers: ChoiceAnswers) -> list[TeamSay] | None:
    """The team's say, when it may be shown (revealed, enough voters): each question that
    everyone shown has answered; else ``None``."""
    votes = team_votes(answers.voice)
    if not answers.voice.shown(votes):
        return None
    return team_say(answers, votes, frozenset(votes))


def felt_say_gap(team: list[TeamSay]) -> float | None:
    """On average over the questions the leader rated, how many levels the team's middle
    answer for today lies above (+) or below (-) the leader's own "today"."""
    gaps = [say.today.median - say.leader_today for say in team if say.leader_today is not None]
    return round(sum(gaps) / len(gaps), 2) if gaps else None


def say_description(frame: pd.DataFrame, content: ChoiceContent | None = None) -> str:
    """The team's say chart in words (screen readers, the report's Markdown)."""
    content = content or load_content()
    return f"{content.team_say['chart_title']}: " + "; ".join(
        content.team_say["in_words"].format(
            decision=r.decision,
            dimension=content.dimensions[r.dimension]["label"],
            leader_today=r.leader_today or "-",
            leader_possible=r.leader_possible or "-",
            team_today=f"{r.team_today:g}",
            low=r.team_today_low,
            high=r.team_today_high,
            team_want=f"{r.team_want:g}",
        )
        for r in frame.itertuples()
    )
