"""Typed access to the summary page's ``content.toml``."""

from __future__ import annotations

from functools import cache

from ..exercises._content import ExerciseContent, common_fields, read_toml


@cache
def load_content() -> ExerciseContent:
    return ExerciseContent(**common_fields(read_toml(__file__)))
