"""Typed access to the summary page's ``content.toml``."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from ..kit.content import ExerciseContent, common_fields, read_toml


@dataclass(frozen=True)
class SummaryContent(ExerciseContent):
    #: The readings across exercises (``[across]``).
    across: dict[str, str]


@cache
def load_content(language: str = "en") -> SummaryContent:
    """The words in ``language`` (one of ``languages.LANGUAGES``; what it lacks is English)."""
    raw = read_toml(__file__, language)
    return SummaryContent(**common_fields(raw, language), across=raw["across"])
