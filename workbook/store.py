"""The workbook's store: every plan and every answer, behind one API class.

Use it as a context manager::

    with WorkbookStore() as store:
        plan = store.create_plan("Q3 platform migration")
        store.save_answer(plan.id, "choice", "reflection/first-step", "Ask the team")

The default database is an SQLite file in the Jupyter data directory; ``$BUYIN_WORKBOOK_DB_URL``
or ``c.WorkbookConfig.db_url`` point it at any SQLAlchemy URL. The SQL is portable.

Two windows on one plan (two kernels) follow one rule: the last write of each answer wins,
and the window whose answer was replaced is told (:attr:`SaveResult.replaced` and
:meth:`WorkbookStore.changes_since`). Every write bumps the plan's revision under a lock on
the plan's row, so writers are serialised and no answer is half-written.

A coach who serves the workbook to clients keeps every client's plans in the same database,
each plan owned by one client. A store opened for a client (``client_id=...``) sees and
changes only that client's plans; a store opened without one is the local leader's, and also
manages the clients, their keys and member links (see the "clients" section).
"""

from __future__ import annotations

import json
import os
import secrets
import sqlite3
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Self

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from . import _schema as t
from ._keys import hash_key, new_key, well_formed
from ._text import TextError, clean_name, same_text
from ._version import __version__
from .config import WorkbookConfig, load_workbook_config

if TYPE_CHECKING:
    from alembic.config import Config as AlembicConfig
    from alembic.script import ScriptDirectory

#: Identifies a file made by :meth:`WorkbookStore.export_plan`.
EXPORT_FORMAT = "buyin-workbook.plan"
EXPORT_FORMAT_VERSION = 1

PLAN_NAME_MAX = 200
_VALUE_MAX_BYTES = 200_000
_MIGRATIONS = Path(__file__).with_name("_migrations")


class StoreError(Exception):
    """A problem with the workbook's database; the message is written for the user."""

    #: Whether trying again later can work (a busy or full disk can clear; a damaged file,
    #: a newer version or a withdrawn link cannot).
    retryable = True


class StoreVersionError(StoreError):
    """The database was written by a newer Buy-in Workbook."""

    retryable = False


class StoreCorruptError(StoreError):
    """The file is damaged or is not a workbook database."""

    retryable = False


class PlanNotFound(StoreError):
    """No plan with that id (it may have been erased in another window)."""


class PlanFileError(StoreError):
    """A plan file to import is not one this version can read."""


class ClientNotFound(StoreError):
    """No client with that name or number."""


class StoreReadOnlyError(StoreError):
    """The database can be read but not written (a read-only file, folder or disk)."""

    retryable = False


class AccessEnded(StoreError):
    """The served link this store works through was withdrawn, replaced or erased."""

    retryable = False


#: What an open page says once its link stops working (revoked, renewed or erased).
ACCESS_ENDED = ("This link no longer works: it has been withdrawn or replaced. This page can "
                "no longer read or save answers, and what you type now is not kept. Ask for "
                "a new link.")
#: Ids are SQLite's signed 64-bit integers; a larger number can name nothing.
_ID_LIMIT = 2**63


@dataclass(frozen=True)
class Plan:
    id: int
    name: str
    created_at: str
    updated_at: str
    revision: int


@dataclass(frozen=True)
class Answer:
    exercise: str
    key: str
    value: Any
    updated_at: str
    revision: int
    writer: str


@dataclass(frozen=True)
class Snapshot:
    """A dated copy of one exercise's answers and its key figures."""

    id: int
    exercise: str
    taken_at: str
    #: "completed" (taken when the exercise was finished) or "requested".
    reason: str
    figures: dict[str, Any]
    answers: dict[str, Any]


@dataclass(frozen=True)
class Client:
    """Someone a coach shares the workbook with; their link works until revoked."""

    id: int
    name: str
    created_at: str
    revoked_at: str | None

    @property
    def active(self) -> bool:
        return self.revoked_at is None


@dataclass(frozen=True)
class MemberLink:
    """A link a client made for one team member to enter their own motivators."""

    id: int
    client_id: int
    plan_id: int
    member_id: str
    member_name: str
    created_at: str
    revoked_at: str | None


@dataclass(frozen=True)
class SaveResult:
    """What happened to one saved answer."""

    revision: int
    #: The answer another window had saved and this save replaced, if any.
    replaced: Answer | None = None


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")


def _dump(value: Any) -> str:
    try:
        text = json.dumps(value, ensure_ascii=False, sort_keys=True, allow_nan=False)
    except RecursionError as error:
        raise StoreError("This answer is nested too deeply to save.") from error
    if len(text.encode("utf-8")) > _VALUE_MAX_BYTES:
        raise StoreError("This answer is too long to save. Please shorten it.")
    return text


