"""The translations' check: what a language's file holds that English does not, and pieces
whose blanks differ, for the workbook's own exercises and for files made wrong on purpose."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from buyin_workbook.kit.translations import statuses, translation_status, workbook_statuses
from tests.plugin.paths import ROOT

EXERCISES = ROOT / "buyin_workbook" / "exercises"


def test_every_translation_of_the_workbook_reads_as_its_english_does():
    found = statuses(EXERCISES)
    assert {s.language for s in found} == {"de", "fr", "es"}
    assert [(s.exercise, s.language, s.unknown, s.blanks) for s in found if not s.sound] == []
    selfcheck = {s.language: s for s in found if s.exercise == "selfcheck"}
    assert all(s.translated >= 25 for s in selfcheck.values())  # the one-sentence test


def test_every_word_of_the_workbooks_files_is_in_every_language():
    """Fails on an English piece added to any content file, the summary's or the team's
    voice without its German, French and Spanish (the ids and codes are not words)."""
    found = workbook_statuses()
    assert {s.exercise for s in found} >= {"choice", "selfcheck", "report", "team_voice"}
    missing = [(s.exercise, s.language, s.pieces - s.translated) for s in found]
    assert [entry for entry in missing if entry[2]] == []
    assert all(s.sound for s in found)


def test_a_mistyped_key_a_wrong_id_and_a_changed_blank_are_found(tmp_path: Path):
    (tmp_path / "content.toml").write_text(
        """
[sentence.findings]
time_ok = "Names a time ({evidence})."
length_long = "{words} words: over {max} is hard to repeat."
[[attitudes]]
id = "commitment"
name = "Commitment"
""",
        "utf-8",
    )
    (tmp_path / "content.de.toml").write_text(
        """
[sentence.findings]
time_ok = "Nennt einen Zeitpunkt ({beleg})."
length_long = "{words} Wörter: mehr als {max} sind schwer."
lenght_ok = "Kurz."
[[attitudes]]
id = "comitment"
name = "Engagement"
""",
        "utf-8",
    )
    status = translation_status(tmp_path, "de")
    assert status.unknown == ("attitudes[comitment].name", "sentence.findings.lenght_ok")
    assert status.blanks == ("sentence.findings.time_ok",)
    assert (status.pieces, status.translated) == (3, 2) and not status.sound
    assert translation_status(tmp_path, "fr").translated == 0  # no file: all English


def test_the_check_prints_its_table_and_fails_on_a_problem(tmp_path: Path):
    command = [sys.executable, "-m", "buyin_workbook.kit.translations"]
    ours = subprocess.run([*command, str(EXERCISES)], capture_output=True, text=True, timeout=60)
    assert ours.returncode == 0, ours.stderr
    assert any(line.split()[:2] == ["selfcheck", "de"] for line in ours.stdout.splitlines())
    bad = tmp_path / "exercises" / "odd"
    bad.mkdir(parents=True)
    (bad / "content.toml").write_text('title = "Odd"\n', "utf-8")
    (bad / "content.es.toml").write_text('titel = "Raro"\n', "utf-8")
    found = subprocess.run([*command, str(bad.parent)], capture_output=True, text=True, timeout=60)
    assert found.returncode == 1 and "unknown: titel" in found.stdout
