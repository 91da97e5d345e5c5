"""Drives "Who else must buy in, and who will sell with me?" in-process, as a user would,
against a real store."""

from datetime import date
from pathlib import Path

import ipywidgets as widgets
import pytest

from buyin_workbook.exercises.stakeholders import StakeholdersExercise
from buyin_workbook.exercises.stakeholders.content import load_content
from buyin_workbook.store import WorkbookStore
from tests.plugin.charts import chart_spec, chart_strings

EXECUTIVE_CONCERNS = load_content().level("executives").concerns
PEER_CONCERNS = load_content().level("peer_teams").concerns
SCRIPT_NAME = "VP Eng <script>alert(1)</script>"


@pytest.fixture()
def db_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'workbook.sqlite'}"


def started(db_url: str) -> StakeholdersExercise:
    exercise = StakeholdersExercise(WorkbookStore(db_url))
    exercise.picker.new_name.value = "Q3 platform migration"
    exercise.picker.create.click()
    return exercise


def find(root: widgets.Widget, css_class: str) -> widgets.Widget:
    """The one widget under ``root`` that carries ``css_class``."""
    found = []
    stack = [root]
    while stack:
        widget = stack.pop()
        if css_class in getattr(widget, "_dom_classes", ()):
            found.append(widget)
        stack.extend(getattr(widget, "children", ()))
    assert len(found) == 1, (css_class, len(found))
    return found[0]


def add(exercise: StakeholdersExercise, name: str, level: str = "") -> widgets.Widget:
    exercise.new_name.value = name
    exercise.new_level.value = level
    exercise.add_person.click()
    return exercise._cards[exercise.answers.stakeholders[-1].id]


def place(card: widgets.Widget, power: int, interest: int, state: str) -> None:
    find(card, "bw-stakeholder-power").value = power
    find(card, "bw-stakeholder-interest").value = interest
    find(card, "bw-stakeholder-state").value = state


def saved_values(db_url: str, plan_id: int) -> dict:
    with WorkbookStore(db_url) as store:
        return {k: a.value for k, a in store.answers(plan_id, "stakeholders").items()}


