import unicodedata

import pytest

from buyin_workbook._text import TextError, clean_text, same_text


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
    assert (
        clean_text("one\r\ntwo  \nthree", what="N", max_length=50, multiline=True)
        == "one\ntwo\nthree"
    )
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

    from buyin_workbook._text import optional_date

    assert optional_date("2027-01-15") == date(2027, 1, 15)
    for junk in (None, "", "15/01/2027", "soon", 20270115, ["2027-01-15"]):
        assert optional_date(junk) is None


def test_names_lose_what_draws_nothing():
    from buyin_workbook._text import clean_name

    assert clean_name("\u202eevil", what="N", max_length=50) == "evil"
    assert clean_name("Da\u200bna \u2067Lee\u2069", what="N", max_length=50) == "Dana Lee"
    with pytest.raises(TextError, match="N is empty"):
        clean_name("\u200b\u202e\u2066", what="N", max_length=50)


def test_names_mixing_look_alike_alphabets_are_refused_and_one_alphabet_is_fine():
    from buyin_workbook._text import clean_name

    with pytest.raises(TextError, match="mixes letters of different alphabets in “Dаna”"):
        clean_name("D\u0430na Lee", what="The name", max_length=50)
    for fine in ("Дана", "Ὀδυσσεύς", "山田さん", "Ana-María", "O'Brien 2"):
        assert clean_name(fine, what="N", max_length=50) == fine


def test_a_name_with_accents_stacked_over_the_text_is_refused_and_usual_accents_are_fine():
    from buyin_workbook._text import clean_name

    with pytest.raises(TextError, match="more than 2 accents stacked"):
        clean_name("Ka" + "\u0301" * 38 + "te", what="Your alias", max_length=200)
    with pytest.raises(TextError, match="more than 2 accents stacked"):
        clean_name("Kate\u0336\u0336\u0336", what="Your alias", max_length=50)
    for fine in ("Nguyễn", "Nguye\u0323\u0302n", "Zoë", "Chloé", "Ştefan"):
        assert clean_name(fine, what="N", max_length=50) == unicodedata.normalize("NFC", fine)


def test_names_that_read_the_same_in_other_letters_look_alike():
    from buyin_workbook._text import looks_alike

    assert looks_alike("KATE", "ΚΑΤΕ") and looks_alike("Kate", "КАТЕ")
    assert looks_alike("Blue  Fox", "blue fox") and looks_alike("Anna", "\u0410nna")
    assert not looks_alike("Kate", "Kato") and not looks_alike("Ana", "Ана")


def test_direction_controls_in_free_text_are_kept_and_closed_line_by_line():
    text = clean_text("a \u202eb\nc \u2067d", what="N", max_length=50, multiline=True)
    assert text == "a \u202eb\u202c\nc \u2067d\u2069"
    balanced = "x \u202ey\u202c z"
    assert clean_text(balanced, what="N", max_length=50) == balanced


def test_same_text_sees_through_invisible_characters():
    assert same_text("Dana", "Da\u200bna")
    assert same_text("Dana", "\u2066Dana\u2069")