def _snapshot(row: sa.Row) -> Snapshot:
    return Snapshot(row.id, row.exercise, row.taken_at, row.reason, json.loads(row.figures),
                    json.loads(row.answers))


def _plan(row: sa.Row) -> Plan:
    return Plan(row.id, row.name, row.created_at, row.updated_at, row.revision)


def _client(row: sa.Row) -> Client:
    return Client(row.id, row.name, row.created_at, row.revoked_at)


def _member_link(row: sa.Row) -> MemberLink:
    return MemberLink(row.id, row.client_id, row.plan_id, row.member_id, row.member_name,
                      row.created_at, row.revoked_at)


def _answer(row: sa.Row) -> Answer:
    return Answer(row.exercise, row.key, json.loads(row.value), row.updated_at, row.revision,
                  row.writer)


def clean_plan_name(name: object) -> str:
    """The plan name as it will be kept, or :class:`~workbook._text.TextError`."""
    return clean_name(name, what="The plan's name", max_length=PLAN_NAME_MAX)


class WorkbookStore:
    """All plans and answers of one workbook database."""

    def __init__(self, url: str | None = None, *, config: WorkbookConfig | None = None,
                 client_id: int | None = None, access_key: str | None = None) -> None:
        self.url = url or (config or load_workbook_config()).db_url
        #: Whose plans this store sees: a client's, or (``None``) the local leader's.
        self.client_id = client_id
        #: The key of the served link (a client's or a team member's) this store works
        #: through. Every operation first checks that it still works, so a revoke, renew
        #: or erase stops an open page at once (:class:`AccessEnded`).
        self.access_key = access_key
        #: Tells this window's writes from another's.
        self.writer = uuid.uuid4().hex
        self._engine: Engine | None = None

    # -- opening ---------------------------------------------------------------------------

    def __enter__(self) -> Self:
        return self.open()

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def open(self) -> Self:
        """Connect, check the database and bring an older one up to date."""
        if self._engine is not None:
            return self
        sa_url = sa.engine.make_url(self.url)
        sqlite_path = self._sqlite_path(sa_url)
        if sqlite_path is not None:
            self._check_sqlite_file(sqlite_path)
        engine = sa.create_engine(sa_url)
        if sa_url.get_backend_name() == "sqlite":
            _configure_sqlite(engine)
        try:
            self._migrate(engine, sqlite_path)
        except StoreError:
            engine.dispose()
            raise
        except sa.exc.DatabaseError as error:
            engine.dispose()
            raise StoreCorruptError(self._corrupt_message(sqlite_path, error)) from error
        if sqlite_path is not None:
            # WAL lets a second window read while the first writes.
            _sqlite_pragma(engine, "journal_mode=WAL")
        self._engine = engine
        return self

    def close(self) -> None:
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None

    @staticmethod
    def _sqlite_path(sa_url: sa.engine.URL) -> Path | None:
        if sa_url.get_backend_name() != "sqlite" or sa_url.database in (None, "", ":memory:"):
            return None
        return Path(sa_url.database).expanduser()

    def _check_sqlite_file(self, path: Path) -> None:
        folder = path.parent
        if not path.exists():
            try:
                folder.mkdir(parents=True, exist_ok=True)
            except OSError as error:
                raise StoreError(f"The workbook database cannot be created at {path}: "
                                 f"{error.strerror or error}.") from error
            if not os.access(folder, os.W_OK):
                raise StoreReadOnlyError(self._read_only_message(path, "its folder is read-only"))
            return
        if not os.access(path, os.R_OK):
            raise StoreError(f"The workbook database at {path} cannot be opened: you have no "
                             "permission to read it. It has not been changed.")
        if not os.access(path, os.W_OK):
            raise StoreReadOnlyError(self._read_only_message(path, "the file is read-only"))
        if not os.access(folder, os.W_OK):
            # SQLite keeps its write-ahead log beside the file.
            raise StoreReadOnlyError(self._read_only_message(path, "its folder is read-only"))
        if path.stat().st_size == 0:
            return
        # Asked through SQLite, read-only: closing a plain file handle on the database would
        # drop every lock this process's other connections hold on it (POSIX locks are per
        # process), and another process would then delete the write-ahead log under them.
        probe = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            probe.execute("PRAGMA schema_version").fetchone()
        except sqlite3.DatabaseError as error:
            raise StoreCorruptError(self._corrupt_message(
                path, "it is not an SQLite database")) from error
        finally:
            probe.close()

    @property
    def location(self) -> str:
        """Where the database is, fit to show: an SQLite file's path, or a URL without its
        password."""
        sa_url = sa.engine.make_url(self.url)
        path = self._sqlite_path(sa_url)
        return str(path) if path is not None else sa_url.render_as_string(hide_password=True)

    def _read_only_message(self, path: Path | None, cause: str) -> str:
        return (f"The workbook database at {path or self.location} cannot be written: {cause}. "
                "Nothing was saved and nothing in it has changed. Ask whoever looks after "
                "this computer to make it writable again.")

    def _corrupt_message(self, path: Path | None, cause: object) -> str:
        where = str(path) if path else self.location
        return (
            f"The workbook database at {where} cannot be read ({cause}). It has not been "
            "changed. Move it aside to start a fresh workbook, or restore a backup copy."
        )

    def _migrate(self, engine: Engine, sqlite_path: Path | None) -> None:
        from alembic.config import Config as AlembicConfig
        from alembic.script import ScriptDirectory

        alembic_config = AlembicConfig()
        alembic_config.set_main_option("script_location", str(_MIGRATIONS))
        scripts = ScriptDirectory.from_config(alembic_config)
        head = scripts.get_current_head()
        with engine.connect() as outer:
            if sqlite_path is not None:
                # A migration may rebuild a table; with foreign keys on, dropping the old
                # copy would cascade-delete every answer that points at it.
                _sqlite_foreign_keys(outer, on=False)
            try:
                with outer.begin():
                    self._upgrade(outer, scripts, head, alembic_config, sqlite_path)
            finally:
                if sqlite_path is not None:
                    _sqlite_foreign_keys(outer, on=True)

    def _upgrade(self, conn: Connection, scripts: ScriptDirectory, head: str | None,
                 alembic_config: AlembicConfig, sqlite_path: Path | None) -> None:
        from alembic.runtime.migration import MigrationContext

        if sqlite_path is not None:
            problems = [row[0] for row in conn.exec_driver_sql("PRAGMA quick_check")]
            if problems != ["ok"]:
                raise StoreCorruptError(self._corrupt_message(sqlite_path, problems[0]))
        current = MigrationContext.configure(conn).get_current_revision()
        if current == head:
            return
        if current is None and sa.inspect(conn).get_table_names():
            raise StoreCorruptError(self._corrupt_message(
                sqlite_path, "it holds tables of another program"))
        known = {script.revision for script in scripts.walk_revisions()}
        if current is not None and current not in known:
            raise StoreVersionError(
                f"The workbook database at {sqlite_path or self.url} was written by a newer "
                f"version of Buy-in Workbook (schema {current}; this is {__version__}, "
                f"schema {head}). It has not been changed. Upgrade with "
                "`pip install -U buyin-workbook` to open it."
            )
        if current is not None and sqlite_path is not None:
            _backup_sqlite(sqlite_path, f"{sqlite_path}.schema-{current}.bak")
        from alembic import command

        alembic_config.attributes["connection"] = conn
        command.upgrade(alembic_config, "head")
        if sqlite_path is not None and conn.exec_driver_sql(
                "PRAGMA foreign_key_check").first() is not None:
            raise StoreCorruptError(self._corrupt_message(
                sqlite_path, "its answers no longer match its plans after the upgrade"))

    @contextmanager
    def _transaction(self) -> Iterator[Connection]:
        if self._engine is None:
            raise StoreError("The workbook store is closed.")
        try:
            with self._engine.begin() as conn:
                self._check_access(conn)
                yield conn
        except sa.exc.DBAPIError as error:
            raise self._database_problem(error) from error
        except RecursionError as error:
            raise StoreError("This answer is nested too deeply to save.") from error

    def _database_problem(self, error: sa.exc.DBAPIError) -> StoreError:
        """A database error in the user's terms: what happened, never the SQL behind it."""
        reason = str(error.orig).strip().splitlines()[0] if error.orig else type(error).__name__
        lowered = reason.lower()
        where = self.location
        if "readonly" in lowered or "read-only" in lowered:
            return StoreReadOnlyError(self._read_only_message(None, "it is read-only"))
        if "full" in lowered:
            return StoreError(f"The disk that holds the workbook database ({where}) is full, so "
                              "this was not saved. Everything saved before is kept. Free some "
                              "space, then try again.")
        if "malformed" in lowered or "not a database" in lowered or "encrypted" in lowered:
            return StoreCorruptError(
                f"The workbook database at {where} has been damaged ({reason}), so nothing more "
                "can be read or saved. Restore a backup copy, or move the file aside to start "
                "a fresh workbook.")
        if "locked" in lowered or "busy" in lowered:
            return StoreError("The workbook database is busy: another program has held it for "
                              "too long. This was not saved; try again in a moment.")
        return StoreError(f"The workbook database at {where} could not be used ({reason}). "
                          "This was not saved.")

    def _check_access(self, conn: Connection) -> None:
        """Refuse every operation once the served link this store works through has ended."""
        if self.access_key is None:
            return
        if well_formed(self.access_key):
            owner = self._link_owner(conn, hash_key(self.access_key))
            if owner is not None and owner == self.client_id:
                return
        raise AccessEnded(ACCESS_ENDED)

    def check_access(self) -> None:
        """Raise :class:`AccessEnded` if this store's served link no longer works."""
        if self.access_key is not None:
            with self._transaction():
                pass

    @staticmethod
    def _link_owner(conn: Connection, key_hash: str) -> int | None:
        owner = conn.execute(sa.select(t.clients.c.id).where(
            t.clients.c.key_hash == key_hash, t.clients.c.revoked_at.is_(None))).scalar()
        if owner is None:
            owner = conn.execute(
                sa.select(t.member_links.c.client_id)
                .join(t.clients, t.clients.c.id == t.member_links.c.client_id)
                .where(t.member_links.c.key_hash == key_hash,
                       t.member_links.c.revoked_at.is_(None),
                       t.clients.c.revoked_at.is_(None))).scalar()
        return owner

    def link_owner(self, key_hash: str) -> int | None:
        """The client behind a working link with this key hash (their own link, or a member
        link they made); ``None`` once it is withdrawn, replaced or erased."""
        with self._transaction() as conn:
            return self._link_owner(conn, key_hash)

    # -- plans -----------------------------------------------------------------------------

    def _own(self) -> sa.ColumnElement[bool]:
        """The condition every plan this store may see meets."""
        if self.client_id is None:
            return t.plans.c.client_id.is_(None)
        return t.plans.c.client_id == self.client_id

    def list_plans(self) -> list[Plan]:
        with self._transaction() as conn:
            rows = conn.execute(sa.select(t.plans).where(self._own())
                                .order_by(t.plans.c.updated_at.desc()))
            return [_plan(row) for row in rows]

    def get_plan(self, plan_id: int) -> Plan:
        with self._transaction() as conn:
            return self._get_plan(conn, plan_id)

    def _get_plan(self, conn: Connection, plan_id: int) -> Plan:
        # Another owner's plan answers exactly as a missing one, so ids reveal nothing.
        row = None if not _valid_id(plan_id) else conn.execute(
            sa.select(t.plans).where(t.plans.c.id == plan_id, self._own())).first()
        if row is None:
            raise PlanNotFound("That plan no longer exists; it may have been erased in "
                               "another window.")
        return _plan(row)

    def _check_name_free(self, conn: Connection, name: str, except_id: int | None = None) -> None:
        for row in conn.execute(sa.select(t.plans.c.id, t.plans.c.name).where(self._own())):
            if row.id != except_id and same_text(row.name, name):
                raise TextError(f"You already have a plan called “{row.name}”. "
                                "Pick another name.")

    def create_plan(self, name: str) -> Plan:
        """A new, empty plan. Raises :class:`TextError` for a bad or taken name."""
        name = clean_plan_name(name)
        now = _now()
        with self._transaction() as conn:
            self._check_name_free(conn, name)
            result = conn.execute(t.plans.insert().values(
                name=name, created_at=now, updated_at=now, revision=0,
                client_id=self.client_id))
            return self._get_plan(conn, _new_id(result))

    def rename_plan(self, plan_id: int, name: str) -> Plan:
        name = clean_plan_name(name)
        with self._transaction() as conn:
            self._check_name_free(conn, name, except_id=plan_id)
            self._bump(conn, plan_id)
            conn.execute(t.plans.update().where(t.plans.c.id == plan_id).values(name=name))
            return self._get_plan(conn, plan_id)

    def erase_plan(self, plan_id: int) -> None:
        """Delete a plan and every answer in it, leaving no readable trace in the file."""
        with self._transaction() as conn:
            self._get_plan(conn, plan_id)
            conn.execute(t.answers.delete().where(t.answers.c.plan_id == plan_id))
            self._delete_plan_rows(conn, [plan_id])
            last = self._setting(conn, self._last_plan_key)
            if last == str(plan_id):
                conn.execute(t.settings.delete().where(t.settings.c.key == self._last_plan_key))
        self._drop_erased_copies()

    @staticmethod
    def _delete_plan_rows(conn: Connection, plan_ids: list[int]) -> None:
        for table in (t.member_links, t.answers, t.snapshots):
            conn.execute(table.delete().where(table.c.plan_id.in_(plan_ids)))
        conn.execute(t.plans.delete().where(t.plans.c.id.in_(plan_ids)))

    def _drop_erased_copies(self) -> None:
        if self._engine is not None and self._engine.dialect.name == "sqlite":
            # secure_delete zeroed the pages; moving the WAL into the main file drops the
            # copies the log still held.
            _sqlite_pragma(self._engine, "wal_checkpoint(TRUNCATE)")

    @property
    def _last_plan_key(self) -> str:
        return "last_plan" if self.client_id is None else f"last_plan:client:{self.client_id}"

    @staticmethod
    def _setting(conn: Connection, key: str) -> str | None:
        return conn.execute(sa.select(t.settings.c.value).where(t.settings.c.key == key)
                            ).scalar()

    @staticmethod
    def _set_setting(conn: Connection, key: str, value: str) -> None:
        updated = conn.execute(t.settings.update().where(t.settings.c.key == key)
                               .values(value=value))
        if updated.rowcount == 0:
            conn.execute(t.settings.insert().values(key=key, value=value))

    def remember_plan(self, plan_id: int) -> None:
        """Mark the plan the user is working on, so the next session opens it."""
        with self._transaction() as conn:
            self._get_plan(conn, plan_id)
            self._set_setting(conn, self._last_plan_key, str(plan_id))

    def last_plan(self) -> Plan | None:
        """The plan last worked on, if it still exists."""
        with self._transaction() as conn:
            value = self._setting(conn, self._last_plan_key)
            if value is None:
                return None
            try:
                return self._get_plan(conn, int(value))
            except PlanNotFound:
                return None

    # -- answers ---------------------------------------------------------------------------

    def _bump(self, conn: Connection, plan_id: int) -> int:
        """Take the plan's write lock and return its next revision."""
        updated = None if not _valid_id(plan_id) else conn.execute(
            t.plans.update().where(t.plans.c.id == plan_id, self._own())
            .values(revision=t.plans.c.revision + 1, updated_at=_now())
        )
        if updated is None or updated.rowcount == 0:
            raise PlanNotFound("That plan no longer exists; it may have been erased in "
                               "another window.")
        return conn.execute(sa.select(t.plans.c.revision)
                            .where(t.plans.c.id == plan_id)).scalar_one()

    def answers(self, plan_id: int, exercise: str) -> dict[str, Answer]:
        """Every saved answer of one exercise in one plan, by key."""
        with self._transaction() as conn:
            self._get_plan(conn, plan_id)
            rows = conn.execute(sa.select(t.answers).where(
                t.answers.c.plan_id == plan_id, t.answers.c.exercise == exercise))
            return {row.key: _answer(row) for row in rows}

    def save_answer(self, plan_id: int, exercise: str, key: str, value: Any, *,
                    seen_revision: int | None = None) -> SaveResult:
        """Save one answer; the last write wins.

        ``seen_revision`` is the revision of this answer as the caller last saw it (``None``
        when it saw none). If another window saved it since, that answer is returned in
        :attr:`SaveResult.replaced` so the caller can tell the user.
        """
        payload = _dump(value)
        with self._transaction() as conn:
            revision = self._bump(conn, plan_id)
            where = (t.answers.c.plan_id == plan_id, t.answers.c.exercise == exercise,
                     t.answers.c.key == key)
            row = conn.execute(sa.select(t.answers).where(*where)).first()
            values = {"value": payload, "updated_at": _now(), "revision": revision,
                      "writer": self.writer}
            if row is None:
                conn.execute(t.answers.insert().values(plan_id=plan_id, exercise=exercise,
                                                       key=key, **values))
                return SaveResult(revision)
            conn.execute(t.answers.update().where(*where).values(**values))
            replaced = None
            if row.writer != self.writer and row.revision != seen_revision:
                replaced = _answer(row)
            return SaveResult(revision, replaced)

    def delete_answers(self, plan_id: int, exercise: str, keys: list[str]) -> int:
        """Remove answers that no longer apply (e.g. the ratings of a removed decision)."""
        if not keys:
            return self.get_plan(plan_id).revision
        with self._transaction() as conn:
            revision = self._bump(conn, plan_id)
            conn.execute(t.answers.delete().where(
                t.answers.c.plan_id == plan_id, t.answers.c.exercise == exercise,
                t.answers.c.key.in_(keys)))
            return revision

    def changes_since(self, plan_id: int, revision: int) -> list[Answer]:
        """Answers other windows saved in this plan after ``revision``."""
        with self._transaction() as conn:
            self._get_plan(conn, plan_id)
            rows = conn.execute(sa.select(t.answers).where(
                t.answers.c.plan_id == plan_id, t.answers.c.revision > revision,
                t.answers.c.writer != self.writer).order_by(t.answers.c.revision))
            return [_answer(row) for row in rows]

    # -- snapshots -------------------------------------------------------------------------

    def take_snapshot(self, plan_id: int, exercise: str, *, reason: str,
                      figures: dict[str, Any]) -> Snapshot:
        """Keep a dated copy of the exercise's answers as they are now, with its figures."""
        with self._transaction() as conn:
            self._get_plan(conn, plan_id)
            rows = conn.execute(sa.select(t.answers).where(
                t.answers.c.plan_id == plan_id, t.answers.c.exercise == exercise))
            answers = {row.key: json.loads(row.value) for row in rows}
            result = conn.execute(t.snapshots.insert().values(
                plan_id=plan_id, exercise=exercise, taken_at=_now(), reason=reason,
                figures=_dump(figures), answers=_dump(answers)))
            row = conn.execute(sa.select(t.snapshots)
                               .where(t.snapshots.c.id == _new_id(result))).one()
            return _snapshot(row)

    def snapshots(self, plan_id: int, exercise: str | None = None) -> list[Snapshot]:
        """A plan's snapshots, oldest first (of one exercise, or of all)."""
        query = sa.select(t.snapshots).where(t.snapshots.c.plan_id == plan_id)
        if exercise is not None:
            query = query.where(t.snapshots.c.exercise == exercise)
        with self._transaction() as conn:
            self._get_plan(conn, plan_id)
            rows = conn.execute(query.order_by(t.snapshots.c.taken_at, t.snapshots.c.id))
            return [_snapshot(row) for row in rows]

    # -- export, import --------------------------------------------------------------------

    def export_plan(self, plan_id: int) -> dict[str, Any]:
        """Everything the workbook holds about one plan, as plain JSON-ready data."""
        with self._transaction() as conn:
            plan = self._get_plan(conn, plan_id)
            rows = conn.execute(sa.select(t.answers).where(t.answers.c.plan_id == plan_id)
                                .order_by(t.answers.c.exercise, t.answers.c.key))
            answers = [{"exercise": row.exercise, "key": row.key, "value": json.loads(row.value),
                        "updated_at": row.updated_at} for row in rows]
            snapshot_rows = conn.execute(
                sa.select(t.snapshots).where(t.snapshots.c.plan_id == plan_id)
                .order_by(t.snapshots.c.taken_at, t.snapshots.c.id))
            snapshots = [{"exercise": s.exercise, "taken_at": s.taken_at, "reason": s.reason,
                          "figures": json.loads(s.figures), "answers": json.loads(s.answers)}
                         for s in snapshot_rows]
        return {
            "format": EXPORT_FORMAT,
            "format_version": EXPORT_FORMAT_VERSION,
            "app_version": __version__,
            "exported_at": _now(),
            "plan": {"name": plan.name, "created_at": plan.created_at,
                     "updated_at": plan.updated_at},
            "answers": answers,
            "snapshots": snapshots,
        }

    def import_plan(self, data: Any, *, name: str | None = None) -> Plan:
        """Add a plan from :meth:`export_plan` data; a taken name gets "(imported)" added."""
        plan_data, answers, snapshots = _read_plan_file(data)
        wanted = clean_plan_name(name if name is not None else plan_data["name"])
        with self._transaction() as conn:
            taken = [row.name for row in conn.execute(sa.select(t.plans.c.name)
                                                      .where(self._own()))]
            final, suffix = wanted, 1
            while any(same_text(final, other) for other in taken):
                label = " (imported)" if suffix == 1 else f" (imported {suffix})"
                final = wanted[: PLAN_NAME_MAX - len(label)] + label
                suffix += 1
            result = conn.execute(t.plans.insert().values(
                name=final, created_at=plan_data["created_at"],
                updated_at=plan_data["updated_at"], revision=1, client_id=self.client_id))
            plan_id = _new_id(result)
            for answer in answers:
                conn.execute(t.answers.insert().values(
                    plan_id=plan_id, exercise=answer["exercise"], key=answer["key"],
                    value=_dump(answer["value"]), updated_at=answer["updated_at"],
                    revision=1, writer=self.writer))
            for snapshot in snapshots:
                conn.execute(t.snapshots.insert().values(
                    plan_id=plan_id, exercise=snapshot["exercise"],
                    taken_at=snapshot["taken_at"], reason=snapshot["reason"],
                    figures=_dump(snapshot["figures"]), answers=_dump(snapshot["answers"])))
            return self._get_plan(conn, plan_id)

    # -- clients (a coach's store) ---------------------------------------------------------

    def _coach_only(self) -> None:
        if self.client_id is not None:
            raise StoreError("Only the coach can manage clients.")

    def add_client(self, name: str) -> tuple[Client, str]:
        """A new client and the key of their link (shown once: only its hash is kept)."""
        self._coach_only()
        name = clean_name(name, what="The client's name", max_length=PLAN_NAME_MAX)
        key = new_key()
        with self._transaction() as conn:
            for row in conn.execute(sa.select(t.clients.c.name)):
                if same_text(row.name, name):
                    raise TextError(f"You already have a client called “{row.name}”. Pick "
                                    "another name, or give them a new link.")
            result = conn.execute(t.clients.insert().values(
                name=name, key_hash=hash_key(key), created_at=_now()))
            row = conn.execute(sa.select(t.clients).where(t.clients.c.id == _new_id(result))
                               ).one()
            return _client(row), key

    def clients(self) -> list[Client]:
        self._coach_only()
        with self._transaction() as conn:
            rows = conn.execute(sa.select(t.clients).order_by(t.clients.c.name))
            return [_client(row) for row in rows]

    def find_client(self, wanted: str | int) -> Client:
        """A client by name (any case) or number."""
        clients = self.clients()
        for client in clients:
            if client.id == wanted or (isinstance(wanted, str) and (
                    same_text(client.name, wanted) or wanted == str(client.id))):
                return client
        names = ", ".join(c.name for c in clients) or "none yet"
        raise ClientNotFound(f"No client called “{wanted}”. Your clients: {names}.")

    def revoke_client(self, client_id: int) -> Client:
        """Stop the client's link (and their member links) working; their answers stay.

        Member links end for good: a later :meth:`renew_client_key` does not revive them.
        """
        self._coach_only()
        with self._transaction() as conn:
            self._get_client(conn, client_id)
            now = _now()
            conn.execute(t.clients.update().where(t.clients.c.id == client_id,
                                                  t.clients.c.revoked_at.is_(None))
                         .values(revoked_at=now))
            conn.execute(t.member_links.update().where(
                t.member_links.c.client_id == client_id, t.member_links.c.revoked_at.is_(None))
                .values(revoked_at=now))
            return self._get_client(conn, client_id)

    def renew_client_key(self, client_id: int) -> str:
        """A new link for the client; the old one stops working."""
        self._coach_only()
        key = new_key()
        with self._transaction() as conn:
            self._get_client(conn, client_id)
            conn.execute(t.clients.update().where(t.clients.c.id == client_id)
                         .values(key_hash=hash_key(key), revoked_at=None))
        return key

    def erase_client(self, client_id: int) -> None:
        """Delete the client, every plan and answer of theirs, and their links."""
        self._coach_only()
        with self._transaction() as conn:
            self._get_client(conn, client_id)
            plan_ids = list(conn.execute(sa.select(t.plans.c.id)
                                         .where(t.plans.c.client_id == client_id)).scalars())
            self._delete_plan_rows(conn, plan_ids)
            conn.execute(t.settings.delete().where(
                t.settings.c.key == f"last_plan:client:{client_id}"))
            conn.execute(t.clients.delete().where(t.clients.c.id == client_id))
        self._drop_erased_copies()

    @staticmethod
    def _get_client(conn: Connection, client_id: int) -> Client:
        row = None if not _valid_id(client_id) else conn.execute(
            sa.select(t.clients).where(t.clients.c.id == client_id)).first()
        if row is None:
            raise ClientNotFound("That client no longer exists.")
        return _client(row)

    def client_for_key(self, key: object) -> Client | None:
        """The client whose working link holds ``key``; ``None`` for any other key."""
        if not well_formed(key):
            return None
        assert isinstance(key, str)
        with self._transaction() as conn:
            row = conn.execute(sa.select(t.clients).where(
                t.clients.c.key_hash == hash_key(key), t.clients.c.revoked_at.is_(None))
            ).first()
            return None if row is None else _client(row)

    def new_coach_key(self) -> str:
        """The key of the coach's dashboard link; any earlier one stops working."""
        self._coach_only()
        key = new_key()
        with self._transaction() as conn:
            self._set_setting(conn, "coach_key_hash", hash_key(key))
        return key

    def has_coach_key(self) -> bool:
        with self._transaction() as conn:
            return self._setting(conn, "coach_key_hash") is not None

    def is_coach_key(self, key: object) -> bool:
        if not well_formed(key):
            return False
        assert isinstance(key, str)
        with self._transaction() as conn:
            stored = self._setting(conn, "coach_key_hash")
        return stored is not None and secrets.compare_digest(stored, hash_key(key))

    # -- member links (a client's store) ---------------------------------------------------

    def add_member_link(self, plan_id: int, member_id: str, member_name: str) -> str:
        """A key that lets one team member enter their own motivators into this plan.

        A member has one working link: making a new one stops the old.
        """
        if self.client_id is None:
            raise StoreError("Member links belong to a client's plan.")
        name = clean_name(member_name, what="The member's name", max_length=PLAN_NAME_MAX)
        key = new_key()
        with self._transaction() as conn:
            self._get_plan(conn, plan_id)
            self._revoke_member_links(conn, plan_id, member_id)
            conn.execute(t.member_links.insert().values(
                client_id=self.client_id, plan_id=plan_id, member_id=member_id,
                member_name=name, key_hash=hash_key(key), created_at=_now()))
        return key

    def revoke_member_link(self, plan_id: int, member_id: str) -> None:
        with self._transaction() as conn:
            self._get_plan(conn, plan_id)
            self._revoke_member_links(conn, plan_id, member_id)

    @staticmethod
    def _revoke_member_links(conn: Connection, plan_id: int, member_id: str) -> None:
        conn.execute(t.member_links.update().where(
            t.member_links.c.plan_id == plan_id, t.member_links.c.member_id == member_id,
            t.member_links.c.revoked_at.is_(None)).values(revoked_at=_now()))

    def member_links(self, plan_id: int) -> list[MemberLink]:
        """The plan's working member links."""
        with self._transaction() as conn:
            self._get_plan(conn, plan_id)
            rows = conn.execute(sa.select(t.member_links).where(
                t.member_links.c.plan_id == plan_id, t.member_links.c.revoked_at.is_(None)))
            return [_member_link(row) for row in rows]

    def member_link_for_key(self, key: object) -> MemberLink | None:
        """The working member link holding ``key``, while its client's link works too."""
        if not well_formed(key):
            return None
        assert isinstance(key, str)
        with self._transaction() as conn:
            row = conn.execute(
                sa.select(t.member_links).join(t.clients,
                                               t.clients.c.id == t.member_links.c.client_id)
                .where(t.member_links.c.key_hash == hash_key(key),
                       t.member_links.c.revoked_at.is_(None), t.clients.c.revoked_at.is_(None))
            ).first()
            return None if row is None else _member_link(row)


