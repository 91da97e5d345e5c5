"""Pieces every exercise's content uses: options, bands, and prose read from TOML."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Option:
    id: str
    label: str


@dataclass(frozen=True)
class Band:
    """A range of a score with its legend entry (low, medium or high)."""

    id: str
    name: str
    upto: float
    label: str
    meaning: str


def read_toml(module_file: str) -> dict[str, Any]:
    """The ``content.toml`` beside an exercise's ``content.py``."""
    return tomllib.loads(Path(module_file).with_name("content.toml").read_text("utf-8"))


def flat(text: str) -> str:
    """Prose from a TOML multi-line string, with its hard line breaks unwrapped."""
    return " ".join(text.split())


def band_for(bands: tuple[Band, ...], score: float) -> Band:
    return next(band for band in bands if score <= band.upto)

