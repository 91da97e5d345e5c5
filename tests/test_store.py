import hashlib
import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa

from workbook._text import TextError
from workbook.store import (
    EXPORT_FORMAT,
    PlanFileError,
    PlanNotFound,
    StoreCorruptError,
    StoreError,
    StoreVersionError,
    WorkbookStore,
)

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture()
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "workbook.sqlite"


@pytest.fixture()
def store(db_path: Path):
    with WorkbookStore(f"sqlite:///{db_path}") as opened:
        yield opened


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# -- plans ----------------------------------------------------------------------------------

def test_a_new_database_is_created_with_its_folder(tmp_path: Path):
    path = tmp_path / "deep" / "er" / "workbook.sqlite"
    with WorkbookStore(f"sqlite:///{path}") as store:
        assert store.list_plans() == []
    assert path.is_file()


def test_several_plans_each_with_their_own_answers(store: WorkbookStore):
    migration = store.create_plan("  Q3 platform migration ")
    rota = store.create_plan("New on-call rota")
    assert migration.name == "Q3 platform migration"
    store.save_answer(migration.id, "choice", "reflection/a", "migration")
    store.save_answer(rota.id, "choice", "reflection/a", "rota")
    assert store.answers(migration.id, "choice")["reflection/a"].value == "migration"
    assert store.answers(rota.id, "choice")["reflection/a"].value == "rota"
    assert {p.name for p in store.list_plans()} == {"Q3 platform migration", "New on-call rota"}


@pytest.mark.parametrize("name, message", [
    ("", "empty"), ("   ", "empty"), ("x" * 201, "limit is 200"),
])
def test_bad_plan_names_are_refused(store: WorkbookStore, name: str, message: str):
    with pytest.raises(TextError, match=message):
        store.create_plan(name)
    assert store.list_plans() == []


def test_a_plan_name_is_unique_whatever_its_case(store: WorkbookStore):
    store.create_plan("Rota")
    with pytest.raises(TextError, match="already have a plan called “Rota”"):
        store.create_plan("  rota ")


def test_markup_and_unicode_in_names_are_kept_as_typed(store: WorkbookStore):
    name = "<script>alert(1)</script> 🚀 Zürich"
    assert store.create_plan(name).name == name


def test_rename_keeps_answers_and_refuses_a_taken_name(store: WorkbookStore):
    plan = store.create_plan("Draft")
    other = store.create_plan("Other")
    store.save_answer(plan.id, "choice", "k", 1)
    assert store.rename_plan(plan.id, "Final").name == "Final"
    with pytest.raises(TextError):
        store.rename_plan(plan.id, "OTHER")
    assert store.get_plan(other.id).name == "Other"
    assert store.answers(plan.id, "choice")["k"].value == 1


def test_the_last_plan_worked_on_is_remembered(db_path: Path):
    with WorkbookStore(f"sqlite:///{db_path}") as store:
        store.create_plan("A")
        second = store.create_plan("B")
        store.remember_plan(second.id)
    with WorkbookStore(f"sqlite:///{db_path}") as store:
        assert store.last_plan() == store.get_plan(second.id)


# -- answers --------------------------------------------------------------------------------

def test_answers_round_trip_json_values(store: WorkbookStore):
    plan = store.create_plan("P")
    value = {"kind": "budget", "nature": "self", "note": "é 🚀 <b>", "levels": [1, 7]}
    store.save_answer(plan.id, "choice", "constraint/x/what", value)
    assert store.answers(plan.id, "choice")["constraint/x/what"].value == value


def test_every_write_bumps_the_plan_revision(store: WorkbookStore):
    plan = store.create_plan("P")
    first = store.save_answer(plan.id, "choice", "a", 1).revision
    second = store.save_answer(plan.id, "choice", "b", 2).revision
    assert second == first + 1 == store.get_plan(plan.id).revision


