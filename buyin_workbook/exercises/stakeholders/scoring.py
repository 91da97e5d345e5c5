"""Scoring of "Who else must buy in, and who will sell with me?": pure functions on plain
data and pandas, no widgets.

- Mendelow's grid: power and interest are rated 1 to 5; a rating from ``high_from`` (content)
  up counts as high. High power and high interest: key players, manage closely; high power,
  low interest: keep satisfied; low power, high interest: keep informed; low and low: monitor.
- Readiness: each state sits on buy-in, agreement or compliance (or below); bands high =
  buy-in, medium = agreement, low = compliance or less, and "unknown" when not picked.
- The reading puts key players not yet bought in first (least invested first, then by power
  and interest), then the other quadrants, the champions (and those to enable rather than
  sell to), the obstacles present, the strategies missing and the next conversations.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from functools import lru_cache

import pandas as pd

from ..._text import N_
from ...kit.cohort import CohortValues
from ...kit.declaration import Figures, Progress
from .content import Quadrant, StakeholdersContent, load_content
from .model import CHECK_KINDS, Stakeholder, StakeholdersAnswers

GRID_COLUMNS = [
    "id",
    "name",
    "level",
    "level_name",
    "power",
    "interest",
    "quadrant",
    "quadrant_label",
    "state",
    "state_name",
    "readiness",
    "band",
    "champion",
    "role",
]
UNKNOWN = "unknown"


@dataclass(frozen=True)
class Champion:
    """A stakeholder who could make the case to others ("sell with" the leader)."""

    name: str
    audience: str
    case: str
    #: The leader's role toward them: "enabler", "seller" or None (not decided).
    role: str | None = None


@dataclass(frozen=True)
class Conversation:
    """One of the next conversations to have."""

    who: str
    about: str
    by_when: date | None = None


@dataclass(frozen=True)
class CheckFinding:
    """An obstacle present or a strategy missing (wholly or partly)."""

    id: str
    name: str
    answer: str  # "yes" or "partly" for an obstacle; "no" or "partly" for a strategy
    remedy: str


@dataclass(frozen=True)
class Analysis:
    #: One row per stakeholder, in the order they were added (see ``GRID_COLUMNS``).
    grid: pd.DataFrame
    champions: list[Champion] = field(default_factory=list)
    next_conversations: list[Conversation] = field(default_factory=list)
    paragraphs: list[str] = field(default_factory=list)
    #: Names of key players below buy-in (or not known), most urgent first.
    key_players_not_bought_in: list[str] = field(default_factory=list)
    #: Names of champions the leader plans to sell to rather than enable.
    enable_instead: list[str] = field(default_factory=list)
    obstacles_present: list[CheckFinding] = field(default_factory=list)
    strategies_missing: list[CheckFinding] = field(default_factory=list)
    #: Names of stakeholders with no power or no interest rating yet.
    unrated: list[str] = field(default_factory=list)


def quadrant_for(power: int, interest: int, content: StakeholdersContent | None = None) -> Quadrant:
    """Mendelow's quadrant of a power and an interest rating (1 to 5 each)."""
    return (content or load_content()).quadrant_for(power, interest)


def grid_frame(
    answers: StakeholdersAnswers, content: StakeholdersContent | None = None
) -> pd.DataFrame:
    """One row per stakeholder: where they sit on the grid and how ready they are."""
    content = content or load_content()
    levels = {level.id: level.name for level in content.levels}
    states = {state.id: state for state in content.states}
    rows = []
    for person in answers.stakeholders:
        quadrant = (
            content.quadrant_for(person.power, person.interest)
            if person.power is not None and person.interest is not None
            else None
        )
        state = states.get(person.state or "")
        band = content.readiness_band(state.id if state else None)
        rows.append(
            {
                "id": person.id,
                "name": person.name,
                "level": person.level if person.level in levels else None,
                "level_name": levels.get(person.level or ""),
                "power": person.power if quadrant else None,
                "interest": person.interest if quadrant else None,
                "quadrant": quadrant.id if quadrant else None,
                "quadrant_label": quadrant.label if quadrant else None,
                "state": state.id if state else None,
                "state_name": state.name if state else None,
                "readiness": state.readiness if state else None,
                "band": band.id if band else UNKNOWN,
                "champion": person.champion,
                "role": person.role,
            }
        )
    frame = pd.DataFrame(rows, columns=GRID_COLUMNS)
    for column in ("power", "interest"):
        frame[column] = frame[column].astype("Int64")
    return frame


