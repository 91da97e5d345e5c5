"""Which language a person reads: their page's ask, then what was set for them, then their
browser's, else English; and a language set by a coach is one the workbook has."""

import pytest

from buyin_workbook._text import TextError
from buyin_workbook.languages import LANGUAGES, checked_language, choose_language


def test_the_page_asks_first_then_what_was_set_then_the_browser_then_english():
    assert choose_language("fr", "de", "es") == "fr"
    assert choose_language(None, "de", "es,fr;q=0.9") == "de"
    assert choose_language(None, None, "da, es-MX;q=0.8, fr;q=0.9") == "fr"
    assert choose_language(None, None, "da, sv;q=0.5") == "en"
    assert choose_language() == "en"


def test_what_the_workbook_does_not_know_is_passed_over_never_refused():
    for odd in ("klingon", "", "x" * 400, "de;q=oops", "\u202ede", 42):
        assert choose_language(odd, None, None) == "en"  # type: ignore[arg-type]
    assert choose_language("zz", "DE-at", None) == "de"
    assert choose_language(None, None, "fr;q=0, es;q=abc, de;q=0.1") == "de"
    assert choose_language(None, None, "de," * 5000) == "de"  # a huge header is cut short


def test_a_language_set_by_a_coach_is_one_the_workbook_has():
    assert LANGUAGES == ("en", "de", "fr", "es")
    assert checked_language("ES") == "es" and checked_language("fr_CA") == "fr"
    with pytest.raises(TextError, match=r"must be one of en \(English\), de \(Deutsch\)"):
        checked_language("pt")
    with pytest.raises(TextError, match="got “None”"):
        checked_language(None)
