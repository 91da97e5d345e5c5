"""Cleaning of text typed by a user: one rule set for every box in the workbook."""

from __future__ import annotations

import unicodedata
from datetime import date

#: Unicode categories that draw nothing: a name made only of these counts as empty.
_INVISIBLE_CATEGORIES = {"Cc", "Cf", "Zs", "Zl", "Zp", "Mn", "Me"}


class TextError(ValueError):
    """Text a user typed that cannot be kept; the message is meant for that user."""


def clean_text(raw: object, *, what: str, max_length: int, required: bool = True,
               multiline: bool = False) -> str:
    """Return ``raw`` trimmed and normalised, or raise :class:`TextError`.

    Text is never interpreted: HTML or script stays literal text, and every place that
    shows it escapes it. Control characters other than line breaks and tabs are dropped
    (they cannot be seen and break exports), lone surrogates become U+FFFD, and the
    result is NFC so that "é" typed two ways is one answer.
    """
    if raw is None:
        raw = ""
    if not isinstance(raw, str):
        raise TextError(f"{what} must be text.")
    text = raw.encode("utf-8", "surrogatepass").decode("utf-8", "replace")
    text = unicodedata.normalize("NFC", text)
    keep = {"\n", "\t"} if multiline else set()
    text = "".join(
        ch if ch in keep or unicodedata.category(ch) != "Cc"
        else (" " if ch in "\r\n\t" else "")
        for ch in text
    )
    if multiline:
        text = "\n".join(line.rstrip() for line in text.splitlines())
    text = text.strip()
    if all(unicodedata.category(ch) in _INVISIBLE_CATEGORIES for ch in text):
        if required:
            raise TextError(f"{what} is empty. Please write a few words.")
        return ""
    if len(text) > max_length:
        raise TextError(
            f"{what} is {len(text)} characters long; the limit is {max_length}. "
            "Please shorten it."
        )
    return text


def optional_date(value: object) -> date | None:
    """A stored ISO date (``"2027-01-15"``), or None when it is missing or not a date."""
    if not isinstance(value, str) or not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def same_text(left: str, right: str) -> bool:
    """Whether two entries mean the same thing to a reader (case and spacing aside)."""
    def key(s: str) -> str:
        return " ".join(unicodedata.normalize("NFKC", s).casefold().split())
    return key(left) == key(right)
