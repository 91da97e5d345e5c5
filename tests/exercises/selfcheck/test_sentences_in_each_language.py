"""The one-sentence checks read a goal in the language it is written in: time expressions,
vague words, outcome and purpose cues are content data per language (content.<lang>.toml),
tested here with sentences written in each language, good and bad."""

from __future__ import annotations

import pytest

from buyin_workbook.exercises.selfcheck.content import load_content
from buyin_workbook.exercises.selfcheck.sentences import sentence_findings

#: A goal that passes every check, in each language.
GOOD = {
    "en": "By the end of March all teams work in the new structure, so that customers have one "
    "contact.",
    "de": "Bis Ende März arbeiten alle Teams in der neuen Struktur, damit die Kunden nur noch "
    "einen Ansprechpartner haben.",
    "fr": "D’ici fin mars, toutes les équipes travaillent dans la nouvelle structure, pour que "
    "les clients n’aient qu’un seul contact.",
    "es": "Para finales de marzo, todos los equipos trabajan en la nueva estructura, para que "
    "los clientes tengan un solo contacto.",
}

#: (language, sentence, the checks it fails), each check failing for its own reason.
BAD = [
    (
        "de",
        "Alle Teams arbeiten in der neuen Struktur, damit die Kunden es leichter haben.",
        {"time"},
    ),
    (
        "de",
        "Bis zum 31. März arbeiten wir an einer besseren Zusammenarbeit für die Kunden.",
        {"outcome", "vague"},
    ),
    (
        "de",
        "Wir heben Synergien, damit die Kunden innerhalb von drei Monaten zufriedener sind.",
        {"outcome", "vague"},
    ),
    (
        "de",
        "Am 31. März schalten wir das alte System ab. Die Kunden merken nichts davon.",
        {"one_sentence"},
    ),
    ("de", "Im nächsten Quartal ist die alte Plattform abgeschaltet.", {"purpose"}),
    (
        "fr",
        "Toutes les équipes travaillent dans la nouvelle structure, pour que les clients "
        "respirent.",
        {"time"},
    ),
    (
        "fr",
        "D’ici le 30 juin, nous voulons améliorer la collaboration pour les clients.",
        {"outcome", "vague"},
    ),
    (
        "fr",
        "Au T3, l’ancienne plateforme est arrêtée grâce aux synergies, pour que les clients "
        "gagnent du temps.",
        {"vague"},
    ),
    (
        "fr",
        "L’ancienne plateforme est arrêtée dans deux mois. Les clients ne voient rien.",
        {"one_sentence"},
    ),
    (
        "es",
        "Todos los equipos trabajan en la nueva estructura, para que los clientes lo noten.",
        {"time"},
    ),
    (
        "es",
        "Antes del 31 de marzo queremos mejorar la colaboración para los clientes.",
        {"outcome", "vague"},
    ),
    (
        "es",
        "En el T3 la plataforma antigua está apagada gracias a las sinergias, para que los "
        "clientes ahorren.",
        {"vague"},
    ),
    ("es", "Dentro de dos meses la plataforma antigua está apagada.", {"purpose"}),
]


@pytest.mark.parametrize("language", sorted(GOOD))
def test_a_goal_written_in_its_language_passes_every_check(language: str):
    findings = sentence_findings(GOOD[language], load_content(language))
    assert [f.check for f in findings if not f.passed] == []


@pytest.mark.parametrize(("language", "sentence", "failed"), BAD, ids=[s[:32] for _, s, _ in BAD])
def test_a_goal_missing_something_fails_that_check_in_its_language(
    language: str, sentence: str, failed: set[str]
):
    findings = sentence_findings(sentence, load_content(language))
    assert {f.check for f in findings if not f.passed} == failed


@pytest.mark.parametrize(
    ("language", "sentence", "time"),
    [
        ("de", "Die alte Plattform ist zum 31.03.2027 abgeschaltet.", "31.03.2027"),
        ("de", "Bis Freitag ist der Vertrag unterschrieben.", "Bis Freitag"),
        ("de", "In zwei Wochen ist die Stelle besetzt.", "In zwei Wochen"),
        ("fr", "Le contrat est signé avant vendredi.", "avant vendredi"),
        ("fr", "Le site est en production le 1er avril.", "1er avril"),
        ("es", "El contrato está firmado el próximo trimestre.", "el próximo trimestre"),
        ("es", "El servicio está en producción en Q3.", "Q3"),
    ],
)
def test_times_said_in_each_language_are_found(language: str, sentence: str, time: str):
    findings = {f.check: f for f in sentence_findings(sentence, load_content(language))}
    assert findings["time"].passed and f"({time})" in findings["time"].message


def test_the_findings_speak_the_sentences_language():
    say = {f.check: f.message for f in sentence_findings("Synergien heben.", load_content("de"))}
    assert say["time"] == "Kein Zeitpunkt: bis wann?"
    assert say["vague"] == "Vage Wörter: „Synergien“. Sagen Sie, was sie in diesem Plan bedeuten."
    assert load_content("de").sentence.label == "Das Ziel in einem Satz"
    assert load_content("de").title == "Stehe ich selbst dahinter?"
