"""Scoring of the motivators exercise: pure functions, plain data and pandas, no widgets.

A person ranks the ten motivators (and the plan's own intrinsic ones) in one list and the five
appeals in another; every figure below is on the first list, except where appeals are named.

Rank weights: in an order of n motivators the most important weighs n, the next n-1, down
to 1, divided by n(n+1)/2 so the weights add up to 1.

- overlap with the plan = 100 * max(0, sum of weight * effect) over the person's top
  motivators only (weighted top..1), effect +1 feeds, 0, -1 hurts: what the plan does to
  the few that move them, not a share of all fifteen (feeding exactly the top three is 100);
- overlap between two people: m = sum over motivators of min(weight_a, weight_b), rescaled
  against chance, 100 * max(0, (m - c) / (1 - c)), where c = (2n + 1) / (3n) is m's mean over
  two random orders of n: 0 when two people are no more alike than chance, 100 exactly when
  both orders are the same (without it, two random orders of 15 read 69 on average);
- Spearman's rho between two full orders = 1 - 6 * sum(d^2) / (n * (n^2 - 1)).

What the change does to a person's motivators is their own moves when they made them (their
"about me"), else the leader's guess of their moves, else the plan's effects for everyone: up
counts as feeds, down as hurts.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from itertools import combinations
from statistics import mean

import pandas as pd

from ..._text import N_
from ...kit.cohort import CohortValues
from ...kit.declaration import Figures, Progress
from .content import Motivator, MotivatorsContent, load_content
from .model import Member, MotivatorsAnswers, complete_order, split_order

EFFECT_VALUES = {"feeds": 1, "neutral": 0, "hurts": -1}
MOVE_EFFECTS = {"up": "feeds", "down": "hurts"}


def catalogue(
    answers: MotivatorsAnswers, content: MotivatorsContent | None = None
) -> list[Motivator]:
    """The plan's motivators: the content's, then the plan's own."""
    content = content or load_content()
    return [*content.motivators, *answers.custom]


def rank_weights(order: list[str]) -> dict[str, float]:
    n = len(order)
    total = n * (n + 1) / 2
    return {item: (n - index) / total for index, item in enumerate(order)}


def plan_overlap(order: list[str], effects: dict[str, str], top: int = 3) -> float:
    """0 to 100: among the person's ``top`` motivators, the weight of what the plan feeds
    less the weight of what it hurts."""
    weights = rank_weights(order[:top])
    score = sum(w * EFFECT_VALUES.get(effects.get(m, "neutral"), 0) for m, w in weights.items())
    return round(100 * max(0.0, score), 1)


def chance_overlap(n: int) -> float:
    """The mean of the shared weight of two random orders of ``n`` motivators."""
    return (2 * n + 1) / (3 * n) if n else 1.0


def profile_overlap(order_a: list[str], order_b: list[str]) -> float:
    """0 to 100: how much more of two people's priority weight sits on the same motivators
    than chance would put there."""
    weights_a, weights_b = rank_weights(order_a), rank_weights(order_b)
    shared = sum(min(w, weights_b.get(m, 0.0)) for m, w in weights_a.items())
    chance = chance_overlap(len(order_a))
    if chance >= 1:
        return 100.0
    return round(100 * max(0.0, (shared - chance) / (1 - chance)), 1)


def spearman(order_a: list[str], order_b: list[str]) -> float:
    """Rank correlation of two orders of the same motivators, from -1 to 1."""
    n = len(order_a)
    if n < 2:
        return 0.0
    position = {item: index for index, item in enumerate(order_b)}
    d2 = sum((index - position[item]) ** 2 for index, item in enumerate(order_a))
    return round(1 - 6 * d2 / (n * (n * n - 1)), 3)


@dataclass(frozen=True)
class Gap:
    motivator: str
    guessed: int
    own: int

    @property
    def size(self) -> int:
        return abs(self.guessed - self.own)


@dataclass(frozen=True)
class GuideItem:
    """One motivator to talk about with a person: what the plan does to it, the opening
    question and the one tied to this plan."""

    motivator: str
    effect: str
    questions: tuple[str, ...]
    #: The motivator's name (a motivator of the plan's own included).
    name: str = ""


