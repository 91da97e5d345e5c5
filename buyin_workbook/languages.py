"""The languages the workbook is written in, and which one a person reads.

English is the reference; German, French and Spanish are being written beside it (see
CONTRIBUTING, "Languages"). A person's language is, in this order: the one their page asks
for (``?lang=de``), the one their coach or facilitator set for them (``clients add
--language``, ``cohort create --language``), the first their browser accepts that the
workbook has (``Accept-Language``), else English.

The words the code holds are in gettext catalogues (``locale/<language>/LC_MESSAGES``, made
with Babel and compiled when the package is built). Each page asks for its own
:func:`translator`: nothing here is installed process-wide, so one server shows a page in
German beside one in French.
"""

from __future__ import annotations

import gettext
import logging
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache
from pathlib import Path

from babel import Locale
from babel.dates import format_date
from babel.lists import format_list
from babel.numbers import format_decimal

from ._text import N_ as N_  # words marked where they are written, translated where shown
from ._text import Nn_ as Nn_  # the same, for words that count (singular, plural)
from ._text import Said, TextError

#: Each language by its code, named as its readers name it.
LANGUAGE_NAMES = {"en": "English", "de": "Deutsch", "fr": "Français", "es": "Español"}
LANGUAGES = tuple(LANGUAGE_NAMES)
DEFAULT = "en"
#: How each language quotes a title (CLDR has no such data for Babel to give).
_QUOTES = {"en": ("“", "”"), "de": ("„", "“"), "fr": ("« ", " »"), "es": ("«", "»")}


def checked_language(value: object, *, what: str = N_("The language")) -> str:
    """A language code the workbook has (any case, "de-AT" as "de"), or :class:`TextError`
    naming the ones it has."""
    code = _code(value)
    if code is None:
        listed = ", ".join(f"{code} ({name})" for code, name in LANGUAGE_NAMES.items())
        raise TextError(
            N_("{what} must be one of {languages}; got “{value}”."),
            what=what,
            languages=listed,
            value=str(value)[:40],
        )
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


def known_language(value: object) -> str | None:
    """The workbook's code for a language tag or locale ("de-AT", "fr_FR.UTF-8" as "de",
    "fr"), or ``None`` when it has no such language ("C", "POSIX", "it")."""
    return _code(value)


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


#: Where the compiled catalogues are, one folder per language (the ``.po`` files beside them).
LOCALE_DIR = Path(__file__).parent / "locale"
#: The catalogues' domain: ``locale/<language>/LC_MESSAGES/buyin_workbook.mo``.
DOMAIN = "buyin_workbook"

_log = logging.getLogger(__name__)


_CLDR = {"en": "en_GB"}
_LOCALES = {code: Locale.parse(_CLDR.get(code, code)) for code in LANGUAGE_NAMES}

#: A date as a reading names it in passing, per language (CLDR patterns).
_SHORT_DAYS = {"en": "dd MMM y", "de": "d. MMM y", "fr": "d MMM y", "es": "d MMM y"}


@dataclass(frozen=True)
class Translator:
    """One language's words, plural forms, dates and numbers, for one page."""

    language: str
    _catalogue: gettext.NullTranslations = field(repr=False)

    def gettext(self, message: str, /, **values: object) -> str:
        """``message`` in this language, with its ``{blanks}`` filled from ``values``."""
        text = self._catalogue.gettext(message)
        return text.format(**values) if values else text

    def ngettext(self, singular: str, plural: str, count: int, /, **values: object) -> str:
        """The form for ``count`` by this language's plural rule (French says "0 réponse"),
        with ``{count}`` (written as this language writes numbers) and the others filled."""
        form = self.plural_form(singular, plural, count)
        return form.format(count=self.number(count), **values)

    def said(self, error: BaseException) -> str:
        """An error's message in this language: its words and blanks (:class:`Said`), the
        blank ``what`` translated too; any other error as it was written."""
        if not isinstance(error, Said):
            return str(error)
        values = dict(error.values)
        if isinstance(values.get("what"), str):
            values["what"] = self.gettext(str(values["what"]))
        for name, value in values.items():
            if isinstance(value, int):
                values[name] = self.number(value)
        return self.gettext(error.words).format(**values)

    def plural_form(self, singular: str, plural: str, count: int) -> str:
        """The form for ``count``, its blanks left unfilled."""
        return self._catalogue.ngettext(singular, plural, count)

    def number(self, value: float) -> str:
        """``value`` as this language writes numbers ("2,5" in German)."""
        return format_decimal(value, locale=self.locale)

    def short_day(self, value: date | datetime) -> str:
        """A date in a reading's parenthesis ("15 Jan 2027", "15. Jan. 2027")."""
        return format_date(value, format=_SHORT_DAYS[self.language], locale=self.locale)

    def day(self, value: date | datetime) -> str:
        """A date as this language writes it in prose ("3. Dezember 2026")."""
        return format_date(value, format="long", locale=self.locale)

    def quoted(self, text: str) -> str:
        """``text`` in this language's quotation marks."""
        opening, closing = _QUOTES[self.language]
        return f"{opening}{text}{closing}"

    def in_sentence(self, name: str) -> str:
        """A name from a list (“Grudging compliance”) as it reads inside a sentence: lower
        case but in German, whose nouns keep their capital."""
        return name if self.language == "de" else name[:1].lower() + name[1:]

    def listed(self, items: list[str]) -> str:
        """``items`` as this language lists them ("A, B und C")."""
        return format_list(items, locale=self.locale)

    @property
    def locale(self) -> Locale:
        """Babel's locale for numbers, dates and lists: the workbook writes British English
        ("3 December 2026", "A, B and C")."""
        return _LOCALES[self.language]


@cache
def translator(language: str = DEFAULT) -> Translator:
    """The :class:`Translator` of ``language`` (a code from :data:`LANGUAGES`). English is
    the source text. A catalogue not compiled (a checkout never installed) reads English,
    with a warning in the log: the page still opens."""
    code = checked_language(language)
    if code == DEFAULT:
        return Translator(code, gettext.NullTranslations())
    try:
        catalogue: gettext.NullTranslations = gettext.translation(
            DOMAIN, LOCALE_DIR, languages=[code]
        )
    except OSError:
        _log.warning(
            "The %s catalogue is not compiled (run `pip install -e .` or `pybabel compile -d "
            "%s -D %s`): its pages read English.",
            LANGUAGE_NAMES[code],
            LOCALE_DIR,
            DOMAIN,
        )
        catalogue = gettext.NullTranslations()
    return Translator(code, catalogue)