def test_an_over_large_answer_is_refused_and_the_old_one_kept(store: WorkbookStore):
    plan = store.create_plan("P")
    store.save_answer(plan.id, "choice", "a", "kept")
    with pytest.raises(StoreError, match="too long"):
        store.save_answer(plan.id, "choice", "a", "x" * 300_000)
    assert store.answers(plan.id, "choice")["a"].value == "kept"


def test_saving_into_an_erased_plan_says_so(store: WorkbookStore):
    plan = store.create_plan("P")
    store.erase_plan(plan.id)
    with pytest.raises(PlanNotFound, match="no longer exists"):
        store.save_answer(plan.id, "choice", "a", 1)


def test_delete_answers_removes_only_those(store: WorkbookStore):
    plan = store.create_plan("P")
    for key in ("a", "b", "c"):
        store.save_answer(plan.id, "choice", key, key)
    store.delete_answers(plan.id, "choice", ["a", "c"])
    assert list(store.answers(plan.id, "choice")) == ["b"]


# -- two windows ----------------------------------------------------------------------------

def test_last_write_per_answer_wins_and_the_overwriter_is_told(db_path: Path):
    url = f"sqlite:///{db_path}"
    with WorkbookStore(url) as left, WorkbookStore(url) as right:
        plan = left.create_plan("P")
        base = left.save_answer(plan.id, "choice", "shared", "original").revision
        seen_by_right = right.answers(plan.id, "choice")["shared"].revision
        assert seen_by_right == base

        left.save_answer(plan.id, "choice", "shared", "left's edit", seen_revision=base)
        left.save_answer(plan.id, "choice", "left-only", "x")
        result = right.save_answer(plan.id, "choice", "shared", "right's edit",
                                   seen_revision=seen_by_right)
        # Right wins, and learns exactly what it replaced.
        assert result.replaced is not None and result.replaced.value == "left's edit"
        assert left.answers(plan.id, "choice")["shared"].value == "right's edit"
        # Left is told about right's write; its own untouched answer is still there.
        changed = left.changes_since(plan.id, base + 2)
        assert [(a.key, a.value) for a in changed] == [("shared", "right's edit")]
        assert left.answers(plan.id, "choice")["left-only"].value == "x"


def test_saving_over_your_own_answer_is_not_a_conflict(store: WorkbookStore):
    plan = store.create_plan("P")
    first = store.save_answer(plan.id, "choice", "a", 1)
    again = store.save_answer(plan.id, "choice", "a", 2, seen_revision=first.revision)
    assert again.replaced is None
    assert store.save_answer(plan.id, "choice", "a", 3).replaced is None


def test_two_kernels_writing_at_once_lose_nothing_and_corrupt_nothing(db_path: Path):
    url = f"sqlite:///{db_path}"
    with WorkbookStore(url) as store:
        plan = store.create_plan("Shared plan")
    count = 60
    writers = [subprocess.Popen([sys.executable, "-m", "tests._writers", url, str(plan.id),
                                 name, str(count)], cwd=ROOT) for name in ("left", "right")]
    assert [writer.wait(timeout=120) for writer in writers] == [0, 0]
    with WorkbookStore(url) as store:
        answers = store.answers(plan.id, "choice")
        assert store.get_plan(plan.id).revision == 4 * count
    for name in ("left", "right"):
        for index in range(count):
            assert answers[f"{name}/{index}"].value == {"by": name, "n": index}
    assert answers["shared"].value["n"] == count - 1
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


# -- versions and damage --------------------------------------------------------------------

