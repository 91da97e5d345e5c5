import pytest

from buyin_workbook._text import TextError
from buyin_workbook.exercises.choice import scoring
from buyin_workbook.exercises.choice.model import ChoiceAnswers, Constraint, Decision, new_decision


def make(*rows, constraints=None) -> ChoiceAnswers:
    """rows: (label, what_today, what_possible, how_today, how_possible)."""
    answers = ChoiceAnswers()
    for index, (label, wt, wp, ht, hp) in enumerate(rows):
        decision = Decision(f"d{index}", label)
        answers.decisions.append(decision)
        for dim, moment, level in (
            ("what", "today", wt),
            ("what", "possible", wp),
            ("how", "today", ht),
            ("how", "possible", hp),
        ):
            if level is not None:
                answers.ratings[(decision.id, dim, moment)] = level
    for (index, dim), constraint in (constraints or {}).items():
        answers.constraints[(f"d{index}", dim)] = constraint
    return answers


def test_headroom_per_dimension_and_decision_by_hand():
    answers = make(("Goal", 1, 3, 2, 5), ("Tools", 4, 6, 4, 4), ("Deadline", 3, 3, 3, 3))
    frame = scoring.ratings_frame(answers)
    assert list(frame["headroom"]) == [2, 3, 2, 0, 0, 0]
    by_decision = scoring.headroom_by_decision(frame)
    assert list(by_decision["total"]) == [5, 2, 0]
    assert list(by_decision["band"]) == ["high", "medium", "low"]
    # Goal's HOW crosses into a real say (2 to 5); its WHAT stops at Consult. Tools was
    # already at Agree, so it crosses nothing.
    assert list(by_decision["opportunity"]) == [6, 2, 0]


def test_unrated_decisions_are_left_out_of_the_figures():
    answers = make(("Goal", 1, 3, 2, 5), ("Half", 2, None, 3, 4))
    assert list(scoring.ratings_frame(answers)["decision"].unique()) == ["Goal"]


def test_possible_below_today_counts_no_headroom_and_is_flagged():
    frame = scoring.ratings_frame(make(("Scope", 5, 3, 2, 2)))
    assert list(frame["headroom"]) == [0, 0]
    assert list(frame["over_limit"]) == [True, False]


@pytest.mark.parametrize(
    "today, possible, asked",
    [
        (1, 5, True),  # told: always worth naming why
        (2, 7, True),  # sold
        (3, 5, False),  # consult with room to give: nothing to explain
        (3, 3, True),  # no room
        (5, 4, True),  # the most possible is below today
        (7, 7, False),  # the team decides alone already
        (None, 3, False),
    ],
)
def test_when_step_four_asks_what_holds_you(today, possible, asked):
    assert scoring.needs_constraint(today, possible) is asked


def test_top_opportunities_rank_by_score_then_the_leaders_order():
    answers = make(
        ("A", 3, 4, 3, 3),
        ("B", 1, 2, 1, 2),
        ("C", 5, 6, 5, 6),
        ("D", 2, 3, 4, 5),
        ("E", 1, 1, 1, 1),
    )
    by_decision = scoring.headroom_by_decision(scoring.ratings_frame(answers))
    # A: 1 + crossing = 2; B: 2; C: 2; D: 2; E has no headroom and is never named.
    assert scoring.top_opportunities(by_decision) == ["A", "B", "C"]
    assert "E" not in scoring.top_opportunities(by_decision, limit=5)


def test_reading_needs_three_rated_decisions():
    result = scoring.reading(make(("A", 1, 2, 1, 2), ("B", 1, 2, 1, 2)))
    assert result.kind == "incomplete"
    assert "at least 3 decisions" in result.paragraphs[0]


def test_no_headroom_and_only_real_constraints_says_persuasion_is_fair():
    real = Constraint("law", "real", "")
    answers = make(
        ("A", 1, 1, 2, 2),
        ("B", 3, 3, 3, 3),
        ("C", 2, 2, 1, 1),
        constraints={(i, d): real for i in range(3) for d in ("what", "how")},
    )
    result = scoring.reading(answers)
    assert result.kind == "no_room_real"
    assert "persuasion is a fair tool" in result.paragraphs[0]
    assert result.total_headroom == 0 and result.top == []


