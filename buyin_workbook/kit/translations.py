"""Where an exercise's words stand in each language, beside the English of ``content.toml``:
how many pieces ``content.<language>.toml`` holds, what it holds that English does not (a
mistyped key or id, which would be silently left unread) and pieces whose ``{blanks}`` differ
from the English (a page would fail to fill them).

    python -m buyin_workbook.kit.translations [buyin_workbook/exercises]

prints the table for every exercise folder under the one given, or without one for every
file of the workbook's own words (the exercises, the summary, the team's voice).
"""

from __future__ import annotations

import re
import sys
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..languages import LANGUAGES
from .content import table_id, tables_by_id

#: Keys whose strings are ids or codes the program reads, never words a person reads
#: (``state = "buy-in"``, a measure's ``kind``): a translation leaves them out.
CODE_KEYS = frozenset(
    {"kind", "labels_from", "state", "states", "readiness", "group", "power", "interest"}
    | {"ready_attitude", "foundations"}
)

#: A ``{blank}`` (``{count}``, or with a format as ``{share:.0%}``): its name.
_BLANK = re.compile(r"\{(\w*)[^{}]*\}")


@dataclass(frozen=True)
class TranslationStatus:
    """One exercise's words in one language."""

    exercise: str
    language: str
    #: Pieces of words in English (a sentence, a label, a word list; not the ids and codes
    #: of :data:`CODE_KEYS`), and how many of them the language's file holds.
    pieces: int
    translated: int
    #: Places the language's file has and English has not.
    unknown: tuple[str, ...]
    #: Pieces whose blanks differ from the English one's.
    blanks: tuple[str, ...]

    @property
    def sound(self) -> bool:
        return not self.unknown and not self.blanks


def translation_status(folder: Path, language: str, name: str = "content") -> TranslationStatus:
    """How ``folder``'s ``<name>.<language>.toml`` stands against its ``<name>.toml``."""
    english = dict(_pieces(_read(folder / f"{name}.toml")))
    path = folder / f"{name}.{language}.toml"
    other = dict(_pieces(_read(path))) if path.is_file() else {}
    unknown = tuple(sorted(place for place in other if place not in english))
    blanks = tuple(
        sorted(
            place
            for place, words in other.items()
            if isinstance(words, str)
            and isinstance(english.get(place), str)
            and blank_names(words) != blank_names(english[place])
        )
    )
    translated = sum(1 for place in other if place in english)
    what = folder.name if name == "content" else name
    return TranslationStatus(what, language, len(english), translated, unknown, blanks)


def statuses(exercises: Path) -> list[TranslationStatus]:
    """Every exercise folder under ``exercises``, in every language but English."""
    return [
        translation_status(content.parent, language)
        for content in sorted(exercises.glob("*/content.toml"))
        for language in LANGUAGES
        if language != "en"
    ]


def workbook_statuses() -> list[TranslationStatus]:
    """Every file of the workbook's own words, in every language but English: each
    exercise's, the summary's and the team's voice (``kit/team_voice.toml``)."""
    package = Path(__file__).parent.parent
    return [
        *statuses(package / "exercises"),
        *(translation_status(package / "report", language) for language in _OTHERS),
        *(translation_status(package / "kit", language, "team_voice") for language in _OTHERS),
    ]


_OTHERS = tuple(language for language in LANGUAGES if language != "en")


def _read(path: Path) -> dict[str, Any]:
    return tomllib.loads(path.read_text("utf-8"))


def _pieces(value: Any, place: str = "") -> Iterator[tuple[str, Any]]:
    """Each piece of words and where it is: ``section.key``, ``list[id].field``. A list of
    words is one piece; numbers and flags are not words."""
    if isinstance(value, dict):
        for key, inner in value.items():
            yield from _pieces(inner, f"{place}.{key}" if place else key)
    elif tables_by_id(value):
        for item in value:
            fields = {key: inner for key, inner in item.items() if key not in ("id", "value")}
            yield from _pieces(fields, f"{place}[{table_id(item)}]")
    elif place.rpartition(".")[2] in CODE_KEYS:
        return
    elif isinstance(value, str) or (
        isinstance(value, list) and all(isinstance(item, str) for item in value)
    ):
        yield place, value


def blank_names(words: str) -> set[str]:
    """The names of the ``{blanks}`` in ``words``: a translation has the English ones."""
    return set(_BLANK.findall(words))


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) > 1 or (args and not Path(args[0]).is_dir()):
        print(
            "usage: python -m buyin_workbook.kit.translations [EXERCISES_FOLDER]\n"
            "(without a folder: every file of the workbook's own words)",
            file=sys.stderr,
        )
        return 2
    found = statuses(Path(args[0])) if args else workbook_statuses()
    print(f"{'exercise':<14} {'language':<8} {'translated':>14}  problems")
    for status in found:
        problems = [f"unknown: {place}" for place in status.unknown] + [
            f"blanks differ: {place}" for place in status.blanks
        ]
        share = f"{status.translated} of {status.pieces}"
        print(
            f"{status.exercise:<14} {status.language:<8} {share:>14}  "
            + ("; ".join(problems) or "none")
        )
    return 0 if all(status.sound for status in found) else 1


if __name__ == "__main__":
    sys.exit(main())
