import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.config import Config as AlembicConfig

from buyin_workbook._store.upgrade import MIGRATIONS
from buyin_workbook._text import TextError
from buyin_workbook.store import (
    EXPORT_FORMAT,
    AccessEnded,
    ClientNotFound,
    PlanFileError,
    PlanNotFound,
    StoreCorruptError,
    StoreError,
    StoreVersionError,
    WorkbookStore,
)
from tests.plugin.databases import Database
from tests.plugin.fresh import fresh_python
from tests.plugin.paths import DATA, ROOT


@pytest.fixture()
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "workbook.sqlite"


@pytest.fixture()
def store(database: Database):
    with WorkbookStore(database.url) as opened:
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


@pytest.mark.parametrize(
    "name, message",
    [
        ("", "empty"),
        ("   ", "empty"),
        ("x" * 201, "limit is 200"),
    ],
)
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


def test_the_last_plan_worked_on_is_remembered(database: Database):
    with WorkbookStore(database.url) as store:
        store.create_plan("A")
        second = store.create_plan("B")
        store.remember_plan(second.id)
    with WorkbookStore(database.url) as store:
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


def test_last_write_per_answer_wins_and_the_overwriter_is_told(database: Database):
    url = database.url
    with WorkbookStore(url) as left, WorkbookStore(url) as right:
        plan = left.create_plan("P")
        base = left.save_answer(plan.id, "choice", "shared", "original").revision
        seen_by_right = right.answers(plan.id, "choice")["shared"].revision
        assert seen_by_right == base

        left.save_answer(plan.id, "choice", "shared", "left's edit", seen_revision=base)
        left.save_answer(plan.id, "choice", "left-only", "x")
        result = right.save_answer(
            plan.id, "choice", "shared", "right's edit", seen_revision=seen_by_right
        )
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


def test_two_kernels_writing_at_once_lose_nothing_and_corrupt_nothing(database: Database):
    url = database.url
    with WorkbookStore(url) as store:
        plan = store.create_plan("Shared plan")
    count = 60
    writers = [
        subprocess.Popen(
            [sys.executable, "-m", "tests.plugin.writers", url, str(plan.id), name, str(count)],
            cwd=ROOT,
        )
        for name in ("left", "right")
    ]
    assert [writer.wait(timeout=120) for writer in writers] == [0, 0]
    with WorkbookStore(url) as store:
        answers = store.answers(plan.id, "choice")
        assert store.get_plan(plan.id).revision == 4 * count
    for name in ("left", "right"):
        for index in range(count):
            assert answers[f"{name}/{index}"].value == {"by": name, "n": index}
    assert answers["shared"].value["n"] == count - 1
    if database.kind == "sqlite":
        with sqlite3.connect(url.removeprefix("sqlite:///")) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


# -- versions and damage --------------------------------------------------------------------


@contextmanager
def _schema_at(url: str, revision: str) -> Iterator[sa.Connection]:
    """A connection to a database brought to an older ``revision`` of the schema, to fill
    as that version of the workbook would have (committed on leaving)."""
    config = AlembicConfig()
    config.set_main_option("script_location", str(MIGRATIONS))
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, revision)
        yield conn
    engine.dispose()


def _database_at_first_schema(url: str) -> None:
    """A workbook database as version 0001 of the schema left it, with a plan in it."""
    with _schema_at(url, "0001") as conn:
        plan_id = conn.exec_driver_sql(
            "INSERT INTO plans (name, created_at, updated_at) VALUES "
            "('Old plan', '2026-01-01T00:00:00+00:00', '2026-01-02T00:00:00+00:00') "
            "RETURNING id"
        ).scalar_one()
        conn.exec_driver_sql(
            f"INSERT INTO answers VALUES ({plan_id}, 'choice', 'reflection/a', "
            "'\"kept\"', '2026-01-02T00:00:00+00:00')"
        )


def test_an_older_database_is_upgraded_keeping_every_answer(empty_database: Database):
    _database_at_first_schema(empty_database.url)
    with WorkbookStore(empty_database.url) as store:
        (plan,) = store.list_plans()
        assert plan.name == "Old plan"
        assert store.answers(plan.id, "choice")["reflection/a"].value == "kept"
        assert store.save_answer(plan.id, "choice", "new", 1).revision == 1
        assert store.create_plan("After the upgrade").id == plan.id + 1
    if empty_database.kind == "sqlite":
        backup = Path(empty_database.url.removeprefix("sqlite:///") + ".schema-0001.bak")
        with sqlite3.connect(backup) as conn:
            assert conn.execute("SELECT version_num FROM alembic_version").fetchone()[0] == "0001"


def _rows(url: str) -> list[tuple]:
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        rows = [
            tuple(row)
            for table in ("alembic_version", "plans", "answers")
            for row in conn.exec_driver_sql(f"SELECT * FROM {table}")
        ]
    engine.dispose()
    return rows


