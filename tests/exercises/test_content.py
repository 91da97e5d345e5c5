"""What every exercise's words must do, checked for each exercise in the registry."""

import string
from pathlib import Path

import pytest

import buyin_workbook
from buyin_workbook.exercises import EXERCISES
from buyin_workbook.kit.content import flat
from buyin_workbook.languages import LANGUAGES

#: The blanks each exercise's code fills its reading's templates with (sample values).
BLANKS: dict[str, dict[str, object]] = {
    "choice": {
        "min": 3,
        "total": 5,
        "average": "1.7",
        "band": "low",
        "top": "“A”",
        "count": 2,
        "items": "A; B",
    },
    "selfcheck": {
        "day": "15 Jan 2027",
        "whom": "my director",
        "attitude": "a",
        "state": "s",
        "weakest": "w",
        "average": 3,
        "band": "low",
        "score": 2,
        "foundation": "f",
        "step": "x",
        "count": 2,
        "what": "w",
        "when": "",
        "passed": 3,
        "total": 5,
        "words": 9,
        "max": 25,
        "evidence": "e",
    },
    "motivators": {
        "appeals": "pay and status",
        "appeal": "pay",
        "count": 2,
        "members": "Ana and Ben",
        "member": "Ana",
        "motivators": "curiosity and order",
        "overlap": 55,
        "rank": 3,
        "rho": "0.71",
        "threshold": "0.7",
        "top": "curiosity",
    },
    "stakeholders": {
        "day": "15 Jan 2027",
        "names": "A and B",
        "name": "A",
        "power": 5,
        "interest": 4,
        "state": "s",
        "concern": "c",
        "audience": "a",
        "case": "c",
        "missing": "m",
        "answer": "x",
        "remedy": "r",
        "open": 3,
        "total": 11,
        "count": 2,
        "who": "w",
        "about": "b",
        "when": "",
        "items": "i",
        "what": "w",
    },
}


def test_every_exercise_has_its_blanks_here():
    assert BLANKS.keys() == EXERCISES.keys()


@pytest.mark.parametrize("exercise", list(EXERCISES))
def test_every_reading_template_fills_with_the_blanks_it_names(exercise: str):
    content = EXERCISES[exercise].content()
    blanks = BLANKS[exercise]
    assert content.reading, "the exercise has a reading"
    for key, piece in content.reading.items():
        # A piece that counts is a table of its forms by number: both are there, and the
        # count picks its own.
        forms = piece if isinstance(piece, dict) else {"": piece}
        assert set(forms) in ({""}, {"one", "other"}), key
        for form, template in forms.items():
            names = {name for _, name, _, _ in string.Formatter().parse(template) if name}
            assert names <= blanks.keys() | {"count"}, key
            values = {**blanks, "count": 1 if form == "one" else 3}
            filled = content.text("reading", key, **values)
            assert filled == flat(template).format(**values), key
            assert "{" not in filled, key


def test_no_word_is_left_half_plural():
    """Not "condition(s)": a count's noun takes its number's form (see ``Content.text``)."""
    package = Path(buyin_workbook.__file__).parent
    words = [*package.rglob("content.toml"), *package.rglob("templates/*.html")]
    assert len(words) > 10
    for path in words:
        assert "(s)" not in path.read_text("utf-8"), path


@pytest.mark.parametrize("language", LANGUAGES)
def test_senges_attitudes_have_one_name_each_in_every_language(language: str):
    """The self-check's ladder and the stakeholders' states are the same seven attitudes:
    a reader meets each under one name, the one its language's published material uses."""
    attitudes = {a.id: a.name for a in EXERCISES["selfcheck"].content(language).attitudes}
    states = {s.id: s.name for s in EXERCISES["stakeholders"].content(language).states}
    assert len(attitudes) == 7
    assert {id_: states[id_] for id_ in attitudes} == attitudes
