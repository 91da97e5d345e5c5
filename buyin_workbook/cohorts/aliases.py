"""Aliases the join page suggests: a random colour or quality and a bird ("Amber Heron")."""

from __future__ import annotations

import secrets
import tomllib
from collections.abc import Iterable
from functools import cache
from pathlib import Path

from .._text import same_text


@cache
def _words() -> tuple[tuple[str, ...], tuple[str, ...]]:
    raw = tomllib.loads(Path(__file__).with_name("aliases.toml").read_text("utf-8"))
    return tuple(raw["first"]), tuple(raw["second"])


def suggest_alias(taken: Iterable[str] = ()) -> str:
    """A random alias no one in ``taken`` goes by (a number is added if all seem taken)."""
    first, second = _words()
    taken = list(taken)
    for _ in range(50):
        alias = f"{secrets.choice(first)} {secrets.choice(second)}"
        if not any(same_text(alias, other) for other in taken):
            return alias
    return f"{secrets.choice(first)} {secrets.choice(second)} {secrets.randbelow(900) + 100}"
