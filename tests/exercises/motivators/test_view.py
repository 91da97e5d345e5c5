"""Drives the motivators exercise in-process, as a user would, against a real store."""

from pathlib import Path

import pytest

from buyin_workbook.exercises.motivators import AboutMe, MotivatorsExercise
from buyin_workbook.exercises.motivators.content import load_content
from buyin_workbook.store import WorkbookStore
from buyin_workbook.widgets.files import FileChooser
from tests.plugin.charts import chart_spec

IDS = [m.id for m in load_content().motivators]


@pytest.fixture()
def db_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'workbook.sqlite'}"


def started(db_url: str) -> MotivatorsExercise:
    exercise = MotivatorsExercise(WorkbookStore(db_url))
    exercise.picker.new_name.value = "Q3 platform migration"
    exercise.picker.create.click()
    return exercise


def add_member(exercise: MotivatorsExercise, name: str):
    exercise.member_name.value = name
    exercise.member_add.click()
    return exercise._member_cards[exercise.answers.members[-1].id]


def test_walkthrough_analysis_store_and_restore(db_url: str):
    exercise = started(db_url)
    assert "Add at least one person" in exercise.reading_html.value

    # Leader's own order: goal to the top, by the move buttons.
    exercise.leader.cards.list.value = "goal"
    exercise.leader.cards.top.click()
    assert exercise.answers.leader_order[0] == "goal"
    for motivator_id, effect in {"goal": "feeds", "mastery": "feeds", "order": "hurts"}.items():
        exercise.effect_controls[motivator_id].value = effect

    # Team: an empty name and a duplicate are refused; the cards need an order.
    exercise.member_name.value = "   "
    exercise.member_add.click()
    assert "empty" in exercise.member_message.value
    dana = add_member(exercise, "Dana <img src=x onerror=alert(1)>")
    add_member(exercise, "dana <IMG SRC=X ONERROR=ALERT(1)>")
    assert "already on your team" in exercise.member_message.value
    eli = add_member(exercise, "Eli")
    assert "Not in the analysis yet" in exercise.reading_html.value
    assert "&lt;img src=x" in exercise.reading_html.value

    dana_guess = dana.children[1]
    # Each order starts shuffled; the catalogue's order here, so the figures below hold.
    dana_guess.set_order(IDS, exercise._catalogue())
    dana_guess.cards.list.value = "mastery"
    dana_guess.cards.top.click()
    eli.children[1].set_order(IDS, exercise._catalogue())
    eli.children[2].children[0].click()  # "This order is right"
    assert set(exercise.answers.guesses) == {m.id for m in exercise.answers.members}
    dana.children[3].value = "mastery"  # the appeal I plan
    eli.children[3].value = "mastery"

    # Dana's own order arrives as a file; a broken file is refused and changes nothing.
    dana_upload = dana.children[5].children[0]
    assert isinstance(dana_upload, FileChooser)  # no "(0)" beside its label
    dana_upload.choose("about-me.json", b"{broken")
    assert "Could not import" in dana.children[6].value
    own = ["pay", *[m for m in IDS if m != "pay"]]
    from buyin_workbook.exercises.motivators.model import about_me_file

    dana_upload.choose("about-me.json", about_me_file("Dana", own).encode())
    assert "Their own order" in dana.children[4].value

    reading = exercise.reading_html.value
    assert "your guess and their own order differ most on “Mastery”, “Pay”" in reading
    assert "Eli: the plan feeds none of their top 3 motivators" in reading
    (overlap,) = exercise.overlap.outputs
    chart_spec(overlap)
    (heat,) = exercise.heat.outputs
    assert "2 people" in heat["data"]["text/plain"]
    assert "A conversation guide, person by person" in exercise.guides.value
    assert exercise.progress() == "done"
    plan_id = exercise.plan.id
    exercise.close_store()

    with WorkbookStore(db_url) as store:
        saved = {k: a.value for k, a in store.answers(plan_id, "motivators").items()}
    dana_id = saved["members"][0]["id"]
    assert saved["leader_order"][0] == "goal"
    assert saved[f"member/{dana_id}/guess"][0] == "mastery"
    assert saved[f"member/{dana_id}/self"]["order"][0] == "pay"
    assert saved["effect/order"] == "hurts"

    again = MotivatorsExercise(WorkbookStore(db_url))
    assert [m.name for m in again.answers.members] == ["Dana <img src=x onerror=alert(1)>", "Eli"]
    assert again.leader.order[0] == "goal"
    assert again._member_cards[dana_id].children[1].order[0] == "mastery"
    assert again.effect_controls["order"].value == "hurts"
    assert again.reading_html.value == reading
    again.close_store()


