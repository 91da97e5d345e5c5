"""Aliases the join page suggests, in the page's language: a colour or a quality and a bird
("Amber Heron", "Ruhiger Kranich", "Mésange Calme")."""

from __future__ import annotations

import secrets
import tomllib
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any

from .._text import same_text
from ..languages import DEFAULT, checked_language

#: Word pairs by gender, each as often as it has birds (so every bird is as likely as any
#: other): an alias takes both its words from one of them.
_Pairs = tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]


@cache
def _words(language: str) -> tuple[tuple[str, ...], _Pairs]:
    raw = tomllib.loads(Path(__file__).with_name("aliases.toml").read_text("utf-8"))
    words: dict[str, Any] = raw[language]
    first, second = words["first"], words["second"]
    if isinstance(first, dict):  # by gender, as German's adjectives agree with the bird
        pairs = [(tuple(first[g]), tuple(second[g])) for g in first]
    else:
        pairs = [(tuple(first), tuple(second))]
    return tuple(words["order"]), tuple(pair for pair in pairs for _bird in pair[1])


def _one(language: str) -> str:
    order, pairs = _words(language)
    first, second = secrets.choice(pairs)
    chosen = {"first": secrets.choice(first), "second": secrets.choice(second)}
    return " ".join(chosen[part] for part in order)


def suggest_alias(taken: Iterable[str] = (), language: str = DEFAULT) -> str:
    """A random alias in ``language`` no one in ``taken`` goes by (a number is added if all
    seem taken)."""
    language = checked_language(language)
    taken = list(taken)
    for _ in range(50):
        alias = _one(language)
        if not any(same_text(alias, other) for other in taken):
            return alias
    return f"{_one(language)} {secrets.randbelow(900) + 100}"