def test_no_headroom_with_self_imposed_limits_points_at_them():
    real, own = Constraint("law", "real", ""), Constraint("comfort", "self", "habit")
    constraints = {(i, d): real for i in range(3) for d in ("what", "how")}
    constraints[(1, "how")] = own
    result = scoring.reading(
        make(("A", 1, 1, 2, 2), ("B", 3, 3, 3, 3), ("C", 2, 2, 1, 1), constraints=constraints)
    )
    assert result.kind == "no_room_self"
    assert result.self_imposed == ["B (HOW): My own comfort or habit"]
    text = " ".join(result.paragraphs)
    assert "persuasion is a fair tool" not in text  # the plan as a whole is not fixed
    assert "For “A (WHAT)”, “A (HOW)”, “C (WHAT)” and “C (HOW)”, the team is told" in text


def test_no_headroom_and_limits_not_named_asks_to_name_them():
    result = scoring.reading(make(("A", 1, 1, 2, 2), ("B", 3, 3, 3, 3), ("C", 2, 2, 1, 1)))
    assert result.kind == "no_room_unexplained"


def test_a_team_that_already_decides_is_told_so():
    result = scoring.reading(
        make(
            ("A", 4, 4, 5, 5),
            ("B", 7, 7, 7, 7),
            ("C", 6, 6, 4, 4),
            constraints={
                (i, d): Constraint("role", "real", "") for i in range(3) for d in ("what", "how")
            },
        )
    )
    assert result.kind == "already_open"


def test_headroom_reading_names_figures_and_the_top_three():
    answers = make(
        ("Goal", 1, 4, 2, 5),
        ("Tools", 3, 4, 3, 6),
        ("Deadline", 1, 1, 1, 1),
        ("Method", 3, 3, 2, 3),
        constraints={(2, "what"): Constraint("comfort", "self", "")},
    )
    result = scoring.reading(answers)
    assert result.kind == "headroom"
    assert result.total_headroom == 11
    assert result.average_headroom == 2.8
    assert result.band == "medium"
    assert result.top == ["Goal", "Tools", "Method"]
    assert "11 delegation levels" in result.paragraphs[0]
    assert "“Goal”, “Tools” and “Method”" in result.paragraphs[0]
    assert any("self-imposed" in p for p in result.paragraphs)


def test_reading_mentions_where_today_is_above_the_possible():
    result = scoring.reading(make(("A", 5, 3, 2, 4), ("B", 1, 4, 1, 4), ("C", 1, 4, 1, 4)))
    assert "“A (WHAT)”" in result.paragraphs[-1]


def test_progress_from_not_started_to_done():
    assert scoring.progress(ChoiceAnswers()) == "not started"
    partial = make(("A", 1, 4, 3, 5), ("B", 3, 5, 3, 5))
    assert scoring.progress(partial) == "in progress"
    full = make(("A", 3, 4, 3, 5), ("B", 3, 5, 3, 5), ("C", 1, 4, 3, 5))
    assert scoring.progress(full) == "in progress"  # C's WHAT is at Tell: not named yet
    full.constraints[("d2", "what")] = Constraint("budget", "real", "")
    assert scoring.progress(full) == "done"


# -- step 2's rules -------------------------------------------------------------------------


def test_new_decision_refuses_duplicates_whatever_the_case():
    decisions = [Decision("a", "The deadline")]
    with pytest.raises(TextError, match="“The deadline” is already on the list"):
        new_decision(decisions, "  the DEADLINE ", max_decisions=12, max_length=120)


def test_new_decision_limits_count_and_length_and_keeps_markup():
    full = [Decision(str(i), f"D{i}") for i in range(12)]
    with pytest.raises(TextError, match="at most 12 decisions"):
        new_decision(full, "One more", max_decisions=12, max_length=120)
    with pytest.raises(TextError, match="empty"):
        new_decision([], "\u200b", max_decisions=12, max_length=120)
    with pytest.raises(TextError, match="limit is 120"):
        new_decision([], "x" * 121, max_decisions=12, max_length=120)
    markup = new_decision([], "<b>Tools</b>", max_decisions=12, max_length=120)
    assert markup.label == "<b>Tools</b>"


def test_answers_round_trip_through_store_values():
    answers = make(("A", 1, 4, 3, 5), constraints={(0, "what"): Constraint("other", "self", "x")})
    answers.reflections["hardest"] = "text"
    values = answers.to_store()
    assert values["rating/d0/how/possible"] == 5
    assert ChoiceAnswers.from_store(values) == answers