def test_a_newer_database_is_refused_and_left_untouched(database: Database):
    with WorkbookStore(database.url) as store:
        plan = store.create_plan("From the future")
        store.save_answer(plan.id, "choice", "k", "kept")
    engine = sa.create_engine(database.url)
    with engine.begin() as conn:
        conn.exec_driver_sql("UPDATE alembic_version SET version_num = '9999'")
    engine.dispose()
    sqlite_file = Path(database.url.removeprefix("sqlite:///"))
    before = digest(sqlite_file) if database.kind == "sqlite" else _rows(database.url)
    with pytest.raises(
        StoreVersionError, match=r"newer version of Buy-in Workbook.*not been changed"
    ):
        WorkbookStore(database.url).open()
    after = digest(sqlite_file) if database.kind == "sqlite" else _rows(database.url)
    assert after == before


def test_a_file_that_is_not_a_database_is_refused_and_left_untouched(db_path: Path):
    db_path.write_bytes(b"PK\x03\x04 this is a zip file, not a workbook" * 50)
    before = digest(db_path)
    with pytest.raises(StoreCorruptError, match=r"cannot be read.*not been changed"):
        WorkbookStore(f"sqlite:///{db_path}").open()
    assert digest(db_path) == before


def test_a_damaged_database_is_refused_and_left_untouched(db_path: Path):
    store = WorkbookStore(f"sqlite:///{db_path}").open()
    plan = store.create_plan("P")
    for index in range(200):
        store.save_answer(plan.id, "choice", f"k{index}", "x" * 200)
    store.close()
    data = bytearray(db_path.read_bytes())
    page_size = int.from_bytes(data[16:18], "big")
    data[page_size * 2 : page_size * 4] = b"\xff" * (2 * page_size)  # wreck two pages
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
    assert store.answers(first.id, "choice").keys() == store.answers(plan.id, "choice").keys()


@pytest.mark.parametrize(
    "data, message",
    [
        (b"\x89PNG not json", "not JSON"),
        ("[1, 2]", "not a plan exported"),
        ({"format": "something-else"}, "not a plan exported"),
        ({"format": EXPORT_FORMAT, "format_version": 99}, "newer Buy-in Workbook"),
        ({"format": EXPORT_FORMAT, "format_version": 1, "plan": {"name": "x"}}, "incomplete"),
        (
            {
                "format": EXPORT_FORMAT,
                "format_version": 1,
                "plan": {"name": "x", "created_at": "t", "updated_at": "t"},
                "answers": [{"exercise": "choice", "key": "k"}],
            },
            "damaged",
        ),
    ],
)
def test_a_bad_plan_file_gets_a_clear_message_and_adds_nothing(store, data, message):
    with pytest.raises(PlanFileError, match=message):
        store.import_plan(data)
    assert store.list_plans() == []


def test_erase_removes_the_plan_and_leaves_no_trace_in_the_file(
    database: Database, store: WorkbookStore
):
    keep = store.create_plan("Keep me")
    gone = store.create_plan("Erase me")
    secret = "Dana-is-thinking-of-leaving-7f3a"
    store.save_answer(gone.id, "motivators", "member/dana/notes", secret)
    store.save_answer(keep.id, "choice", "k", "still here")
    store.remember_plan(gone.id)
    assert database.holds(secret)  # the check below can fail
    store.erase_plan(gone.id)
    assert [p.name for p in store.list_plans()] == ["Keep me"]
    assert store.last_plan() is None
    with pytest.raises(PlanNotFound):
        store.answers(gone.id, "motivators")
    assert store.answers(keep.id, "choice")["k"].value == "still here"
    assert not database.holds(secret)


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


def test_a_snapshot_keeps_no_team_members_answers(store: WorkbookStore):
    """A member's answers live in one place, so taking them off the list erases them all."""
    plan = store.create_plan("P")
    store.save_answer(plan.id, "motivators", "leader_order", ["goal"])
    store.save_answer(plan.id, "motivators", "member/m1/self", {"order": ["goal"]})
    snapshot = store.take_snapshot(plan.id, "motivators", reason="requested", figures={})
    assert snapshot.answers == {"leader_order": ["goal"]}


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
    engine = sa.create_engine(store.url)
    with engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT COUNT(*) FROM snapshots").scalar() == 0
    engine.dispose()


def test_a_plan_file_with_broken_history_is_refused(store: WorkbookStore):
    plan = store.create_plan("P")
    data = store.export_plan(plan.id)
    data["snapshots"] = [{"exercise": "choice"}]
    with pytest.raises(PlanFileError, match="history"):
        store.import_plan(data)