def _valid_id(value: object) -> bool:
    return isinstance(value, int) and 0 < value < _ID_LIMIT


def _new_id(result: sa.CursorResult) -> int:
    key = result.inserted_primary_key
    assert key is not None
    return int(key[0])


def _read_plan_file(data: Any
                    ) -> tuple[dict[str, str], list[dict[str, Any]], list[dict[str, Any]]]:
    """Validate exported plan data, with messages a user can act on."""
    if isinstance(data, (bytes, str)):
        try:
            data = json.loads(data)
        except (ValueError, UnicodeDecodeError) as error:
            raise PlanFileError(
                f"This file is not a plan export (it is not JSON: {error}).") from error
        except RecursionError as error:
            raise PlanFileError("This file is not a plan export (its data is nested too "
                                "deeply).") from error
    if not isinstance(data, dict) or data.get("format") != EXPORT_FORMAT:
        raise PlanFileError("This file is not a plan exported from Buy-in Workbook.")
    version = data.get("format_version")
    if not isinstance(version, int) or version > EXPORT_FORMAT_VERSION:
        raise PlanFileError(
            f"This plan was exported by a newer Buy-in Workbook (file format {version}); "
            "upgrade with `pip install -U buyin-workbook` to import it.")
    plan = data.get("plan")
    answers = data.get("answers")
    if (not isinstance(plan, dict) or not isinstance(answers, list)
            or not all(isinstance(plan.get(k), str) for k in ("name", "created_at", "updated_at"))):
        raise PlanFileError("This plan file is incomplete: its plan or answers are missing.")
    seen = set()
    for answer in answers:
        if (not isinstance(answer, dict) or not isinstance(answer.get("exercise"), str)
                or not isinstance(answer.get("key"), str) or "value" not in answer
                or not isinstance(answer.get("updated_at"), str)):
            raise PlanFileError("This plan file is damaged: an answer has missing parts.")
        identity = (answer["exercise"], answer["key"])
        if identity in seen:
            raise PlanFileError("This plan file is damaged: an answer appears twice.")
        seen.add(identity)
    snapshots = data.get("snapshots", [])
    if not isinstance(snapshots, list) or not all(
            isinstance(s, dict) and isinstance(s.get("exercise"), str)
            and isinstance(s.get("taken_at"), str) and isinstance(s.get("reason"), str)
            and isinstance(s.get("figures"), dict) and isinstance(s.get("answers"), dict)
            for s in snapshots):
        raise PlanFileError("This plan file is damaged: its history has missing parts.")
    return plan, answers, snapshots


