import itertools
import random

import pytest

from buyin_workbook.exercises.motivators import scoring
from buyin_workbook.exercises.motivators.content import load_content
from buyin_workbook.exercises.motivators.model import Member, MotivatorsAnswers, SelfReport

IDS = [m.id for m in load_content().motivators]


def test_rank_weights_by_hand():
    weights = scoring.rank_weights(["a", "b", "c"])
    assert weights == {"a": 3 / 6, "b": 2 / 6, "c": 1 / 6}


def test_plan_overlap_by_hand():
    order = ["a", "b", "c", "d", "e"]  # only the top three count
    assert scoring.plan_overlap(order, {"a": "feeds"}) == 50.0
    assert scoring.plan_overlap(order, {"c": "feeds"}) == 16.7
    assert scoring.plan_overlap(order, {"a": "feeds", "b": "feeds", "c": "feeds"}) == 100.0
    assert scoring.plan_overlap(order, {"a": "feeds", "b": "hurts"}) == 16.7
    assert scoring.plan_overlap(order, {"a": "hurts"}) == 0.0  # floored
    assert scoring.plan_overlap(order, {}) == 0.0
    assert scoring.plan_overlap(order, {"d": "feeds", "e": "feeds"}) == 0.0


def test_a_plan_that_feeds_exactly_their_top_three_is_high():
    order = ["mastery", "honor", "goal", *[m for m in IDS if m not in ("mastery", "honor", "goal")]]
    effects = dict.fromkeys(("mastery", "honor", "goal"), "feeds")
    answers = team(order, effects=effects)
    (result,) = scoring.analyse(answers).members
    assert result.plan_overlap == 100.0
    assert load_content().overlap_band(result.plan_overlap).id == "high"
    assert result.best_appeals == ["mastery", "honor", "goal"]


def test_the_ten_motivators_and_the_five_appeals_are_ranked_as_lists_of_their_own():
    """Pay ranked first of the appeals is no top-three motivator: the plan's overlap is on
    the ten; the appeals count among what ranks high (their top two)."""
    content = load_content()
    assert [m.id for m in content.motivators if m.group == "appeal"] == [
        "job_security",
        "identity",
        "problem_solving",
        "pay",
        "competition",
    ]
    assert sum(m.group == "motivator" for m in content.motivators) == 10
    order = ["pay", "mastery", "goal", *[m for m in IDS if m not in ("pay", "mastery", "goal")]]
    answers = team(order, effects={"pay": "feeds", "mastery": "feeds"}, appeals=["pay"])
    (result,) = scoring.analyse(answers).members
    # Top three of the ten: mastery, goal, curiosity; mastery alone is fed (3/6).
    assert result.plan_overlap == 50.0
    assert result.best_appeals == ["mastery", "pay"]
    assert (result.appeal_rank, result.appeal_count) == (1, 5)
    frame = scoring.importance_frame(answers).set_index("motivator_id")
    assert frame.loc["pay", "rank"] == 1 and frame.loc["mastery", "rank"] == 1
    assert frame.loc["competition", "rank"] == 5


def test_the_top_motivators_the_plan_hurts_are_named():
    order = ["freedom", "pay", "goal", *[m for m in IDS if m not in ("freedom", "pay", "goal")]]
    answers = team(order, effects={"freedom": "hurts", "goal": "feeds", "honor": "hurts"})
    text = " ".join(scoring.analyse(answers).paragraphs)
    assert "P0: the plan hurts “Freedom”, among what ranks highest for them." in text
    assert "Honor" not in text.split("hurts", 1)[1].split(".")[0]


def test_marking_everything_fed_says_nothing_comes_naturally():
    answers = team(IDS, effects=dict.fromkeys(IDS, "feeds"))
    analysis = scoring.analyse(answers)
    assert analysis.members[0].plan_overlap == 100.0
    text = " ".join(analysis.paragraphs)
    assert "You marked every motivator as fed" in text
    high = load_content().overlap_band(100)
    assert "naturally" not in high.meaning and "nothing comes by itself" in high.meaning


