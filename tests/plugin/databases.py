"""The databases the store's tests run on: an SQLite file, and a real PostgreSQL server
(Debian's `postgresql` binaries, a throwaway cluster on loopback, a fresh database per test
copied from a template already at the newest schema)."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.plugin.servers import free_port


def _bin_dir() -> Path | None:
    found = shutil.which("pg_ctl")
    if found:
        return Path(found).parent
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"))
    return versions[-1].parent if versions else None


def postgres_missing_reason() -> str | None:
    if _bin_dir() is None:
        return (
            "PostgreSQL is not installed (no pg_ctl); the README's test command installs "
            "Debian's `postgresql` package."
        )
    try:
        import psycopg  # noqa: F401
    except ImportError:
        return "psycopg is not installed; `pip install -e '.[test]'` installs it."
    return None


class PostgresServer:
    """A cluster in a temporary folder, run by this user (or `postgres` when run as root,
    which PostgreSQL refuses)."""

    def __init__(self) -> None:
        bin_dir = _bin_dir()
        assert bin_dir is not None
        self.bin_dir = bin_dir
        self.folder = Path(tempfile.mkdtemp(prefix="workbook-postgres-"))
        self.data = self.folder / "data"
        self.port = free_port()
        self.as_user: list[str] = []
        if os.getuid() == 0:
            self.as_user = ["runuser", "-u", "postgres", "--"]
            shutil.chown(self.folder, "postgres", "postgres")
        self._template_made = False

    def _run(self, *command: str) -> None:
        subprocess.run(
            [*self.as_user, str(self.bin_dir / command[0]), *command[1:]],
            check=True,
            capture_output=True,
            cwd=self.folder,
        )

    def start(self) -> None:
        self._run("initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres", "--no-sync")
        options = (
            f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c full_page_writes=off -c max_connections=200"
        )
        self._run("pg_ctl", "-D", str(self.data), "-o", options, "-l", "server.log", "-w", "start")

    def stop(self) -> None:
        try:
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)

    def url(self, database: str) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def _admin(self, statement: str) -> None:
        import psycopg

        with psycopg.connect(
            f"postgresql://postgres@127.0.0.1:{self.port}/postgres", autocommit=True
        ) as conn:
            conn.execute(statement)  # type: ignore[arg-type]

    def new_database(self, *, empty: bool = False) -> str:
        """A new database: at the newest schema, or with no tables at all (``empty``)."""
        if not empty and not self._template_made:
            from buyin_workbook.store import WorkbookStore

            self._admin('CREATE DATABASE "workbook_template"')
            WorkbookStore(self.url("workbook_template")).open().close()
            self._template_made = True
        name = f"workbook_{uuid.uuid4().hex[:12]}"
        template = "template0" if empty else "workbook_template"
        self._admin(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
        return self.url(name)

    def relation_files(self, url: str) -> list[Path]:
        """Every file of the database's tables, indexes and TOAST on disk."""
        import sqlalchemy as sa

        engine = sa.create_engine(url)
        try:
            with engine.connect() as conn:
                # Written rows reach the table files at a checkpoint, not at commit.
                conn.exec_driver_sql("CHECKPOINT")
                paths = conn.exec_driver_sql(
                    "SELECT pg_relation_filepath(c.oid) FROM pg_class c "
                    "JOIN pg_namespace n ON n.oid = c.relnamespace "
                    "WHERE n.nspname IN ('public', 'pg_toast') AND c.relkind IN ('r', 'i', 't')"
                ).scalars()
                relative = [path for path in paths if path]
        finally:
            engine.dispose()
        files: list[Path] = []
        for path in relative:
            first = self.data / path
            # A relation over 1 GB continues in "<file>.1", ...; its free-space and
            # visibility maps are "<file>_fsm" and "<file>_vm".
            files += [
                first,
                *first.parent.glob(f"{first.name}.*"),
                *first.parent.glob(f"{first.name}_*"),
            ]
        return files


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    reason = postgres_missing_reason()
    if reason:
        pytest.skip(reason)
    server = PostgresServer()
    server.start()
    try:
        yield server
    finally:
        server.stop()


@dataclass(frozen=True)
class Database:
    """One test's database: its URL and every file its data can be in."""

    kind: str
    url: str
    files: Callable[[], list[Path]]

    def holds(self, text: str) -> bool:
        return any(text.encode() in path.read_bytes() for path in self.files() if path.exists())


def sqlite_database(path: Path) -> Database:
    return Database(
        "sqlite", f"sqlite:///{path}", lambda: [path, *path.parent.glob(path.name + "-*")]
    )


def postgres_database(server: PostgresServer, *, empty: bool = False) -> Database:
    url = server.new_database(empty=empty)
    return Database("postgresql", url, lambda: server.relation_files(url))


def database_of_kind(request: pytest.FixtureRequest, path: Path, *, empty: bool) -> Database:
    if request.param == "sqlite":
        return sqlite_database(path)
    return postgres_database(request.getfixturevalue("postgres"), empty=empty)
