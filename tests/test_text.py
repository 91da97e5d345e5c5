import pytest

from workbook._text import TextError, clean_text, same_text


def test_trims_and_normalises():
    assert clean_text("  Cafe\u0301 plan \t", what="Name", max_length=20) == "Café plan"


@pytest.mark.parametrize("raw", ["", "   ", "\u200b\u200b", "\n\t", None, "\u00a0"])
def test_empty_or_invisible_is_refused_with_a_message(raw):
    with pytest.raises(TextError, match="Name is empty"):
        clean_text(raw, what="Name", max_length=20)


def test_empty_is_fine_when_optional():
    assert clean_text("  ", what="Note", max_length=5, required=False) == ""


def test_over_long_says_how_long_and_the_limit():
    with pytest.raises(TextError, match="201 characters long; the limit is 200"):
        clean_text("x" * 201, what="The plan's name", max_length=200)


def test_markup_is_kept_as_literal_text():
    raw = "<script>alert('x')</script><img src=x onerror=alert(1)>"
    assert clean_text(raw, what="Name", max_length=200) == raw


def test_control_characters_dropped_line_breaks_kept_when_multiline():
    assert clean_text("a\x00b\x1bc", what="N", max_length=9) == "abc"
    assert clean_text("one\r\ntwo  \nthree", what="N", max_length=50,
                      multiline=True) == "one\ntwo\nthree"
    assert clean_text("one\ntwo", what="N", max_length=50) == "one two"


def test_lone_surrogates_become_replacement_characters():
    cleaned = clean_text("ok \ud800 fine", what="N", max_length=50)
    assert "\ud800" not in cleaned
    cleaned.encode("utf-8")  # storable


def test_emoji_and_right_to_left_text_survive():
    assert clean_text("🚀 שלום", what="N", max_length=50) == "🚀 שלום"


def test_not_text_is_refused():
    with pytest.raises(TextError):
        clean_text(42, what="N", max_length=5)


def test_same_text_ignores_case_and_spacing_only():
    assert same_text("The  Deadline", "the deadline")
    assert same_text("\uff24eadline", "deadline")  # full-width D
    assert not same_text("Deadline", "Deadlines")


def test_optional_date_reads_iso_dates_and_nothing_else():
    from datetime import date

    from workbook._text import optional_date

    assert optional_date("2027-01-15") == date(2027, 1, 15)
    for junk in (None, "", "15/01/2027", "soon", 20270115, ["2027-01-15"]):
        assert optional_date(junk) is None
