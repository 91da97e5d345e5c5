"""What every part of the store stands on: opening the database (and bringing an older one up
to date), one transaction at a time, and the checks every operation makes first (the
served link still works; a coach's operations on the coach's store)."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Self

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from .._text import N_, TextError, same_text
from ..config import WorkbookConfig, load_workbook_config
from . import postgres, sqlite
from . import schema as t
from .clock import now as _now
from .errors import (
    ACCESS_ENDED,
    AccessEnded,
    ClientNotFound,
    DatabaseProblem,
    PlanNotFound,
    StoreError,
)
from .keys import hash_key, well_formed
from .records import (
    Client,
    Plan,
    client_of,
    plan_of,
    valid_id,
)
from .upgrade import upgrade

log = logging.getLogger("buyin_workbook.store")


class StoreBase:
    """One workbook database, opened for whoever reads it (see
    :class:`buyin_workbook.store.WorkbookStore`)."""

    def __init__(
        self,
        url: str | None = None,
        *,
        config: WorkbookConfig | None = None,
        client_id: int | None = None,
        access_key: str | None = None,
        for_visitor: bool | None = None,
    ) -> None:
        self.url = url or (config or load_workbook_config()).db_url
        #: Whose plans this store sees: a client's, or (``None``) the local leader's.
        self.client_id = client_id
        #: The key of the served link (a client's or a team member's) this store works
        #: through. Every operation first checks that it still works, so a revoke, renew
        #: or erase stops an open page at once (:class:`AccessEnded`).
        self.access_key = access_key
        #: Whether its errors are read by a visitor of a served page rather than whoever
        #: runs the database: then they say plain words, and the detail goes to the log.
        #: (A store working through a link always is.)
        self.for_visitor = access_key is not None if for_visitor is None else for_visitor

        #: Tells this window's writes from another's.
        self.writer = uuid.uuid4().hex
        self._engine: Engine | None = None

    def __enter__(self) -> Self:
        return self.open()

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def open(self) -> Self:
        """Connect, check the database and bring an older one up to date."""
        if self._engine is not None:
            return self
        try:
            self._open()
        except DatabaseProblem as problem:
            raise self._told(problem) from problem
        return self

    def _told(self, problem: DatabaseProblem) -> DatabaseProblem:
        """``problem`` as the person reading it may be told: a served page's visitor (a
        store working through a link) gets plain words, and the detail goes to the log."""
        if not self.for_visitor:
            return problem
        log.warning("The workbook database failed a served page: %s", problem)
        return type(problem)(problem.public, problem.public)

    def _open(self) -> None:
        sa_url = sa.engine.make_url(self.url)
        sqlite_file = sqlite.sqlite_path(sa_url)
        if sqlite_file is not None:
            sqlite.check_file(sqlite_file)
        engine = postgres.create_engine(sa_url) if sqlite_file is None else sa.create_engine(sa_url)
        if sqlite_file is not None:
            sqlite.configure(engine)
        try:
            upgrade(engine, sqlite_file, self.location)
        except StoreError:
            engine.dispose()
            raise
        except sa.exc.OperationalError as error:
            engine.dispose()
            if sqlite_file is not None:
                raise sqlite.corrupt(self.location, error) from error
            raise postgres.unreachable(error, self.location) from error
        except sa.exc.DatabaseError as error:
            engine.dispose()
            raise sqlite.corrupt(self.location, error) from error
        if sqlite_file is not None:
            # WAL lets a second window read while the first writes.
            sqlite.pragma(engine, "journal_mode=WAL")
        self._engine = engine

    def close(self) -> None:
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None

    @property
    def is_local(self) -> bool:
        """Whether the database is a file on this computer (SQLite), not a server."""
        return self.url.startswith("sqlite")

    @property
    def location(self) -> str:
        """Where the database is, fit to show: an SQLite file's path, or a URL without its
        password."""
        return sqlite.location(self.url)

    @contextmanager
    def _transaction(self) -> Iterator[Connection]:
        if self._engine is None:
            raise StoreError(N_("The workbook store is closed."))
        try:
            with self._engine.begin() as conn:
                self._check_access(conn)
                yield conn
        except sa.exc.DBAPIError as error:
            raise self._told(sqlite.database_problem(error, self.location)) from error
        except RecursionError as error:
            raise StoreError(N_("This answer is nested too deeply to save.")) from error

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
        owner = conn.execute(
            sa.select(t.clients.c.id).where(
                t.clients.c.key_hash == key_hash, t.clients.c.revoked_at.is_(None)
            )
        ).scalar()
        if owner is None:
            owner = conn.execute(
                sa.select(t.member_links.c.client_id)
                .join(t.clients, t.clients.c.id == t.member_links.c.client_id)
                .where(
                    t.member_links.c.key_hash == key_hash,
                    t.member_links.c.revoked_at.is_(None),
                    t.clients.c.revoked_at.is_(None),
                )
            ).scalar()
        return owner

    def link_owner(self, key_hash: str) -> int | None:
        """The client behind a working link with this key hash (their own link, or a member
        link they made); ``None`` once it is withdrawn, replaced or erased."""
        with self._transaction() as conn:
            return self._link_owner(conn, key_hash)

    def _own(self) -> sa.ColumnElement[bool]:
        """The condition every plan this store may see meets."""
        if self.client_id is None:
            return t.plans.c.client_id.is_(None)
        return t.plans.c.client_id == self.client_id

    def _get_plan(self, conn: Connection, plan_id: int) -> Plan:
        # Another owner's plan answers exactly as a missing one, so ids reveal nothing.
        row = (
            None
            if not valid_id(plan_id)
            else conn.execute(
                sa.select(t.plans).where(t.plans.c.id == plan_id, self._own())
            ).first()
        )
        if row is None:
            raise PlanNotFound(
                N_("That plan no longer exists; it may have been erased in another window.")
            )
        return plan_of(row)

    def _check_name_free(self, conn: Connection, name: str, except_id: int | None = None) -> None:
        for row in conn.execute(sa.select(t.plans.c.id, t.plans.c.name).where(self._own())):
            if row.id != except_id and same_text(row.name, name):
                raise TextError(
                    N_("You already have a plan called “{name}”. Pick another name."),
                    name=row.name,
                )

    @staticmethod
    def _delete_plan_rows(conn: Connection, plan_ids: list[int]) -> None:
        for table in (t.member_links, t.answers, t.team_answers, t.snapshots):
            conn.execute(table.delete().where(table.c.plan_id.in_(plan_ids)))
        conn.execute(t.plans.delete().where(t.plans.c.id.in_(plan_ids)))

    def _drop_erased_copies(self) -> None:
        if self._engine is None:
            return
        if self._engine.dialect.name == "sqlite":
            # secure_delete zeroed the pages; moving the WAL into the main file drops the
            # copies the log still held.
            sqlite.pragma(self._engine, "wal_checkpoint(TRUNCATE)")
        else:
            postgres.rewrite_tables(self._engine)

    @staticmethod
    def _setting(conn: Connection, key: str) -> str | None:
        return conn.execute(sa.select(t.settings.c.value).where(t.settings.c.key == key)).scalar()

    @staticmethod
    def _set_setting(conn: Connection, key: str, value: str) -> None:
        updated = conn.execute(
            t.settings.update().where(t.settings.c.key == key).values(value=value)
        )
        if updated.rowcount == 0:
            conn.execute(t.settings.insert().values(key=key, value=value))

    def _bump(self, conn: Connection, plan_id: int) -> int:
        """Take the plan's write lock and return its next revision."""
        updated = (
            None
            if not valid_id(plan_id)
            else conn.execute(
                t.plans.update()
                .where(t.plans.c.id == plan_id, self._own())
                .values(revision=t.plans.c.revision + 1, updated_at=_now())
            )
        )
        if updated is None or updated.rowcount == 0:
            raise PlanNotFound(
                N_("That plan no longer exists; it may have been erased in another window.")
            )
        return conn.execute(
            sa.select(t.plans.c.revision).where(t.plans.c.id == plan_id)
        ).scalar_one()

    def _coach_only(self) -> None:
        if self.client_id is not None:
            raise StoreError(N_("Only the coach can manage clients."))

    @staticmethod
    def _get_client(conn: Connection, client_id: int) -> Client:
        row = (
            None
            if not valid_id(client_id)
            else conn.execute(sa.select(t.clients).where(t.clients.c.id == client_id)).first()
        )
        if row is None:
            raise ClientNotFound(N_("That client no longer exists."))
        return client_of(row)

    @staticmethod
    def _revoke_member_links(conn: Connection, plan_id: int, exercise: str, member_id: str) -> None:
        conn.execute(
            t.member_links.update()
            .where(
                t.member_links.c.plan_id == plan_id,
                t.member_links.c.exercise == exercise,
                t.member_links.c.member_id == member_id,
                t.member_links.c.revoked_at.is_(None),
            )
            .values(revoked_at=_now())
        )
