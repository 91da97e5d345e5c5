"""Bringing a database up to this version's schema with Alembic, or refusing it plainly.

A newer database, a damaged one or another program's is never changed; an older SQLite file
is copied aside (``.schema-<revision>.bak``) before it is upgraded.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from .._text import N_
from .._version import __version__
from . import sqlite
from .errors import StoreCorruptError, StoreVersionError

if TYPE_CHECKING:
    from alembic.config import Config as AlembicConfig
    from alembic.script import ScriptDirectory

MIGRATIONS = Path(__file__).with_name("migrations")
#: The newest migration's revision (a test checks it against Alembic's head): a database
#: already there opens without importing Alembic, which every kernel would otherwise load.
HEAD_REVISION = "0013"


def upgrade(engine: Engine, sqlite_file: Path | None, where: str) -> None:
    """Check the database and bring it to the newest schema, in one transaction."""
    with engine.connect() as outer:
        if sqlite_file is not None:
            problems = [row[0] for row in outer.exec_driver_sql("PRAGMA quick_check")]
            if problems != ["ok"]:
                raise sqlite.corrupt(where, problems[0])
        if _revision(outer) == HEAD_REVISION:
            return
    from alembic.config import Config as AlembicConfig
    from alembic.script import ScriptDirectory

    config = AlembicConfig()
    config.set_main_option("script_location", str(MIGRATIONS))
    scripts = ScriptDirectory.from_config(config)
    with engine.connect() as outer:
        if sqlite_file is not None:
            # A migration may rebuild a table; with foreign keys on, dropping the old copy
            # would cascade-delete every answer that points at it.
            sqlite.foreign_keys(outer, on=False)
        try:
            with outer.begin():
                _upgrade(outer, scripts, config, sqlite_file, where)
        finally:
            if sqlite_file is not None:
                sqlite.foreign_keys(outer, on=True)


def _revision(conn: Connection) -> str | None:
    """The schema revision a database says it has, or ``None``."""
    if not sa.inspect(conn).has_table("alembic_version"):
        return None
    return conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()


def _upgrade(
    conn: Connection,
    scripts: ScriptDirectory,
    config: AlembicConfig,
    sqlite_file: Path | None,
    where: str,
) -> None:
    from alembic import command
    from alembic.runtime.migration import MigrationContext

    head = scripts.get_current_head()
    current = MigrationContext.configure(conn).get_current_revision()
    if current == head:
        return
    if current is None and sa.inspect(conn).get_table_names():
        raise StoreCorruptError(
            N_(
                "The workbook database at {path} cannot be read (it holds tables of another "
                "program). It has not been changed. Move it aside to start a fresh workbook, "
                "or restore a backup copy."
            ),
            path=where,
        )
    known = {script.revision for script in scripts.walk_revisions()}
    if current is not None and current not in known:
        raise StoreVersionError(
            N_(
                "The workbook database at {path} was written by a newer version of Buy-in "
                "Workbook (schema {schema}; this is {version}, schema {head}). It has not "
                "been changed. Upgrade with `pip install -U buyin-workbook` to open it."
            ),
            path=where,
            schema=current,
            version=__version__,
            head=head,
        )
    if current is not None and sqlite_file is not None:
        sqlite.backup(sqlite_file, f"{sqlite_file}.schema-{current}.bak")
    config.attributes["connection"] = conn
    command.upgrade(config, "head")
    if (
        sqlite_file is not None
        and conn.exec_driver_sql("PRAGMA foreign_key_check").first() is not None
    ):
        raise StoreCorruptError(
            N_(
                "The workbook database at {path} cannot be read (its answers no longer match "
                "its plans after the upgrade). It has not been changed. Move it aside to start "
                "a fresh workbook, or restore a backup copy."
            ),
            path=where,
        )