def _configure_sqlite(engine: Engine) -> None:
    @sa.event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: sqlite3.Connection, _record: object) -> None:
        # We issue BEGIN ourselves (below); pysqlite's implicit one would not lock early.
        dbapi_connection.isolation_level = None
        for pragma in ("foreign_keys=ON", "busy_timeout=15000", "secure_delete=ON"):
            dbapi_connection.execute(f"PRAGMA {pragma}")

    @sa.event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        # Take the write lock at the start: a read that later writes in WAL mode would
        # otherwise fail at once with "database is locked" instead of waiting its turn.
        conn.exec_driver_sql("BEGIN IMMEDIATE")


def _sqlite_foreign_keys(conn: Connection, *, on: bool) -> None:
    """Switch foreign keys for one connection (SQLite ignores this inside a transaction)."""
    driver = conn.connection.driver_connection
    assert driver is not None
    driver.execute(f"PRAGMA foreign_keys={'ON' if on else 'OFF'}")


def _sqlite_pragma(engine: Engine, pragma: str) -> None:
    """Run a pragma that SQLite refuses inside a transaction."""
    raw = engine.raw_connection()
    try:
        sqlite_connection = raw.driver_connection
        assert sqlite_connection is not None
        sqlite_connection.execute(f"PRAGMA {pragma}")
    finally:
        raw.close()


def _backup_sqlite(source: Path, target: str) -> None:
    """A consistent copy taken before an upgrade touches the file."""
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    src.close()
    dst.close()