def test_upgrading_to_client_ownership_keeps_every_answer_and_snapshot(db_path: Path):
    engine = sa.create_engine(f"sqlite:///{db_path}")
    config = AlembicConfig()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as conn:
        conn.exec_driver_sql("PRAGMA foreign_keys=ON")
        config.attributes["connection"] = conn
        command.upgrade(config, "0003")
        conn.exec_driver_sql(
            "INSERT INTO plans (id, name, created_at, updated_at, revision) "
            "VALUES (1, 'Q3', '2026-01-01', '2026-01-02', 2)"
        )
        conn.exec_driver_sql(
            "INSERT INTO answers VALUES (1, 'choice', 'a', '\"kept\"', '2026-01-02', 1, 'w')"
        )
        conn.exec_driver_sql(
            "INSERT INTO snapshots (plan_id, exercise, taken_at, reason, "
            "figures, answers) VALUES (1, 'choice', '2026-01-02', 'requested', "
            "'{}', '{\"a\": \"kept\"}')"
        )
    engine.dispose()
    with WorkbookStore(f"sqlite:///{db_path}") as store:
        (plan,) = store.list_plans()
        assert store.answers(plan.id, "choice")["a"].value == "kept"
        assert store.snapshots(plan.id)[0].answers == {"a": "kept"}
        # Names are now unique per owner: a client may use the leader's plan name.
        client, _key = store.add_client("Dana")
    with WorkbookStore(f"sqlite:///{db_path}", client_id=client.id) as dana:
        assert dana.list_plans() == []
        assert dana.create_plan("Q3").name == "Q3"


# -- clients, keys, isolation ---------------------------------------------------------------


def test_a_client_key_is_shown_once_and_stored_only_as_its_hash(
    database: Database, store: WorkbookStore
):
    client, key = store.add_client("Dana <b>Lee</b>")
    assert client.name == "Dana <b>Lee</b>" and client.active
    assert len(key) == 43 and store.client_for_key(key) == client
    store.close()
    assert not database.holds(key)
    assert database.holds(hashlib.sha256(key.encode()).hexdigest())


@pytest.mark.parametrize(
    "key", ["", None, 42, "x" * 43, "short", "é" * 43, "a" * 44, "../../etc/passwd"]
)
def test_a_wrong_or_malformed_key_finds_nobody(store: WorkbookStore, key: object):
    store.add_client("Dana")
    assert store.client_for_key(key) is None
    assert store.member_link_for_key(key) is None
    assert not store.is_coach_key(key)


def test_client_names_are_unique_whatever_their_case(store: WorkbookStore):
    store.add_client("Dana")
    with pytest.raises(TextError, match="already have a client called “Dana”"):
        store.add_client("  DANA ")
    with pytest.raises(TextError, match="empty"):
        store.add_client("   ")


def test_a_revoked_link_stops_working_and_a_renewed_one_replaces_it(store: WorkbookStore):
    client, key = store.add_client("Dana")
    assert not store.revoke_client(client.id).active
    assert store.client_for_key(key) is None
    new = store.renew_client_key(client.id)
    assert store.client_for_key(new) is not None
    assert store.client_for_key(key) is None


def test_only_the_latest_coach_key_opens_the_dashboard(store: WorkbookStore):
    assert not store.has_coach_key()
    first = store.new_coach_key()
    assert store.is_coach_key(first)
    second = store.new_coach_key()
    assert store.is_coach_key(second) and not store.is_coach_key(first)


def test_find_client_by_name_or_number_or_say_who_there_is(store: WorkbookStore):
    client, _ = store.add_client("Dana")
    assert store.find_client("dana") == client
    assert store.find_client(str(client.id)) == client
    with pytest.raises(ClientNotFound, match=r"No client called “Sam”\. Your clients: Dana\."):
        store.find_client("Sam")


@pytest.fixture()
def two_clients(database: Database, store: WorkbookStore):
    dana, _ = store.add_client("Dana")
    sam, _ = store.add_client("Sam")
    url = database.url
    with WorkbookStore(url, client_id=dana.id) as a, WorkbookStore(url, client_id=sam.id) as b:
        yield a, b


def test_a_client_sees_only_their_own_plans(store: WorkbookStore, two_clients):
    dana, sam = two_clients
    own = store.create_plan("Leader's own")
    plan = dana.create_plan("Q3 platform migration")
    dana.save_answer(plan.id, "choice", "reflection/a", "Dana's secret")
    dana.remember_plan(plan.id)
    assert [p.name for p in dana.list_plans()] == ["Q3 platform migration"]
    assert sam.list_plans() == [] and sam.last_plan() is None
    assert [p.name for p in store.list_plans()] == ["Leader's own"]
    # The same name is free for another client, and says nothing about Dana's.
    assert sam.create_plan("q3 platform migration").name == "q3 platform migration"
    assert dana.last_plan() == dana.get_plan(plan.id)
    assert own.id != plan.id


