"""The answers of the choice exercise as plain data, and how they map to store keys.

Each answer is its own store key, so two windows editing different decisions never
overwrite each other:

- ``decisions``: ordered list of ``{"id", "label"}``
- ``rating/<decision id>/<what|how>/<today|possible>``: a level, 1 to 7
- ``constraint/<decision id>/<what|how>``: ``{"kind", "nature", "note"}``
- ``reflection/<prompt id>``: free text
- ``agreed/<decision id>/<what|how>``: the level agreed with the team after talking it
  through (the Delegation Board), 1 to 7
- ``voice/...``: the team members asked (``_team_voice.py``); their votes, a level 1 to 7,
  are kept apart by the store and read here as
  ``team/<member id>/say/<decision id>/<what|how>/<today|want>`` (``team_say.py`` reads
  them together)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from ..._text import N_, new_entry, new_entry_id
from ...kit.team_voice import TeamVoice
from .content import DIMENSIONS

Nature = Literal["real", "self"]
#: The two questions a team member answers per decision and dimension.
SAY_MOMENTS = ("today", "want")


@dataclass(frozen=True)
class Decision:
    id: str
    label: str


@dataclass(frozen=True)
class Constraint:
    kind: str | None = None
    nature: Nature | None = None
    note: str = ""

    @property
    def answered(self) -> bool:
        return self.kind is not None and self.nature is not None


@dataclass
class ChoiceAnswers:
    decisions: list[Decision] = field(default_factory=list)
    #: ``(decision id, dimension, moment)`` -> level
    ratings: dict[tuple[str, str, str], int] = field(default_factory=dict)
    #: ``(decision id, dimension)`` -> what holds the leader
    constraints: dict[tuple[str, str], Constraint] = field(default_factory=dict)
    #: prompt id -> text
    reflections: dict[str, str] = field(default_factory=dict)
    #: ``(decision id, dimension)`` -> the level agreed with the team (Delegation Board)
    agreed: dict[tuple[str, str], int] = field(default_factory=dict)
    #: The team members asked for their say, and their votes.
    voice: TeamVoice = field(default_factory=TeamVoice)

    def rating(self, decision_id: str, dimension: str, moment: str) -> int | None:
        return self.ratings.get((decision_id, dimension, moment))

    @classmethod
    def from_store(cls, values: dict[str, Any]) -> ChoiceAnswers:
        """Rebuild from ``{key: value}``; entries this version does not know are skipped."""
        answers = cls()
        for item in values.get("decisions") or []:
            if isinstance(item, dict) and isinstance(item.get("id"), str):
                answers.decisions.append(Decision(item["id"], str(item.get("label", ""))))
        for key, value in values.items():
            parts = key.split("/")
            if parts[0] == "rating" and len(parts) == 4 and _is_level(value):
                answers.ratings[(parts[1], parts[2], parts[3])] = value
            elif parts[0] == "constraint" and len(parts) == 3 and isinstance(value, dict):
                nature = value.get("nature")
                answers.constraints[(parts[1], parts[2])] = Constraint(
                    value.get("kind"),
                    nature if nature in ("real", "self") else None,
                    str(value.get("note", "")),
                )
            elif parts[0] == "reflection" and len(parts) == 2 and isinstance(value, str):
                answers.reflections[parts[1]] = value
            elif (
                parts[0] == "agreed"
                and len(parts) == 3
                and parts[2] in DIMENSIONS
                and _is_level(value)
            ):
                answers.agreed[(parts[1], parts[2])] = value
        answers.voice = TeamVoice.from_store(values)
        return answers

    def to_store(self) -> dict[str, Any]:
        values: dict[str, Any] = {"decisions": decisions_value(self.decisions)}
        for (decision_id, dimension, moment), level in self.ratings.items():
            values[rating_key(decision_id, dimension, moment)] = level
        for (decision_id, dimension), constraint in self.constraints.items():
            values[constraint_key(decision_id, dimension)] = constraint_value(constraint)
        for prompt_id, text in self.reflections.items():
            values[reflection_key(prompt_id)] = text
        for (decision_id, dimension), level in self.agreed.items():
            values[agreed_key(decision_id, dimension)] = level
        return values | self.voice.to_store()


def _is_level(value: object) -> bool:
    """One of the seven delegation levels (a forged or edited file may hold anything)."""
    return type(value) is int and 1 <= value <= 7


def decisions_value(decisions: list[Decision]) -> list[dict[str, str]]:
    return [{"id": d.id, "label": d.label} for d in decisions]


def constraint_value(constraint: Constraint) -> dict[str, Any]:
    return {"kind": constraint.kind, "nature": constraint.nature, "note": constraint.note}


def rating_key(decision_id: str, dimension: str, moment: str) -> str:
    return f"rating/{decision_id}/{dimension}/{moment}"


def constraint_key(decision_id: str, dimension: str) -> str:
    return f"constraint/{decision_id}/{dimension}"


def agreed_key(decision_id: str, dimension: str) -> str:
    return f"agreed/{decision_id}/{dimension}"


def reflection_key(prompt_id: str) -> str:
    return f"reflection/{prompt_id}"


def decision_keys(decision_id: str) -> list[str]:
    """Every key that belongs to one decision (to remove with it)."""
    dimensions, moments = ("what", "how"), ("today", "possible")
    return [rating_key(decision_id, d, m) for d in dimensions for m in moments] + [
        key
        for d in dimensions
        for key in (constraint_key(decision_id, d), agreed_key(decision_id, d))
    ]


def new_decision(
    decisions: list[Decision], label: object, *, max_decisions: int, max_length: int
) -> Decision:
    """A decision to add to the list, or :class:`TextError` saying why it cannot be added."""
    text = new_entry(
        (d.label for d in decisions),
        label,
        what=N_("The decision"),
        max_length=max_length,
        max_count=max_decisions,
        full=N_(
            "A plan holds at most {max} decisions. Remove one first, or merge two that belong "
            "together."
        ),
        taken=N_("“{name}” is already on the list."),
    )
    return Decision(new_entry_id(), text)


# -- a team member's votes (their page loads these, and no pandas) -----------------------


@dataclass(frozen=True)
class SayVote:
    """One member's answer on one decision and dimension (levels 1 to 7)."""

    decision_id: str
    dimension: str
    today: int
    want: int


def say_key(decision_id: str, dimension: str, moment: str) -> str:
    """A member's stored answer: ``say/<decision>/<what|how>/<today|want>``."""
    return f"say/{decision_id}/{dimension}/{moment}"


def member_votes(values: Mapping[str, Any]) -> list[SayVote]:
    """A member's complete votes from their stored answers (both moments given, each a
    level from 1 to 7); anything else is left out."""
    votes = []
    pairs: dict[tuple[str, str], dict[str, int]] = {}
    for key, value in values.items():
        parts = key.split("/")
        if (
            len(parts) == 4
            and parts[0] == "say"
            and parts[2] in DIMENSIONS
            and parts[3] in SAY_MOMENTS
            and _is_level(value)
        ):
            pairs.setdefault((parts[1], parts[2]), {})[parts[3]] = value
    for (decision_id, dimension), given in sorted(pairs.items()):
        if len(given) == len(SAY_MOMENTS):
            votes.append(SayVote(decision_id, dimension, given["today"], given["want"]))
    return votes


def votes_value(votes: list[SayVote]) -> dict[str, int]:
    """A member's complete votes as their stored answers."""
    return {
        say_key(v.decision_id, v.dimension, moment): getattr(v, moment)
        for v in votes
        for moment in SAY_MOMENTS
    }
