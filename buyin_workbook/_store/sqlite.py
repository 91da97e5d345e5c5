"""SQLite as the store uses it: the file checked before opening, the connection set up,
backups before an upgrade, and SQLite's errors turned into messages for people."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from .._text import N_
from .errors import DatabaseProblem, StoreCorruptError, StoreReadOnlyError

#: The store's folder cannot be written (SQLite keeps its write-ahead log beside the file).
_FOLDER_READ_ONLY = N_(
    "The workbook database at {path} cannot be written: its folder is read-only. Nothing "
    "was saved and nothing in it has changed. Ask whoever looks after this computer to "
    "make it writable again."
)


def sqlite_path(url: sa.engine.URL) -> Path | None:
    """The database file of an SQLite URL (``None`` for another database or memory)."""
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return None
    return Path(url.database).expanduser()


def location(url: str) -> str:
    """Where a database is, fit to show: an SQLite file's path, or a URL without password."""
    sa_url = sa.engine.make_url(url)
    path = sqlite_path(sa_url)
    return str(path) if path is not None else sa_url.render_as_string(hide_password=True)


def corrupt(where: object, error: object) -> StoreCorruptError:
    """The database at ``where`` cannot be read; ``error`` is what SQLite said of it."""
    return StoreCorruptError(
        N_(
            "The workbook database at {path} cannot be read ({error}). It has not been "
            "changed. Move it aside to start a fresh workbook, or restore a backup copy."
        ),
        path=str(where),
        error=str(error),
    )


def check_file(path: Path) -> None:
    """Refuse, in plain words, a file that cannot be a writable workbook database.

    The file is never changed here; a missing one gets its folder made.
    """
    folder = path.parent
    if not path.exists():
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise DatabaseProblem(
                N_("The workbook database cannot be created at {path}: {error}."),
                path=str(path),
                error=error.strerror or str(error),
            ) from error
        if not os.access(folder, os.W_OK):
            raise StoreReadOnlyError(_FOLDER_READ_ONLY, path=str(path))
        return
    if not os.access(path, os.R_OK):
        raise DatabaseProblem(
            N_(
                "The workbook database at {path} cannot be opened: you have no "
                "permission to read it. It has not been changed."
            ),
            path=str(path),
        )
    if not os.access(path, os.W_OK):
        raise StoreReadOnlyError(
            N_(
                "The workbook database at {path} cannot be written: the file is read-only. "
                "Nothing was saved and nothing in it has changed. Ask whoever looks after "
                "this computer to make it writable again."
            ),
            path=str(path),
        )
    if not os.access(folder, os.W_OK):
        raise StoreReadOnlyError(_FOLDER_READ_ONLY, path=str(path))
    if path.stat().st_size == 0:
        return
    # Asked through SQLite, read-only: closing a plain file handle on the database would
    # drop every lock this process's other connections hold on it (POSIX locks are per
    # process), and another process would then delete the write-ahead log under them.
    probe = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        probe.execute("PRAGMA schema_version").fetchone()
    except sqlite3.DatabaseError as error:
        raise StoreCorruptError(
            N_(
                "The workbook database at {path} cannot be read (it is not an SQLite "
                "database). It has not been changed. Move it aside to start a fresh "
                "workbook, or restore a backup copy."
            ),
            path=str(path),
        ) from error
    finally:
        probe.close()


def configure(engine: Engine) -> None:
    """Connections that wait for each other, enforce foreign keys and scrub what is deleted."""

    @sa.event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: sqlite3.Connection, _record: object) -> None:
        # We issue BEGIN ourselves (below); pysqlite's implicit one would not lock early.
        dbapi_connection.isolation_level = None
        # synchronous=NORMAL: in WAL mode a commit then waits for no disk flush (a crowd's
        # answers were queueing behind each other's); the database stays consistent after
        # a crash, and only the last moment's answers could be lost if the machine lost
        # power (SQLite's recommendation for WAL).
        for pragma in (
            "foreign_keys=ON",
            "busy_timeout=15000",
            "secure_delete=ON",
            "synchronous=NORMAL",
        ):
            dbapi_connection.execute(f"PRAGMA {pragma}")

    @sa.event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        # Take the write lock at the start: a read that later writes in WAL mode would
        # otherwise fail at once with "database is locked" instead of waiting its turn.
        conn.exec_driver_sql("BEGIN IMMEDIATE")


def foreign_keys(conn: Connection, *, on: bool) -> None:
    """Switch foreign keys for one connection (SQLite ignores this inside a transaction)."""
    driver = conn.connection.driver_connection
    assert driver is not None
    driver.execute(f"PRAGMA foreign_keys={'ON' if on else 'OFF'}")


def pragma(engine: Engine, statement: str) -> None:
    """Run a pragma that SQLite refuses inside a transaction."""
    raw = engine.raw_connection()
    try:
        sqlite_connection = raw.driver_connection
        assert sqlite_connection is not None
        sqlite_connection.execute(f"PRAGMA {statement}")
    finally:
        raw.close()


def backup(source: Path, target: str) -> None:
    """A consistent copy taken before an upgrade touches the file."""
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    src.close()
    dst.close()


def database_problem(error: sa.exc.DBAPIError, where: str) -> DatabaseProblem:
    """A database error in the user's terms: what happened, never the SQL behind it."""
    reason = str(error.orig).strip().splitlines()[0] if error.orig else type(error).__name__
    lowered = reason.lower()
    if "readonly" in lowered or "read-only" in lowered:
        return StoreReadOnlyError(
            N_(
                "The workbook database at {path} cannot be written: it is read-only. Nothing "
                "was saved and nothing in it has changed. Ask whoever looks after this "
                "computer to make it writable again."
            ),
            path=where,
        )
    if "full" in lowered:
        return DatabaseProblem(
            N_(
                "The disk that holds the workbook database ({path}) is full, so "
                "this was not saved. Everything saved before is kept. Free some "
                "space, then try again."
            ),
            path=where,
        )
    if "malformed" in lowered or "not a database" in lowered or "encrypted" in lowered:
        return StoreCorruptError(
            N_(
                "The workbook database at {path} has been damaged ({error}), so nothing more "
                "can be read or saved. Restore a backup copy, or move the file aside to "
                "start a fresh workbook."
            ),
            path=where,
            error=reason,
        )
    if "locked" in lowered or "busy" in lowered:
        busy = N_(
            "The workbook database is busy: another program has held it for "
            "too long. This was not saved; try again in a moment."
        )
        return DatabaseProblem(busy, busy)
    return DatabaseProblem(
        N_("The workbook database at {path} could not be used ({error}). This was not saved."),
        path=where,
        error=reason,
    )
