"""What every exercise's ``content.toml`` holds, and the pieces their content is made of.

Each exercise's ``content.py`` subclasses :class:`ExerciseContent` with its own fields and
builds it from :func:`read_toml` and :func:`common_fields`; every word an exercise shows is
in its TOML file, so a coach can tune wording without touching code.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from ..languages import LANGUAGES
from .cohort import CohortMeasure, read_cohort_measures


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


@dataclass(frozen=True)
class ExerciseContent:
    """The fields every exercise's content has."""

    title: str
    question: str
    intro: str
    #: Sizes and lengths (``max_...``, ``min_...``) the exercise enforces.
    limits: dict[str, int]
    #: Each step's heading, by step (``steps["plan"]`` is the plan step's).
    steps: dict[str, str]
    #: Each step's help text.
    help: dict[str, str]
    #: Words of the exercise's charts (titles, axes).
    chart: dict[str, str]
    #: The reading's sentences, with ``{blanks}``.
    reading: dict[str, str]
    #: What a course cohort's dashboard shows of this exercise (see ``_cohort.py``).
    cohort: tuple[CohortMeasure, ...]
    #: Words of asking the team (``team_voice.toml``, with the exercise's ``[team_voice]``).
    team_voice: dict[str, str]

    def text(self, section: str, key: str, **values: object) -> str:
        """A piece of prose from ``section`` with its blanks filled and lines unwrapped. A
        piece that counts something is a table of its forms by number, ``one`` and
        ``other``, chosen by the ``count`` it is given."""
        piece = getattr(self, section)[key]
        if isinstance(piece, dict):
            piece = piece["one" if values.get("count") == 1 else "other"]
        return flat(piece).format(**values)


def read_toml(module_file: str, language: str = "en") -> dict[str, Any]:
    """The ``content.toml`` beside an exercise's ``content.py``, with the same ids' words
    from ``content.<language>.toml`` over it. What a language's file does not hold yet is
    read in English."""
    if language not in LANGUAGES:
        raise ValueError(f"No such language: {language!r} (the workbook has {LANGUAGES}).")
    folder = Path(module_file).parent
    raw = tomllib.loads((folder / "content.toml").read_text("utf-8"))
    translated = folder / f"content.{language}.toml"
    if language != "en" and translated.is_file():
        raw = _over(raw, tomllib.loads(translated.read_text("utf-8")))
    return raw


def _over(english: Any, other: Any) -> Any:
    """``other``'s words over ``english``: tables key by key, lists of tables by their
    ``id``; anything else (a word list, a sentence) is the other language's own."""
    if isinstance(english, dict) and isinstance(other, dict):
        return {
            key: _over(english[key], other[key])
            if key in english and key in other
            else other.get(key, english.get(key))
            for key in {**english, **other}
        }
    if tables_by_id(english) and tables_by_id(other):
        theirs = {table_id(item): item for item in other}
        return [
            _over(item, theirs[table_id(item)]) if table_id(item) in theirs else item
            for item in english
        ]
    return other


#: What names a table in a list: its ``id``, or a scale's ``value`` (the delegation levels).
_TABLE_IDS = ("id", "value")


def table_id(item: dict[str, Any]) -> Any:
    """The ``id`` (else ``value``) that names a table of a list, in every language."""
    return next(item[key] for key in _TABLE_IDS if key in item)


def tables_by_id(value: Any) -> bool:
    """Whether ``value`` is a list of tables each named by its ``id`` (``[[attitudes]]``) or
    ``value`` (``[[levels]]``): a translation gives such a list's words item by item."""
    return (
        isinstance(value, list)
        and bool(value)
        and all(isinstance(item, dict) and any(k in item for k in _TABLE_IDS) for item in value)
    )


def common_fields(raw: dict[str, Any]) -> dict[str, Any]:
    """The :class:`ExerciseContent` fields, read from a ``content.toml``."""
    return {
        "title": raw["title"],
        "question": flat(raw["question"]),
        "intro": flat(raw["intro"]),
        "limits": raw.get("limits", {}),
        "steps": raw["steps"],
        "help": {key: flat(value) for key, value in raw["help"].items()},
        "chart": raw.get("chart", {}),
        "reading": raw.get("reading", {}),
        "cohort": read_cohort_measures(raw),
        "team_voice": {
            key: flat(value)
            for key, value in {**_team_voice_words(), **raw.get("team_voice", {})}.items()
        },
    }


@cache
def _team_voice_words() -> dict[str, str]:
    return tomllib.loads(Path(__file__).with_name("team_voice.toml").read_text("utf-8"))


def flat(text: str) -> str:
    """Prose from a TOML multi-line string, with its hard line breaks unwrapped."""
    return " ".join(text.split())


def band_for(bands: tuple[Band, ...], score: float) -> Band:
    return next(band for band in bands if score <= band.upto)
