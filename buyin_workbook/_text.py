"""Cleaning of text typed by a user: one rule set for every box in the workbook."""

from __future__ import annotations

import re
import unicodedata
import uuid
from collections.abc import Iterable, Sequence
from datetime import date
from functools import cache

#: Unicode categories that draw nothing: a name made only of these counts as empty.
_INVISIBLE_CATEGORIES = {"Cc", "Cf", "Zs", "Zl", "Zp", "Mn", "Me"}
#: Direction controls that stay in force until closed: embeddings and overrides (closed by
#: U+202C), isolates (closed by U+2069).
_EMBEDDINGS, _POP_EMBEDDING = "\u202a\u202b\u202d\u202e", "\u202c"
_ISOLATES, _POP_ISOLATE = "\u2066\u2067\u2068", "\u2069"
#: Scripts whose letters pass for one another ("a" and Cyrillic "\\u0430"): one word mixing them
#: reads as another name.
_CONFUSABLE_SCRIPTS = {"LATIN", "CYRILLIC", "GREEK"}


def N_(message: str) -> str:
    """Marks words for the catalogues where they are written; they are translated where
    they are shown (``languages.Translator``)."""
    return message


def Nn_(singular: str, plural: str) -> tuple[str, str]:
    """Marks words that count something, in English's two forms, for the catalogues (which
    hold each language's forms); ``Translator.ngettext(*marked, count)`` says them."""
    return singular, plural


class Said(Exception):
    """An error whose message is words with ``{blanks}`` and their values, so each page can
    say it in its reader's language (``Translator.said``). A value named ``what`` is itself
    words to translate ("Your alias")."""

    def __init__(self, words: str, **values: object) -> None:
        self.words, self.values = words, values
        super().__init__(words.format(**values) if values else words)


class FilledWords(str):
    """English words with their ``{blanks}`` filled, that keep the words and values so
    another language can say them: an option's help, which traitlets shows as it is written
    (``--help-all``, config files) and a command's ``--help`` says in the terminal's
    language."""

    words: str
    values: dict[str, object]

    def __new__(cls, words: str, **values: object) -> FilledWords:
        filled = super().__new__(cls, words.format(**values))
        filled.words, filled.values = words, values
        return filled


class TextError(Said, ValueError):
    """Text a user typed that cannot be kept; the message is meant for that user."""


def clean_text(
    raw: object, *, what: str, max_length: int, required: bool = True, multiline: bool = False
) -> str:
    """Return ``raw`` trimmed and normalised, or raise :class:`TextError`.

    Text is never interpreted: HTML or script stays literal text, and every place that
    shows it escapes it. Control characters other than line breaks and tabs are dropped
    (they cannot be seen and break exports), lone surrogates become U+FFFD, and the
    result is NFC so that "é" typed two ways is one answer.
    """
    if raw is None:
        raw = ""
    if not isinstance(raw, str):
        raise TextError(N_("{what} must be text."), what=what)
    text = raw.encode("utf-8", "surrogatepass").decode("utf-8", "replace")
    text = unicodedata.normalize("NFC", text)
    keep = {"\n", "\t"} if multiline else set()
    text = "".join(
        ch if ch in keep or unicodedata.category(ch) != "Cc" else (" " if ch in "\r\n\t" else "")
        for ch in text
    )
    if multiline:
        text = "\n".join(line.rstrip() for line in text.splitlines())
    # Direction controls are kept (a right-to-left writer needs them) but closed at the end
    # of each line, so they can never turn around text shown after this one.
    text = "\n".join(_close_directions(line) for line in text.split("\n"))
    text = text.strip()
    if all(unicodedata.category(ch) in _INVISIBLE_CATEGORIES for ch in text):
        if required:
            raise TextError(N_("{what} is empty. Please write a few words."), what=what)
        return ""
    if len(text) > max_length:
        raise TextError(
            N_("{what} is {length} characters long; the limit is {limit}. Please shorten it."),
            what=what,
            length=len(text),
            limit=max_length,
        )
    return text


def clean_name(raw: object, *, what: str, max_length: int, required: bool = True) -> str:
    """A name (of a plan, a person, a decision) as it will be kept, or :class:`TextError`.

    On top of :func:`clean_text`: characters that draw nothing (zero-width spaces, direction
    marks and overrides) are removed, so "\\u202eevil" cannot show as "live" and "Dana" with
    a hidden character is still "Dana"; a word that mixes look-alike alphabets (a Latin
    name with a Cyrillic "\\u0430") is refused, as it would pass for another name.
    """
    text = clean_text(raw, what=what, max_length=max_length, required=required)
    text = " ".join("".join(ch for ch in text if unicodedata.category(ch) != "Cf").split())
    if not text and required:
        raise TextError(N_("{what} is empty. Please write a few words."), what=what)
    for word in text.split():
        scripts = {_script(ch) for ch in word if ch.isalpha()} & _CONFUSABLE_SCRIPTS
        if len(scripts) > 1:
            raise TextError(
                N_(
                    "{what} mixes letters of different alphabets in “{word}” (for example a "
                    "Cyrillic or Greek letter among Latin ones), so it would look like another "
                    "name. Please type it in one alphabet."
                ),
                what=what,
                word=word,
            )
    if _STACKED_MARKS.search(unicodedata.normalize("NFC", text)):
        raise TextError(
            N_(
                "{what} has a letter with more than {count} accents stacked on it, which draws "
                "over the text around it. Please type it with its usual accents."
            ),
            what=what,
            count=_MARKS_MAX,
        )
    return text