@dataclass(frozen=True)
class MemberResult:
    member: Member
    source: str  # "self" or "guess": whose order the figures use
    plan_overlap: float | None
    leader_overlap: float | None
    best_appeals: list[str]
    projection_rho: float | None
    gaps: list[Gap]
    gap_rho: float | None
    #: Their top motivators the plan hurts.
    hurt_top: list[str] = field(default_factory=list)
    #: The appeal chosen for them, and where it sits in its list of their order (1 = first),
    #: of how many.
    appeal: str | None = None
    appeal_rank: int | None = None
    appeal_count: int | None = None
    #: Whether the change hurts the appeal chosen for them (in their own view when they gave it).
    appeal_hurt: bool = False
    #: A one-on-one conversation guide: their top motivators, then those the leader's guess
    #: missed most.
    guide: list[GuideItem] = field(default_factory=list)
    #: Whose view of the change the figures use: "self", "guess" or "plan".
    effects_source: str = "plan"
    #: Their own moves that contradict the plan's effects: motivator -> their move.
    moved_against: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Analysis:
    members: list[MemberResult]
    unordered: list[Member]
    projection_rho: float | None = None
    projection_flagged: list[str] = field(default_factory=list)
    one_appeal: str | None = None
    members_overlap: float | None = None
    paragraphs: list[str] = field(default_factory=list)
    #: The overlap among those given the one appeal (mistake 2).
    appeal_overlap: float | None = None

    def overlaps_frame(self) -> pd.DataFrame:
        rows = [
            {"member": r.member.name, "plan": r.plan_overlap, "me": r.leader_overlap}
            for r in self.members
        ]
        return pd.DataFrame(rows, columns=["member", "plan", "me"])


def member_order(
    answers: MotivatorsAnswers, member_id: str, ids: list[str]
) -> tuple[list[str], str] | None:
    """The order the analysis uses: the member's own when there is one, else the guess."""
    if member_id in answers.self_reports:
        return complete_order(answers.self_reports[member_id].order, ids), "self"
    if member_id in answers.guesses:
        return complete_order(answers.guesses[member_id], ids), "guess"
    return None


def person_effects(answers: MotivatorsAnswers, member_id: str) -> tuple[dict[str, str], str]:
    """What the change does to this person's motivators, and whose view that is."""
    own = answers.self_reports.get(member_id)
    if own is not None and own.moves:
        return {m: MOVE_EFFECTS[move] for m, move in own.moves.items()}, "self"
    if answers.moves.get(member_id):
        return {m: MOVE_EFFECTS[move] for m, move in answers.moves[member_id].items()}, "guess"
    return dict(answers.effects), "plan"


def moved_against(
    answers: MotivatorsAnswers, member_id: str, ranking_high: list[str]
) -> dict[str, str]:
    """Among what ranks high for the person, their own moves opposite to the plan's effects."""
    own = answers.self_reports.get(member_id)
    if own is None or not answers.effects:
        return {}
    opposite = {"up": "hurts", "down": "feeds"}
    return {
        m: own.moves[m]
        for m in ranking_high
        if m in own.moves and answers.effects.get(m) == opposite[own.moves[m]]
    }


def importance_frame(
    answers: MotivatorsAnswers, content: MotivatorsContent | None = None
) -> pd.DataFrame:
    """Members x motivators, long form: rank (1 = most important) and importance share."""
    content = content or load_content()
    motivators = catalogue(answers, content)
    ids = [m.id for m in motivators]
    names = {m.id: m.name for m in motivators}
    groups = {m.id: m.group for m in motivators}
    rows = []
    for member in answers.members:
        ordered = member_order(answers, member.id, ids)
        if ordered is None:
            continue
        order, source = ordered
        effects, _ = person_effects(answers, member.id)
        for listed in split_order(order, groups):
            rows.extend(_importance_rows(member, listed, names, effects, source, content))
    return pd.DataFrame(rows, columns=IMPORTANCE_COLUMNS)


IMPORTANCE_COLUMNS = [
    "member",
    "motivator",
    "motivator_id",
    "rank",
    "importance",
    "band",
    "fed",
    "source",
]


