"""Typed access to ``content.toml`` of "Who else must buy in, and who will sell with me?"."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from ...kit.content import ExerciseContent, Option, common_fields, flat, read_toml
from ...kit.reference import ReferenceTable


@dataclass(frozen=True)
class Level:
    """An organisational level (seed 003) with what such people usually care about."""

    id: str
    name: str
    concerns: str
    approach: str


@dataclass(frozen=True)
class Quadrant:
    """One quadrant of Mendelow's power/interest grid."""

    id: str
    name: str
    action: str
    power: str  # "high" or "low"
    interest: str  # "high" or "low"
    meaning: str

    @property
    def label(self) -> str:
        return f"{self.name}: {self.action}" if self.id == "key_players" else self.name


@dataclass(frozen=True)
class State:
    """Where a stakeholder stands: buy-in, agreement, compliance, or a finer attitude."""

    id: str
    name: str
    description: str
    #: buy-in, agreement, compliance, resistance or indifference (seed 003).
    readiness: str
    #: 1 for the least invested, up to the number of states for the most.
    rank: int
    #: Buy-in, agreement or compliance in general, rather than one of Senge's attitudes.
    broad: bool = False


@dataclass(frozen=True)
class ReadinessBand:
    id: str
    label: str
    readiness: tuple[str, ...]
    meaning: str


@dataclass(frozen=True)
class Check:
    """One line of the obstacle or the strategy check."""

    id: str
    name: str
    question: str
    remedy: str


@dataclass(frozen=True)
class StakeholdersContent(ExerciseContent):
    #: The notebook's reference card(s): captions, notes, headers (``[reference]``).
    reference: dict[str, Any]
    privacy: str
    state_unset: str
    role_unset: str
    people: dict[str, str]
    levels: tuple[Level, ...]
    scale: dict[str, Any]
    quadrants: tuple[Quadrant, ...]
    states: tuple[State, ...]
    readiness: dict[str, Any]
    readiness_bands: tuple[ReadinessBand, ...]
    roles_legend: str
    roles: tuple[Option, ...]
    answers: dict[str, Any]
    obstacles: tuple[Check, ...]
    strategies: tuple[Check, ...]
    conversations: dict[str, str]
    #: The objections log and the quick wins (``[follow_through]``).
    follow_through: dict[str, str]

    @property
    def high_from(self) -> int:
        return int(self.scale["high_from"])

    def level(self, level_id: str) -> Level:
        return next(level for level in self.levels if level.id == level_id)

    def state(self, state_id: str) -> State:
        return next(state for state in self.states if state.id == state_id)

    def quadrant(self, quadrant_id: str) -> Quadrant:
        return next(q for q in self.quadrants if q.id == quadrant_id)

    def quadrant_for(self, power: int, interest: int) -> Quadrant:
        """Mendelow's quadrant of a power and an interest rating (1 to 5 each)."""
        side = {True: "high", False: "low"}
        return next(
            q
            for q in self.quadrants
            if q.power == side[power >= self.high_from]
            and q.interest == side[interest >= self.high_from]
        )

    def readiness_band(self, state_id: str | None) -> ReadinessBand | None:
        """The low / medium / high band of a state; None when it is not known."""
        if state_id is None or state_id not in {s.id for s in self.states}:
            return None
        readiness = self.state(state_id).readiness
        return next(band for band in self.readiness_bands if readiness in band.readiness)

    def checks(self, kind: str) -> tuple[Check, ...]:
        return self.obstacles if kind == "obstacle" else self.strategies


@cache
def load_content(language: str = "en") -> StakeholdersContent:
    """The words in ``language`` (one of ``languages.LANGUAGES``; what it lacks is English)."""
    raw: dict[str, Any] = read_toml(__file__, language)
    states = raw["states"]
    readiness = raw["readiness"]
    return StakeholdersContent(
        **common_fields(raw, language),
        reference={key: value for key, value in raw["reference"].items()},
        privacy=flat(raw["privacy"]),
        state_unset=raw["state_unset"],
        role_unset=raw["role_unset"],
        people=raw["people"],
        levels=tuple(Level(**level) for level in raw["levels"]),
        scale={
            **raw["scale"],
            "power": {int(k): v for k, v in raw["scale"]["power"].items()},
            "interest": {int(k): v for k, v in raw["scale"]["interest"].items()},
        },
        quadrants=tuple(Quadrant(**quadrant) for quadrant in raw["quadrants"]),
        states=tuple(
            State(rank=len(states) - index, **state) for index, state in enumerate(states)
        ),
        readiness={key: value for key, value in readiness.items() if key != "bands"},
        readiness_bands=tuple(
            ReadinessBand(b["id"], b["label"], tuple(b["readiness"]), b["meaning"])
            for b in readiness["bands"]
        ),
        roles_legend=raw["roles"]["legend"],
        roles=tuple(Option(**option) for option in raw["roles"]["options"]),
        answers=raw["answers"],
        obstacles=tuple(Check(**check) for check in raw["obstacles"]),
        strategies=tuple(Check(**check) for check in raw["strategies"]),
        conversations=raw["conversations"],
        follow_through=raw["follow_through"],
    )


def levels_reference(content: StakeholdersContent | None = None) -> ReferenceTable:
    """The four levels: what each usually cares about, what works."""
    content = content or load_content()
    words = content.reference
    return ReferenceTable(
        words["levels_caption"],
        tuple(words["levels_headers"]),
        tuple((level.name, level.concerns, level.approach) for level in content.levels),
        note=words["levels_note"],
    )


def grid_reference(content: StakeholdersContent | None = None) -> ReferenceTable:
    """Mendelow's four quadrants."""
    content = content or load_content()
    words = content.reference
    return ReferenceTable(
        words["grid_caption"],
        tuple(words["grid_headers"]),
        tuple((words[q.power], words[q.interest], q.label, q.meaning) for q in content.quadrants),
        note=words["grid_note"],
    )