def test_another_clients_plan_id_answers_exactly_like_a_missing_plan(two_clients):
    dana, sam = two_clients
    plan = dana.create_plan("Q3")
    dana.save_answer(plan.id, "choice", "reflection/a", "Dana's secret")
    dana.take_snapshot(plan.id, "choice", reason="requested", figures={})
    attempts = {
        "get_plan": lambda: sam.get_plan(plan.id),
        "answers": lambda: sam.answers(plan.id, "choice"),
        "save_answer": lambda: sam.save_answer(plan.id, "choice", "reflection/a", "overwrite"),
        "delete_answers": lambda: sam.delete_answers(plan.id, "choice", ["reflection/a"]),
        "changes_since": lambda: sam.changes_since(plan.id, 0),
        "take_snapshot": lambda: sam.take_snapshot(
            plan.id, "choice", reason="requested", figures={}
        ),
        "snapshots": lambda: sam.snapshots(plan.id),
        "export_plan": lambda: sam.export_plan(plan.id),
        "rename_plan": lambda: sam.rename_plan(plan.id, "Mine now"),
        "erase_plan": lambda: sam.erase_plan(plan.id),
        "remember_plan": lambda: sam.remember_plan(plan.id),
        "add_member_link": lambda: sam.add_member_link(plan.id, "m1", "Ana"),
        "member_links": lambda: sam.member_links(plan.id),
    }
    for name, attempt in attempts.items():
        with pytest.raises(PlanNotFound):
            attempt()
            pytest.fail(f"{name} reached another client's plan")
    assert dana.answers(plan.id, "choice")["reflection/a"].value == "Dana's secret"
    assert dana.get_plan(plan.id).name == "Q3"
    assert len(dana.snapshots(plan.id)) == 1


def test_only_the_coach_manages_clients(two_clients):
    dana, _sam = two_clients
    with pytest.raises(StoreError, match="Only the coach"):
        dana.add_client("Eve")
    with pytest.raises(StoreError, match="Only the coach"):
        dana.clients()


def test_member_links_reach_one_plan_and_stop_with_their_client(store: WorkbookStore, two_clients):
    dana, _sam = two_clients
    plan = dana.create_plan("Q3")
    key = dana.add_member_link(plan.id, "m1", "Ana")
    link = store.member_link_for_key(key)
    assert link is not None
    assert (link.client_id, link.plan_id, link.member_id, link.member_name) == (
        dana.client_id,
        plan.id,
        "m1",
        "Ana",
    )
    # A new link for the same member replaces the old one.
    newer = dana.add_member_link(plan.id, "m1", "Ana")
    assert store.member_link_for_key(key) is None
    assert [m.member_id for m in dana.member_links(plan.id)] == ["m1"]
    store.revoke_client(dana.client_id)
    assert store.member_link_for_key(newer) is None


def test_the_coach_reads_which_member_pages_working_links_open(store: WorkbookStore, two_clients):
    dana, sam = two_clients
    assert store.member_link_exercises() == []
    q3, q4 = dana.create_plan("Q3"), sam.create_plan("Q4")
    dana.add_member_link(q3.id, "m1", "Ana", exercise="choice")
    dana.add_member_link(q3.id, "m2", "Bo", exercise="choice")
    sam.add_member_link(q4.id, "m1", "Cy")
    assert store.member_link_exercises() == ["choice", "motivators"]
    dana.revoke_member_link(q3.id, "choice", "m1")
    assert store.member_link_exercises() == ["choice", "motivators"]  # Bo's still works
    store.revoke_client(sam.client_id)  # their member links stop with them
    assert store.member_link_exercises() == ["choice"]
    with pytest.raises(StoreError, match="Only the coach"):
        dana.member_link_exercises()


def test_a_member_has_one_link_per_exercise(store: WorkbookStore, two_clients):
    dana, _sam = two_clients
    plan = dana.create_plan("Q3")
    about_me = dana.add_member_link(plan.id, "m1", "Ana")
    say = dana.add_member_link(plan.id, "m1", "Ana", exercise="choice")
    # A link to the choice exercise's page does not replace the motivators' one.
    assert store.member_link_for_key(about_me).exercise == "motivators"
    assert store.member_link_for_key(say).exercise == "choice"
    assert [link.exercise for link in dana.member_links(plan.id, "choice")] == ["choice"]
    dana.revoke_member_link(plan.id, "choice", "m1")
    assert store.member_link_for_key(say) is None
    assert store.member_link_for_key(about_me) is not None


def test_erasing_a_client_removes_their_plans_and_leaves_no_trace(
    database: Database, store: WorkbookStore, two_clients
):
    dana, sam = two_clients
    plan = dana.create_plan("Q3")
    dana.save_answer(plan.id, "choice", "reflection/a", "ZEBRA-SECRET-4711")
    dana.add_member_link(plan.id, "m1", "Ana")
    kept = sam.create_plan("Sam's plan")
    sam.save_answer(kept.id, "choice", "reflection/a", "Sam keeps this")
    assert database.holds("ZEBRA-SECRET-4711")  # the check below can fail
    store.erase_client(dana.client_id)
    for open_store in (store, dana, sam):
        open_store.close()
    with pytest.raises(ClientNotFound):
        WorkbookStore(database.url).open().find_client("Dana")
    assert not database.holds("ZEBRA-SECRET-4711")
    with WorkbookStore(database.url, client_id=sam.client_id) as again:
        assert again.answers(kept.id, "choice")["reflection/a"].value == "Sam keeps this"