def test_walkthrough_reading_chart_store_and_restore(db_url: str):
    exercise = started(db_url)
    assert "Add the people and groups" in exercise.reading_html.value
    assert exercise.chart.outputs == ()
    assert exercise.progress() == "not started"

    # Step 2: names are required, trimmed, unique; markup stays text.
    exercise.new_name.value = "   "
    exercise.add_person.click()
    assert "empty" in exercise.add_message.value
    vp = add(exercise, f"  {SCRIPT_NAME} ", "executives")
    assert exercise.answers.stakeholders[0].name == SCRIPT_NAME
    assert "&lt;script&gt;" in exercise.add_message.value
    add(exercise, "vp eng <SCRIPT>alert(1)</SCRIPT>")
    assert "already on your list" in exercise.add_message.value
    assert len(exercise.answers.stakeholders) == 1
    assert "&lt;script&gt;" in find(vp, "bw-stakeholder-name").value

    # The level's typical concerns are the starting point of the concern...
    vp_concern = find(vp, "bw-stakeholder-concern")
    assert vp_concern.value == EXECUTIVE_CONCERNS
    assert "What tends to work" in find(vp, "bw-level-hint").value
    vp_concern.value = "Payback <b>within</b> a year; no risk to the Q4 launch."
    # ... also when the level is picked later on the card, if the box is still empty,
    payments = add(exercise, "Payments team")
    assert find(payments, "bw-stakeholder-concern").value == ""
    find(payments, "bw-stakeholder-level").value = "peer_teams"
    assert find(payments, "bw-stakeholder-concern").value == PEER_CONCERNS
    # ... and never over what the leader wrote.
    dana = add(exercise, "Dana 🚀")
    find(dana, "bw-stakeholder-concern").value = "Losing the on-call bonus"
    find(dana, "bw-stakeholder-level").value = "direct_reports"
    assert find(dana, "bw-stakeholder-concern").value == "Losing the on-call bonus"
    find(dana, "bw-stakeholder-concern").value = "x" * 501
    dana_id = exercise.answers.stakeholders[-1].id
    message = exercise._text_answers[f"stakeholder/{dana_id}/concern"][1]
    assert "limit is 500" in message.value  # and the earlier text stays saved
    legal = add(exercise, "Legal")

    place(vp, 5, 4, "formal_compliance")
    place(payments, 3, 5, "commitment")
    place(dana, 4, 4, "")
    place(legal, 4, 1, "apathy")
    (chart,) = exercise.chart.outputs
    text = chart["data"]["text/plain"]
    assert text.startswith("Who must buy in: power and interest: ")
    assert f"{SCRIPT_NAME}: power 5, interest 4, Key players: manage closely" in text
    assert "Legal: power 4, interest 1, Keep satisfied, Apathy" in text
    # The name goes to the page as data, drawn there as SVG text (see the browser test).
    assert SCRIPT_NAME in chart_strings(chart_spec(chart))

    # Champions: the payments team will sell it; the leader means to sell to them himself.
    champion_box = find(payments, "bw-champion-box")
    assert champion_box.layout.display == "none"
    find(payments, "bw-stakeholder-champion").value = True
    assert champion_box.layout.display == ""
    find(payments, "bw-stakeholder-audience").value = "the other team leads"
    find(payments, "bw-stakeholder-case").value = "It ends our Friday release pain."
    find(payments, "bw-stakeholder-role").value = "seller"
    find(vp, "bw-stakeholder-role").value = "enabler"
    assert "the other team leads" in exercise.champions_html.value
    assert "Seller" in exercise.champions_html.value

    # Steps 3 and 4.
    obstacles, strategies = exercise.check_controls["obstacle"], exercise.check_controls["strategy"]
    for obstacle_id in obstacles:
        obstacles[obstacle_id].value = "no"
    obstacles["timing"].value = "yes"
    for strategy_id in strategies:
        strategies[strategy_id].value = "yes"
    strategies["quick_win"].value = "partly"
    note = find(exercise, "bw-obstacle-note-timing")
    note.value = "Lands in the <i>release freeze</i>"

    # Step 5: next conversations, one added then removed.
    exercise.conversations.add.click()
    exercise.conversations.add.click()
    first, second = exercise.conversations.list.children
    assert find(first, "bw-conversation-who").options == (
        SCRIPT_NAME,
        "Payments team",
        "Dana 🚀",
        "Legal",
    )
    find(first, "bw-conversation-who").value = "Dana 🚀"
    find(first, "bw-conversation-about").value = "The on-call bonus"
    find(first, "bw-conversation-when").value = date(2027, 1, 15)
    find(second, "bw-conversation-about").value = "to be removed"
    find(second, "bw-conversation-remove").click()
    assert len(exercise.conversations.list.children) == 1
    find(first, "bw-conversation-outcome").value = "Wants the <b>bonus</b> kept"

    # Keeping buy-in going: an objection from a stakeholder, and a quick win with a date.
    exercise.objections.add.click()
    (objection,) = exercise.objections.list.children
    find(objection, "bw-objection-what").value = "We tried <i>this</i> in 2022"
    find(objection, "bw-objection-who").value = "Payments team"
    exercise.quick_wins.add.click()
    (win,) = exercise.quick_wins.list.children
    find(win, "bw-quick-win-what").value = "First team on the rota"
    find(win, "bw-quick-win-when").value = date(2099, 1, 15)
    follow = exercise.reading_html.value
    assert (
        "Objections with no answer yet: “We tried &lt;i&gt;this&lt;/i&gt; in 2022” (Payments team)"
        in follow
    )
    assert "The next quick win to show: “First team on the rota”, by 15 Jan 2099." in follow

    reading = exercise.reading_html.value
    assert reading.startswith(
        "<p>Start with the key players who are not bought in yet: Dana 🚀 and VP Eng "
        "&lt;script&gt;alert(1)&lt;/script&gt;.</p>"
    )
    assert "<script>" not in reading
    assert "you do not know where they stand" in reading
    assert "at formal compliance (compliance), short of buy-in" in reading
    assert "“Payback &lt;b&gt;within&lt;/b&gt; a year; no risk to the Q4 launch”" in reading
    assert "Key players already bought in: Payments team." in reading
    assert "Keep satisfied (high power, low interest): Legal." in reading
    assert "Payments team can make the case to the other team leads" in reading
    assert "Enable rather than sell: you plan to make the case to Payments team" in reading
    assert "Obstacle present: Poor timing." in reading
    assert "Strategy only partly in place: A quick win shown." in reading
    assert (
        "1 conversation planned, with Dana 🚀 about “The on-call bonus”, by 15 Jan 2027" in reading
    )
    assert "No conversation planned yet with VP Eng &lt;script&gt;" in reading
    assert exercise.progress() == "in progress"  # Dana's stance is not known
    find(dana, "bw-stakeholder-state").value = "grudging_compliance"
    assert exercise.progress() == "done"

    # Removing a stakeholder removes their answers too.
    legal_id = exercise.answers.stakeholders[-1].id
    find(legal, "bw-stakeholder-remove").click()
    assert "Legal" not in exercise.reading_html.value
    assert "Legal" not in find(first, "bw-conversation-who").options
    reading = exercise.reading_html.value
    chart_text = exercise.chart.outputs[0]["data"]["text/plain"]
    plan_id = exercise.plan.id
    exercise.close_store()

    saved = saved_values(db_url, plan_id)
    assert [p["name"] for p in saved["stakeholders"]] == [SCRIPT_NAME, "Payments team", "Dana 🚀"]
    vp_id, payments_id, dana_id = (p["id"] for p in saved["stakeholders"])
    assert saved[f"stakeholder/{vp_id}/level"] == "executives"
    assert saved[f"stakeholder/{vp_id}/power"] == 5
    assert saved[f"stakeholder/{vp_id}/state"] == "formal_compliance"
    assert saved[f"stakeholder/{vp_id}/concern"] == (
        "Payback <b>within</b> a year; no risk to the Q4 launch."
    )
    assert saved[f"stakeholder/{payments_id}/concern"] == PEER_CONCERNS
    assert saved[f"stakeholder/{payments_id}/champion"] is True
    assert saved[f"stakeholder/{payments_id}/case"] == "It ends our Friday release pain."
    assert saved[f"stakeholder/{payments_id}/role"] == "seller"
    assert saved[f"stakeholder/{dana_id}/concern"] == "Losing the on-call bonus"
    assert saved["obstacle/timing/answer"] == "yes"
    assert saved["obstacle/timing/note"] == "Lands in the <i>release freeze</i>"
    assert saved["strategy/quick_win/answer"] == "partly"
    assert [c["about"] for c in saved["conversations"]] == ["The on-call bonus"]
    assert saved["conversations"][0]["by_when"] == "2027-01-15"
    assert saved["conversations"][0]["outcome"] == "Wants the <b>bonus</b> kept"
    assert saved["objections"][0]["what"] == "We tried <i>this</i> in 2022"
    assert saved["quick_wins"][0]["by_when"] == "2099-01-15"
    assert not any(key.startswith(f"stakeholder/{legal_id}/") for key in saved)

    again = StakeholdersExercise(WorkbookStore(db_url))
    assert again.reading_html.value == reading
    assert again.chart.outputs[0]["data"]["text/plain"] == chart_text
    assert len(again.people_box.children) == 3
    vp, payments, dana = again.people_box.children
    assert find(vp, "bw-stakeholder-power").value == 5
    assert find(vp, "bw-stakeholder-level").value == "executives"
    assert find(vp, "bw-stakeholder-concern").value.startswith("Payback <b>within</b>")
    assert find(dana, "bw-stakeholder-state").value == "grudging_compliance"
    assert find(payments, "bw-stakeholder-champion").value is True
    assert find(payments, "bw-champion-box").layout.display == ""
    assert find(payments, "bw-stakeholder-audience").value == "the other team leads"
    assert find(payments, "bw-stakeholder-role").value == "seller"
    assert again.check_controls["obstacle"]["timing"].value == "yes"
    assert find(again, "bw-obstacle-note-timing").value == "Lands in the <i>release freeze</i>"
    (talk,) = again.conversations.list.children
    assert find(talk, "bw-conversation-who").value == "Dana 🚀"
    assert find(talk, "bw-conversation-when").value == date(2027, 1, 15)
    assert find(talk, "bw-conversation-outcome").value == "Wants the <b>bonus</b> kept"
    (objection,) = again.objections.list.children
    assert find(objection, "bw-objection-who").value == "Payments team"
    (win,) = again.quick_wins.list.children
    assert find(win, "bw-quick-win-when").value == date(2099, 1, 15)
    assert again.progress() == "done"
    again.close_store()


def test_at_most_thirty_stakeholders_and_twelve_conversations(db_url: str):
    exercise = started(db_url)
    for number in range(30):
        add(exercise, f"Team {number}")
    add(exercise, "One too many")
    assert "At most 30 stakeholders" in exercise.add_message.value
    assert len(exercise.answers.stakeholders) == 30
    for _ in range(12):
        exercise.conversations.add.click()
    assert exercise.conversations.add.disabled
    exercise.conversations.add_row()
    assert "At most 12" in exercise.conversations.message.value
    assert len(exercise.answers.conversations) == 12
    exercise.close_store()


def test_each_plan_keeps_its_own_answers(db_url: str):
    exercise = started(db_url)
    place(add(exercise, "CFO", "executives"), 5, 5, "commitment")
    first = exercise.plan.id
    exercise.picker.new_name.value = "New on-call rota"
    exercise.picker.create.click()
    assert exercise.answers.stakeholders == []
    assert exercise.chart.outputs == ()
    add(exercise, "Dana")
    exercise.picker.select.value = first
    (card,) = exercise.people_box.children
    assert find(card, "bw-stakeholder-state").value == "commitment"
    assert "Key players already bought in: CFO." in exercise.reading_html.value
    exercise.close_store()
