"""Typed access to ``content.toml`` of the motivators exercise."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from typing import Any

from ...kit.content import Band, ExerciseContent, band_for, common_fields, flat, read_toml
from ...kit.reference import ReferenceTable


@dataclass(frozen=True)
class Motivator:
    id: str
    name: str
    meaning: str
    kind: str  # "intrinsic" or "extrinsic"
    questions: tuple[str, ...] = field(default=())
    #: The list it is ranked in: "motivator" (the ten cards) or "appeal" (the five appeals).
    group: str = "motivator"


@dataclass(frozen=True)
class MotivatorsContent(ExerciseContent):
    #: The notebook's reference card(s): captions, notes, headers (``[reference]``).
    reference: dict[str, Any]
    privacy: str
    thresholds: dict[str, float]
    #: The one-on-one conversation guide's words (``[guide]``).
    guide: dict[str, str]
    kinds: dict[str, str]
    effects: dict[str, str]
    motivators: tuple[Motivator, ...]
    overlap_explain: str
    overlap_bands: tuple[Band, ...]
    importance_bands: tuple[Band, ...]
    members: dict[str, str]
    ranking: dict[str, str]
    #: The two lists' names (``[lists]``).
    lists: dict[str, str]
    #: Words for moving a card up or down for the change (``[moves]``).
    moves: dict[str, str]
    custom: dict[str, str]
    about_me: dict[str, str]

    def overlap_band(self, score: float) -> Band:
        return band_for(self.overlap_bands, score)

    def importance_band(self, share: float) -> Band:
        return band_for(self.importance_bands, share)


@cache
def load_content(language: str = "en") -> MotivatorsContent:
    """The words in ``language`` (one of ``languages.LANGUAGES``; what it lacks is English)."""
    raw: dict[str, Any] = read_toml(__file__, language)
    return MotivatorsContent(
        **common_fields(raw, language),
        reference={key: value for key, value in raw["reference"].items()},
        privacy=flat(raw["privacy"]),
        thresholds=raw["thresholds"],
        guide=raw["guide"],
        kinds=raw["kinds"],
        effects=raw["effects"],
        motivators=tuple(
            Motivator(
                m["id"],
                m["name"],
                m["meaning"],
                m["kind"],
                tuple(m["questions"]),
                m.get("group", "motivator"),
            )
            for m in raw["motivators"]
        ),
        overlap_explain=flat(raw["overlap"]["explain"]),
        overlap_bands=tuple(Band(**b) for b in raw["overlap"]["bands"]),
        importance_bands=tuple(Band(**b) for b in raw["overlap"]["importance_bands"]),
        members=raw["members"],
        ranking=raw["ranking"],
        lists=raw["lists"],
        moves=raw["moves"],
        custom=raw["custom"],
        about_me={k: flat(v) for k, v in raw["about_me"].items()},
    )


def catalogue_reference(content: MotivatorsContent | None = None) -> ReferenceTable:
    """The catalogue: name, kind, meaning."""
    content = content or load_content()
    words = content.reference
    return ReferenceTable(
        words["caption"],
        tuple(words["headers"]),
        tuple((m.name, content.kinds[m.kind], m.meaning) for m in content.motivators),
        note=words["note"],
    )
