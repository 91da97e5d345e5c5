import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from buyin_workbook.store import WorkbookStore
from buyin_workbook.widgets.plan_picker import (
    OPTIONS_CLOSED,
    OPTIONS_OPEN,
    PlanPicker,
    export_file_name,
)

NOW = datetime.now(UTC)


@pytest.fixture()
def store(tmp_path: Path):
    with WorkbookStore(f"sqlite:///{tmp_path / 'w.sqlite'}") as opened:
        yield opened


def picker_for(store: WorkbookStore) -> tuple[PlanPicker, list]:
    heard: list = []
    picker = PlanPicker(store, heard.append)
    picker.start()
    return picker, heard


def test_switching_plans_tells_the_exercise(store: WorkbookStore):
    first, second = store.create_plan("First"), store.create_plan("Second")
    store.remember_plan(first.id)
    picker, heard = picker_for(store)
    assert heard[-1].id == first.id
    picker.select.value = second.id
    assert heard[-1].id == second.id
    assert picker.name.value == "Second"
    assert store.last_plan().id == second.id


def test_renaming_is_an_explicit_step_that_validates_and_keeps_the_old_name_on_error(
    store: WorkbookStore,
):
    store.create_plan("Taken")
    plan = store.create_plan("Mine")
    store.remember_plan(plan.id)
    picker, _ = picker_for(store)
    assert picker.options.layout.display == "none"  # tucked away until asked for
    picker.more.click()
    assert picker.options.layout.display == "" and picker.more.description == OPTIONS_OPEN
    picker.name.value = "taken"
    assert store.get_plan(plan.id).name == "Mine"  # typing alone renames nothing
    picker.rename.click()
    assert "already have a plan" in picker.message.value
    assert "The name stays “Mine”" in picker.message.value
    picker.name.value = "  Mine, renamed "
    picker.name._handle_custom_msg({"event": "submit"}, [])  # Enter, as the page sends it
    assert store.get_plan(plan.id).name == "Mine, renamed"
    assert dict(picker.select.options)["Mine, renamed"] == plan.id
    picker.more.click()
    assert picker.options.layout.display == "none" and picker.more.description == OPTIONS_CLOSED


def test_with_no_plan_there_is_nothing_to_rename_export_or_erase_but_a_file_can_come_in(
    store: WorkbookStore,
):
    picker, heard = picker_for(store)
    assert heard == [None] and picker.select.layout.display == "none"
    assert picker.rename_row.layout.display == "none"
    assert picker.export.layout.display == picker.erase.layout.display == "none"
    assert picker.upload.layout.display != "none"
    picker.new_name.value = "Rota"
    picker.new_name._handle_custom_msg({"event": "submit"}, [])
    assert heard[-1].name == "Rota" and picker.rename_row.layout.display == ""


def test_export_downloads_the_plans_answers_in_one_press(store: WorkbookStore):
    plan = store.create_plan("Q3 <b>migration</b>")
    store.save_answer(plan.id, "choice", "reflection/a", "é")
    picker, _ = picker_for(store)
    sent = []
    picker.export.send = lambda content, buffers: sent.append((content, buffers))
    picker.export.click()
    ((content, (data,)),) = sent
    assert content == {
        "do": "save",
        "name": "buyin-workbook-q3-b-migration-b.json",
        "mime": "application/json",
    }
    exported = json.loads(data)
    assert exported["plan"]["name"] == "Q3 <b>migration</b>"
    assert exported["answers"][0]["value"] == "é"
    assert "Keep the file safe" in picker.message.value


def test_import_adds_a_plan_and_a_bad_file_gets_a_message(store: WorkbookStore):
    plan = store.create_plan("Original")
    exported = json.dumps(store.export_plan(plan.id)).encode()
    picker, heard = picker_for(store)
    picker.upload._handle_custom_msg({"event": "file", "name": "broken.json"}, [b"{nope"])
    assert "Could not import broken.json" in picker.message.value
    assert len(store.list_plans()) == 1
    picker.upload.choose("plan.json", exported)
    assert heard[-1].name == "Original (imported)"
    assert "Imported as" in picker.message.value


def test_erase_asks_first_and_can_be_cancelled(store: WorkbookStore):
    keep = store.create_plan("Keep")
    doomed = store.create_plan("Doomed <i>")
    store.remember_plan(doomed.id)
    picker, heard = picker_for(store)
    picker.erase.click()
    assert picker.confirm.layout.display == ""
    assert "Erase “Doomed &lt;i&gt;”" in picker.confirm.children[0].value
    picker.confirm.children[2].click()  # keep it
    assert len(store.list_plans()) == 2
    picker.erase.click()
    picker.confirm.children[1].click()  # yes, erase
    assert [p.id for p in store.list_plans()] == [keep.id]
    assert heard[-1].id == keep.id
    assert "erased" in picker.message.value


def test_file_names_are_safe():
    from buyin_workbook.store import Plan

    assert (
        export_file_name(Plan(1, "../../etc/passwd", "", "", 0)) == "buyin-workbook-etc-passwd.json"
    )
    assert export_file_name(Plan(1, "🚀🚀", "", "", 0)) == "buyin-workbook-plan.json"
