"""Drives the exercise's widgets in-process, as a user would, against a real SQLite store."""

from pathlib import Path

import pytest

from buyin_workbook.exercises.choice import ChoiceExercise
from buyin_workbook.exercises.choice.content import load_content
from buyin_workbook.store import WorkbookStore
from tests.plugin.charts import chart_spec

CONTENT = load_content()


@pytest.fixture()
def db_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'workbook.sqlite'}"


def open_exercise(db_url: str) -> ChoiceExercise:
    return ChoiceExercise(WorkbookStore(db_url))


def click_suggestion(exercise: ChoiceExercise, text: str) -> None:
    (button,) = [b for b in exercise.suggestions.children if b.description == f"+ {text}"]
    button.click()


def rate(exercise: ChoiceExercise, label: str, what: tuple[int, int], how: tuple[int, int]):
    (decision,) = [d for d in exercise.answers.decisions if d.label == label]
    for dim, (today, possible) in (("what", what), ("how", how)):
        exercise._rating_controls[(decision.id, dim, "today")].value = today
        exercise._rating_controls[(decision.id, dim, "possible")].value = possible


def constraint_cards(exercise: ChoiceExercise):
    return list(exercise.constraints.children)


def test_walkthrough_reading_chart_store_and_restore(db_url: str):
    exercise = open_exercise(db_url)
    assert exercise.picker.rename_row.layout.display == "none"  # no plan yet: nothing to rename
    assert "Start by naming" in exercise.picker.message.value
    assert exercise.steps.layout.display == "none"

    # Step 1: an empty name is refused next to the box, then a real one is created.
    exercise.picker.new_name.value = "   "
    exercise.picker.create.click()
    assert "empty" in exercise.picker.message.value
    exercise.picker.new_name.value = "Q3 <b>platform</b> migration"
    exercise.picker.create.click()
    assert exercise.plan is not None and exercise.steps.layout.display == ""
    assert "&lt;b&gt;platform&lt;/b&gt;" in exercise.picker.message.value

    # Step 2: suggestions, a free entry, a refused duplicate.
    click_suggestion(exercise, "The deadline")
    click_suggestion(exercise, "Who does what")
    assert "2 of at least 3" in exercise.decision_message.value
    exercise.custom.value = "<img src=x onerror=alert(1)>"
    exercise.add.click()
    assert exercise.custom.value == ""
    exercise.custom.value = " the deadline "
    exercise.add.click()
    assert "already on the list" in exercise.decision_message.value
    assert exercise.custom.value == " the deadline "  # kept so it can be corrected
    assert [child.children[1].value for child in exercise.decision_list.children] == [
        "The deadline",
        "Who does what",
        "<img src=x onerror=alert(1)>",
    ]
    assert len(exercise.ratings.children) == 3

    # Step 3: rate. Reading waits for three rated decisions.
    rate(exercise, "The deadline", (1, 3), (2, 6))
    rate(exercise, "Who does what", (3, 5), (4, 4))
    assert "at least 3 decisions" in exercise.reading_html.value
    rate(exercise, "<img src=x onerror=alert(1)>", (2, 2), (5, 7))

    # Step 4 asks only where the team is told/sold or no more can be given.
    titles = [card.children[0].value for card in constraint_cards(exercise)]
    assert titles == [
        "<b>The deadline</b>: WHAT",
        "<b>The deadline</b>: HOW",
        "<b>Who does what</b>: HOW",
        "<b>&lt;img src=x onerror=alert(1)&gt;</b>: WHAT",
    ]
    kind, nature, note = constraint_cards(exercise)[0].children[1:4]
    kind.value = "comfort"
    nature.value = "self"
    note.value = "I like to set dates myself"

    # Step 5: the reading, headroom and both charts.
    reading = exercise.reading_html.value
    assert "You could hand over 10 delegation levels" in reading
    assert "“The deadline”, “Who does what” and" in reading
    assert "&lt;img src=x onerror=alert(1)&gt;" in reading and "<img" not in reading
    assert "The deadline (WHAT): My own comfort or habit" in reading
    assert "Choice headroom: 10 levels" in exercise.summary.value
    (chart,) = exercise.chart.outputs
    chart_spec(chart)
    assert "The deadline WHAT 1 to 3" in chart["data"]["text/plain"]
    (headroom,) = exercise.headroom.outputs
    assert "The deadline: 6" in headroom["data"]["text/plain"]

    # Step 6: a reflection; an over-long one is refused and the saved one stays.
    box = exercise.reflections["hardest"]
    box.value = "The deadline, because <script>x</script> é 🚀"
    box.value = "x" * (CONTENT.limits["reflection_max_length"] + 1)
    assert "limit is 2,000" in exercise.reflection_messages["hardest"].value
    assert exercise.progress() == "in progress"
    for card in constraint_cards(exercise)[1:]:
        card.children[1].value = "customer"
        card.children[2].value = "real"
    assert exercise.progress() == "done"
    assert "All answers saved" in exercise.autosaver.status.value

    # What the store holds.
    plan_id = exercise.plan.id
    exercise.close_store()
    with WorkbookStore(db_url) as store:
        saved = {k: a.value for k, a in store.answers(plan_id, "choice").items()}
    decisions = saved["decisions"]
    assert [d["label"] for d in decisions] == [
        "The deadline",
        "Who does what",
        "<img src=x onerror=alert(1)>",
    ]
    deadline = decisions[0]["id"]
    assert saved[f"rating/{deadline}/how/possible"] == 6
    assert saved[f"constraint/{deadline}/what"] == {
        "kind": "comfort",
        "nature": "self",
        "note": "I like to set dates myself",
    }
    assert saved["reflection/hardest"] == "The deadline, because <script>x</script> é 🚀"

    # The next day: a new kernel opens the same plan with everything where it was left.
    again = open_exercise(db_url)
    assert again.plan.id == plan_id
    assert again.picker.name.value == "Q3 <b>platform</b> migration"
    assert [d.label for d in again.answers.decisions] == [d["label"] for d in decisions]
    assert again._rating_controls[(deadline, "how", "possible")].value == 6
    assert again.reflections["hardest"].value == saved["reflection/hardest"]
    first_card = again.constraints.children[0]
    assert (first_card.children[1].value, first_card.children[2].value) == ("comfort", "self")
    assert again.reading_html.value == exercise.reading_html.value
    assert again.progress() == "done"
    again.close_store()


