"""An exercise's words in another language: ``content.<lang>.toml`` beside ``content.toml``,
keyed by the same ids; what it does not hold yet is read in English."""

from __future__ import annotations

from pathlib import Path

import pytest

from buyin_workbook.kit.content import read_toml
from buyin_workbook.languages import LANGUAGES

ENGLISH = """
title = "Am I bought in?"
[steps]
plan = "Your plan"
sentence = "Your goal"
[[attitudes]]
id = "commitment"
name = "Commitment"
description = "I want it."
[[attitudes]]
id = "compliance"
name = "Compliance"
description = "I do what is asked."
[sentence]
months = ["january", "february"]
"""

GERMAN = """
[steps]
plan = "Ihr Plan"
[[attitudes]]
id = "compliance"
name = "Befolgung"
[sentence]
months = ["Januar", "Jänner", "Februar"]
"""


def _exercise(folder: Path) -> str:
    (folder / "content.toml").write_text(ENGLISH, "utf-8")
    (folder / "content.de.toml").write_text(GERMAN, "utf-8")
    return str(folder / "content.py")


def test_a_languages_words_go_over_the_english_by_the_same_ids(tmp_path: Path):
    german = read_toml(_exercise(tmp_path), "de")
    assert german["title"] == "Am I bought in?"  # not translated yet: English
    assert german["steps"] == {"plan": "Ihr Plan", "sentence": "Your goal"}
    # Tables listed by id: each takes its own words, in the English order and fields.
    assert german["attitudes"] == [
        {"id": "commitment", "name": "Commitment", "description": "I want it."},
        {"id": "compliance", "name": "Befolgung", "description": "I do what is asked."},
    ]
    # A word list is the language's own, not merged with the English one.
    assert german["sentence"]["months"] == ["Januar", "Jänner", "Februar"]


def test_english_is_read_as_it_is_and_a_language_without_a_file_reads_english(
    tmp_path: Path,
):
    module = _exercise(tmp_path)
    english = read_toml(module)
    assert english["steps"]["plan"] == "Your plan"
    assert read_toml(module, "es") == english
    assert LANGUAGES == ("en", "de", "fr", "es")
    with pytest.raises(ValueError, match="No such language: 'xx'"):
        read_toml(module, "xx")