def test_profile_overlap_by_hand():
    assert scoring.profile_overlap(["a", "b", "c"], ["a", "b", "c"]) == 100.0
    # Chance for 3: (2*3 + 1) / (3*3) = 7/9 of the weight shared.
    # Weights 3,2,1 vs 2,3,1 (sixths): min sums 2 + 2 + 1 = 5/6; (5/6 - 7/9) / (2/9) = 0.25.
    assert scoring.profile_overlap(["a", "b", "c"], ["b", "a", "c"]) == 25.0
    # Reversed: 1 + 2 + 1 = 4/6, below chance: 0, not the 66.7 of the raw share.
    assert scoring.profile_overlap(["a", "b", "c"], ["c", "b", "a"]) == 0.0


def test_two_random_orders_read_low_not_high():
    """Raw, two random orders of 15 shared 69% on average and read "High" 43% of the time."""
    rng = random.Random(7)
    high = load_content().overlap_band(70)
    scores = []
    for _ in range(2000):
        a, b = IDS[:], IDS[:]
        rng.shuffle(a)
        rng.shuffle(b)
        scores.append(scoring.profile_overlap(a, b))
    assert sum(scores) / len(scores) < 15
    assert sum(load_content().overlap_band(s) == high for s in scores) / len(scores) < 0.02
    assert scoring.profile_overlap(IDS, IDS[::-1]) == 0.0  # reversed: as unlike as it gets


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
    order = ["mastery", "honor", "goal", *[m for m in IDS if m not in ("mastery", "honor", "goal")]]
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


def test_an_appeal_is_checked_against_the_persons_order_and_the_plan():
    answers = team(IDS, IDS, effects={"freedom": "hurts"}, appeals=["pay", "freedom"])
    text = " ".join(scoring.analyse(answers).paragraphs)
    # Pay is the fourth of the five appeals in the catalogue's order.
    assert "P0: you plan to appeal to “Pay”, which is 4 of 5 in its list" in text
    assert "P1: you plan to appeal to “Freedom”, yet the plan hurts it" in text
    top = team(IDS, appeals=[IDS[0]])
    assert "you plan to appeal" not in " ".join(scoring.analyse(top).paragraphs)


def test_mistake_two_holds_when_one_persons_appeal_is_undecided():
    a, b = IDS[:], IDS[::-1]
    answers = team(a, b, a, appeals=["pay", "pay", None])
    assert scoring.analyse(answers).one_appeal == "pay"


def test_mistake_one_is_not_flagged_where_their_own_order_confirms_the_guess():
    leader = IDS[:]
    near_copy = IDS[:]
    near_copy[0], near_copy[1] = near_copy[1], near_copy[0]
    answers = team(near_copy, near_copy, leader=leader)
    for member_id in ("m0", "m1"):
        answers.self_reports[member_id] = SelfReport(tuple(near_copy), member_id, "2026-11-01")
    analysis = scoring.analyse(answers)
    assert analysis.projection_flagged == []
    assert not any("Mistake 1" in p for p in analysis.paragraphs)


def test_guess_versus_self_report_gap():
    guess = IDS[:]
    own = IDS[:]
    own.insert(0, own.pop(own.index("pay")))  # pay moved from 4th to 1st of the appeals
    answers = team(guess)
    answers.self_reports["m0"] = SelfReport(tuple(own), "P0", "2026-11-01")
    (result,) = scoring.analyse(answers).members
    assert result.source == "self"
    assert result.gaps[0].motivator == "pay"
    assert (result.gaps[0].guessed, result.gaps[0].own) == (4, 1)
    pay = next(m for m in load_content().motivators if m.id == "pay")
    # After their top three motivators, the guess's largest miss.
    assert [item.motivator for item in result.guide] == [*IDS[:3], "pay", "job_security"]
    assert result.guide[3].questions == tuple(pay.questions)


def test_unconfirmed_guesses_get_questions_about_the_top_motivators():
    (result,) = scoring.analyse(team(IDS)).members
    assert [item.motivator for item in result.guide] == IDS[:3]
    assert result.guide[0].questions[0].startswith("What have you wanted to dig into")


