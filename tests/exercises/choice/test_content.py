from buyin_workbook.exercises.choice.content import levels_reference, load_content


def test_the_seven_delegation_levels_in_order():
    content = load_content()
    assert [level.name for level in content.levels] == [
        "Tell",
        "Sell",
        "Consult",
        "Agree",
        "Advise",
        "Inquire",
        "Delegate",
    ]
    assert all(level.meaning.endswith(".") for level in content.levels)


def test_zones_cover_every_level_once_from_leader_to_team():
    content = load_content()
    covered = [level for zone in content.zones for level in zone.levels]
    assert covered == list(range(1, 8))
    assert [zone.id for zone in content.zones] == ["low", "medium", "high"]
    assert content.zone_of(4).id == "medium"


def test_headroom_bands_are_contiguous_up_to_twelve_levels():
    content = load_content()
    assert [band.upto for band in content.headroom_bands] == [1, 3, 12]
    assert [content.headroom_band(n).id for n in (0, 1, 1.4, 2, 3, 4, 12)] == [
        "low",
        "low",
        "low",
        "medium",
        "medium",
        "high",
        "high",
    ]


def test_suggestions_and_constraint_kinds_named_by_the_exercise():
    content = load_content()
    assert len(content.suggestions["items"]) == 8
    assert len(set(content.suggestions["items"])) == 8
    assert [kind.id for kind in content.constraint_kinds] == [
        "role",
        "law",
        "customer",
        "budget",
        "readiness",
        "comfort",
        "other",
    ]


def test_levels_reference_card_is_a_table_with_the_same_text():
    card = levels_reference()
    lines = str(card).splitlines()
    assert len(lines) == 8 and lines[0].split() == [
        "Level",
        "Who",
        "decides",
        "What",
        "it",
        "means",
    ]
    assert lines[1].startswith("1 · Tell") and "Low: I decide" in lines[1]
    assert lines[7].startswith("7 · Delegate") and "High: the team decides" in lines[7]
    html = card._repr_html_()
    assert html.count("<tr>") == 8 and html.count('<th scope="col"') == 3
    assert "<td" in html and "<pre" not in html
