from datetime import date

import pytest

from buyin_workbook.exercises.selfcheck import scoring
from buyin_workbook.exercises.selfcheck.content import load_content
from buyin_workbook.exercises.selfcheck.model import Mover, SelfCheckAnswers

RULES = load_content().sentence


def checks(sentence: str) -> dict[str, bool]:
    return {f.check: f.passed for f in scoring.sentence_findings(sentence)}


# -- the one-sentence test ------------------------------------------------------------------


def test_a_good_goal_passes_every_check():
    sentence = (
        "By the end of Q3, every service runs on the new platform and the old one is switched "
        "off, so teams stop paying for two."
    )
    assert all(checks(sentence).values())


def test_buzzwords_fail_and_are_named():
    findings = scoring.sentence_findings("Leverage synergies to deliver world-class value.")
    vague = next(f for f in findings if f.check == "vague")
    assert not vague.passed
    assert "“leverage”" in vague.message and "“world-class”" in vague.message


@pytest.mark.parametrize(
    "sentence, flagged",
    [
        ("Optimize the build pipeline.", True),  # how much?
        ("Optimize the build to under 10 minutes by June.", False),  # a measure: fine
        ("Reduce on-call pages by 40% this quarter.", False),
        ("Make releases faster.", True),
    ],
)
def test_improvement_words_are_vague_only_without_a_measure(sentence, flagged):
    assert checks(sentence)["vague"] is not flagged


def test_word_matching_is_whole_words_only():
    # "robustness" and "leveraged" are not the buzzwords "robust" and "leverage".
    assert scoring.vague_words_in("Test robustness in the leveraged buyout", RULES) == []
    assert scoring.vague_words_in("A ROBUST plan", RULES) == ["robust"]


def test_over_twenty_five_words_is_flagged_with_the_count():
    sentence = " ".join(["word"] * 26)
    (length,) = [f for f in scoring.sentence_findings(sentence) if f.check == "length"]
    assert not length.passed and "26 words" in length.message


@pytest.mark.parametrize(
    "sentence, count",
    [
        ("Ship the app.", 1),
        ("Ship the app. Then celebrate.", 2),
        ("Ship v2, e.g. the iOS app, in March.", 1),  # an abbreviation is not a full stop
        ("Why? Because customers asked. Ship it!", 3),
        ("Move 3.5 million records.", 1),  # a decimal point is not a full stop
    ],
)
def test_sentence_count(sentence, count):
    assert scoring.sentence_count(sentence) == count


@pytest.mark.parametrize(
    "sentence, when",
    [
        ("Launch by March 31.", "March 31"),
        ("Launch in May.", "in May"),
        ("Launch before the end of the quarter.", "end of the quarter"),
        ("Launch within six weeks.", "within six weeks"),
        ("Finish the migration in Q4 2027.", "Q4"),
        ("Go live on 2027-01-15.", "2027-01-15"),
        ("Ship it by Friday.", "by Friday"),
        ("Ship next sprint.", "next sprint"),
    ],
)
def test_times_are_found(sentence, when):
    assert scoring.time_mentioned(sentence) == when


@pytest.mark.parametrize(
    "sentence",
    [
        "We may ship the app.",  # "may" the verb
        "Marching orders are clear.",  # "march" inside a word
        "Cut 15 minutes from the build.",
    ],
)
def test_things_that_look_like_times_but_are_not(sentence):
    assert scoring.time_mentioned(sentence) is None


def test_a_count_between_1900_and_2099_reads_as_a_year():
    # A known limit of the heuristic, which the exercise's caveat admits.
    assert scoring.time_mentioned("Ship 2000 units.") == "2000"


def test_a_time_is_not_taken_for_a_measure():
    assert scoring.measure_mentioned("Do it better by Q3 2027.") is None
    assert checks("Do it better by Q3 2027.")["vague"] is False


def test_an_observable_outcome_is_found_by_word_or_number():
    assert scoring.outcome_mentioned("Switch off the old cluster.", RULES) == "Switch off"
    assert scoring.outcome_mentioned("Page volume at 30 a week.", RULES) == "30"
    assert scoring.outcome_mentioned("Be more customer-centric.", RULES) is None


@pytest.mark.parametrize(
    "sentence, failed",
    [
        # Each passed a check it should not (or failed one it should pass) before.
        ("Customers can onboard themselves without calling support by June", set()),
        ("Reach out to stakeholders and align on a roadmap by Friday", {"outcome", "vague"}),
        ("Double down on quality this year", {"outcome", "vague"}),
        ("By 31 March we make things better", {"outcome", "vague"}),
        ("Our vision is to be number one", {"outcome", "time", "vague"}),
    ],
)
def test_a_coach_would_read_these_sentences_so(sentence, failed):
    found = checks(sentence)
    assert {check for check, passed in found.items() if not passed} - {"purpose"} == failed