def test_a_conversation_guide_ties_each_top_motivator_to_the_plan_and_goes_in_the_report():
    order = [
        "freedom",
        "mastery",
        "goal",
        *[m for m in IDS if m not in ("freedom", "mastery", "goal")],
    ]
    answers = team(order, effects={"freedom": "hurts", "mastery": "feeds"})
    own = list(order)
    own.insert(0, own.pop(own.index("pay")))  # their own order: pay first, then the rest
    answers.self_reports["m0"] = SelfReport(tuple(own), "P0", "2026-11-01")
    (result,) = scoring.analyse(answers).members
    by_id = {m.id: m for m in load_content().motivators}
    # Their own top three motivators, then the guess's largest miss (pay, first of the appeals).
    assert [item.motivator for item in result.guide][:4] == ["freedom", "mastery", "goal", "pay"]
    freedom = result.guide[0]
    assert freedom.effect == "hurts" and freedom.questions == tuple(by_id["freedom"].questions)
    (paragraph,) = scoring.guide_paragraphs(scoring.analyse(answers))
    assert paragraph.startswith("Talking with P0 about this plan.")
    assert f"Freedom (the plan hurts it): {by_id['freedom'].questions[0]}" in paragraph
    assert by_id["freedom"].questions[1] in paragraph  # the plan-linked second question
    from buyin_workbook.exercises import motivators

    report = motivators.EXERCISE.report(answers.to_store())
    assert paragraph in report.paragraphs


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
    from buyin_workbook.exercises.motivators.content import Motivator

    answers = team(IDS, effects={"goal": "feeds"})
    answers.custom.append(Motivator("custom-x", "Remote work", "", "extrinsic", group="appeal"))
    frame = scoring.importance_frame(answers)
    assert len(frame) == 16  # the custom one is appended to an older order
    # An extrinsic motivator of the plan's own is ranked with the appeals.
    assert frame.iloc[-1]["motivator"] == "Remote work" and frame.iloc[-1]["rank"] == 6
    assert frame.set_index("motivator_id").loc["goal", "fed"]
    assert frame.iloc[0]["band"] == "high" and frame.iloc[-1]["band"] == "low"


def test_a_persons_own_moves_for_the_change_outweigh_the_plans_effects():
    """Moving Motivators' second round: each person moves their own cards for the change. The
    plan says it feeds Freedom; the person moved it down, so for them it hurts."""
    order = ["freedom", "pay", "goal", *[m for m in IDS if m not in ("freedom", "pay", "goal")]]
    answers = team(order, effects={"freedom": "feeds", "goal": "feeds"})
    before = scoring.analyse(answers).members[0]
    assert before.effects_source == "plan" and before.best_appeals == ["freedom", "goal"]

    answers.self_reports["m0"] = SelfReport(tuple(order), "P0", "2026-12-01", {"freedom": "down"})
    (result,) = scoring.analyse(answers).members
    assert result.effects_source == "self"
    assert result.hurt_top == ["freedom"] and result.best_appeals == []
    # Only their moves count: Goal, which they did not move, is not fed for them.
    assert result.plan_overlap == 0.0
    assert result.moved_against == {"freedom": "down"}
    text = " ".join(scoring.analyse(answers).paragraphs)
    assert "P0 moved “Freedom” down for this change, where you expect the plan to feed" in text


def test_the_leaders_guess_of_someones_moves_counts_until_their_own_arrive():
    order = ["mastery", "pay", "goal", *[m for m in IDS if m not in ("mastery", "pay", "goal")]]
    answers = team(order, effects={"mastery": "hurts"})
    answers.moves["m0"] = {"mastery": "up", "pay": "up"}
    (result,) = scoring.analyse(answers).members
    assert result.effects_source == "guess"
    assert result.best_appeals == ["mastery", "pay"] and result.hurt_top == []
    assert result.plan_overlap == 50.0  # Pay, an appeal, is not among the top three of the ten
    assert result.moved_against == {}  # a guess is not their word against the plan
    # Their own order without moves (an older file) leaves the guess in charge.
    answers.self_reports["m0"] = SelfReport(tuple(order), "P0", "2026-12-01")
    assert scoring.analyse(answers).members[0].effects_source == "guess"


def test_an_appeal_their_own_moves_push_down_is_flagged():
    order = ["pay", "mastery", "goal", *[m for m in IDS if m not in ("pay", "mastery", "goal")]]
    answers = team(order, effects={"pay": "feeds"}, appeals=["pay"])
    answers.self_reports["m0"] = SelfReport(tuple(order), "P0", "2026-12-01", {"pay": "down"})
    text = " ".join(scoring.analyse(answers).paragraphs)
    assert "P0: you plan to appeal to “Pay”, yet the plan hurts it." in text