def test_a_second_store_on_the_same_file_does_not_cut_the_first_off(db_path: Path):
    """Two stores in one kernel (say, two exercises), and a second kernel writing."""
    url = f"sqlite:///{db_path}"
    first = WorkbookStore(url).open()
    plan = first.create_plan("Q3")
    first.save_answer(plan.id, "choice", "a", "first draft")
    second = WorkbookStore(url).open()
    writer = (
        f"from buyin_workbook.store import WorkbookStore\n"
        f"with WorkbookStore({url!r}) as s:\n"
        f"    s.save_answer({plan.id}, 'choice', 'a', 'from the other kernel')\n"
    )
    subprocess.run([sys.executable, "-c", writer], check=True, timeout=60)
    assert first.answers(plan.id, "choice")["a"].value == "from the other kernel"
    first.save_answer(plan.id, "choice", "b", "kept")
    # While both stores are still open, a third kernel must see that write.
    reader = (
        f"from buyin_workbook.store import WorkbookStore\n"
        f"with WorkbookStore({url!r}) as s:\n"
        f"    print(sorted((k, a.value) for k, a in s.answers({plan.id}, 'choice').items()))"
    )
    seen = subprocess.run(
        [sys.executable, "-c", reader], check=True, timeout=60, capture_output=True, text=True
    ).stdout.strip()
    assert seen == str([("a", "from the other kernel"), ("b", "kept")])
    first.close()
    second.close()


# -- links that end, ids, damaged and read-only files, names -------------------------------


def _every_client_operation(client: WorkbookStore, plan_id: int) -> dict:
    return {
        "list_plans": client.list_plans,
        "get_plan": lambda: client.get_plan(plan_id),
        "create_plan": lambda: client.create_plan("After the end"),
        "answers": lambda: client.answers(plan_id, "choice"),
        "save_answer": lambda: client.save_answer(plan_id, "choice", "a", "after the end"),
        "delete_answers": lambda: client.delete_answers(plan_id, "choice", ["a"]),
        "changes_since": lambda: client.changes_since(plan_id, 0),
        "take_snapshot": lambda: client.take_snapshot(
            plan_id, "choice", reason="requested", figures={}
        ),
        "export_plan": lambda: client.export_plan(plan_id),
        "remember_plan": lambda: client.remember_plan(plan_id),
        "last_plan": client.last_plan,
        "check_access": client.check_access,
    }


@pytest.mark.parametrize("ending", ["revoke", "renew", "erase"])
def test_a_store_opened_through_a_link_stops_at_once_when_the_link_ends(
    database: Database, store: WorkbookStore, ending: str
):
    client, key = store.add_client("Dana")
    url = database.url
    with WorkbookStore(url, client_id=client.id, access_key=key) as page:
        plan = page.create_plan("Q3")
        page.save_answer(plan.id, "choice", "a", "before the end")
        {
            "revoke": store.revoke_client,
            "renew": store.renew_client_key,
            "erase": store.erase_client,
        }[ending](client.id)
        for name, operation in _every_client_operation(page, plan.id).items():
            with pytest.raises(AccessEnded, match="no longer works"):
                operation()
                pytest.fail(f"{name} still worked after {ending}")
    if ending != "erase":
        with WorkbookStore(url, client_id=client.id) as kept:
            assert kept.answers(plan.id, "choice")["a"].value == "before the end"
            assert [p.name for p in kept.list_plans()] == ["Q3"]


def test_a_link_store_of_one_client_cannot_pass_for_another(
    database: Database, store: WorkbookStore
):
    dana, dana_key = store.add_client("Dana")
    sam, _ = store.add_client("Sam")
    with (
        WorkbookStore(database.url, client_id=sam.id, access_key=dana_key) as forged,
        pytest.raises(AccessEnded),
    ):
        forged.list_plans()
    with WorkbookStore(database.url, client_id=dana.id, access_key=dana_key) as real:
        assert real.list_plans() == []


def test_a_member_link_store_stops_with_its_link_and_a_renewal_does_not_revive_it(
    database: Database, store: WorkbookStore
):
    client, _ = store.add_client("Dana")
    url = database.url
    with WorkbookStore(url, client_id=client.id) as dana:
        plan = dana.create_plan("Q3")
        member_key = dana.add_member_link(plan.id, "m1", "Ana")
    with WorkbookStore(url, client_id=client.id, access_key=member_key) as member:
        member.save_answer(plan.id, "motivators", "member/m1/self", {"order": []})
        store.revoke_client(client.id)
        with pytest.raises(AccessEnded):
            member.save_answer(plan.id, "motivators", "member/m1/self", {"order": ["x"]})
        store.renew_client_key(client.id)
        assert store.member_link_for_key(member_key) is None
        with pytest.raises(AccessEnded):
            member.save_answer(plan.id, "motivators", "member/m1/self", {"order": ["x"]})
    with WorkbookStore(url, client_id=client.id) as dana:
        assert dana.member_links(plan.id) == []


def test_ids_of_erased_clients_and_plans_are_never_given_out_again(store: WorkbookStore):
    first, _ = store.add_client("Client A")
    store.erase_client(first.id)
    second, _ = store.add_client("Client B")
    assert second.id > first.id
    plan = store.create_plan("Erased soon")
    store.erase_plan(plan.id)
    assert store.create_plan("Next").id > plan.id


