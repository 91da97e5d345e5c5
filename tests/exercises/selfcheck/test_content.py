import string

from buyin_workbook.exercises.selfcheck.content import attitudes_reference, load_content
from tests.exercises.test_content import BLANKS


def test_sengess_seven_attitudes_highest_first():
    content = load_content()
    assert [a.id for a in content.attitudes] == [
        "commitment",
        "enrollment",
        "genuine_compliance",
        "formal_compliance",
        "grudging_compliance",
        "noncompliance",
        "apathy",
    ]
    assert [a.rank for a in content.attitudes] == [7, 6, 5, 4, 3, 2, 1]


def test_attitudes_map_onto_compliance_agreement_and_buy_in():
    content = load_content()
    states = {a.id: a.state for a in content.attitudes}
    assert states["commitment"] == states["enrollment"] == "buy-in"
    assert states["genuine_compliance"] == "agreement"
    assert states["formal_compliance"] == states["grudging_compliance"] == "compliance"
    assert content.ready_attitude == "enrollment"
    # Every state has words and a legend band.
    for attitude in content.attitudes:
        assert attitude.state in content.states
        assert content.ladder_band(attitude.state).id in {"low", "medium", "high"}


def test_five_foundations_with_anchors_for_one_three_and_five():
    content = load_content()
    assert [f.id for f in content.foundations] == [
        "clear",
        "compelling",
        "realistic",
        "consistent",
        "understood",
    ]
    for foundation in content.foundations:
        assert sorted(foundation.anchors) == [1, 3, 5]
        assert foundation.next_step


def test_foundation_bands_cover_one_to_five():
    content = load_content()
    assert [content.foundation_band(n).id for n in range(1, 6)] == [
        "low",
        "low",
        "medium",
        "high",
        "high",
    ]


def test_word_lists_are_lower_case_and_do_not_overlap():
    rules = load_content().sentence
    for words in (rules.vague_words, rules.needs_measure_words, rules.outcome_words):
        assert all(word == word.lower().strip() for word in words)
        assert len(set(words)) == len(words)
    assert not set(rules.vague_words) & set(rules.outcome_words)


def test_finding_templates_fill_with_the_readings_blanks():
    # The reading's own templates: tests/exercises/test_content.py.
    content = load_content()
    blanks = BLANKS["selfcheck"]
    for key, template in content.sentence.findings.items():
        names = {name for _, name, _, _ in string.Formatter().parse(template) if name}
        assert names <= blanks.keys(), key


def test_attitudes_reference_card():
    lines = str(attitudes_reference()).splitlines()
    assert len(lines) == 8 and lines[1].split()[:2] == ["7", "Commitment"]
    assert "not even compliance" in lines[-1]
