import json

import pytest

from buyin_workbook._text import TextError
from buyin_workbook.exercises.motivators.content import load_content
from buyin_workbook.exercises.motivators.model import (
    AboutMeFileError,
    Member,
    MotivatorsAnswers,
    SelfReport,
    about_me_file,
    complete_order,
    member_keys,
    new_custom_motivator,
    new_member,
    read_about_me,
)

IDS = [m.id for m in load_content().motivators]


def test_member_names_refuse_duplicates_and_empty():
    members = [Member("a", "Dana")]
    with pytest.raises(TextError, match="already on your team"):
        new_member(members, " dana ", max_members=60, max_length=40)
    with pytest.raises(TextError, match="empty"):
        new_member(members, "  ", max_members=60, max_length=40)
    with pytest.raises(TextError, match="At most 1"):
        new_member(members, "Eli", max_members=1, max_length=40)
    assert new_member([], "<b>J</b> 🚀", max_members=60, max_length=40).name == "<b>J</b> 🚀"


def test_custom_motivators_are_named_uniquely():
    motivators = list(load_content().motivators)
    with pytest.raises(TextError, match="already a motivator"):
        new_custom_motivator(motivators, "mastery", "", "intrinsic", max_name=40, max_meaning=160)
    custom = new_custom_motivator(
        motivators, "Remote work", "Working from home", "extrinsic", max_name=40, max_meaning=160
    )
    assert custom.kind == "extrinsic" and custom.id.startswith("custom-remote-work-")


def test_complete_order_keeps_known_items_and_appends_new_ones():
    assert complete_order(["b", "zzz", "a"], ["a", "b", "c"]) == ["b", "a", "c"]


def test_about_me_file_round_trip():
    order = IDS[::-1]
    report = read_about_me(about_me_file("Dana", order), IDS)
    assert report.order == tuple(order) and report.name == "Dana"


@pytest.mark.parametrize(
    "data, message",
    [
        (b"\xff\xfe not json", "not JSON"),
        ("{}", "not an “about me” file"),
        (
            json.dumps({"format": "buyin-workbook.about-me", "format_version": 9, "order": []}),
            "newer",
        ),
        (
            json.dumps({"format": "buyin-workbook.about-me", "format_version": 1, "order": "x"}),
            "no order",
        ),
        (
            json.dumps(
                {"format": "buyin-workbook.about-me", "format_version": 1, "order": ["pay", "pay"]}
            ),
            "twice",
        ),
        (
            json.dumps(
                {
                    "format": "buyin-workbook.about-me",
                    "format_version": 1,
                    "order": ["alien", "robot"],
                }
            ),
            "not ones this workbook knows",
        ),
    ],
)
def test_a_malformed_about_me_file_gets_a_clear_message(data, message):
    with pytest.raises(AboutMeFileError, match=message):
        read_about_me(data, IDS)


def test_answers_round_trip_through_store_values():
    answers = MotivatorsAnswers(
        leader_order=IDS[:],
        effects={"pay": "feeds"},
        members=[Member("a", "Dana")],
        guesses={"a": IDS[::-1]},
        self_reports={"a": SelfReport(tuple(IDS), "Dana", "t")},
        appeals={"a": "pay"},
        notes={"a": "likes <b>puzzles</b>"},
    )
    assert MotivatorsAnswers.from_store(answers.to_store()) == answers


def test_moves_travel_in_the_about_me_file_and_forged_ones_are_left_out():
    ids = [m.id for m in load_content().motivators]
    data = json.loads(about_me_file("Dana", ids, {"pay": "down", "mastery": "up"}))
    assert data["format_version"] == 2 and data["moves"] == {"pay": "down", "mastery": "up"}
    data["moves"].update({"goal": "sideways", "not-a-motivator": "up", "curiosity": ["up"]})
    report = read_about_me(json.dumps(data), ids)
    assert report.moves == {"pay": "down", "mastery": "up"}
    # A file of version 1 (no moves) still imports.
    old = {k: v for k, v in data.items() if k != "moves"} | {"format_version": 1}
    assert read_about_me(json.dumps(old), ids).moves == {}


def test_the_leaders_guess_of_moves_round_trips_and_is_erased_with_the_member():
    answers = MotivatorsAnswers(members=[Member("m1", "Ana")])
    answers.moves["m1"] = {"pay": "up"}
    values = answers.to_store()
    assert values["member/m1/moves"] == {"pay": "up"}
    assert MotivatorsAnswers.from_store(values | {"member/m2/moves": {"x": 3}}).moves == {
        "m1": {"pay": "up"},
        "m2": {},
    }
    assert "member/m1/moves" in member_keys("m1")