def test_an_upgraded_database_remembers_the_ids_it_used(db_path: Path):
    _database_at_first_schema(f"sqlite:///{db_path}")
    with WorkbookStore(f"sqlite:///{db_path}") as store:
        (old,) = store.list_plans()
        store.erase_plan(old.id)
        assert store.create_plan("After the upgrade").id > old.id
    with sqlite3.connect(db_path) as conn:
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_sequence")}
    conn.close()
    assert {"clients", "plans", "member_links", "snapshots"} <= tables


@pytest.mark.parametrize("huge", [10**23, 2**63, -1, 0])
def test_ids_out_of_range_are_simply_not_found(store: WorkbookStore, huge: int):
    with pytest.raises(PlanNotFound):
        store.get_plan(huge)
    with pytest.raises(PlanNotFound):
        store.save_answer(huge, "choice", "a", 1)
    with pytest.raises(ClientNotFound):
        store.revoke_client(huge)


def test_data_nested_too_deeply_gets_a_message(store: WorkbookStore):
    plan = store.create_plan("Q3")
    nested: list = []
    for _ in range(100_000):
        nested = [nested]
    with pytest.raises(StoreError, match="nested too deeply"):
        store.save_answer(plan.id, "choice", "a", nested)
    with pytest.raises(PlanFileError, match="nested too deeply"):
        store.import_plan("[" * 100_000 + "]" * 100_000)
    with pytest.raises(PlanFileError, match="too big to be a plan export"):
        store.import_plan(b" " * 20_000_001)


def _as_someone_else(code: str, cwd: Path) -> subprocess.CompletedProcess:
    """Run Python as an ordinary user (file permissions do not bind root)."""
    command = [sys.executable, "-c", code]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", *command]
    return subprocess.run(
        command,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=cwd,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )


@pytest.fixture()
def shared_folder():
    """A folder an ordinary user can reach (pytest's own are private to their owner)."""
    folder = Path(tempfile.mkdtemp(prefix="buyin-workbook-readonly-"))
    folder.chmod(0o755)
    yield folder
    for path in [folder, *folder.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)
    shutil.rmtree(folder)


@pytest.mark.parametrize("what", ["file", "folder"])
def test_a_read_only_database_is_named_as_such_and_left_untouched(shared_folder: Path, what: str):
    folder = shared_folder / "workbook"
    folder.mkdir()
    path = folder / "workbook.sqlite"
    with WorkbookStore(f"sqlite:///{path}") as store:
        store.save_answer(store.create_plan("Kept").id, "choice", "a", "kept")
    path.chmod(0o444 if what == "file" else 0o666)
    folder.chmod(0o555 if what == "folder" else 0o777)
    before = digest(path)
    result = _as_someone_else(
        "from buyin_workbook.store import WorkbookStore, StoreReadOnlyError\n"
        f"try:\n    WorkbookStore('sqlite:///{path}').open()\n"
        "except StoreReadOnlyError as error:\n    print(error)\n",
        cwd=shared_folder,
    )
    assert "cannot be written" in result.stdout, result.stderr
    assert (
        "the file is read-only" if what == "file" else "its folder is read-only"
    ) in result.stdout
    assert "move it aside" not in result.stdout  # the data is fine: nothing to abandon
    assert digest(path) == before


def test_a_database_damaged_while_open_says_so_in_plain_words(db_path: Path):
    store = WorkbookStore(f"sqlite:///{db_path}").open()
    plan = store.create_plan("Q3")
    for index in range(100):
        store.save_answer(plan.id, "choice", f"k{index}", "x" * 300)
    store._drop_erased_copies()  # everything in the main file, none in the log
    with db_path.open("r+b") as raw:
        raw.seek(4096)
        raw.write(b"\xff" * 4096 * 20)  # another program (or a failing disk) writes over it
    store._engine.dispose()  # pages come from the file again, as in a connection opened later
    with pytest.raises(StoreCorruptError) as caught:
        for index in range(100):
            store.answers(plan.id, "choice")
            store.save_answer(plan.id, "choice", f"k{index}", "y")
    message = str(caught.value)
    assert "has been damaged" in message and "Restore a backup" in message
    assert "SELECT" not in message and "UPDATE" not in message and "sqlalche" not in message
    store.close()


def test_a_full_disk_is_named_without_sql_or_outside_addresses(db_path: Path):
    store = WorkbookStore(f"sqlite:///{db_path}").open()
    plan = store.create_plan("Q3")
    store.save_answer(plan.id, "choice", "kept", "saved before the disk filled")
    raw = store._engine.raw_connection()  # SQLite's own cap stands in for a full disk
    pages = raw.driver_connection.execute("PRAGMA page_count").fetchone()[0]
    raw.close()
    store._engine.dispose()
    sa.event.listen(
        store._engine,
        "connect",
        lambda connection, _record: connection.execute(f"PRAGMA max_page_count={pages + 1}"),
    )
    with pytest.raises(StoreError) as caught:
        for index in range(50):
            store.save_answer(plan.id, "choice", f"big{index}", "z" * 50_000)
    message = str(caught.value)
    assert "disk that holds the workbook database" in message and "is full" in message
    for leak in ("INSERT", "UPDATE", "sqlalche.me", "http"):
        assert leak not in message
    assert store.answers(plan.id, "choice")["kept"].value == "saved before the disk filled"
    store.close()


