"""The goal in their words: team members' own one-sentence goals beside the leader's, with
the same checks the one-sentence test applies, and a plain comparison (the outcome words a
member's sentence shares with the leader's). Heuristics on words, flagged as such; pure
functions, no widgets."""

from __future__ import annotations

import random
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from ..._text import N_, TextError
from ...kit.team_voice import VoiceFileError
from .content import SelfCheckContent, load_content
from .model import GOAL_KEY, JUDGEMENTS, SelfCheckAnswers, goal_value, has_goal, sentence_id
from .sentences import Finding, sentence_findings, words


@dataclass(frozen=True)
class TheirGoal:
    """One member's sentence, unattributed, with what the checks found."""

    sentence: str
    findings: list[Finding]
    #: The leader's outcome words it shares, in the leader's order.
    shared: list[str]
    same_outcome: bool


def outcome_terms(sentence: str, content: SelfCheckContent) -> list[str]:
    """The words of a sentence that can name its outcome: not the common ones, each once,
    in order, compared without case or a plural "s"."""
    common = set(content.their_words["common_words"])
    seen: dict[str, str] = {}
    for word in words(sentence):
        plain = _plain(word)
        if len(plain) > 2 and plain not in common and plain not in seen:
            seen[plain] = word.lower()
    return list(seen.values())


def _plain(word: str) -> str:
    lowered = word.lower().strip("'\u2019-")
    return lowered[:-1] if len(lowered) > 3 and lowered.endswith("s") else lowered


def their_goals(
    leader_sentence: str,
    sentences: Iterable[str],
    content: SelfCheckContent | None = None,
    rng: random.Random | None = None,
) -> list[TheirGoal]:
    """Each member's sentence (the empty ones left out) in random order, checked and
    compared with the leader's sentence."""
    content = content or load_content()
    leader_terms = outcome_terms(leader_sentence, content)
    needed = content.their_words["same_outcome_words"]
    goals = []
    for sentence in sentences:
        text = sentence.strip()
        if not text:
            continue
        theirs = {_plain(term) for term in outcome_terms(text, content)}
        shared = [term for term in leader_terms if _plain(term) in theirs]
        goals.append(
            TheirGoal(text, sentence_findings(text, content), shared, len(shared) >= needed)
        )
    (rng or random.SystemRandom()).shuffle(goals)
    return goals


def evidence_text(goals: list[TheirGoal], content: SelfCheckContent | None = None) -> str:
    """What the clarity foundation's evidence can cite: "2 of 5 named the same outcome"."""
    content = content or load_content()
    same = sum(goal.same_outcome for goal in goals)
    return content.text("their_words", "evidence", same=same, total=len(goals))


def checked_goal(raw: object, content: SelfCheckContent | None = None) -> dict[str, str]:
    """A member's sentence as an answer file holds it, checked as the page checks it; or
    :class:`VoiceFileError` in words."""
    content = content or load_content()
    try:
        return goal_value(
            raw.get(GOAL_KEY) if isinstance(raw, dict) else None,
            what=N_("The sentence in this answer file"),
            max_length=content.limits["sentence_max_length"],
        )
    except TextError as error:
        raise VoiceFileError(error.words, **error.values) from None


def shown_goals(
    answers: SelfCheckAnswers,
    content: SelfCheckContent | None = None,
    rng: random.Random | None = None,
) -> list[TheirGoal] | None:
    """The members' sentences beside the leader's, when they may be shown (revealed,
    enough written); else ``None``."""
    if not answers.voice.shown(answers.voice.answered(has_goal)):
        return None
    sentences = answers.member_goals()
    return their_goals(answers.sentence, sentences, content, rng)


def shared_outcome_share(goals: list[TheirGoal]) -> float | None:
    """The share of members' sentences that name the leader's outcome (0 to 1)."""
    return round(sum(goal.same_outcome for goal in goals) / len(goals), 2) if goals else None


def member_questions(answers: SelfCheckAnswers) -> dict[str, Any]:
    """What a member's page is told of the plan: the name the leader gave it for the team,
    if any (never the plan's own name, never the leader's sentence)."""
    name = answers.plan_name_for_team.strip()
    return {"plan_name": name} if name else {}


def judgement_text(
    goals: list[TheirGoal], judgements: dict[str, str], content: SelfCheckContent | None = None
) -> str | None:
    """The leader's own judgement of the shown sentences, counted; ``None`` before any."""
    content = content or load_content()
    given = [judgements.get(sentence_id(goal.sentence)) for goal in goals]
    if not any(given):
        return None
    counts = {kind: given.count(kind) for kind in JUDGEMENTS}
    return content.text("their_words", "judged", total=len(goals), **counts)
