"""The languages the workbook is written in, and which one a person reads.

English is the reference; German, French and Spanish are being written beside it (see
CONTRIBUTING, "Languages"). A person's language is, in this order: the one their page asks
for (``?lang=de``), the one their coach or facilitator set for them (``clients add
--language``, ``cohort create --language``), the first their browser accepts that the
workbook has (``Accept-Language``), else English.
"""

from __future__ import annotations

from ._text import TextError

#: Each language by its code, named as its readers name it.
LANGUAGE_NAMES = {"en": "English", "de": "Deutsch", "fr": "Français", "es": "Español"}
LANGUAGES = tuple(LANGUAGE_NAMES)
DEFAULT = "en"


def checked_language(value: object, *, what: str = "The language") -> str:
    """A language code the workbook has (any case, "de-AT" as "de"), or :class:`TextError`
    naming the ones it has."""
    code = _code(value)
    if code is None:
        listed = ", ".join(f"{code} ({name})" for code, name in LANGUAGE_NAMES.items())
        raise TextError(f"{what} must be one of {listed}; got “{str(value)[:40]}”.")
    return code


def choose_language(
    asked: str | None = None, set_for_them: str | None = None, accepted: str | None = None
) -> str:
    """The language a person reads: ``asked`` by their page, else ``set_for_them``, else the
    first of their browser's ``Accept-Language`` the workbook has, else English. Values it
    does not know are passed over, never refused: a page always opens."""
    for choice in (asked, set_for_them):
        if (code := _code(choice)) is not None:
            return code
    for choice in _accepted(accepted or ""):
        if (code := _code(choice)) is not None:
            return code
    return DEFAULT


def _code(value: object) -> str | None:
    if not isinstance(value, str) or len(value) > 35:
        return None
    primary = value.strip().replace("_", "-").split("-", 1)[0].lower()
    return primary if primary in LANGUAGE_NAMES else None


def _accepted(header: str) -> list[str]:
    """An Accept-Language header's languages, most wanted first (RFC 9110 weights)."""
    weighted = []
    for position, part in enumerate(header[:1000].split(",")):
        tag, _, params = part.strip().partition(";")
        weight = 1.0
        if params.strip().startswith("q="):
            try:
                weight = float(params.strip()[2:])
            except ValueError:
                continue
        if tag and weight > 0:
            weighted.append((-weight, position, tag))
    return [tag for _weight, _position, tag in sorted(weighted)]
