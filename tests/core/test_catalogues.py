"""The gettext catalogues: every word the code and the served pages hold is in the template,
and every language translates each of them, with the same blanks and its own plural forms;
the compiled catalogues are what the pages read, one translator per page."""

from __future__ import annotations

import builtins
import tomllib
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.plurals import get_plural
from babel.messages.pofile import read_po

from buyin_workbook.kit.translations import blank_names
from buyin_workbook.languages import DOMAIN, LANGUAGES, LOCALE_DIR, translator

ROOT = Path(__file__).parents[2]
TEMPLATE = LOCALE_DIR / f"{DOMAIN}.pot"


def _ids(catalogue) -> dict[str, tuple[str, ...]]:
    """Each message by its id: (id,) or (singular, plural)."""
    return {
        (m.id if isinstance(m.id, str) else m.id[0]): (
            (m.id,) if isinstance(m.id, str) else tuple(m.id)
        )
        for m in catalogue
        if m.id
    }


def _read(path: Path, language: str | None = None):
    with path.open("rb") as source:
        return read_po(source, locale=language)


def test_the_template_holds_every_word_the_code_and_the_templates_mark():
    """Fails when a word marked for translation is not yet in the template (run
    ``scripts/catalogues``), or the template holds one no longer marked."""
    mappings = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["tool"]["babel"]
    method_map = [(m["pattern"], m["method"]) for m in mappings["mappings"]]
    marked = set()
    # Folders named "_..." hold words too (the store's errors): only hidden ones are skipped.
    found = extract_from_dir(
        str(ROOT),
        method_map,
        # As scripts/catalogues: Nn_ marks a singular and its plural; __ is the JupyterLab
        # extension's (its translation API's).
        keywords={**DEFAULT_KEYWORDS, "Nn_": (1, 2), "__": None},
        directory_filter=lambda path: not Path(path).name.startswith("."),
    )
    for _file, _line, message, _comments, _context in found:
        marked.add(message if isinstance(message, str) else message[0])
    assert marked == set(_ids(_read(TEMPLATE))), "run scripts/catalogues"


def catalogue_problems(language: str, locale_dir: Path = LOCALE_DIR) -> list[str]:
    """What a language's catalogue lacks or says wrong, one line each."""
    template = _ids(_read(TEMPLATE))
    catalogue = _read(locale_dir / language / "LC_MESSAGES" / f"{DOMAIN}.po", language)
    forms = get_plural(language).num_plurals
    problems = []
    if catalogue.num_plurals != forms:
        problems.append(f"{catalogue.num_plurals} plural forms, the language has {forms}")
    seen = {}
    for message in catalogue:
        if not message.id:
            continue
        key = message.id if isinstance(message.id, str) else message.id[0]
        seen[key] = message
        strings = (message.string,) if isinstance(message.string, str) else message.string
        if "fuzzy" in message.flags or not all(strings) or len(strings) not in (1, forms):
            problems.append(f"not translated: {key[:60]!r}")
            continue
        english = set().union(*(blank_names(text) for text in template.get(key, (key,))))
        for text in strings:
            if blank_names(text) != english:
                problems.append(f"blanks differ: {key[:60]!r} -> {text[:60]!r}")
    problems += [f"missing: {key[:60]!r}" for key in template.keys() - seen.keys()]
    problems += [f"no longer used: {key[:60]!r}" for key in seen.keys() - template.keys()]
    return problems


@pytest.mark.parametrize("language", [code for code in LANGUAGES if code != "en"])
def test_each_language_translates_every_word_with_the_same_blanks(language: str):
    assert catalogue_problems(language) == []


def test_the_check_finds_an_untranslated_word_and_a_changed_blank(tmp_path: Path):
    """The check above is able to fail: a catalogue with one word left out and one blank
    renamed is reported for both."""
    source = (LOCALE_DIR / "de" / "LC_MESSAGES" / f"{DOMAIN}.po").read_text("utf-8")
    broken = source.replace('msgstr "Sprache"', 'msgstr ""').replace(
        'msgstr "Willkommen, {name}"', 'msgstr "Willkommen, {nom}"'
    )
    assert broken != source
    copy = tmp_path / "de" / "LC_MESSAGES"
    copy.mkdir(parents=True)
    (copy / f"{DOMAIN}.po").write_text(broken, "utf-8")
    assert sorted(catalogue_problems("de", tmp_path)) == [
        "blanks differ: 'Welcome, {name}' -> 'Willkommen, {nom}'",
        "not translated: 'Language'",
    ]


def test_each_page_reads_its_own_compiled_language_and_nothing_is_process_wide():
    words = {code: translator(code) for code in LANGUAGES}
    said = {code: words[code].gettext("Join the course") for code in LANGUAGES}
    assert said == {
        "en": "Join the course",
        "de": "Dem Kurs beitreten",
        "fr": "Rejoindre la formation",
        "es": "Unirse al curso",
    }
    # Asked in turn, each keeps its own: no language is installed for the process.
    assert words["fr"].gettext("Language") == "Langue" and words["de"].gettext("Language") == (
        "Sprache"
    )
    assert not hasattr(builtins, "_")
    assert words["de"].gettext("Welcome, {name}", name="Kim") == "Willkommen, Kim"


def test_plural_forms_numbers_dates_and_lists_follow_each_language():
    from datetime import date

    one = (
        "the course's figures without names (how many chose each answer, medians), only once "
        "at least {count} person has finished an exercise."
    )
    other = one.replace("person has", "people have")
    french, german = translator("fr"), translator("de")
    # Each language's own plural rule: French says the singular for 0 and 1, German for 1.
    assert "0 personne a terminé" in french.ngettext(one, other, 0)
    assert "1 personne a terminé" in french.ngettext(one, other, 1)
    assert "5 personnes ont terminé" in french.ngettext(one, other, 5)
    assert "0 Personen eine Übung abgeschlossen haben" in german.ngettext(one, other, 0)
    assert "1 Person eine Übung abgeschlossen hat" in german.ngettext(one, other, 1)
    assert "1.000.000 Personen" in german.ngettext(one, other, 1_000_000)
    assert german.number(2.5) == "2,5" and translator("en").number(1234.5) == "1,234.5"
    assert german.day(date(2026, 12, 3)) == "3. Dezember 2026"
    assert translator("es").day(date(2026, 12, 3)) == "3 de diciembre de 2026"
    assert german.listed(["A", "B", "C"]) == "A, B und C"
    assert french.quoted("Atelier") == "« Atelier »"
