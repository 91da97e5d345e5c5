"""Typed access to ``content.toml``: what the exercise says, never how it is shown."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from ...kit.content import Band, ExerciseContent, Option, band_for, common_fields, read_toml
from ...kit.reference import ReferenceTable

DIMENSIONS = ("what", "how")
MOMENTS = ("today", "possible")


@dataclass(frozen=True)
class Level:
    value: int
    name: str
    meaning: str
    #: The same level in a team member's words ("Our leader decides and tells us").
    member_meaning: str

    @property
    def label(self) -> str:
        return f"{self.value} · {self.name}"


@dataclass(frozen=True)
class Zone:
    """A band of levels by who decides; the low/medium/high legend of every chart."""

    id: str
    label: str
    levels: tuple[int, ...]
    meaning: str


@dataclass(frozen=True)
class ChoiceContent(ExerciseContent):
    dimensions: dict[str, dict[str, str]]
    ratings: dict[str, str]
    levels: tuple[Level, ...]
    zones: tuple[Zone, ...]
    suggestions: dict[str, Any]
    constraint_kinds: tuple[Option, ...]
    constraint_labels: dict[str, str]
    headroom: dict[str, Any]
    headroom_bands: tuple[Band, ...]
    reflections: tuple[Option, ...]
    #: The team's own votes: words and thresholds (``[team_say]``).
    team_say: dict[str, Any]
    #: The Delegation Board of levels agreed with the team (``[board]``).
    board: dict[str, str]
    #: The reference card of the seven levels: its caption and headers (``[reference]``).
    reference: dict[str, Any]

    def level(self, value: int) -> Level:
        return self.levels[value - 1]

    def zone_of(self, level: int) -> Zone:
        return next(zone for zone in self.zones if level in zone.levels)

    def headroom_band(self, levels: float) -> Band:
        return band_for(self.headroom_bands, round(levels))

    def constraint_kind(self, kind_id: str) -> Option:
        return next(kind for kind in self.constraint_kinds if kind.id == kind_id)


@cache
def load_content(language: str = "en") -> ChoiceContent:
    """The words in ``language`` (one of ``languages.LANGUAGES``; what it lacks is English)."""
    raw = read_toml(__file__, language)
    levels = tuple(Level(**item) for item in raw["levels"])
    if [level.value for level in levels] != list(range(1, 8)):
        raise ValueError("content.toml must list the seven delegation levels in order")
    return ChoiceContent(
        **common_fields(raw, language),
        dimensions=raw["dimensions"],
        ratings=raw["ratings"],
        levels=levels,
        zones=tuple(
            Zone(z["id"], z["label"], tuple(z["levels"]), z["meaning"]) for z in raw["zones"]
        ),
        suggestions=raw["suggestions"],
        constraint_kinds=tuple(Option(**kind) for kind in raw["constraint_kinds"]),
        constraint_labels=raw["constraint_labels"],
        headroom={key: value for key, value in raw["headroom"].items() if key != "bands"},
        headroom_bands=tuple(Band(**band) for band in raw["headroom"]["bands"]),
        reflections=tuple(Option(r["id"], r["prompt"]) for r in raw["reflections"]),
        team_say=raw["team_say"],
        board=raw["board"],
        reference=raw["reference"],
    )


def levels_reference(content: ChoiceContent | None = None) -> ReferenceTable:
    """The seven levels: level, who decides, what it means."""
    content = content or load_content()
    return ReferenceTable(
        content.reference["caption"],
        tuple(content.reference["headers"]),
        tuple(
            (level.label, content.zone_of(level.value).label, level.meaning)
            for level in content.levels
        ),
    )