def _database_at_first_schema(path: Path) -> None:
    """A workbook file as version 0001 of the schema left it, with a plan in it."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(ROOT / "workbook" / "_migrations"))
    engine = sa.create_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "0001")
        conn.exec_driver_sql("INSERT INTO plans (id, name, created_at, updated_at) VALUES "
                             "(1, 'Old plan', '2026-01-01T00:00:00+00:00', "
                             "'2026-01-02T00:00:00+00:00')")
        conn.exec_driver_sql("INSERT INTO answers VALUES (1, 'choice', 'reflection/a', "
                             "'\"kept\"', '2026-01-02T00:00:00+00:00')")
    engine.dispose()


def test_an_older_database_is_upgraded_with_a_backup(db_path: Path):
    _database_at_first_schema(db_path)
    with WorkbookStore(f"sqlite:///{db_path}") as store:
        (plan,) = store.list_plans()
        assert plan.name == "Old plan"
        assert store.answers(plan.id, "choice")["reflection/a"].value == "kept"
        assert store.save_answer(plan.id, "choice", "new", 1).revision == 1
    backup = Path(f"{db_path}.schema-0001.bak")
    with sqlite3.connect(backup) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone()[0] == "0001"


def test_a_newer_database_is_refused_and_left_untouched(db_path: Path, store: WorkbookStore):
    store.create_plan("From the future")
    store.close()
    with sqlite3.connect(db_path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999'")
    conn.close()
    before = digest(db_path)
    with pytest.raises(StoreVersionError,
                       match=r"newer version of Buy-in Workbook.*not been changed"):
        WorkbookStore(f"sqlite:///{db_path}").open()
    assert digest(db_path) == before


def test_a_file_that_is_not_a_database_is_refused_and_left_untouched(db_path: Path):
    db_path.write_bytes(b"PK\x03\x04 this is a zip file, not a workbook" * 50)
    before = digest(db_path)
    with pytest.raises(StoreCorruptError, match=r"cannot be read.*not been changed"):
        WorkbookStore(f"sqlite:///{db_path}").open()
    assert digest(db_path) == before


def test_a_damaged_database_is_refused_and_left_untouched(db_path: Path, store: WorkbookStore):
    plan = store.create_plan("P")
    for index in range(200):
        store.save_answer(plan.id, "choice", f"k{index}", "x" * 200)
    store.close()
    data = bytearray(db_path.read_bytes())
    page_size = int.from_bytes(data[16:18], "big")
    data[page_size * 2: page_size * 4] = b"\xff" * (2 * page_size)  # wreck two pages
    db_path.write_bytes(bytes(data))
    before = digest(db_path)
    with pytest.raises(StoreCorruptError, match="not been changed"):
        WorkbookStore(f"sqlite:///{db_path}").open()
    assert digest(db_path) == before


def test_another_programs_database_is_refused(db_path: Path):
    with sqlite3.connect(db_path) as conn:
        conn.execute("CREATE TABLE invoices (id INTEGER)")
    conn.close()
    before = digest(db_path)
    with pytest.raises(StoreCorruptError, match="another program"):
        WorkbookStore(f"sqlite:///{db_path}").open()
    assert digest(db_path) == before


# -- export, import, erase ------------------------------------------------------------------

def _filled_plan(store: WorkbookStore):
    plan = store.create_plan("Q3 <b>migration</b> 🚀")
    store.save_answer(plan.id, "choice", "decisions", [{"id": "d1", "label": "Tools"}])
    store.save_answer(plan.id, "choice", "rating/d1/what/today", 2)
    store.save_answer(plan.id, "choice", "reflection/hardest", "Line one\nline <two> é")
    store.save_answer(plan.id, "selfcheck", "attitude", None)
    return plan


def test_export_then_import_is_an_exact_round_trip(tmp_path: Path, store: WorkbookStore):
    exported = store.export_plan(_filled_plan(store).id)
    assert exported["format"] == EXPORT_FORMAT
    text = json.dumps(exported)
    with WorkbookStore(f"sqlite:///{tmp_path / 'other.sqlite'}") as other:
        imported = other.import_plan(text)
        again = other.export_plan(imported.id)
    for data in (exported, again):
        data.pop("exported_at")
    assert again == exported


def test_importing_next_to_the_original_renames_it(store: WorkbookStore):
    plan = _filled_plan(store)
    data = store.export_plan(plan.id)
    first = store.import_plan(data)
    second = store.import_plan(data)
    assert first.name == f"{plan.name} (imported)"
    assert second.name == f"{plan.name} (imported 2)"
    assert store.answers(first.id, "choice") .keys() == store.answers(plan.id, "choice").keys()


@pytest.mark.parametrize("data, message", [
    (b"\x89PNG not json", "not JSON"),
    ("[1, 2]", "not a plan exported"),
    ({"format": "something-else"}, "not a plan exported"),
    ({"format": EXPORT_FORMAT, "format_version": 99}, "newer Buy-in Workbook"),
    ({"format": EXPORT_FORMAT, "format_version": 1, "plan": {"name": "x"}}, "incomplete"),
    ({"format": EXPORT_FORMAT, "format_version": 1,
      "plan": {"name": "x", "created_at": "t", "updated_at": "t"},
      "answers": [{"exercise": "choice", "key": "k"}]}, "damaged"),
])
def test_a_bad_plan_file_gets_a_clear_message_and_adds_nothing(store, data, message):
    with pytest.raises(PlanFileError, match=message):
        store.import_plan(data)
    assert store.list_plans() == []


def test_erase_removes_the_plan_and_leaves_no_trace_in_the_file(db_path: Path,
                                                                 store: WorkbookStore):
    keep = store.create_plan("Keep me")
    gone = store.create_plan("Erase me")
    secret = "Dana-is-thinking-of-leaving-7f3a"
    store.save_answer(gone.id, "motivators", "member/dana/notes", secret)
    store.save_answer(keep.id, "choice", "k", "still here")
    store.remember_plan(gone.id)
    store.erase_plan(gone.id)
    assert [p.name for p in store.list_plans()] == ["Keep me"]
    assert store.last_plan() is None
    with pytest.raises(PlanNotFound):
        store.answers(gone.id, "motivators")
    assert store.answers(keep.id, "choice")["k"].value == "still here"
    files = [db_path, *db_path.parent.glob(db_path.name + "-*")]
    assert not any(secret.encode() in path.read_bytes() for path in files)


# -- snapshots ------------------------------------------------------------------------------

def test_snapshots_keep_dated_copies_that_later_answers_do_not_change(store: WorkbookStore):
    plan = store.create_plan("P")
    store.save_answer(plan.id, "choice", "reflection/a", "first")
    first = store.take_snapshot(plan.id, "choice", reason="completed", figures={"x": 1})
    store.save_answer(plan.id, "choice", "reflection/a", "second")
    store.take_snapshot(plan.id, "choice", reason="requested", figures={"x": 3})
    store.take_snapshot(plan.id, "selfcheck", reason="requested", figures={})
    history = store.snapshots(plan.id, "choice")
    assert [s.answers["reflection/a"] for s in history] == ["first", "second"]
    assert [s.reason for s in history] == ["completed", "requested"]
    assert history[0] == first
    assert len(store.snapshots(plan.id)) == 3


def test_snapshots_travel_with_export_and_go_with_erase(tmp_path: Path, store: WorkbookStore):
    plan = store.create_plan("P")
    store.save_answer(plan.id, "choice", "k", 1)
    store.take_snapshot(plan.id, "choice", reason="completed", figures={"headroom": 4})
    exported = store.export_plan(plan.id)
    assert exported["snapshots"][0]["figures"] == {"headroom": 4}
    with WorkbookStore(f"sqlite:///{tmp_path / 'b.sqlite'}") as other:
        copy = other.import_plan(exported)
        assert [s.figures for s in other.snapshots(copy.id)] == [{"headroom": 4}]
        again = other.export_plan(copy.id)
    for data in (exported, again):
        data.pop("exported_at")
    assert again == exported
    store.erase_plan(plan.id)
    with sqlite3.connect(store.url.removeprefix("sqlite:///")) as conn:
        assert conn.execute("SELECT COUNT(*) FROM snapshots").fetchone()[0] == 0


def test_a_plan_file_with_broken_history_is_refused(store: WorkbookStore):
    plan = store.create_plan("P")
    data = store.export_plan(plan.id)
    data["snapshots"] = [{"exercise": "choice"}]
    with pytest.raises(PlanFileError, match="history"):
        store.import_plan(data)
