"""The summary notebook's widget, driven in-process against a real store."""

from datetime import date
from pathlib import Path

import pytest

from buyin_workbook.exercises.choice import ChoiceExercise
from buyin_workbook.report import SummaryView
from buyin_workbook.store import WorkbookStore
from tests.plugin.samples import NASTY, choice_done


@pytest.fixture()
def db_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'w.sqlite'}"


def test_actions_are_saved_as_typed_and_restored(db_url: str):
    with WorkbookStore(db_url) as store:
        store.remember_plan(store.create_plan("Rota").id)
    view = SummaryView(WorkbookStore(db_url))
    view.actions.add_row()
    what, row, _message = view.actions.list.children[0].children
    what.value = f"Ask the team {NASTY}"
    who, when, _remove = row.children
    who.value = "Me"
    when.value = date(2027, 2, 1)
    who.value = "x" * 121
    assert "limit is 120" in view.actions.list.children[0].children[2].value
    view.close_store()
    again = SummaryView(WorkbookStore(db_url))
    (action,) = again.answers.actions
    assert (action["what"], action["who"], action["by_when"]) == (
        f"Ask the team {NASTY}",
        "Me",
        "2027-02-01",
    )
    what, row, _message = again.actions.list.children[0].children
    assert what.value == f"Ask the team {NASTY}" and row.children[1].value == date(2027, 2, 1)
    row.children[2].click()  # remove
    assert again.answers.actions == []
    again.close_store()


def test_report_preview_progress_and_exports(db_url: str):
    with WorkbookStore(db_url) as store:
        plan = store.create_plan("Q3")
        store.remember_plan(plan.id)
        choice_done(store, plan.id)
    view = SummaryView(WorkbookStore(db_url))
    assert "<td>How much choice can I give?</td><td>in progress</td>" in view.progress_table.value
    assert len([c for c in view.report_box.children if "bw-report-chart" in c._dom_classes]) == 2
    assert all("<script>" not in c.value for c in view.report_box.children if hasattr(c, "value"))
    saved = {}
    for kind in ("html", "share"):
        button = view.exports[kind]
        button.send = lambda content, buffers: saved.update({content["name"]: buffers[0]})
        button.click()
    assert sorted(saved) == ["buyin-workbook-q3-for-my-coach.zip", "buyin-workbook-q3.html"]
    html = saved["buyin-workbook-q3.html"].decode()
    assert "&lt;script&gt;" in html and "<script" not in html
    view.close_store()


def test_snapshot_button_keeps_every_started_exercise(db_url: str):
    with WorkbookStore(db_url) as store:
        plan = store.create_plan("Q3")
        store.remember_plan(plan.id)
        choice_done(store, plan.id)
    view = SummaryView(WorkbookStore(db_url))
    view.snapshot.click()
    assert "Snapshot saved of: How much choice can I give?" in view.snapshot_message.value
    with WorkbookStore(db_url) as store:
        (snapshot,) = store.snapshots(plan.id)
    assert snapshot.reason == "requested"
    assert snapshot.figures["choice headroom (levels)"] == 10
    view.close_store()


def test_completing_an_exercise_takes_a_snapshot_once(db_url: str):
    exercise = ChoiceExercise(WorkbookStore(db_url))
    exercise.picker.new_name.value = "Plan"
    exercise.picker.create.click()
    for text in ("The deadline", "The tools we use", "The quality bar"):
        (button,) = [b for b in exercise.suggestions.children if b.description == f"+ {text}"]
        button.click()
    for decision in exercise.answers.decisions:
        for dim, (today, possible) in (("what", (3, 5)), ("how", (4, 6))):
            exercise._rating_controls[(decision.id, dim, "today")].value = today
            exercise._rating_controls[(decision.id, dim, "possible")].value = possible
    assert exercise.progress() == "done"
    assert "Exercise complete: a snapshot was saved" in exercise.snapshot_message.value
    exercise.reflections["hardest"].value = "More thoughts"
    with WorkbookStore(db_url) as store:
        (snapshot,) = store.snapshots(exercise.plan.id, "choice")
    assert snapshot.reason == "completed"
    assert snapshot.figures["choice headroom (levels)"] == 12
    exercise.close_store()