def test_removing_a_decision_removes_its_answers(db_url: str):
    exercise = open_exercise(db_url)
    exercise.picker.new_name.value = "Rota"
    exercise.picker.create.click()
    for text in ("The deadline", "The tools we use", "The quality bar"):
        click_suggestion(exercise, text)
    rate(exercise, "The tools we use", (1, 2), (1, 2))
    tools = exercise.answers.decisions[1]
    exercise._board_controls[(tools.id, "how")].value = 3
    exercise.autosaver.flush()
    remove = exercise.decision_list.children[1].children[0]
    remove.click()
    assert [d.label for d in exercise.answers.decisions] == ["The deadline", "The quality bar"]
    # The suggestion is offered again.
    assert any(b.description == "+ The tools we use" for b in exercise.suggestions.children)
    with WorkbookStore(db_url) as store:
        keys = store.answers(exercise.plan.id, "choice").keys()
    assert not [key for key in keys if tools.id in key]
    exercise.close_store()


def test_the_focus_moves_before_the_ratings_are_drawn(db_url: str, monkeypatch):
    """A decision added or removed moves the focus before its ratings and board card are
    drawn (the slow part): a keyboard that has moved on meanwhile is not pulled back."""
    import ipywidgets as widgets

    sent: list[str] = []
    real_focus, real_open = widgets.DOMWidget.focus, widgets.Widget.open

    def focus(widget):
        sent.append("focus")
        real_focus(widget)

    def open_(widget):
        sent.append(type(widget).__name__)
        real_open(widget)

    exercise = open_exercise(db_url)
    exercise.picker.new_name.value = "Rota"
    exercise.picker.create.click()
    click_suggestion(exercise, "The deadline")
    monkeypatch.setattr(widgets.DOMWidget, "focus", focus)
    monkeypatch.setattr(widgets.Widget, "open", open_)

    exercise.custom.value = "Who joins the rota"
    exercise.add.click()
    assert "focus" in sent and "Dropdown" in sent
    assert sent.index("focus") < sent.index("Dropdown")

    sent.clear()
    exercise.decision_list.children[0].children[0].click()
    assert sent and sent[0] == "focus"
    exercise.close_store()


def test_the_delegation_board_records_the_agreed_levels_with_the_plan_and_in_the_report(
    db_url: str,
):
    """Delegation Poker's step after the reveal: talk it through, agree a level, record it."""
    from buyin_workbook.report import build_report

    exercise = open_exercise(db_url)
    exercise.picker.new_name.value = "Rota"
    exercise.picker.create.click()
    for text in ("The deadline", "The tools we use", "The quality bar"):
        click_suggestion(exercise, text)
    cards = exercise.board.children
    assert [c.children[0].value for c in cards] == [
        "<b>The deadline</b>",
        "<b>The tools we use</b>",
        "<b>The quality bar</b>",
    ]
    deadline, tools = exercise.answers.decisions[:2]
    exercise._board_controls[(deadline.id, "what")].value = 2
    exercise._board_controls[(tools.id, "how")].value = 5
    exercise.autosaver.flush()
    plan = exercise.plan.id
    exercise.close_store()

    again = open_exercise(db_url)
    again.picker.select.value = plan
    assert again._board_controls[(tools.id, "how")].value == 5
    assert again._board_controls[(tools.id, "what")].value == 0  # not agreed yet
    with WorkbookStore(db_url) as store:
        report = build_report(store, plan)
    (choice,) = [s for s in report.sections if s.exercise == "choice"]
    assert (
        "The Delegation Board, as agreed with the team: The deadline: WHAT 2 · Sell; "
        "The tools we use: HOW 5 · Advise."
    ) in choice.paragraphs
    again.close_store()