def test_an_abbreviation_before_a_capital_is_not_a_full_stop():
    assert scoring.sentence_count("Migrate to the cloud, e.g. AWS, by Q3") == 1
    assert scoring.sentence_count("Ship v2, i.e. The Big One. Then rest.") == 2


def test_a_day_before_its_month_is_a_time_not_a_measure():
    assert scoring.time_mentioned("By 31 March we ship") == "31 March"
    assert scoring.measure_mentioned("By 31 March we ship") is None


@pytest.mark.parametrize(
    "sentence, why",
    [
        ("Ship the app by May so that nurses stop double-charting.", "so that"),
        ("Customers can onboard themselves by June.", "Customers"),
        ("Halve build time by Q3 because releases wait on it.", "because"),
        ("Ship the app by May.", None),
    ],
)
def test_for_whom_or_why(sentence, why):
    assert scoring.purpose_mentioned(sentence, RULES) == why
    assert checks(sentence)["purpose"] is (why is not None)


def test_no_sentence_no_findings():
    assert scoring.sentence_findings("   ") == []


def test_odd_unicode_does_not_break_the_checks():
    findings = scoring.sentence_findings("🚀 Zürich-Team schließt <script> bis März ab.")
    assert [f.check for f in findings] == [
        "length",
        "one_sentence",
        "outcome",
        "purpose",
        "time",
        "vague",
    ]


# -- foundations and the reading ------------------------------------------------------------

ALL_FOUR = {"clear": 4, "compelling": 4, "realistic": 5, "consistent": 4, "understood": 4}
ALL_LOW = dict.fromkeys(ALL_FOUR, 1)
ALL_FIVE = dict.fromkeys(ALL_FOUR, 5)


def answers(attitude="enrollment", stance="bought_in", scores=None, **kw) -> SelfCheckAnswers:
    return SelfCheckAnswers(
        attitude=attitude, stance=stance, scores=dict(ALL_FOUR if scores is None else scores), **kw
    )


def test_weakest_foundation_breaks_ties_in_content_order():
    profile = scoring.foundation_profile(
        answers(
            scores={"clear": 3, "compelling": 2, "realistic": 5, "consistent": 2, "understood": 4}
        )
    )
    assert list(profile["band"]) == ["medium", "low", "high", "low", "high"]
    assert scoring.weakest_foundation(profile) == "compelling"


def test_reading_waits_for_the_attitude_and_all_five_ratings():
    assert scoring.reading(SelfCheckAnswers()).kind == "incomplete"
    missing = dict(ALL_FOUR)
    del missing["clear"]
    assert scoring.reading(answers(scores=missing)).kind == "incomplete"


@pytest.mark.parametrize(
    "attitude",
    ["genuine_compliance", "formal_compliance", "grudging_compliance", "noncompliance", "apathy"],
)
def test_below_enrollment_asking_for_buy_in_is_premature(attitude):
    result = scoring.reading(answers(attitude=attitude, stance="aligned"))
    assert result.kind == "premature"
    assert "premature" in result.paragraphs[0]
    weak = scoring.reading(answers(attitude=attitude, stance="aligned", scores=ALL_LOW))
    assert "Next step:" in " ".join(weak.paragraphs)


def test_bought_in_with_solid_foundations_is_ready():
    result = scoring.reading(answers(attitude="commitment"))
    assert result.kind == "ready_strong"
    assert result.average == 4.2
    assert "ready to ask the team" in result.paragraphs[0]
    assert "Keep the lowest, “Clear” (4 of 5), in view" in result.paragraphs[1]


def test_bought_in_with_a_weak_foundation_names_it_and_its_next_step():
    scores = {**ALL_FOUR, "consistent": 2}
    result = scoring.reading(answers(scores=scores))
    assert result.kind == "ready_weak"
    assert "“Communicated consistently” is low (2 of 5)" in result.paragraphs[0]
    assert "three-sentence story" in result.paragraphs[1]


def test_commitment_called_only_aligned_opens_with_the_question_and_is_not_ready():
    result = scoring.reading(answers(attitude="commitment", stance="aligned"))
    assert result.kind == "unsettled"
    assert "only aligned. Which is true" in result.paragraphs[0].replace("\n", " ")
    text = " ".join(result.paragraphs)
    assert "You are bought in" not in text and "ready to" not in text