#: Accents one letter may carry once composed (Vietnamese needs two); more is "Zalgo" text.
_MARKS_MAX = 2
_STACKED_MARKS = re.compile(
    rf"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]{{{_MARKS_MAX + 1},}}"
)


def looks_alike(left: str, right: str) -> bool:
    """Whether two names read the same on a screen (see :func:`look_alike_key`)."""
    return look_alike_key(left) == look_alike_key(right)


def look_alike_key(text: str) -> str:
    """A name as it reads on a screen: case set aside and each character taken as its
    plainest look-alike (Unicode's confusables, so "KATE" typed in Greek or Cyrillic
    capitals reads as the Latin one). Names with one key look the same."""
    # Look-alikes before case (a capital kappa looks like K, a small one does not), then
    # after it (a small Cyrillic a looks like the Latin one).
    visible = "".join(ch for ch in text if unicodedata.category(ch) != "Cf")
    spaced = " ".join(unicodedata.normalize("NFKC", visible).split())
    plain = "".join(_plainest(ch) for ch in spaced)
    return "".join(_plainest(ch) for ch in plain.casefold())


def _plainest(ch: str) -> str:
    """The character of lowest code point among ``ch`` and those Unicode lists as looking
    like it (ASCII where there is one)."""
    return min((ch, *_look_alikes().get(ch, ())), key=ord)


@cache
def _look_alikes() -> dict[str, tuple[str, ...]]:
    # confusable_homoglyphs ships Unicode's confusables.txt as JSON; read once, when a name
    # is first compared (a few hundred milliseconds).
    from confusable_homoglyphs.utils import load

    return {
        ch: tuple(entry["c"] for entry in entries if len(entry["c"]) == 1)
        for ch, entries in load("confusables.json").items()
        if len(ch) == 1
    }


def _script(ch: str) -> str:
    return unicodedata.name(ch, "UNKNOWN").split(" ", 1)[0]


def _close_directions(line: str) -> str:
    embeddings = isolates = 0
    for ch in line:
        if ch in _EMBEDDINGS:
            embeddings += 1
        elif ch == _POP_EMBEDDING and embeddings:
            embeddings -= 1
        elif ch in _ISOLATES:
            isolates += 1
        elif ch == _POP_ISOLATE and isolates:
            isolates -= 1
    return line + _POP_EMBEDDING * embeddings + _POP_ISOLATE * isolates


def optional_date(value: object) -> date | None:
    """A stored ISO date (``"2027-01-15"``), or None when it is missing or not a date."""
    if not isinstance(value, str) or not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def name_key(text: str) -> str:
    """An entry as a reader compares it: case, width and spacing aside, invisible
    characters dropped (two entries with one key mean the same thing)."""
    visible = "".join(ch for ch in text if unicodedata.category(ch) != "Cf")
    return " ".join(unicodedata.normalize("NFKC", visible).casefold().split())


def same_text(left: str, right: str) -> bool:
    """Whether two entries mean the same thing to a reader (case and spacing aside)."""
    return name_key(left) == name_key(right)


def new_entry(
    existing: Iterable[str],
    raw: object,
    *,
    what: str,
    max_length: int,
    max_count: int,
    full: str,
    taken: str,
) -> str:
    """The cleaned name of an entry to add to a list (a decision, a person, a stakeholder),
    or :class:`TextError`: an empty, too long or look-alike name, a full list (``full``),
    or a name already there (``taken``, with ``{name}`` for the one it matches)."""
    name = clean_name(raw, what=what, max_length=max_length)
    names = list(existing)
    if len(names) >= max_count:
        raise TextError(full, max=max_count)
    for other in names:
        if same_text(other, name):
            raise TextError(taken, name=other)
    return name


def new_entry_id() -> str:
    """The id of an entry a user adds to a list: short, random, never shown."""
    return uuid.uuid4().hex[:10]


def file_slug(text: str, fallback: str) -> str:
    """A piece of a file name made from ``text``: ASCII letters and digits joined by
    hyphens, lower case, at most 60 characters (``fallback`` when nothing is left)."""
    return re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-").lower()[:60] or fallback


def counted(count: int, one: str, other: str) -> str:
    """``count`` with its noun in the form the number takes ("1 plan", "3 plans")."""
    return f"{count} {one if count == 1 else other}"


def and_list(items: Sequence[str], *, quoted: bool = True) -> str:
    """“a”, “a” and “b”, “a”, “b” and “c” (without the quotes when not ``quoted``)."""
    shown = [f"“{item}”" if quoted else item for item in items]
    return shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " and " + shown[-1]