def _importance_rows(
    member: Member,
    listed: list[str],
    names: dict[str, str],
    effects: dict[str, str],
    source: str,
    content: MotivatorsContent,
) -> list[dict[str, object]]:
    """One list of a person's order: rank within that list, and the share of it above."""
    n = len(listed)
    rows = []
    for index, motivator_id in enumerate(listed):
        share = (n - index) / n
        rows.append(
            {
                "member": member.name,
                "motivator": names[motivator_id],
                "motivator_id": motivator_id,
                "rank": index + 1,
                "importance": share,
                "band": content.importance_band(share).id,
                "fed": effects.get(motivator_id) == "feeds",
                "source": source,
            }
        )
    return rows


def _gaps(guess: list[str], own: list[str], groups: dict[str, str], ids: list[str]) -> list[Gap]:
    """Where the leader's guess and the person's own order differ, rank by rank within each
    list, largest first."""
    gaps: list[Gap] = []
    for guessed, theirs in zip(split_order(guess, groups), split_order(own, groups), strict=True):
        own_rank = {m: i + 1 for i, m in enumerate(theirs)}
        gaps.extend(Gap(m, i + 1, own_rank[m]) for i, m in enumerate(guessed))
    return sorted(gaps, key=lambda g: (-g.size, ids.index(g.motivator)))


def conversation_guide(
    order: list[str],
    gaps: list[Gap],
    effects: dict[str, str],
    by_id: dict[str, Motivator],
    top: int,
    missed: int = 2,
) -> list[GuideItem]:
    """Questions for a one-on-one about this plan: each of the person's top motivators, then
    up to ``missed`` the leader's guess got most wrong, each with its plan-linked question."""
    largest = [g.motivator for g in sorted(gaps, key=lambda g: -g.size) if g.size > 0][:missed]
    focus = list(dict.fromkeys([*order[:top], *largest]))
    return [
        GuideItem(m, effects.get(m, "neutral"), tuple(by_id[m].questions), by_id[m].name)
        for m in focus
        if by_id[m].questions
    ]


def analyse(answers: MotivatorsAnswers, content: MotivatorsContent | None = None) -> Analysis:
    """Every figure and reading of the analysis step."""
    content = content or load_content()
    motivators = catalogue(answers, content)
    ids = [m.id for m in motivators]
    by_id = {m.id: m for m in motivators}
    top = int(content.thresholds["top"])
    threshold_rho = content.thresholds["projection_rho"]
    top_appeals = int(content.thresholds["top_appeals"])
    groups = {m.id: m.group for m in motivators}

    def cards(order: list[str] | tuple[str, ...]) -> list[str]:
        return split_order(complete_order(order, ids), groups)[0]

    leader = cards(answers.leader_order) if answers.leader_order else None

    results: list[MemberResult] = []
    unordered: list[Member] = []
    orders: dict[str, list[str]] = {}
    for member in answers.members:
        ordered = member_order(answers, member.id, ids)
        if ordered is None:
            unordered.append(member)
            continue
        whole, source = ordered
        order, appeal_list = split_order(whole, groups)
        orders[member.id] = order
        guess = answers.guesses.get(member.id)
        own = answers.self_reports.get(member.id)
        gaps: list[Gap] = []
        gap_rho = None
        if guess is not None and own is not None:
            gaps = _gaps(complete_order(guess, ids), complete_order(own.order, ids), groups, ids)
            gap_rho = spearman(cards(guess), cards(own.order))
        appeal = answers.appeals.get(member.id)
        appeal_in = appeal_list if appeal in appeal_list else order
        effects, effects_source = person_effects(answers, member.id)
        ranking_high = [*order[:top], *appeal_list[:top_appeals]]
        results.append(
            MemberResult(
                member=member,
                source=source,
                plan_overlap=plan_overlap(order, effects, top) if effects else None,
                leader_overlap=profile_overlap(order, leader) if leader else None,
                best_appeals=[m for m in ranking_high if effects.get(m) == "feeds"],
                projection_rho=spearman(leader, cards(guess)) if leader and guess else None,
                gaps=[gap for gap in gaps if gap.size > 0],
                gap_rho=gap_rho,
                hurt_top=[m for m in ranking_high if effects.get(m) == "hurts"],
                appeal=appeal,
                appeal_rank=appeal_in.index(appeal) + 1 if appeal in appeal_in else None,
                appeal_count=len(appeal_in) if appeal in appeal_in else None,
                appeal_hurt=appeal is not None and effects.get(appeal) == "hurts",
                guide=conversation_guide(order, gaps, effects, by_id, top),
                effects_source=effects_source,
                moved_against=moved_against(answers, member.id, ranking_high),
            )
        )

    rhos = [r.projection_rho for r in results if r.projection_rho is not None]
    projection = round(mean(rhos), 2) if rhos else None
    # A guess their own order confirms is no projection, however close to the leader's.
    flagged = [
        r.member.name
        for r in results
        if r.projection_rho is not None
        and r.projection_rho > threshold_rho
        and not (r.gap_rho is not None and r.gap_rho > threshold_rho)
    ]
    if projection is None or projection <= threshold_rho:
        flagged = []

    members_overlap = None
    if len(orders) >= 2:
        members_overlap = round(
            mean(profile_overlap(a, b) for a, b in combinations(orders.values(), 2)), 1
        )
    # Mistake 2 among those whose appeal is decided: one undecided does not hide it.
    decided = {r.member.id: r.appeal for r in results if r.appeal is not None}
    one_appeal = alike = None
    if len(decided) >= 2 and len(set(decided.values())) == 1:
        alike = round(
            mean(profile_overlap(orders[a], orders[b]) for a, b in combinations(decided, 2)), 1
        )
        if alike < content.thresholds["profiles_differ_below"]:
            one_appeal = next(iter(decided.values()))

    analysis = Analysis(
        results, unordered, projection, flagged, one_appeal, members_overlap, appeal_overlap=alike
    )
    return replace(analysis, paragraphs=_reading(analysis, answers, content, by_id))


