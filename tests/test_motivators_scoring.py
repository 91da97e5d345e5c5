import itertools
import random

import pytest

from workbook.exercises.motivators import scoring
from workbook.exercises.motivators.content import load_content
from workbook.exercises.motivators.model import Member, MotivatorsAnswers, SelfReport

IDS = [m.id for m in load_content().motivators]


def test_rank_weights_by_hand():
    weights = scoring.rank_weights(["a", "b", "c"])
    assert weights == {"a": 3 / 6, "b": 2 / 6, "c": 1 / 6}


def test_plan_overlap_by_hand():
    order = ["a", "b", "c"]
    assert scoring.plan_overlap(order, {"a": "feeds"}) == 50.0
    assert scoring.plan_overlap(order, {"c": "feeds"}) == 16.7
    assert scoring.plan_overlap(order, {"a": "feeds", "b": "feeds", "c": "feeds"}) == 100.0
    assert scoring.plan_overlap(order, {"a": "feeds", "b": "hurts"}) == 16.7
    assert scoring.plan_overlap(order, {"a": "hurts"}) == 0.0  # floored
    assert scoring.plan_overlap(order, {}) == 0.0


def test_profile_overlap_by_hand():
    assert scoring.profile_overlap(["a", "b", "c"], ["a", "b", "c"]) == 100.0
    # weights 3,2,1 vs 1,2,3 (sixths): min sums 1 + 2 + 1 = 4 sixths.
    assert scoring.profile_overlap(["a", "b", "c"], ["c", "b", "a"]) == 66.7


def test_spearman_by_hand():
    assert scoring.spearman(["a", "b", "c"], ["a", "b", "c"]) == 1.0
    assert scoring.spearman(["a", "b", "c"], ["c", "b", "a"]) == -1.0
    assert scoring.spearman(["a", "b", "c", "d"], ["b", "a", "c", "d"]) == 0.8


@pytest.mark.parametrize("seed", range(20))
def test_overlap_properties_symmetry_bounds_identity(seed):
    rng = random.Random(seed)
    a, b = IDS[:], IDS[:]
    rng.shuffle(a)
    rng.shuffle(b)
    effects = {m: rng.choice(["feeds", "neutral", "hurts"]) for m in IDS}
    assert scoring.profile_overlap(a, b) == scoring.profile_overlap(b, a)
    assert 0 <= scoring.profile_overlap(a, b) <= 100
    assert scoring.profile_overlap(a, a) == 100
    assert 0 <= scoring.plan_overlap(a, effects) <= 100
    assert scoring.spearman(a, b) == scoring.spearman(b, a)
    assert -1 <= scoring.spearman(a, b) <= 1


def test_identical_orders_are_the_only_full_overlap():
    base = ["a", "b", "c", "d"]
    for other in itertools.permutations(base):
        full = scoring.profile_overlap(base, list(other)) == 100
        assert full is (list(other) == base)


def team(*orders, leader=None, effects=None, appeals=None) -> MotivatorsAnswers:
    answers = MotivatorsAnswers(leader_order=list(leader or []), effects=dict(effects or {}))
    for index, order in enumerate(orders):
        member = Member(f"m{index}", f"P{index}")
        answers.members.append(member)
        if order is not None:
            answers.guesses[member.id] = list(order)
        if appeals:
            answers.appeals[member.id] = appeals[index]
    return answers


def test_best_appeals_are_top_motivators_the_plan_feeds():
    order = ["mastery", "pay", "goal", *[m for m in IDS if m not in ("mastery", "pay", "goal")]]
    answers = team(order, effects={"goal": "feeds", "mastery": "feeds", "curiosity": "feeds"})
    (result,) = scoring.analyse(answers).members
    assert result.best_appeals == ["mastery", "goal"]  # curiosity is not in their top 3
    assert "P0: best appeals “Mastery” and “Goal”." in scoring.analyse(answers).paragraphs


def test_mistake_one_flags_guesses_that_copy_the_leader():
    leader = IDS[:]
    near_copy = IDS[:]
    near_copy[0], near_copy[1] = near_copy[1], near_copy[0]
    different = IDS[::-1]
    flagged = scoring.analyse(team(near_copy, near_copy, leader=leader))
    assert flagged.projection_rho > 0.7
    assert flagged.projection_flagged == ["P0", "P1"]
    assert any("Mistake 1" in p and "0.7" in p for p in flagged.paragraphs)
    fine = scoring.analyse(team(near_copy, different, leader=leader))
    assert fine.projection_flagged == []  # the average is low: no pattern of projection
    assert any("no sign of mistake 1" in p for p in fine.paragraphs)


def test_mistake_two_one_appeal_for_different_people():
    a, b = IDS[:], IDS[::-1]
    answers = team(a, b, appeals=["pay", "pay"])
    analysis = scoring.analyse(answers)
    assert analysis.one_appeal == "pay"
    assert any("Mistake 2" in p and "“Pay”" in p for p in analysis.paragraphs)
    # Different appeals, or people who really are alike: no flag.
    assert scoring.analyse(team(a, b, appeals=["pay", "mastery"])).one_appeal is None
    assert scoring.analyse(team(a, a, appeals=["pay", "pay"])).one_appeal is None


def test_guess_versus_self_report_gap():
    guess = IDS[:]
    own = IDS[:]
    own.insert(0, own.pop(own.index("pay")))  # pay moved from 14th to 1st
    answers = team(guess)
    answers.self_reports["m0"] = SelfReport(tuple(own), "P0", "2026-11-01")
    (result,) = scoring.analyse(answers).members
    assert result.source == "self"
    assert result.gaps[0].motivator == "pay"
    assert (result.gaps[0].guessed, result.gaps[0].own) == (14, 1)
    assert (
        result.questions[0]
        == next(m for m in load_content().motivators if m.id == "pay").questions[0]
    )


def test_unconfirmed_guesses_get_questions_about_the_top_motivators():
    (result,) = scoring.analyse(team(IDS)).members
    assert len(result.questions) == 3
    assert result.questions[0].startswith("What have you wanted to dig into")  # curiosity


def test_members_without_an_order_are_named_not_scored():
    analysis = scoring.analyse(team(None, IDS))
    assert [m.name for m in analysis.unordered] == ["P0"]
    assert [r.member.name for r in analysis.members] == ["P1"]
    assert "Not in the analysis yet" in analysis.paragraphs[0]


def test_an_empty_team_says_what_to_do():
    analysis = scoring.analyse(MotivatorsAnswers())
    assert analysis.members == []
    assert "Add at least one person" in analysis.paragraphs[0]


def test_importance_frame_and_custom_motivators():
    from workbook.exercises.motivators.content import Motivator

    answers = team(IDS, effects={"goal": "feeds"})
    answers.custom.append(Motivator("custom-x", "Remote work", "", "extrinsic"))
    frame = scoring.importance_frame(answers)
    assert len(frame) == 16  # the custom one is appended to an older order
    assert frame.iloc[-1]["motivator"] == "Remote work" and frame.iloc[-1]["rank"] == 16
    assert frame.set_index("motivator_id").loc["goal", "fed"]
    assert frame.iloc[0]["band"] == "high" and frame.iloc[-1]["band"] == "low"
