"""The aliases the join page suggests, in each language: words of that language, and in
German an adjective that agrees with its bird."""

import tomllib
from pathlib import Path

import pytest

from buyin_workbook._text import TextError
from buyin_workbook.cohorts.aliases import suggest_alias

WORDS = tomllib.loads(
    (Path(__file__).parents[2] / "buyin_workbook/cohorts/aliases.toml").read_text("utf-8")
)


@pytest.mark.parametrize("language", ["en", "fr", "es"])
def test_an_alias_is_a_quality_and_a_bird_in_the_pages_language(language: str):
    words = WORDS[language]
    first, second = set(words["first"]), set(words["second"])
    for _ in range(300):
        alias = suggest_alias(language=language)
        quality, bird = alias.split(" ") if language == "en" else alias.split(" ")[::-1]
        assert quality in first and bird in second, alias


def test_a_german_alias_agrees_in_gender():
    genders = WORDS["de"]["second"]
    adjectives = WORDS["de"]["first"]
    seen = set()
    for _ in range(600):
        adjective, bird = suggest_alias(language="de").split(" ")
        (gender,) = [g for g, birds in genders.items() if bird in birds]
        assert adjective in adjectives[gender], (adjective, bird)
        seen.add(gender)
    assert seen == {"m", "f", "n"}


def test_a_suggestion_is_never_one_taken_and_an_unknown_language_is_refused():
    taken = [suggest_alias(language="es") for _ in range(200)]
    for _ in range(50):
        assert suggest_alias(taken, "es").casefold() not in {t.casefold() for t in taken}
    with pytest.raises(TextError, match="Deutsch"):
        suggest_alias(language="pt")
