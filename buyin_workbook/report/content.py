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
def load_content() -> SummaryContent:
    raw = read_toml(__file__)
    return SummaryContent(**common_fields(raw), across=raw["across"])
