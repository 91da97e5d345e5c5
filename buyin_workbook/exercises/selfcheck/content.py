"""Typed access to ``content.toml`` of "Am I bought in myself?"."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from ...kit.content import Band, ExerciseContent, Option, band_for, common_fields, read_toml
from ...kit.reference import ReferenceTable


@dataclass(frozen=True)
class Attitude:
    id: str
    name: str
    description: str
    #: compliance / agreement / buy-in, or below compliance (seed 003).
    state: str
    #: 7 for commitment down to 1 for apathy.
    rank: int


@dataclass(frozen=True)
class LadderBand:
    id: str
    label: str
    states: tuple[str, ...]
    meaning: str


@dataclass(frozen=True)
class Foundation:
    id: str
    label: str
    question: str
    anchors: dict[int, str]
    next_step: str


@dataclass(frozen=True)
class SentenceRules:
    label: str
    placeholder: str
    max_words: int
    caveat: str
    empty: str
    vague_words: tuple[str, ...]
    needs_measure_words: tuple[str, ...]
    outcome_words: tuple[str, ...]
    #: Activities that contain an outcome word ("reach out", "double down"): not outcomes.
    not_outcomes: tuple[str, ...]
    #: Cues that the sentence says for whom or why ("so that", "customers").
    purpose_words: tuple[str, ...]
    #: Abbreviations whose full stop does not end a sentence ("e.g.").
    abbreviations: tuple[str, ...]
    findings: dict[str, str]
    #: A time said in the language ("by the end of March", "Q3", "2027").
    time: re.Pattern[str]
    #: An amount ("30%", "half", "€"), times aside.
    measure: re.Pattern[str]
    #: Whether a full stop after a day's number belongs to the date ("31. März").
    ordinal_dot: bool = False


@dataclass(frozen=True)
class SelfCheckContent(ExerciseContent):
    #: The notebook's reference card(s): captions, notes, headers (``[reference]``).
    reference: dict[str, Any]
    stance_legend: str
    stances: tuple[Option, ...]
    attitudes: tuple[Attitude, ...]
    ready_attitude: str
    #: Foundations a leader needs at ``ready_needs_score`` or above before buy-in is real
    #: (one buys into what one understands).
    ready_needs: tuple[str, ...]
    ready_needs_score: int
    states: dict[str, str]
    ladder_bands: tuple[LadderBand, ...]
    foundation_unrated: str
    foundation_bands: tuple[Band, ...]
    foundations: tuple[Foundation, ...]
    foundation_labels: dict[str, str]
    sentence: SentenceRules
    movers: dict[str, str]
    #: The goal in team members' own words: words and thresholds (``[their_words]``).
    their_words: dict[str, Any]

    def attitude(self, attitude_id: str) -> Attitude:
        return next(a for a in self.attitudes if a.id == attitude_id)

    def foundation(self, foundation_id: str) -> Foundation:
        return next(f for f in self.foundations if f.id == foundation_id)

    def foundation_band(self, score: float) -> Band:
        return band_for(self.foundation_bands, score)

    def ladder_band(self, state: str) -> LadderBand:
        return next(band for band in self.ladder_bands if state in band.states)


#: Times written in digits, read in every language: dates (2027-03-31, 31/3, 31.03.2027),
#: quarters, halves and financial years (Q3, H2, FY27), and years.
_DIGIT_DATES = (r"\d{4}-\d{2}-\d{2}", r"\d{1,2}[/.]\d{1,2}(?:[/.]\d{2,4})?")
_DIGIT_PERIODS = (r"q[1-4]", r"h[12]", r"fy\s?\d{2,4}", r"(?:19|20)\d{2}")


def _any_of(words: list[str]) -> str:
    """A regular expression for any of ``words``, the longest tried first."""
    return "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True))


def _time_pattern(sentence: dict[str, Any]) -> re.Pattern[str]:
    lists = {name: _any_of(sentence[name]) for name in ("months", "weekdays", "periods", "counts")}
    said = []
    for pattern in sentence["time_patterns"]:
        for name, words in lists.items():
            pattern = pattern.replace("{" + name + "}", words)
        said.append(pattern)
    parts = (*_DIGIT_DATES, *said, *_DIGIT_PERIODS)
    return re.compile(r"\b(?:" + "|".join(parts) + r")\b", re.IGNORECASE)


def _measure_pattern(sentence: dict[str, Any]) -> re.Pattern[str]:
    words = _any_of(sentence["measure_words"])
    return re.compile(rf"\d+(?:[.,]\d+)?\s?%?|[€$£¥]|\b(?:{words})\b", re.IGNORECASE)


@cache
def load_content(language: str = "en") -> SelfCheckContent:
    """The exercise's words in ``language`` (one of ``languages.LANGUAGES``)."""
    raw: dict[str, Any] = read_toml(__file__, language)
    attitudes = raw["attitudes"]
    sentence = raw["sentence"]
    return SelfCheckContent(
        **common_fields(raw, language),
        reference={key: value for key, value in raw["reference"].items()},
        stance_legend=raw["stances"]["legend"],
        stances=tuple(Option(**option) for option in raw["stances"]["options"]),
        attitudes=tuple(
            Attitude(rank=len(attitudes) - index, **attitude)
            for index, attitude in enumerate(attitudes)
        ),
        ready_attitude=raw["ready_attitude"],
        ready_needs=tuple(raw["ready_needs"]["foundations"]),
        ready_needs_score=int(raw["ready_needs"]["at_least"]),
        states=raw["states"],
        ladder_bands=tuple(
            LadderBand(b["id"], b["label"], tuple(b["states"]), b["meaning"])
            for b in raw["ladder_bands"]
        ),
        foundation_unrated=raw["foundation_scale"]["unrated"],
        foundation_bands=tuple(Band(**band) for band in raw["foundation_scale"]["bands"]),
        foundations=tuple(
            Foundation(
                f["id"],
                f["label"],
                f["question"],
                {int(k): v for k, v in f["anchors"].items()},
                f["next_step"],
            )
            for f in raw["foundations"]
        ),
        foundation_labels=raw["foundation_labels"],
        sentence=SentenceRules(
            label=sentence["label"],
            placeholder=sentence["placeholder"],
            max_words=sentence["max_words"],
            caveat=sentence["caveat"],
            empty=sentence["empty"],
            vague_words=tuple(sentence["vague_words"]),
            needs_measure_words=tuple(sentence["needs_measure_words"]),
            outcome_words=tuple(sentence["outcome_words"]),
            not_outcomes=tuple(sentence["not_outcomes"]),
            purpose_words=tuple(sentence["purpose_words"]),
            abbreviations=tuple(sentence["abbreviations"]),
            findings=sentence["findings"],
            time=_time_pattern(sentence),
            measure=_measure_pattern(sentence),
            ordinal_dot=bool(sentence.get("ordinal_dot", False)),
        ),
        movers=raw["movers"],
        their_words=raw["their_words"],
    )


def attitudes_reference(content: SelfCheckContent | None = None) -> ReferenceTable:
    """Senge's seven attitudes, highest first, with their state."""
    content = content or load_content()
    words = content.reference
    return ReferenceTable(
        words["caption"],
        tuple(words["headers"]),
        tuple(
            (str(a.rank), a.name, content.states[a.state], a.description) for a in content.attitudes
        ),
        note=words["note"],
    )
