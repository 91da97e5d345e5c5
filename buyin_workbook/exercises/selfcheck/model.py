"""The answers of "Am I bought in myself?" as plain data, and their store keys.

- ``attitude``: an attitude id; ``stance``: ``aligned`` or ``bought_in``
- ``foundation/<id>/score``: 1 to 5; ``foundation/<id>/evidence``: text
- ``sentence``: the goal in one sentence
- ``judged/<sentence digest>``: the leader's judgement of a revealed member sentence
  (``same``, ``partly``, ``different``)
- ``plan_name_for_team``: what members' pages call the plan (optional)
- ``movers``: list of ``{"id", "what", "by_when" (ISO date or null), "from_whom"}``
- ``voice/...``: the team members asked; the goal in their words is kept apart by the store
  and read here as ``team/<member id>/goal`` (see ``_team_voice.py``)
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ..._text import clean_text, new_entry_id, optional_date
from ...kit.team_voice import TeamVoice


@dataclass(frozen=True)
class Mover:
    """A condition that would move the leader from aligned to bought in."""

    id: str
    what: str = ""
    by_when: date | None = None
    from_whom: str = ""

    @classmethod
    def new(cls) -> Mover:
        return cls(new_entry_id())

    def to_value(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "what": self.what,
            "from_whom": self.from_whom,
            "by_when": self.by_when.isoformat() if self.by_when else None,
        }

    @classmethod
    def from_value(cls, value: Any) -> Mover | None:
        if not isinstance(value, dict) or not isinstance(value.get("id"), str):
            return None
        when = optional_date(value.get("by_when"))
        return cls(value["id"], str(value.get("what", "")), when, str(value.get("from_whom", "")))


@dataclass
class SelfCheckAnswers:
    attitude: str | None = None
    stance: str | None = None
    scores: dict[str, int] = field(default_factory=dict)
    evidence: dict[str, str] = field(default_factory=dict)
    sentence: str = ""
    movers: list[Mover] = field(default_factory=list)
    #: The team members asked for the goal in their words, and their sentences.
    voice: TeamVoice = field(default_factory=TeamVoice)
    #: What members' pages call the plan, if the leader gives it a name for them.
    plan_name_for_team: str = ""
    #: The leader's judgement of each revealed sentence, by :func:`sentence_id`.
    judgements: dict[str, str] = field(default_factory=dict)

    def member_goals(self) -> list[str]:
        """The sentences of the members asked (in list order: shuffle before showing)."""
        return [self.voice.answers[m][GOAL_KEY] for m in self.voice.answered(has_goal)]

    @classmethod
    def from_store(cls, values: dict[str, Any]) -> SelfCheckAnswers:
        answers = cls()
        if isinstance(values.get("attitude"), str):
            answers.attitude = values["attitude"]
        if isinstance(values.get("stance"), str):
            answers.stance = values["stance"]
        if isinstance(values.get("sentence"), str):
            answers.sentence = values["sentence"]
        if isinstance(values.get(PLAN_NAME_KEY), str):
            answers.plan_name_for_team = values[PLAN_NAME_KEY]
        for key, value in values.items():
            parts = key.split("/")
            if len(parts) == 3 and parts[0] == "foundation":
                if parts[2] == "score" and isinstance(value, int) and 1 <= value <= 5:
                    answers.scores[parts[1]] = value
                elif parts[2] == "evidence" and isinstance(value, str):
                    answers.evidence[parts[1]] = value
            elif len(parts) == 2 and parts[0] == "judged" and value in JUDGEMENTS:
                answers.judgements[parts[1]] = value
        movers = values.get("movers")
        if isinstance(movers, list):
            answers.movers = [m for m in map(Mover.from_value, movers) if m is not None]
        answers.voice = TeamVoice.from_store(values)
        return answers

    def to_store(self) -> dict[str, Any]:
        values: dict[str, Any] = {
            "attitude": self.attitude,
            "stance": self.stance,
            "sentence": self.sentence,
            "movers": movers_value(self.movers),
            PLAN_NAME_KEY: self.plan_name_for_team,
        }
        for foundation_id, score in self.scores.items():
            values[score_key(foundation_id)] = score
        for foundation_id, text in self.evidence.items():
            values[evidence_key(foundation_id)] = text
        for sentence, judgement in self.judgements.items():
            values[judgement_key(sentence)] = judgement
        return values | self.voice.to_store()


#: How a leader can judge a member's sentence against their own.
JUDGEMENTS = ("same", "partly", "different")


def sentence_id(sentence: str) -> str:
    """A member's sentence as the leader's judgement of it is kept: a digest, so the
    judgement holds while the sentence does, and names no member."""
    return hashlib.sha256(sentence.strip().encode()).hexdigest()[:16]


def judgement_key(sentence_digest: str) -> str:
    return f"judged/{sentence_digest}"


#: The name members' pages show for the plan (optional; empty: none).
PLAN_NAME_KEY = "plan_name_for_team"

#: A member's goal sentence, read under ``team/<member id>/``.
GOAL_KEY = "goal"


def goal_value(sentence: object, *, what: str, max_length: int) -> dict[str, str]:
    """A member's sentence as kept in their slot (one line), or
    :class:`~buyin_workbook._text.TextError` saying what to fix."""
    return {GOAL_KEY: clean_text(sentence, what=what, max_length=max_length)}


def has_goal(given: Mapping[str, Any]) -> bool:
    value = given.get(GOAL_KEY)
    return isinstance(value, str) and bool(value.strip())


def score_key(foundation_id: str) -> str:
    return f"foundation/{foundation_id}/score"


def evidence_key(foundation_id: str) -> str:
    return f"foundation/{foundation_id}/evidence"


def movers_value(movers: list[Mover]) -> list[dict[str, Any]]:
    return [mover.to_value() for mover in movers]