@pytest.mark.parametrize(
    "look_alike",
    [
        "Dana\u200b",
        "\u200dDana",
        "Dana\u2066",
        "DANA",
        "Ｄａｎａ",
        "Dan\u00ada",
    ],
)
def test_look_alike_client_names_are_the_same_name(store: WorkbookStore, look_alike: str):
    store.add_client("Dana")
    with pytest.raises(TextError, match="already have a client called “Dana”"):
        store.add_client(look_alike)


def test_names_mixing_alphabets_are_refused(store: WorkbookStore):
    with pytest.raises(TextError, match="different alphabets"):
        store.add_client("D\u0430na")  # a Cyrillic "a"
    with pytest.raises(TextError, match="different alphabets"):
        store.create_plan("R\u043eta")  # a Cyrillic "o"
    assert store.add_client("Дана")[0].name == "Дана"


def test_hidden_direction_and_width_marks_are_removed_from_names(store: WorkbookStore):
    assert store.create_plan("\u202eevil").name == "evil"
    assert store.create_plan("Q3\u200b plan\u2069").name == "Q3 plan"
    client, _ = store.add_client("\u2067Sam\u200c")
    assert client.name == "Sam"


def test_an_exercise_on_a_read_only_database_says_why_instead_of_failing(shared_folder: Path):
    path = shared_folder / "workbook.sqlite"
    with WorkbookStore(f"sqlite:///{path}") as store:
        store.create_plan("Kept")
    path.chmod(0o444)
    result = _as_someone_else(
        "from buyin_workbook.exercises.choice import ChoiceExercise\n"
        "from buyin_workbook.store import WorkbookStore\n"
        f"print(ChoiceExercise(WorkbookStore('sqlite:///{path}')).store_error)\n",
        cwd=shared_folder,
    )
    assert "cannot be written: the file is read-only" in result.stdout, result.stderr


def test_head_revision_is_alembics_head():
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from buyin_workbook._store.upgrade import HEAD_REVISION, MIGRATIONS

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    assert ScriptDirectory.from_config(config).get_current_head() == HEAD_REVISION


def test_a_store_at_the_newest_schema_opens_without_loading_alembic(tmp_path: Path):
    url = f"sqlite:///{tmp_path / 'workbook.sqlite'}"
    with WorkbookStore(url) as store:
        store.create_plan("Made before")
    code = (
        "import sys\nfrom buyin_workbook.store import WorkbookStore\n"
        f"with WorkbookStore({url!r}) as store:\n"
        "    print([p.name for p in store.list_plans()], 'alembic' in sys.modules)\n"
    )
    assert fresh_python(code).split() == ["['Made", "before']", "False"]


# -- database servers -------------------------------------------------------------------------


def test_a_server_that_cannot_be_reached_is_named_without_its_password():
    url = "postgresql+psycopg://coach:s3cret-pw@127.0.0.1:1/workbook"
    with pytest.raises(StoreError) as raised:
        WorkbookStore(url).open()
    message = str(raised.value)
    assert "cannot be reached" in message and "Nothing has been changed" in message
    assert "s3cret-pw" not in message and "127.0.0.1:1/workbook" in message


def test_a_database_without_its_driver_says_what_to_install():
    with pytest.raises(StoreError, match=r"driver is not installed.*buyin-workbook\[postgresql\]"):
        WorkbookStore("postgresql+no_such_driver://coach@127.0.0.1/workbook").open()


def test_the_migrations_build_the_tables_the_store_declares(empty_database: Database):
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from buyin_workbook._store.schema import metadata

    WorkbookStore(empty_database.url).open().close()
    engine = sa.create_engine(empty_database.url)
    with engine.connect() as conn:
        differences = compare_metadata(MigrationContext.configure(conn), metadata)
    engine.dispose()
    assert differences == []


def test_a_members_answers_are_replaced_whole_and_kept_apart(store: WorkbookStore):
    plan = store.create_plan("Q3")
    store.save_answer(plan.id, "choice", "rating/d1/what/today", 4)
    first = store.replace_team_answers(
        plan.id, "choice", "m1", {"say/d1/what/today": 2, "say/d2/how/today": 5}
    )
    store.replace_team_answers(plan.id, "choice", "m10", {"say/d1/what/today": 7})
    store.replace_team_answers(plan.id, "selfcheck", "m1", {"goal": "Theirs"})
    assert store.get_plan(plan.id).revision == first + 2  # each send is a write the page sees
    store.replace_team_answers(plan.id, "choice", "m1", {"say/d1/what/today": 3})
    assert store.team_answers(plan.id, "choice") == {
        "m1": {"say/d1/what/today": 3},  # none of the old stays
        "m10": {"say/d1/what/today": 7},
    }
    assert store.team_answers(plan.id, "choice", "m10") == {"m10": {"say/d1/what/today": 7}}
    since = store.team_answered_since(plan.id, first)
    assert sorted((e, m) for e, m, _ in since) == [
        ("choice", "m1"),
        ("choice", "m10"),
        ("selfcheck", "m1"),
    ]
    # Never among the plan's answers: not in its export, not in a snapshot.
    assert set(store.answers(plan.id, "choice")) == {"rating/d1/what/today"}
    exported = json.dumps(store.export_plan(plan.id))
    assert "Theirs" not in exported and "m10" not in exported
    assert store.take_snapshot(plan.id, "selfcheck", reason="requested", figures={}).answers == {}
    # Nothing sent erases theirs.
    store.replace_team_answers(plan.id, "choice", "m1", {})
    assert list(store.team_answers(plan.id, "choice")) == ["m10"]