def test_bought_in_below_buy_in_opens_with_the_question():
    result = scoring.reading(answers(attitude="formal_compliance", stance="bought_in"))
    assert result.paragraphs[0].startswith("You call yourself bought in")
    assert "Which is true today?" in result.paragraphs[0]
    assert "premature" in result.paragraphs[1]


def test_enrollment_with_nothing_understood_is_not_called_bought_in():
    """One can only buy into what one understands."""
    result = scoring.reading(answers(attitude="enrollment", scores=ALL_LOW))
    assert result.kind == "not_understood"
    text = " ".join(result.paragraphs).replace("\n", " ")
    assert "You are bought in" not in text and "before or while you ask" not in text
    assert "“Understood by me” 1 of 5. One can only buy into what one understands" in text


def test_ready_needs_understanding_even_when_the_rest_holds():
    scores = {**ALL_FOUR, "understood": 2}
    result = scoring.reading(answers(attitude="commitment", scores=scores))
    assert result.kind == "not_understood"
    assert "“Understood by me” 2 of 5" in result.paragraphs[0].replace("\n", " ")
    assert "why it matters now" in " ".join(result.paragraphs)  # its next step


def test_every_foundation_at_five_names_no_weakest_and_no_next_step():
    result = scoring.reading(answers(attitude="commitment", scores=ALL_FIVE))
    text = " ".join(result.paragraphs)
    assert result.kind == "ready_strong"
    assert "Weakest foundation" not in text and "Next step" not in text
    assert "lowest" not in text


def test_a_leader_carrying_a_decision_they_do_not_share_gets_an_honest_route():
    result = scoring.reading(answers(attitude="formal_compliance", stance="aligned"))
    text = " ".join(result.paragraphs).replace("\n", " ")
    assert "decided above you and you do not share it" in text
    assert "commit in the open" in text
    apathy = scoring.reading(answers(attitude="apathy", stance="aligned"))
    assert "decided above you" not in " ".join(apathy.paragraphs)


def test_genuine_compliance_is_named_as_the_state_mistaken_for_commitment():
    result = scoring.reading(answers(attitude="genuine_compliance", stance="aligned"))
    text = " ".join(result.paragraphs).replace("\n", " ")
    assert "most often mistaken for commitment" in text
    described = scoring.load_content().attitude("genuine_compliance").description
    assert "mistaken for commitment" in described
    assert "mistaken" not in " ".join(scoring.reading(answers(attitude="apathy")).paragraphs)


def test_movers_are_summarised_by_the_first_due():
    movers = [
        Mover("a", "Pilot results"),
        Mover("b", "Budget", date(2027, 2, 1), "CFO"),
        Mover("c", "Hiring plan", date(2027, 1, 10)),
        Mover("d", "   "),
    ]
    result = scoring.reading(answers(attitude="formal_compliance", movers=movers))
    assert "You named 3 conditions that would move you" in result.paragraphs[-1]
    assert "“Hiring plan”, by 10 Jan 2027" in result.paragraphs[-1]
    one = scoring.reading(answers(attitude="formal_compliance", movers=movers[:1]))
    assert "You named 1 condition that would move you: “Pilot results”" in one.paragraphs[-1]


def test_no_movers_when_below_buy_in_asks_for_them():
    result = scoring.reading(answers(attitude="apathy"))
    assert "Name what would move you" in result.paragraphs[-1]


def test_reading_counts_sentence_checks():
    result = scoring.reading(answers(sentence="Leverage synergies."))
    assert "passes 2 of 6 checks" in result.paragraphs[-1]


def test_progress():
    assert scoring.progress(SelfCheckAnswers()) == "not started"
    assert scoring.progress(SelfCheckAnswers(stance="aligned")) == "in progress"
    assert scoring.progress(answers(sentence="Ship by May.")) == "done"


def test_store_values_round_trip_and_junk_is_skipped():
    original = answers(
        sentence="Ship.",
        evidence={"clear": "seen it"},
        movers=[Mover("a", "X", date(2027, 1, 1), "Y")],
    )
    assert SelfCheckAnswers.from_store(original.to_store()) == original
    junk = SelfCheckAnswers.from_store(
        {
            "foundation/clear/score": 9,
            "movers": [{"id": "a", "by_when": "not a date"}, "junk"],
            "attitude": 3,
        }
    )
    assert junk.scores == {} and junk.attitude is None
    assert junk.movers == [Mover("a")]