def _names(ids: list[str], by_id: dict[str, Motivator], content: MotivatorsContent) -> str:
    return content.listed([by_id[m].name for m in ids])


def _reading(
    analysis: Analysis,
    answers: MotivatorsAnswers,
    content: MotivatorsContent,
    by_id: dict[str, Motivator],
) -> list[str]:
    say = content.text
    threshold = content.thresholds["projection_rho"]
    names = ", ".join(member.name for member in analysis.unordered)
    unordered = [say("reading", "unordered", members=names)] if names else []
    if not analysis.members:
        return [say("reading", "no_members"), *unordered]
    paragraphs = unordered
    if not answers.leader_order:
        paragraphs.append(say("reading", "no_leader"))
    if not answers.effects:
        paragraphs.append(say("reading", "no_effects"))
    top = int(content.thresholds["top"])
    for result in analysis.members:
        if result.best_appeals:
            paragraphs.append(
                say(
                    "reading",
                    "best",
                    member=result.member.name,
                    appeals=_names(result.best_appeals, by_id, content),
                )
            )
        elif result.plan_overlap is not None:
            paragraphs.append(say("reading", "no_best", member=result.member.name, top=top))
    if analysis.projection_flagged:
        paragraphs.append(
            say(
                "reading",
                "mistake_projection",
                rho=analysis.projection_rho,
                threshold=threshold,
                members=", ".join(analysis.projection_flagged),
            )
        )
    elif analysis.projection_rho is not None:
        paragraphs.append(
            say("reading", "no_projection", rho=analysis.projection_rho, threshold=threshold)
        )
    if analysis.one_appeal is not None:
        paragraphs.append(
            say(
                "reading",
                "mistake_one_appeal",
                appeal=_names([analysis.one_appeal], by_id, content),
                overlap=analysis.appeal_overlap,
                threshold=content.thresholds["profiles_differ_below"],
            )
        )
    for result in analysis.members:
        if result.hurt_top:
            paragraphs.append(
                say(
                    "reading",
                    "hurts_top",
                    member=result.member.name,
                    motivators=_names(result.hurt_top, by_id, content),
                    top=top,
                )
            )
        for move in ("down", "up"):
            against = [m for m, moved in result.moved_against.items() if moved == move]
            if against:
                paragraphs.append(
                    say(
                        "reading",
                        f"moved_{move}",
                        member=result.member.name,
                        motivators=_names(against, by_id, content),
                    )
                )
        if result.appeal is not None and result.appeal in by_id:
            appeal = _names([result.appeal], by_id, content)
            if result.appeal_hurt:
                paragraphs.append(
                    say("reading", "appeal_hurt", member=result.member.name, appeal=appeal)
                )
            elif (
                result.appeal_rank is not None
                and result.appeal_count is not None
                and result.appeal_rank > result.appeal_count // 2
            ):
                paragraphs.append(
                    say(
                        "reading",
                        "appeal_low",
                        member=result.member.name,
                        appeal=appeal,
                        rank=result.appeal_rank,
                        count=result.appeal_count,
                    )
                )
    if by_id and all(answers.effects.get(m) == "feeds" for m in by_id):
        paragraphs.append(say("reading", "all_fed"))
    for result in analysis.members:
        if result.gaps:
            paragraphs.append(
                say(
                    "reading",
                    "gap",
                    member=result.member.name,
                    motivators=_names([g.motivator for g in result.gaps[:3]], by_id, content),
                    rho=result.gap_rho,
                )
            )
    return paragraphs