def test_erasing_a_plan_erases_what_its_members_sent(database: Database, store: WorkbookStore):
    plan = store.create_plan("Q3")
    secret = "A-member-wrote-this-4c1e"
    store.replace_team_answers(plan.id, "selfcheck", "m1", {"goal": secret})
    assert database.holds(secret)  # the check below can fail
    store.erase_plan(plan.id)
    assert not database.holds(secret)


def test_members_answers_kept_in_the_plan_before_0009_move_to_their_own_table(
    empty_database: Database,
):
    with _schema_at(empty_database.url, "0008") as conn:
        plan_id = conn.exec_driver_sql(
            "INSERT INTO plans (name, created_at, updated_at, revision) VALUES "
            "('Old plan', '2026-01-01', '2026-01-02', 5) RETURNING id"
        ).scalar_one()
        for exercise, key, value in (
            ("choice", "member/m1/say/d1/what/today", "2"),
            ("choice", "rating/d1/what/today", "4"),
            ("selfcheck", "member/m1/goal", '"Their words"'),
            ("motivators", "member/m1/self", '{"order": ["goal"]}'),  # about me: stays
            ("motivators", "member/m1/guess", '["goal"]'),  # the leader's own guess
        ):
            conn.exec_driver_sql(
                "INSERT INTO answers (plan_id, exercise, key, value, updated_at, revision) "
                f"VALUES ({plan_id}, '{exercise}', '{key}', '{value}', '2026-01-02', 3)"
            )
    with WorkbookStore(empty_database.url) as store:
        (plan,) = store.list_plans()
        assert set(store.answers(plan.id, "choice")) == {"rating/d1/what/today"}
        assert store.team_answers(plan.id, "choice") == {"m1": {"say/d1/what/today": 2}}
        assert store.team_answers(plan.id, "selfcheck") == {"m1": {"goal": "Their words"}}
        assert set(store.answers(plan.id, "motivators")) == {"member/m1/self", "member/m1/guess"}


def test_a_plan_file_never_brings_members_answers_in(store: WorkbookStore):
    """Files exported before 0009 held them beside the names; a forged one may hold them
    where the workbook reads members' answers."""
    plan = store.create_plan("Q3")
    store.save_answer(plan.id, "choice", "voice/members", [{"id": "m1", "name": "Ana"}])
    data = store.export_plan(plan.id)
    for exercise, key in (
        ("choice", "member/m1/say/d1/what/today"),
        ("selfcheck", "member/m1/goal"),
        ("choice", "team/m1/say/d1/what/today"),
    ):
        data["answers"].append(
            {"exercise": exercise, "key": key, "value": 1, "updated_at": "2026-01-02"}
        )
    data["answers"].append(
        {"exercise": "motivators", "key": "member/m1/self", "value": {}, "updated_at": "x"}
    )
    copy = store.import_plan(data, name="Copy")
    assert set(store.answers(copy.id, "choice")) == {"voice/members"}
    assert store.answers(copy.id, "selfcheck") == {}
    assert set(store.answers(copy.id, "motivators")) == {"member/m1/self"}
    assert store.team_answers(copy.id, "choice") == {}


def test_a_store_made_before_the_package_was_renamed_still_opens(tmp_path: Path):
    """Release 0.1.0 was imported as ``workbook``; a database it made (kept in tests/data)
    opens under ``buyin_workbook`` with its plans, answers, snapshots and clients."""
    made = tmp_path / "made-by-0.1.0.sqlite"
    shutil.copy(DATA / "store-0.1.0-workbook.sqlite", made)
    with WorkbookStore(f"sqlite:///{made}") as store:
        (plan,) = store.list_plans()
        assert plan.name == "Made before the rename"
        answers = {key: a.value for key, a in store.answers(plan.id, "selfcheck").items()}
        assert answers == {
            "sentence": "Cut the queue to two days by June.",
            "attitude": "commitment",
        }
        (snapshot,) = store.snapshots(plan.id, "selfcheck")
        assert snapshot.figures == {"foundations (average)": 3.0}
        assert store.find_client("Dana") is not None
        store.save_answer(plan.id, "selfcheck", "stance", "bought_in")  # and it takes new ones