def test_unknown_or_malformed_store_values_are_skipped():
    answers = ChoiceAnswers.from_store(
        {
            "decisions": [{"id": "a", "label": "A"}, "junk", {"label": "no id"}],
            "rating/a/what/today": "three",
            "rating/a/what": 3,
            "future/key": 1,
            "constraint/a/what": {"kind": "budget", "nature": "maybe"},
        }
    )
    assert answers.decisions == [Decision("a", "A")]
    assert answers.ratings == {}
    assert answers.constraints[("a", "what")] == Constraint("budget", None, "")


def test_a_level_no_page_offers_is_not_read():
    """An edited or forged plan file may hold anything where a level is kept."""
    answers = ChoiceAnswers.from_store(
        {
            "decisions": [{"id": "d1", "label": "Rota"}],
            "rating/d1/what/today": 999,
            "rating/d1/what/possible": True,
            "rating/d1/how/today": 0,
            "rating/d1/how/possible": 7,
        }
    )
    assert answers.ratings == {("d1", "how", "possible"): 7}


# Readings a coach would sign (each case: the answers that produced a contradiction).

OWN = Constraint("comfort", "self", "")
REAL = Constraint("law", "real", "")


def test_already_open_with_self_imposed_limits_names_them_and_asks_to_look_again():
    answers = make(
        ("A", 4, 4, 4, 4),
        ("B", 4, 4, 4, 4),
        ("C", 4, 4, 4, 4),
        constraints={(i, d): OWN for i in range(3) for d in ("what", "how")},
    )
    result = scoring.reading(answers)
    text = " ".join(result.paragraphs)
    assert result.kind == "already_open"
    assert "Limits you named as self-imposed (6)" in text
    assert "A (WHAT): My own comfort or habit" in text
    assert "Look at those ratings again" in text


def test_today_above_possible_is_not_told_to_keep_it_that_way():
    answers = make(
        ("A", 5, 4, 4, 4),
        ("B", 4, 4, 4, 4),
        ("C", 4, 4, 4, 4),
        constraints={(i, d): REAL for i in range(3) for d in ("what", "how")},
    )
    text = " ".join(scoring.reading(answers).paragraphs)
    assert "more say than you feel safe with" in text
    assert "Keep it that way" not in text


def test_the_low_band_does_not_call_a_decision_at_tell_open():
    low = scoring.load_content().headroom_band(0)
    assert "as open as it can be" not in low.meaning


def test_persuasion_is_fair_per_decision_where_the_team_is_told_and_the_limit_is_real():
    answers = make(
        ("Goal", 1, 4, 2, 5),
        ("Safety rules", 1, 1, 3, 5),
        ("Tools", 3, 5, 3, 6),
        constraints={(1, "what"): REAL},
    )
    result = scoring.reading(answers)
    assert result.kind == "headroom"
    text = " ".join(result.paragraphs)
    assert "For “Safety rules (WHAT)”, the team is told or sold to" in text
    assert "persuasion is fair" in text
    own = make(
        ("Goal", 1, 4, 2, 5),
        ("Safety rules", 1, 1, 3, 5),
        ("Tools", 3, 5, 3, 6),
        constraints={(1, "what"): OWN},
    )
    assert "persuasion" not in " ".join(scoring.reading(own).paragraphs)


def test_marking_every_limit_real_is_not_praised_as_honest():
    answers = make(
        ("A", 1, 1, 2, 2),
        ("B", 3, 3, 3, 3),
        ("C", 2, 2, 1, 1),
        constraints={(i, d): REAL for i in range(3) for d in ("what", "how")},
    )
    text = " ".join(scoring.reading(answers).paragraphs)
    assert "honest answer" not in text
    assert "challenge" in text


def test_a_self_imposed_limit_where_possible_equals_today_asks_to_look_again():
    answers = make(
        ("Goal", 1, 4, 2, 5),
        ("Deadline", 3, 3, 3, 5),
        ("Tools", 3, 5, 3, 6),
        constraints={(1, "what"): OWN},
    )
    text = " ".join(scoring.reading(answers).paragraphs)
    assert "For “Deadline (WHAT)”, you rated the most you could give no higher than today" in text