def guide_lines(
    analysis: Analysis, content: MotivatorsContent | None = None
) -> list[tuple[str, list[str]]]:
    """The conversation guides as text: per person with one, their name and one line per
    motivator to talk about."""
    content = content or load_content()
    return [
        (
            result.member.name,
            [
                content.guide["item"].format(
                    motivator=item.name or item.motivator,
                    effect=content.guide[item.effect],
                    questions=" ".join(item.questions),
                )
                for item in result.guide
            ],
        )
        for result in analysis.members
        if result.guide
    ]


def guide_paragraphs(analysis: Analysis, content: MotivatorsContent | None = None) -> list[str]:
    """The conversation guides as the report prints them, one paragraph a person."""
    content = content or load_content()
    return [
        content.guide["person"].format(member=member, items="; ".join(lines))
        for member, lines in guide_lines(analysis, content)
    ]


def progress(answers: MotivatorsAnswers) -> Progress:
    if not (answers.leader_order or answers.effects or answers.members):
        return "not started"
    done = (
        answers.leader_order
        and answers.effects
        and answers.members
        and all(m.id in answers.guesses or m.id in answers.self_reports for m in answers.members)
    )
    return "done" if done else "in progress"


#: One person's overlap over time, as its snapshots name it (the report translates it).
OVERLAP_WITH = N_("overlap with the plan: {name}")
#: The names of figures that carry a blank, so the report can say them in its language.
FIGURE_TEMPLATES = (OVERLAP_WITH,)


def figures(answers: MotivatorsAnswers) -> Figures:
    """The few numbers worth following over time: each person's overlap with the plan."""
    analysis = analyse(answers)
    result: Figures = {}
    plan = [r.plan_overlap for r in analysis.members if r.plan_overlap is not None]
    result[N_("overlap with the plan (average)")] = (
        round(sum(plan) / len(plan), 1) if plan else None
    )
    for member in analysis.members:
        if member.plan_overlap is not None:
            result[OVERLAP_WITH.format(name=member.member.name)] = member.plan_overlap
    return result


def cohort_values(
    answers: MotivatorsAnswers, content: MotivatorsContent | None = None
) -> CohortValues:
    """What one leader gives a course cohort's figures: their own order of the listed
    motivators, which of the two mistakes show, and how well their guesses matched members'
    own orders (never names, notes or their own motivators' words)."""
    content = content or load_content()
    listed = [m.id for m in content.motivators]
    values: CohortValues = {}
    if answers.leader_order:
        groups = {m.id: m.group for m in content.motivators}
        values["leader_ranking"] = [
            m
            for part in split_order(complete_order(answers.leader_order, listed), groups)
            for m in part
        ]
    analysis = analyse(answers, content)
    if analysis.members:
        mistakes = []
        if analysis.projection_flagged:
            mistakes.append("projection")
        if analysis.one_appeal is not None:
            mistakes.append("one_appeal")
        values["mistakes"] = mistakes
    matched = [r.gap_rho for r in analysis.members if r.gap_rho is not None]
    if matched:
        values["guess_match"] = round(mean(matched), 2)
    return values
