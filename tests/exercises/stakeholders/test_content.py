import pytest

from buyin_workbook.exercises.stakeholders.content import (
    grid_reference,
    levels_reference,
    load_content,
)


def test_four_levels_each_with_typical_concerns_and_what_works():
    content = load_content()
    assert [level.id for level in content.levels] == [
        "executives",
        "peer_teams",
        "direct_reports",
        "external_partners",
    ]
    for level in content.levels:
        assert level.concerns.endswith(".") and len(level.concerns) > 60
        assert level.approach.endswith(".")
    # The concerns carry seed 003's ideas for each audience, in the product's own words.
    concerns = {level.id: level.concerns.lower() for level in content.levels}
    assert all(word in concerns["executives"] for word in ("cost", "risk", "goals", "when"))
    assert all(
        word in concerns["peer_teams"] for word in ("roadmap", "integration", "dependencies")
    )
    assert all(word in concerns["direct_reports"] for word in ("work", "learn", "say", "why"))
    assert all(word in concerns["external_partners"] for word in ("fits", "support", "years"))


def test_mendelows_four_quadrants_cover_each_corner_once():
    content = load_content()
    corners = {(q.power, q.interest): q.id for q in content.quadrants}
    assert corners == {
        ("high", "high"): "key_players",
        ("high", "low"): "keep_satisfied",
        ("low", "high"): "keep_informed",
        ("low", "low"): "monitor",
    }
    assert content.quadrant("key_players").label == "Key players: manage closely"
    assert [q.label for q in content.quadrants][1:] == [
        "Keep satisfied",
        "Keep informed",
        "Monitor",
    ]


@pytest.mark.parametrize(
    "power, interest, quadrant",
    [
        (5, 5, "key_players"),
        (3, 3, "key_players"),  # 3 counts as high
        (5, 2, "keep_satisfied"),
        (3, 1, "keep_satisfied"),
        (2, 5, "keep_informed"),
        (1, 3, "keep_informed"),
        (2, 2, "monitor"),
        (1, 1, "monitor"),
    ],
)
def test_quadrant_of_a_rating_splits_at_three(power, interest, quadrant):
    content = load_content()
    assert content.high_from == 3
    assert content.quadrant_for(power, interest).id == quadrant


def test_every_rating_of_the_scale_has_words():
    scale = load_content().scale
    assert sorted(scale["power"]) == sorted(scale["interest"]) == [1, 2, 3, 4, 5]
    assert "3 or more counts as high" in scale["explain"]


def test_states_are_buy_in_agreement_compliance_and_sengess_seven_most_invested_first():
    content = load_content()
    ids = [state.id for state in content.states]
    senge = [
        "commitment",
        "enrollment",
        "genuine_compliance",
        "formal_compliance",
        "grudging_compliance",
        "noncompliance",
        "apathy",
    ]
    assert [state_id for state_id in ids if state_id in senge] == senge
    assert {"buy_in", "agreement", "compliance"} <= set(ids)
    assert [state.rank for state in content.states] == list(range(len(ids), 0, -1))
    assert {s.id for s in content.states if s.broad} == {"buy_in", "agreement", "compliance"}


def test_states_map_to_low_medium_and_high_readiness():
    content = load_content()
    bands = {state.id: content.readiness_band(state.id).id for state in content.states}
    assert bands["commitment"] == bands["enrollment"] == bands["buy_in"] == "high"
    assert bands["genuine_compliance"] == bands["agreement"] == "medium"
    assert {
        bands[s]
        for s in (
            "formal_compliance",
            "compliance",
            "grudging_compliance",
            "noncompliance",
            "apathy",
        )
    } == {"low"}
    assert content.readiness_band(None) is None
    assert content.readiness_band("no-such-state") is None
    assert [b.label for b in content.readiness_bands] == [
        "High: buy-in",
        "Medium: agreement",
        "Low: compliance or less",
    ]
    for state in content.states:
        assert state.readiness in content.readiness["words"]


def test_obstacle_and_strategy_checks():
    content = load_content()
    assert [c.id for c in content.obstacles] == [
        "mandate",
        "no_follow_through",
        "timing",
        "mixed_messages",
        "attachment",
    ]
    assert [c.id for c in content.strategies] == [
        "involved_early",
        "rationale",
        "objections",
        "quick_win",
        "feedback",
        "incentives",
    ]
    for check in (*content.obstacles, *content.strategies):
        assert check.name and check.question.endswith(".") and check.remedy.endswith(".")
    for kind in ("obstacles", "strategies"):
        assert list(content.answers[kind]) == ["yes", "partly", "no"]


def test_roles_are_enabler_and_seller():
    assert [role.id for role in load_content().roles] == ["enabler", "seller"]


def test_the_added_message_names_the_person():
    assert "{name}" in load_content().people["added"]


def test_levels_reference_card():
    card = levels_reference()
    assert card.headers == ("Level", "Usually cares about", "What works")
    executive = card.rows[0]
    assert executive[0] == "Executive" and executive[1].startswith("What it returns")
    assert executive[2].startswith("Bring a business case")
    assert len(str(card).splitlines()) == 5


def test_grid_reference_card():
    lines = str(grid_reference()).splitlines()
    assert len(lines) == 5
    assert lines[1].split()[:5] == ["high", "high", "Key", "players:", "manage"]
    assert lines[4].split()[:3] == ["low", "low", "Monitor"]