def _names(content: StakeholdersContent, names: list[str]) -> str:
    """Stakeholders' names, listed unquoted: "Ana, the CFO and Sam"."""
    return content.listed(names, quoted=False)


def _rank(person: Stakeholder, content: StakeholdersContent) -> int:
    """How invested they are: the state's rank, 0 when not known (most urgent)."""
    known = {state.id: state.rank for state in content.states}
    return known.get(person.state or "", 0)


def _quoted(text: str) -> str:
    """Text to quote inside a sentence: one line, without its own final full stop."""
    return " ".join(text.split()).rstrip(".")


def _key(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


_NOT_A_WORD = re.compile(r"[^\w]+")


@lru_cache(maxsize=1024)  # names are matched many times a reading
def _padded_words(text: str) -> str:
    """ " dana cfo " for "Dana (CFO)": whole words, to match names by whole words."""
    return f" {_NOT_A_WORD.sub(' ', _key(text)).strip()} "


def _names_in(text: str, name: str) -> bool:
    words = _padded_words(name)
    return bool(words.strip()) and words in _padded_words(text)


def mentions(who: str, name: str, others: Iterable[str] = ()) -> bool:
    """Whether a conversation's "who" names a stakeholder ("Dana (CFO)" names "Dana"), by
    whole words; a longer name among ``others`` that it also names takes it ("Finance lead"
    is not "Finance")."""
    if not _names_in(who, name):
        return False
    longer = (o for o in others if _key(o) != _key(name) and _names_in(o, name))
    return not any(_names_in(who, other) for other in longer)


def next_conversations(answers: StakeholdersAnswers) -> list[Conversation]:
    """The conversations with a who or an about, the dated ones first by date."""
    listed = [c for c in answers.conversations if c.who.strip() or c.about.strip()]
    ordered = sorted(listed, key=lambda c: (c.by_when is None, c.by_when or date.max))
    return [Conversation(c.who, c.about, c.by_when) for c in ordered]


def check_findings(
    answers: StakeholdersAnswers, kind: str, content: StakeholdersContent | None = None
) -> list[CheckFinding]:
    """Obstacles present (yes or partly) or strategies missing (no or partly)."""
    content = content or load_content()
    flagged = ("yes", "partly") if kind == "obstacle" else ("no", "partly")
    given = answers.checks(kind)
    return [
        CheckFinding(check.id, check.name, given[check.id], check.remedy)
        for check in content.checks(kind)
        if given.get(check.id) in flagged
    ]


def analyse(
    answers: StakeholdersAnswers,
    content: StakeholdersContent | None = None,
    *,
    today: date | None = None,
) -> Analysis:
    """Every figure and reading of the result step (``today`` decides what is past due)."""
    content = content or load_content()
    grid = grid_frame(answers, content)
    people = {person.id: person for person in answers.stakeholders}
    champions = [
        Champion(p.name, p.audience, p.case, p.role) for p in answers.stakeholders if p.champion
    ]
    key_rows = grid[grid["quadrant"] == "key_players"]
    urgent = sorted(
        (people[i] for i in key_rows.loc[key_rows["band"] != "high", "id"]),
        key=lambda p: _urgency(p, content),
    )
    analysis = Analysis(
        grid=grid,
        champions=champions,
        next_conversations=next_conversations(answers),
        key_players_not_bought_in=[p.name for p in urgent],
        enable_instead=[c.name for c in champions if c.role == "seller"],
        obstacles_present=check_findings(answers, "obstacle", content),
        strategies_missing=check_findings(answers, "strategy", content),
        unrated=[p.name for p in answers.stakeholders if p.power is None or p.interest is None],
    )
    paragraphs = _reading(analysis, answers, urgent, content)
    paragraphs += _follow_through_reading(answers, content, today or date.today())
    return replace(analysis, paragraphs=paragraphs)


def _reading(
    analysis: Analysis,
    answers: StakeholdersAnswers,
    urgent: list[Stakeholder],
    content: StakeholdersContent,
) -> list[str]:
    def say(key: str, **values: object) -> str:
        return content.text("reading", key, **values)

    grid = analysis.grid
    paragraphs: list[str] = []
    if grid.empty:
        paragraphs.append(say("no_stakeholders"))
    else:
        paragraphs += _people_reading(analysis, urgent, content)
        paragraphs += _champions_reading(analysis, content)
    paragraphs += _checks_reading(analysis, answers, content)
    if analysis.next_conversations:
        first = analysis.next_conversations[0]
        when = say("by_day", day=content.short_day(first.by_when)) if first.by_when else ""
        paragraphs.append(
            say(
                "conversations",
                count=len(analysis.next_conversations),
                who=first.who or "someone",
                about=first.about or "…",
                when=when,
            )
        )
    left_out = [
        name
        for name in analysis.key_players_not_bought_in
        if not any(
            mentions(c.who, name, (p.name for p in answers.stakeholders))
            for c in analysis.next_conversations
        )
    ]
    if left_out:
        paragraphs.append(
            say("no_conversation_with", names=_names(content, left_out), count=len(left_out))
        )
    elif not grid.empty and not analysis.next_conversations:
        paragraphs.append(say("no_conversations"))
    return paragraphs


def _people_reading(
    analysis: Analysis, urgent: list[Stakeholder], content: StakeholdersContent
) -> list[str]:
    def say(key: str, **values: object) -> str:
        return content.text("reading", key, **values)

    grid = analysis.grid
    paragraphs: list[str] = []
    if analysis.unrated:
        paragraphs.append(say("unrated", names=_names(content, analysis.unrated)))
    words = content.readiness["words"]
    if urgent:
        paragraphs.append(say("key_players_first", names=_names(content, [p.name for p in urgent])))
    first = _urgency(urgent[0], content) if urgent else None
    level = [p.name for p in urgent if _urgency(p, content) == first]
    if len(level) > 1:
        paragraphs.append(say("key_players_level", names=_names(content, level)))
    for index, person in enumerate(urgent):
        concern = say("concern", concern=_quoted(person.concern)) if person.concern.strip() else ""
        stance = {}
        if person.state is not None and person.state in {s.id for s in content.states}:
            state = content.state(person.state)
            readiness = words[state.readiness]
            stance["state"] = (
                readiness if state.broad else f"{content.in_sentence(state.name)} ({readiness})"
            )
        first_alone = index == 0 and len(level) == 1
        paragraphs.append(
            say(
                ("key_player" if first_alone else "key_player_next")
                if stance
                else "key_player_unknown",
                name=person.name,
                power=person.power,
                interest=person.interest,
                concern=concern,
                **stance,
            )
        )
    key_players = grid[grid["quadrant"] == "key_players"]
    bought_in = list(key_players.loc[key_players["band"] == "high", "name"])
    if bought_in:
        paragraphs.append(say("key_players_bought_in", names=_names(content, bought_in)))
    if key_players.empty and not grid["quadrant"].isna().all():
        paragraphs.append(say("no_key_players"))
    for quadrant in ("keep_satisfied", "keep_informed", "monitor"):
        names = list(grid.loc[grid["quadrant"] == quadrant, "name"])
        if names:
            paragraphs.append(say(quadrant, names=_names(content, names)))
        if quadrant == "keep_satisfied":
            paragraphs += _resisters(grid, content)
    unknown = list(
        grid.loc[(grid["band"] == UNKNOWN) & (grid["quadrant"] != "key_players"), "name"]
    )
    if unknown:
        paragraphs.append(say("unknown", names=_names(content, unknown)))
    return paragraphs


def _follow_through_reading(
    answers: StakeholdersAnswers, content: StakeholdersContent, today: date
) -> list[str]:
    """What keeps buy-in going: what came of the conversations held, the objections with no
    answer yet, and the next quick win."""

    def say(key: str, **values: object) -> str:
        return content.text("reading", key, **values)

    paragraphs = []
    held = [
        c
        for c in answers.conversations
        if c.by_when is not None and c.by_when < today and not c.outcome.strip()
    ]
    if held:
        items = [
            say("about", who=c.who or "…", about=content.quoted(_quoted(c.about or "…")))
            for c in held
        ]
        paragraphs.append(say("no_outcome", items="; ".join(items)))
    noted = [o for o in answers.objections if o.what.strip()]
    open_ = [o for o in noted if not o.answer.strip()]
    if open_:
        items = [
            content.quoted(_quoted(o.what)) + (f" ({o.who})" if o.who.strip() else "")
            for o in open_
        ]
        paragraphs.append(say("objections_open", items="; ".join(items)))
    elif noted:
        paragraphs.append(say("objections_answered", count=len(noted)))
    wins = [w for w in answers.quick_wins if w.what.strip()]
    coming = sorted(
        (w for w in wins if w.by_when is None or w.by_when >= today),
        key=lambda w: (w.by_when is None, w.by_when or date.max),
    )
    if coming:
        first = coming[0]
        when = say("by_day", day=content.short_day(first.by_when)) if first.by_when else ""
        paragraphs.append(say("quick_win_next", what=_quoted(first.what), when=when))
    elif wins:
        last = max(wins, key=lambda w: w.by_when or date.min)
        assert last.by_when is not None, "a win with no date is still coming"
        paragraphs.append(
            say("quick_win_due", what=_quoted(last.what), when=content.short_day(last.by_when))
        )
    elif answers.strategies.get("quick_win") in ("no", "partly"):
        paragraphs.append(say("no_quick_win"))
    return paragraphs


def _urgency(person: Stakeholder, content: StakeholdersContent) -> tuple[int, int, int]:
    """The order key players not bought in are met in: least invested, most power, most
    interest first."""
    return (_rank(person, content), -(person.power or 0), -(person.interest or 0))


def _resisters(grid: pd.DataFrame, content: StakeholdersContent) -> list[str]:
    """Keep-satisfied stakeholders who resist, or who hold much power and little buy-in."""
    rows = grid[
        (grid["quadrant"] == "keep_satisfied")
        & ((grid["readiness"] == "resistance") | ((grid["power"] >= 4) & (grid["band"] == "low")))
    ]
    return [
        content.text(
            "reading",
            "powerful_resister",
            names=row.name,
            state=content.in_sentence(content.state(row.state).name),
        )
        for row in rows.itertuples()
    ]


def _champions_reading(analysis: Analysis, content: StakeholdersContent) -> list[str]:
    def say(key: str, **values: object) -> str:
        return content.text("reading", key, **values)

    paragraphs: list[str] = []
    grid = analysis.grid
    states = {state.id: state for state in content.states}
    for champion in analysis.champions:
        audience, case = champion.audience.strip(), champion.case.strip()
        row = grid[grid["name"] == champion.name].head(1)
        state = states.get(str(row["state"].iloc[0])) if not row.empty else None
        if state is not None and state.readiness not in ("buy-in",):
            paragraphs.append(
                say(
                    "champion_not_bought_in",
                    name=champion.name,
                    state=content.in_sentence(state.name),
                )
            )
        elif audience and case:
            paragraphs.append(
                say("champion", name=champion.name, audience=audience, case=_quoted(case))
            )
        else:
            missing = (
                "missing_both"
                if not audience and not case
                else "missing_audience"
                if not audience
                else "missing_case"
            )
            paragraphs.append(say("champion_incomplete", name=champion.name, missing=say(missing)))
    if analysis.enable_instead:
        paragraphs.append(say("enable_not_sell", names=_names(content, analysis.enable_instead)))
    candidates = list(grid.loc[(grid["band"] == "high") & ~grid["champion"].astype(bool), "name"])
    if not analysis.champions:
        paragraphs.append(
            say("no_champions", names=_names(content, candidates))
            if candidates
            else say("no_champions_no_candidates")
        )
    elif candidates:
        paragraphs.append(say("candidates", names=_names(content, candidates)))
    return paragraphs


def _checks_reading(
    analysis: Analysis, answers: StakeholdersAnswers, content: StakeholdersContent
) -> list[str]:
    def say(key: str, **values: object) -> str:
        return content.text("reading", key, **values)

    paragraphs: list[str] = []
    for finding in analysis.obstacles_present:
        paragraphs.append(
            say(
                "obstacle",
                answer=say(f"obstacle_{finding.answer}"),
                name=finding.name,
                remedy=finding.remedy,
            )
        )
    if not analysis.obstacles_present and _answered(answers, "obstacle", content) == len(
        content.obstacles
    ):
        paragraphs.append(say("no_obstacles"))
    for finding in analysis.strategies_missing:
        paragraphs.append(
            say(
                "strategy",
                answer=say(f"strategy_{finding.answer}"),
                name=finding.name,
                remedy=finding.remedy,
            )
        )
    if not analysis.strategies_missing and _answered(answers, "strategy", content) == len(
        content.strategies
    ):
        paragraphs.append(say("strategies_in_place"))
    total = len(content.obstacles) + len(content.strategies)
    open_checks = total - sum(_answered(answers, kind, content) for kind in CHECK_KINDS)
    if open_checks > 0:
        paragraphs.append(say("checks_open", open=open_checks, total=total))
    return paragraphs


def _answered(answers: StakeholdersAnswers, kind: str, content: StakeholdersContent) -> int:
    given = answers.checks(kind)
    return sum(1 for check in content.checks(kind) if check.id in given)


def figures(answers: StakeholdersAnswers, content: StakeholdersContent | None = None) -> Figures:
    """The few numbers worth following over time (for snapshots and the history)."""
    analysis = analyse(answers, content)
    grid = analysis.grid
    bought_in = int((grid["band"] == "high").sum())
    return {
        N_("stakeholders"): len(grid),
        N_("bought in (share of stakeholders)"): round(bought_in / len(grid), 2)
        if len(grid)
        else None,
        N_("key players not bought in"): len(analysis.key_players_not_bought_in),
        N_("champions"): len(analysis.champions),
        N_("obstacles present"): len(analysis.obstacles_present),
        N_("strategies missing"): len(analysis.strategies_missing),
    } | standing(answers, content)


#: A stakeholder's place over time, as its snapshots name it (the report translates it).
WHERE_STANDS = N_("where {name} stands ({top} commitment … 1 apathy)")
#: The names of figures that carry a blank, so the report can say them in its language.
FIGURE_TEMPLATES = (WHERE_STANDS,)


def standing(answers: StakeholdersAnswers, content: StakeholdersContent | None = None) -> Figures:
    """Where each stakeholder stands, as a number the history can follow from snapshot to
    snapshot (the state's place, from the lowest, apathy, up to commitment)."""
    content = content or load_content()
    ranks = {state.id: state.rank for state in content.states}
    top = max(ranks.values())
    return {
        WHERE_STANDS.format(name=person.name, top=top): ranks[person.state]
        for person in answers.stakeholders
        if person.state in ranks and person.name.strip()
    }


def progress(answers: StakeholdersAnswers, content: StakeholdersContent | None = None) -> Progress:
    """ "done" once every stakeholder is placed and judged, both checks are answered and at
    least one next conversation names someone."""
    content = content or load_content()
    started = (
        answers.stakeholders
        or answers.obstacles
        or answers.strategies
        or answers.conversations
        or any(answers.obstacle_notes.values())
        or any(answers.strategy_notes.values())
    )
    if not started:
        return "not started"
    states = {state.id for state in content.states}
    done = (
        answers.stakeholders
        and all(
            p.power is not None and p.interest is not None and p.state in states
            for p in answers.stakeholders
        )
        and all(
            _answered(answers, kind, content) == len(content.checks(kind)) for kind in CHECK_KINDS
        )
        and any(c.who.strip() for c in answers.conversations)
    )
    return "done" if done else "in progress"


def cohort_values(
    answers: StakeholdersAnswers, content: StakeholdersContent | None = None
) -> CohortValues:
    """What one leader gives a course cohort's figures: shares bought in per level and
    among key players, and whether the plan has a champion (never anyone's name)."""
    analysis = analyse(answers, content)
    grid = analysis.grid
    if grid.empty:
        return {}
    bought_in = grid["band"] == "high"
    values: CohortValues = {
        "readiness": {
            str(level): round(100 * float(bought_in[grid["level"] == level].mean()))
            for level in grid["level"].dropna().unique()
        },
        "champion": bool(analysis.champions),
    }
    key_players = grid["quadrant"] == "key_players"
    if key_players.any():
        values["key_players"] = round(100 * float(bought_in[key_players].mean()))
    return values