def test_twelve_decisions_at_most(db_url: str):
    exercise = open_exercise(db_url)
    exercise.picker.new_name.value = "Big plan"
    exercise.picker.create.click()
    for index in range(12):
        exercise.custom.value = f"Decision {index}"
        exercise.add.click()
    assert exercise.add.disabled
    assert all(button.disabled for button in exercise.suggestions.children)
    exercise.custom.value = "Thirteenth"
    exercise._add_decision(exercise.custom.value)
    assert "at most 12" in exercise.decision_message.value
    exercise.close_store()


def test_two_windows_on_one_plan_are_told_of_each_other(db_url: str):
    left = open_exercise(db_url)
    left.picker.new_name.value = "Shared"
    left.picker.create.click()
    right = open_exercise(db_url)
    assert right.plan.id == left.plan.id

    left.reflections["hardest"].value = "left's answer"
    right.reflections["hardest"].value = "right's answer"
    assert "changed in another window" in right.notice.value
    assert right.reload.layout.display == ""

    # Left's answer was replaced: left is told so, truthfully, at its next save.
    left.reflections["last-time"].value = "more from left"
    assert "Another window has since changed 1 of the answers you gave here" in (left.notice.value)
    right.reflections["who-wants-say"].value = "right adds its own"
    left._look()  # what an open page does every few seconds
    assert "Another window saved 1 answer in" in left.notice.value
    left.reload.click()  # shows the other window's answers
    assert left.reflections["hardest"].value == "right's answer"
    assert left.reflections["last-time"].value == "more from left"
    left.close_store()
    right.close_store()


def test_the_window_whose_answer_was_replaced_learns_it_without_typing(db_url: str):
    first = open_exercise(db_url)
    first.picker.new_name.value = "Shared"
    first.picker.create.click()
    second = open_exercise(db_url)
    first.reflections["hardest"].value = "first window"
    second.reflections["hardest"].value = "second window"
    assert "your version is the one saved now" in second.notice.value
    assert first.notice.value == ""
    first._look()
    assert "its version is the one saved now" in first.notice.value
    assert first.reload.layout.display == ""
    # Both typing at once: whoever saved last holds the answer, and only the other is told.
    first.reflections["hardest"].value = "first again"
    second._look()
    assert "its version is the one saved now" in second.notice.value
    first._look()
    assert "your version is the one saved now" in first.notice.value
    with WorkbookStore(db_url) as store:
        saved = store.answers(first.plan.id, "choice")["reflection/hardest"].value
    assert saved == "first again"
    first.close_store()
    second.close_store()


def test_a_failed_save_is_shown_and_retried(db_url: str):
    exercise = open_exercise(db_url)
    exercise.picker.new_name.value = "Doomed"
    exercise.picker.create.click()
    with WorkbookStore(db_url) as other_window:
        other_window.erase_plan(exercise.plan.id)
    exercise.reflections["hardest"].value = "typed after the plan was erased elsewhere"
    status = exercise.autosaver.status.value
    assert "Not saved" in status and "no longer exists" in status
    assert exercise.autosaver.retry.layout.display == ""
    assert exercise.autosaver.pending  # still held for the next try
    exercise.close_store()


def test_an_unreadable_database_shows_a_message_not_a_traceback(tmp_path: Path):
    path = tmp_path / "broken.sqlite"
    path.write_bytes(b"definitely not sqlite" * 100)
    exercise = ChoiceExercise(WorkbookStore(f"sqlite:///{path}"))
    assert exercise.store_error is not None
    message = exercise.children[-1].value
    assert "cannot be read" in message and "has not been changed" in message


def test_a_plan_started_in_german_opens_in_french_with_the_same_answers(db_url: str):
    """Answers are kept by ids and level numbers, never by words: a plan rated on a German
    page reads the same on a French one, each in its own names, and scores the same."""
    from buyin_workbook.exercises.choice import reading

    german = ChoiceExercise(WorkbookStore(db_url), content=load_content("de"))
    german.picker.new_name.value = "Umzug"
    german.picker.create.click()
    german.custom.value = "Wer in die Rufbereitschaft kommt"
    german.add.click()
    rate(german, "Wer in die Rufbereitschaft kommt", (2, 5), (3, 6))
    german.autosaver.flush()
    (decision,) = german.answers.decisions
    control = german._rating_controls[(decision.id, "what", "possible")]
    assert control.label.startswith("5 · Beraten")
    german.close_store()

    french = ChoiceExercise(WorkbookStore(db_url), content=load_content("fr"))
    assert [d.label for d in french.answers.decisions] == ["Wer in die Rufbereitschaft kommt"]
    control = french._rating_controls[(decision.id, "what", "possible")]
    assert control.value == 5 and control.label.startswith("5 · Conseiller")
    with WorkbookStore(db_url) as store:
        (plan,) = store.list_plans()
        values = {key: answer.value for key, answer in store.answers(plan.id, "choice").items()}
    assert reading(french.answers) == reading(german.answers)
    assert values["decisions"] == [{"id": decision.id, "label": decision.label}]
    french.close_store()
