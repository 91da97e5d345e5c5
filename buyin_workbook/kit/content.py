"""What every exercise's ``content.toml`` holds, and the pieces their content is made of.

Each exercise's ``content.py`` subclasses :class:`ExerciseContent` with its own fields and
builds it from :func:`read_toml` and :func:`common_fields`; every word an exercise shows is
in its TOML file, so a coach can tune wording without touching code.
"""

from __future__ import annotations

import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from babel import Locale

from ..languages import LANGUAGES, translator
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
    #: The language these words are in (a code of ``languages.LANGUAGES``).
    language: str

    def text(self, section: str, key: str, **values: object) -> str:
        """A piece of prose from ``section`` with its blanks filled and lines unwrapped. A
        piece that counts something is a table of its forms by the language's plural
        category of the ``count`` it is given (``one``, ``other``; French says 0 as one),
        ``other`` for a category it does not give."""
        piece = getattr(self, section)[key]
        if isinstance(piece, dict):
            category = _plural_category(self.language, values.get("count"))
            piece = piece.get(category, piece["other"])
        return flat(piece).format(**values)

    def quoted(self, text: str) -> str:
        """``text`` in this language's quotation marks."""
        return translator(self.language).quoted(text)

    def listed(self, items: Sequence[str], *, quoted: bool = True) -> str:
        """``items`` as this language lists them (“a”, “b” and “c”), quoted by default."""
        words = translator(self.language)
        return words.listed([words.quoted(item) if quoted else item for item in items])

    def short_day(self, value: date) -> str:
        """A date as a reading names it in passing ("15 Jan 2027")."""
        return translator(self.language).short_day(value)

    def number(self, value: float) -> str:
        """``value`` as this language writes numbers (4.5, 4,5)."""
        return translator(self.language).number(value)

    def in_sentence(self, name: str) -> str:
        """A name from a list (an attitude, a state) as it reads inside a sentence."""
        return translator(self.language).in_sentence(name)


def _plural_category(language: str, count: object) -> str:
    if not isinstance(count, int):
        return "other"
    return str(Locale.parse(language).plural_form(count))


def read_toml(module_file: str, language: str = "en") -> dict[str, Any]:
    """The ``content.toml`` beside an exercise's ``content.py``, with the same ids' words
    from ``content.<language>.toml`` over it. What a language's file does not hold yet is
    read in English."""
    if language not in LANGUAGES:
        raise ValueError(f"No such language: {language!r} (the workbook has {LANGUAGES}).")
    folder = Path(module_file).parent
    return _read_over(folder / "content.toml", language)


def _read_over(english: Path, language: str) -> dict[str, Any]:
    """``english`` (``name.toml``) with ``name.<language>.toml``'s words over it."""
    raw = tomllib.loads(english.read_text("utf-8"))
    translated = english.with_suffix(f".{language}.toml")
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


def common_fields(raw: dict[str, Any], language: str = "en") -> dict[str, Any]:
    """The :class:`ExerciseContent` fields, read from a ``content.toml`` in ``language``."""
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
            for key, value in {**_team_voice_words(language), **raw.get("team_voice", {})}.items()
        },
        "language": language,
    }


@cache
def _team_voice_words(language: str) -> dict[str, str]:
    return _read_over(Path(__file__).with_name("team_voice.toml"), language)


def flat(text: str) -> str:
    """Prose from a TOML multi-line string, with its hard line breaks unwrapped."""
    return " ".join(text.split())


def band_for(bands: tuple[Band, ...], score: float) -> Band:
    return next(band for band in bands if score <= band.upto)