def test_removing_a_member_erases_their_answers(db_url: str):
    exercise = started(db_url)
    card = add_member(exercise, "Dana")
    card.children[2].children[0].click()
    member_id = exercise.answers.members[0].id
    card.children[0].children[1].click()  # remove
    assert exercise.answers.members == []
    with WorkbookStore(db_url) as store:
        keys = store.answers(exercise.plan.id, "motivators").keys()
    assert not [key for key in keys if member_id in key]
    exercise.close_store()


def test_a_custom_motivator_joins_every_order(db_url: str):
    exercise = started(db_url)
    card = add_member(exercise, "Dana")
    card.children[2].children[0].click()
    exercise.custom_name.value = "Remote work"
    exercise.custom_kind.value = "extrinsic"
    exercise.custom_add.click()
    assert "added" in exercise.custom_message.value
    assert exercise.leader.order[-1].startswith("custom-remote-work")
    assert "custom-remote-work" in "".join(exercise.effect_controls)
    exercise.custom_name.value = "remote WORK"
    exercise.custom_add.click()
    assert "already a motivator" in exercise.custom_message.value
    exercise.close_store()


def test_about_me_prepares_a_file_and_needs_a_name():
    page = AboutMe()
    page.prepare.click()
    assert "empty" in page.message.value and page.download.value == ""
    page.name.value = "Dana"
    page.ranking.appeals.list.value = "pay"
    page.ranking.appeals.top.click()
    page.prepare.click()
    assert 'download="about-me.json"' in page.download.value
    import base64
    import json
    import re

    payload = re.search(r"base64,([A-Za-z0-9+/=]+)", page.download.value).group(1)
    data = json.loads(base64.b64decode(payload))
    assert data["name"] == "Dana" and data["order"][10] == "pay"  # first of the appeals


def test_ordering_starts_from_a_shuffle_that_stays_put_not_from_the_catalogue(db_url: str):
    """Moving Motivators deals the cards in no set order: the catalogue anchors no one."""
    exercise = started(db_url)
    mine = list(exercise.leader.order)
    assert sorted(mine) == sorted(IDS) and mine != IDS
    ana = add_member(exercise, "Ana")
    ben = add_member(exercise, "Ben")
    assert list(ana.guess.order) != IDS and list(ana.guess.order) != list(ben.guess.order)
    assert exercise.answers.leader_order == [] and "m" not in exercise.answers.guesses
    plan = exercise.plan.id
    ana_start = list(ana.guess.order)
    exercise.close_store()

    again = MotivatorsExercise(WorkbookStore(db_url))
    again.picker.select.value = plan
    assert list(again.leader.order) == mine  # the same start while nothing is saved
    card = again._member_cards[again.answers.members[0].id]
    assert list(card.guess.order) == ana_start
    card.keep.click()  # "This order is right": the order shown is the one kept
    assert again.answers.guesses[again.answers.members[0].id] == ana_start
    again.close_store()


def test_each_person_moves_their_cards_for_the_change(db_url: str):
    """The leader marks a guess of someone's moves; the member marks their own on "About me";
    both are kept, and the analysis uses theirs."""
    exercise = started(db_url)
    ana = add_member(exercise, "Ana")
    ana.guess.appeals.list.value = "pay"
    assert ana.guess.appeals.mark is not None and not ana.guess.appeals.mark.disabled
    ana.guess.appeals.mark.value = "up"
    member_id = exercise.answers.members[0].id
    assert exercise.answers.moves[member_id] == {"pay": "up"}
    assert (
        "Pay (up for this change)"
        in dict((value, label) for label, value in ana.guess.appeals.list.options)["pay"]
    )
    exercise.autosaver.flush()
    # Choosing another card shows its own mark, not the last one set.
    ana.guess.cards.list.value = "goal"
    assert ana.guess.cards.mark.value == ""
    plan = exercise.plan.id
    exercise.close_store()

    with WorkbookStore(db_url) as store:
        assert store.answers(plan, "motivators")[f"member/{member_id}/moves"].value == {"pay": "up"}
    again = MotivatorsExercise(WorkbookStore(db_url))
    again.picker.select.value = plan
    card = again._member_cards[member_id]
    card.guess.appeals.list.value = "pay"
    assert card.guess.appeals.mark.value == "up"
    again.close_store()

    page = AboutMe()
    page.name.value = "Ana"
    page.ranking.cards.list.value = "mastery"
    page.ranking.cards.mark.value = "down"
    page.prepare.click()
    import base64
    import json
    import re

    payload = re.search(r"base64,([A-Za-z0-9+/=]+)", page.download.value).group(1)
    assert json.loads(base64.b64decode(payload))["moves"] == {"mastery": "down"}
