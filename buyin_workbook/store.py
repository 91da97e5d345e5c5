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
import logging
import secrets
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Self

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from ._store import postgres, sqlite
from ._store import schema as t
from ._store.clock import now as _now
from ._store.cohorts import (
    ALIAS_MAX,
    MAX_PARTICIPANTS_DEFAULT,
    MIN_GROUP_DEFAULT,
    MIN_GROUP_FLOOR,
    AliasTaken,
    Cohort,
    CohortClosed,
    CohortFull,
    CohortMethods,
    CohortNotFound,
    Participant,
    ParticipantNotFound,
    Release,
)
from ._store.errors import (
    ACCESS_ENDED,
    UNAVAILABLE,
    AccessEnded,
    ClientNotFound,
    DatabaseProblem,
    PlanFileError,
    PlanNotFound,
    StoreCorruptError,
    StoreError,
    StoreReadOnlyError,
    StoreVersionError,
    public_message,
)
from ._store.keys import hash_key, new_key, well_formed
from ._store.plan_file import EXPORT_FORMAT, EXPORT_FORMAT_VERSION, read_plan_file
from ._store.upgrade import upgrade
from ._text import TextError, clean_name, same_text
from ._version import __version__
from .config import WorkbookConfig, load_workbook_config

log = logging.getLogger(__name__)

PLAN_NAME_MAX = 200
_VALUE_MAX_BYTES = 200_000
#: Ids are PostgreSQL's 32-bit integers (SQLite's are wider but never get this far); a
#: larger number can name nothing.
_ID_LIMIT = 2**31


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
    #: For a course participant (whose name is their alias): their cohort.
    cohort_id: int | None = None

    @property
    def active(self) -> bool:
        return self.revoked_at is None


@dataclass(frozen=True)
class MemberLink:
    """A link a client made for one team member to answer one exercise's member page
    (their own motivators, their say on the plan's decisions, the goal in their words)."""

    id: int
    client_id: int
    plan_id: int
    member_id: str
    member_name: str
    created_at: str
    revoked_at: str | None
    #: The cohort of the client who made it, if they are a course participant (read with
    #: the link by :meth:`WorkbookStore.member_link_for_key`).
    cohort_id: int | None = None
    #: The exercise whose member page the link opens.
    exercise: str = "motivators"


@dataclass(frozen=True)
class SaveResult:
    """What happened to one saved answer."""

    revision: int
    #: The answer another window had saved and this save replaced, if any.
    replaced: Answer | None = None


def _dump(value: Any) -> str:
    try:
        text = json.dumps(value, ensure_ascii=False, sort_keys=True, allow_nan=False)
    except RecursionError as error:
        raise StoreError("This answer is nested too deeply to save.") from error
    if len(text.encode("utf-8")) > _VALUE_MAX_BYTES:
        raise StoreError("This answer is too long to save. Please shorten it.")
    return text


def _snapshot(row: sa.Row) -> Snapshot:
    return Snapshot(
        row.id,
        row.exercise,
        row.taken_at,
        row.reason,
        json.loads(row.figures),
        json.loads(row.answers),
    )


def _plan(row: sa.Row) -> Plan:
    return Plan(row.id, row.name, row.created_at, row.updated_at, row.revision)


def _client(row: sa.Row) -> Client:
    return Client(row.id, row.name, row.created_at, row.revoked_at, row.cohort_id)


def _member_link(row: sa.Row) -> MemberLink:
    return MemberLink(
        row.id,
        row.client_id,
        row.plan_id,
        row.member_id,
        row.member_name,
        row.created_at,
        row.revoked_at,
        getattr(row, "cohort_id", None),
        row.exercise,
    )


def _answer(row: sa.Row) -> Answer:
    return Answer(
        row.exercise, row.key, json.loads(row.value), row.updated_at, row.revision, row.writer
    )


def clean_plan_name(name: object) -> str:
    """The plan name as it will be kept, or :class:`~buyin_workbook._text.TextError`."""
    return clean_name(name, what="The plan's name", max_length=PLAN_NAME_MAX)


class WorkbookStore(CohortMethods):
    """All plans and answers of one workbook database."""

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

    # -- opening ---------------------------------------------------------------------------

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
                raise StoreCorruptError(sqlite.corrupt_message(self.location, error)) from error
            raise postgres.unreachable(error, self.location) from error
        except sa.exc.DatabaseError as error:
            engine.dispose()
            raise StoreCorruptError(sqlite.corrupt_message(self.location, error)) from error
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
            raise StoreError("The workbook store is closed.")
        try:
            with self._engine.begin() as conn:
                self._check_access(conn)
                yield conn
        except sa.exc.DBAPIError as error:
            raise self._told(sqlite.database_problem(error, self.location)) from error
        except RecursionError as error:
            raise StoreError("This answer is nested too deeply to save.") from error

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

    # -- plans -----------------------------------------------------------------------------

    def _own(self) -> sa.ColumnElement[bool]:
        """The condition every plan this store may see meets."""
        if self.client_id is None:
            return t.plans.c.client_id.is_(None)
        return t.plans.c.client_id == self.client_id

    def list_plans(self) -> list[Plan]:
        with self._transaction() as conn:
            rows = conn.execute(
                sa.select(t.plans).where(self._own()).order_by(t.plans.c.updated_at.desc())
            )
            return [_plan(row) for row in rows]

    def get_plan(self, plan_id: int) -> Plan:
        with self._transaction() as conn:
            return self._get_plan(conn, plan_id)

    def _get_plan(self, conn: Connection, plan_id: int) -> Plan:
        # Another owner's plan answers exactly as a missing one, so ids reveal nothing.
        row = (
            None
            if not _valid_id(plan_id)
            else conn.execute(
                sa.select(t.plans).where(t.plans.c.id == plan_id, self._own())
            ).first()
        )
        if row is None:
            raise PlanNotFound(
                "That plan no longer exists; it may have been erased in another window."
            )
        return _plan(row)

    def _check_name_free(self, conn: Connection, name: str, except_id: int | None = None) -> None:
        for row in conn.execute(sa.select(t.plans.c.id, t.plans.c.name).where(self._own())):
            if row.id != except_id and same_text(row.name, name):
                raise TextError(f"You already have a plan called “{row.name}”. Pick another name.")

    def create_plan(self, name: str) -> Plan:
        """A new, empty plan. Raises :class:`TextError` for a bad or taken name."""
        name = clean_plan_name(name)
        now = _now()
        with self._transaction() as conn:
            self._check_name_free(conn, name)
            result = conn.execute(
                t.plans.insert().values(
                    name=name, created_at=now, updated_at=now, revision=0, client_id=self.client_id
                )
            )
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
            self._delete_plan_rows(conn, [plan_id])
            last = self._setting(conn, self._last_plan_key)
            if last == str(plan_id):
                conn.execute(t.settings.delete().where(t.settings.c.key == self._last_plan_key))
        self._drop_erased_copies()

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

    @property
    def _last_plan_key(self) -> str:
        return "last_plan" if self.client_id is None else f"last_plan:client:{self.client_id}"

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

    def remember_link_base(self, link_base: str) -> None:
        """Where `jupyter workbook serve` says its links start (it records this at each
        start), so that `jupyter workbook clients` prints links that work."""
        self._coach_only()
        with self._transaction() as conn:
            self._set_setting(conn, "served_link_base", link_base)

    def served_link_base(self) -> str | None:
        """The link base the last `serve` on this store recorded, if any."""
        with self._transaction() as conn:
            return self._setting(conn, "served_link_base")

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

    def hub_sharing_stopped(self) -> set[str]:
        """The hub cohorts this user stopped sending figures to (see the hub panel)."""
        with self._transaction() as conn:
            return set(json.loads(self._setting(conn, "hub_sharing_stopped") or "[]"))

    def set_hub_sharing(self, group: str, *, stopped: bool) -> None:
        with self._transaction() as conn:
            groups = set(json.loads(self._setting(conn, "hub_sharing_stopped") or "[]"))
            groups = groups | {group} if stopped else groups - {group}
            self._set_setting(conn, "hub_sharing_stopped", json.dumps(sorted(groups)))

    # -- answers ---------------------------------------------------------------------------

    def _bump(self, conn: Connection, plan_id: int) -> int:
        """Take the plan's write lock and return its next revision."""
        updated = (
            None
            if not _valid_id(plan_id)
            else conn.execute(
                t.plans.update()
                .where(t.plans.c.id == plan_id, self._own())
                .values(revision=t.plans.c.revision + 1, updated_at=_now())
            )
        )
        if updated is None or updated.rowcount == 0:
            raise PlanNotFound(
                "That plan no longer exists; it may have been erased in another window."
            )
        return conn.execute(
            sa.select(t.plans.c.revision).where(t.plans.c.id == plan_id)
        ).scalar_one()

    def answers(self, plan_id: int, exercise: str) -> dict[str, Answer]:
        """Every saved answer of one exercise in one plan, by key."""
        with self._transaction() as conn:
            self._get_plan(conn, plan_id)
            rows = conn.execute(
                sa.select(t.answers).where(
                    t.answers.c.plan_id == plan_id, t.answers.c.exercise == exercise
                )
            )
            return {row.key: _answer(row) for row in rows}

    def save_answer(
        self, plan_id: int, exercise: str, key: str, value: Any, *, seen_revision: int | None = None
    ) -> SaveResult:
        """Save one answer; the last write wins.

        ``seen_revision`` is the revision of this answer as the caller last saw it (``None``
        when it saw none). If another window saved it since, that answer is returned in
        :attr:`SaveResult.replaced` so the caller can tell the user.
        """
        payload = _dump(value)
        with self._transaction() as conn:
            revision = self._bump(conn, plan_id)
            where = (
                t.answers.c.plan_id == plan_id,
                t.answers.c.exercise == exercise,
                t.answers.c.key == key,
            )
            row = conn.execute(sa.select(t.answers).where(*where)).first()
            values = {
                "value": payload,
                "updated_at": _now(),
                "revision": revision,
                "writer": self.writer,
            }
            if row is None:
                conn.execute(
                    t.answers.insert().values(plan_id=plan_id, exercise=exercise, key=key, **values)
                )
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
            conn.execute(
                t.answers.delete().where(
                    t.answers.c.plan_id == plan_id,
                    t.answers.c.exercise == exercise,
                    t.answers.c.key.in_(keys),
                )
            )
            return revision

    def changes_since(self, plan_id: int, revision: int) -> list[Answer]:
        """Answers other windows saved in this plan after ``revision``."""
        with self._transaction() as conn:
            self._get_plan(conn, plan_id)
            rows = conn.execute(
                sa.select(t.answers)
                .where(
                    t.answers.c.plan_id == plan_id,
                    t.answers.c.revision > revision,
                    t.answers.c.writer != self.writer,
                )
                .order_by(t.answers.c.revision)
            )
            return [_answer(row) for row in rows]

    # -- team members' blind answers -------------------------------------------------------

    def team_answers(
        self, plan_id: int, exercise: str, member_id: str | None = None
    ) -> dict[str, dict[str, Any]]:
        """What team members sent for one exercise of one plan, blind (their say, the goal
        in their words): ``{member id: {key: value}}``, of one member or of all. Kept apart
        from the plan's answers, so :meth:`export_plan` and snapshots never hold them."""
        query = sa.select(t.team_answers).where(
            t.team_answers.c.plan_id == plan_id, t.team_answers.c.exercise == exercise
        )
        if member_id is not None:
            query = query.where(t.team_answers.c.member_id == member_id)
        with self._transaction() as conn:
            self._get_plan(conn, plan_id)
            found: dict[str, dict[str, Any]] = {}
            for row in conn.execute(query):
                found.setdefault(row.member_id, {})[row.key] = json.loads(row.value)
            return found

    def replace_team_answers(
        self, plan_id: int, exercise: str, member_id: str, values: dict[str, Any]
    ) -> int:
        """Put ``values`` in place of everything one member sent for one exercise, in one
        step (none of the old stays, all of the new lands); no values erases theirs. Returns
        the plan's new revision, which the leader's open page notices."""
        if not isinstance(member_id, str) or not 0 < len(member_id) <= 64:
            raise StoreError("A team member is named by their id on the leader's list.")
        payloads = {key: _dump(value) for key, value in values.items()}
        with self._transaction() as conn:
            revision = self._bump(conn, plan_id)
            mine = (
                t.team_answers.c.plan_id == plan_id,
                t.team_answers.c.exercise == exercise,
                t.team_answers.c.member_id == member_id,
            )
            conn.execute(t.team_answers.delete().where(*mine))
            now = _now()
            if payloads:
                conn.execute(
                    t.team_answers.insert(),
                    [
                        {
                            "plan_id": plan_id,
                            "exercise": exercise,
                            "member_id": member_id,
                            "key": key,
                            "value": payload,
                            "sent_at": now,
                            "revision": revision,
                        }
                        for key, payload in payloads.items()
                    ],
                )
            return revision

    def team_answered_since(self, plan_id: int, revision: int) -> list[tuple[str, str, int]]:
        """Who sent answers after ``revision``: ``(exercise, member id, revision)``."""
        with self._transaction() as conn:
            self._get_plan(conn, plan_id)
            rows = conn.execute(
                sa.select(
                    t.team_answers.c.exercise,
                    t.team_answers.c.member_id,
                    sa.func.max(t.team_answers.c.revision),
                )
                .where(t.team_answers.c.plan_id == plan_id, t.team_answers.c.revision > revision)
                .group_by(t.team_answers.c.exercise, t.team_answers.c.member_id)
            )
            return [(exercise, member, int(rev)) for exercise, member, rev in rows]

    # -- snapshots -------------------------------------------------------------------------

    def take_snapshot(
        self, plan_id: int, exercise: str, *, reason: str, figures: dict[str, Any]
    ) -> Snapshot:
        """Keep a dated copy of the exercise's answers as they are now, with its figures.

        "About me" orders (``member/...``) are left out: they are kept in one place only, so
        taking a member off the list erases them everywhere (team members' blind answers
        are in a table of their own, never copied: see :meth:`team_answers`)."""
        with self._transaction() as conn:
            self._get_plan(conn, plan_id)
            rows = conn.execute(
                sa.select(t.answers).where(
                    t.answers.c.plan_id == plan_id, t.answers.c.exercise == exercise
                )
            )
            answers = {
                row.key: json.loads(row.value) for row in rows if not row.key.startswith("member/")
            }
            result = conn.execute(
                t.snapshots.insert().values(
                    plan_id=plan_id,
                    exercise=exercise,
                    taken_at=_now(),
                    reason=reason,
                    figures=_dump(figures),
                    answers=_dump(answers),
                )
            )
            row = conn.execute(
                sa.select(t.snapshots).where(t.snapshots.c.id == _new_id(result))
            ).one()
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
            rows = conn.execute(
                sa.select(t.answers)
                .where(t.answers.c.plan_id == plan_id)
                .order_by(t.answers.c.exercise, t.answers.c.key)
            )
            answers = [
                {
                    "exercise": row.exercise,
                    "key": row.key,
                    "value": json.loads(row.value),
                    "updated_at": row.updated_at,
                }
                for row in rows
            ]
            snapshot_rows = conn.execute(
                sa.select(t.snapshots)
                .where(t.snapshots.c.plan_id == plan_id)
                .order_by(t.snapshots.c.taken_at, t.snapshots.c.id)
            )
            snapshots = [
                {
                    "exercise": s.exercise,
                    "taken_at": s.taken_at,
                    "reason": s.reason,
                    "figures": json.loads(s.figures),
                    "answers": json.loads(s.answers),
                }
                for s in snapshot_rows
            ]
        return {
            "format": EXPORT_FORMAT,
            "format_version": EXPORT_FORMAT_VERSION,
            "app_version": __version__,
            "exported_at": _now(),
            "plan": {
                "name": plan.name,
                "created_at": plan.created_at,
                "updated_at": plan.updated_at,
            },
            "answers": answers,
            "snapshots": snapshots,
        }

    def import_plan(self, data: Any, *, name: str | None = None) -> Plan:
        """Add a plan from :meth:`export_plan` data; a taken name gets "(imported)" added."""
        plan_data, answers, snapshots = read_plan_file(data)
        wanted = clean_plan_name(name if name is not None else plan_data["name"])
        with self._transaction() as conn:
            taken = [row.name for row in conn.execute(sa.select(t.plans.c.name).where(self._own()))]
            final, suffix = wanted, 1
            while any(same_text(final, other) for other in taken):
                label = " (imported)" if suffix == 1 else f" (imported {suffix})"
                final = wanted[: PLAN_NAME_MAX - len(label)] + label
                suffix += 1
            result = conn.execute(
                t.plans.insert().values(
                    name=final,
                    created_at=plan_data["created_at"],
                    updated_at=plan_data["updated_at"],
                    revision=1,
                    client_id=self.client_id,
                )
            )
            plan_id = _new_id(result)
            for answer in answers:
                conn.execute(
                    t.answers.insert().values(
                        plan_id=plan_id,
                        exercise=answer["exercise"],
                        key=answer["key"],
                        value=_dump(answer["value"]),
                        updated_at=answer["updated_at"],
                        revision=1,
                        writer=self.writer,
                    )
                )
            for snapshot in snapshots:
                conn.execute(
                    t.snapshots.insert().values(
                        plan_id=plan_id,
                        exercise=snapshot["exercise"],
                        taken_at=snapshot["taken_at"],
                        reason=snapshot["reason"],
                        figures=_dump(snapshot["figures"]),
                        answers=_dump(snapshot["answers"]),
                    )
                )
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
            coach_clients = sa.select(t.clients.c.name).where(t.clients.c.cohort_id.is_(None))
            for row in conn.execute(coach_clients):
                if same_text(row.name, name):
                    raise TextError(
                        f"You already have a client called “{row.name}”. Pick "
                        "another name, or give them a new link."
                    )
            result = conn.execute(
                t.clients.insert().values(name=name, key_hash=hash_key(key), created_at=_now())
            )
            row = conn.execute(sa.select(t.clients).where(t.clients.c.id == _new_id(result))).one()
            return _client(row), key

    def clients(self) -> list[Client]:
        """The coach's clients (course participants are a cohort's: see :meth:`participants`)."""
        self._coach_only()
        with self._transaction() as conn:
            rows = conn.execute(
                sa.select(t.clients)
                .where(t.clients.c.cohort_id.is_(None))
                .order_by(t.clients.c.name)
            )
            return [_client(row) for row in rows]

    def plan_counts(self) -> dict[int, int]:
        """How many plans each client has (clients with none are left out)."""
        self._coach_only()
        with self._transaction() as conn:
            rows = conn.execute(
                sa.select(t.plans.c.client_id, sa.func.count())
                .join(t.clients, t.clients.c.id == t.plans.c.client_id)
                .where(t.clients.c.cohort_id.is_(None))
                .group_by(t.plans.c.client_id)
            )
            return {client_id: count for client_id, count in rows}

    def find_client(self, wanted: str | int) -> Client:
        """A client by name (any case) or number."""
        clients = self.clients()
        for client in clients:
            if client.id == wanted or (
                isinstance(wanted, str)
                and (same_text(client.name, wanted) or wanted == str(client.id))
            ):
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
            conn.execute(
                t.clients.update()
                .where(t.clients.c.id == client_id, t.clients.c.revoked_at.is_(None))
                .values(revoked_at=now)
            )
            conn.execute(
                t.member_links.update()
                .where(
                    t.member_links.c.client_id == client_id, t.member_links.c.revoked_at.is_(None)
                )
                .values(revoked_at=now)
            )
            return self._get_client(conn, client_id)

    def renew_client_key(self, client_id: int) -> str:
        """A new link for the client; the old one stops working."""
        self._coach_only()
        key = new_key()
        with self._transaction() as conn:
            self._get_client(conn, client_id)
            conn.execute(
                t.clients.update()
                .where(t.clients.c.id == client_id)
                .values(key_hash=hash_key(key), revoked_at=None)
            )
        return key

    def erase_client(self, client_id: int, *, scrub: bool = True) -> None:
        """Delete the client, every plan and answer of theirs, and their links; with
        ``scrub``, rewrite the files at once so no deleted row stays in them (else the caller
        calls :meth:`scrub_erased` soon, off the request that erased)."""
        self._coach_only()
        with self._transaction() as conn:
            self._get_client(conn, client_id)
            plan_ids = list(
                conn.execute(
                    sa.select(t.plans.c.id).where(t.plans.c.client_id == client_id)
                ).scalars()
            )
            self._delete_plan_rows(conn, plan_ids)
            conn.execute(
                t.settings.delete().where(t.settings.c.key == f"last_plan:client:{client_id}")
            )
            conn.execute(t.clients.delete().where(t.clients.c.id == client_id))
        if scrub:
            self._drop_erased_copies()

    def scrub_erased(self) -> None:
        """Rewrite the database's files so that no row deleted so far stays readable in
        them (SQLite: the write-ahead log moved into the zeroed file; PostgreSQL: the
        personal tables rewritten, which takes a while on a big database)."""
        self._drop_erased_copies()

    @staticmethod
    def _get_client(conn: Connection, client_id: int) -> Client:
        row = (
            None
            if not _valid_id(client_id)
            else conn.execute(sa.select(t.clients).where(t.clients.c.id == client_id)).first()
        )
        if row is None:
            raise ClientNotFound("That client no longer exists.")
        return _client(row)

    def client_for_key(self, key: object) -> Client | None:
        """The client whose working link holds ``key``; ``None`` for any other key."""
        if not well_formed(key):
            return None
        assert isinstance(key, str)
        with self._transaction() as conn:
            row = conn.execute(
                sa.select(t.clients).where(
                    t.clients.c.key_hash == hash_key(key), t.clients.c.revoked_at.is_(None)
                )
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

    def add_member_link(
        self, plan_id: int, member_id: str, member_name: str, *, exercise: str = "motivators"
    ) -> str:
        """A key that lets one team member answer one exercise's member page in this plan.

        A member has one working link per exercise: making a new one stops the old.
        """
        if self.client_id is None:
            raise StoreError("Member links belong to a client's plan.")
        name = clean_name(member_name, what="The member's name", max_length=PLAN_NAME_MAX)
        key = new_key()
        with self._transaction() as conn:
            self._get_plan(conn, plan_id)
            self._revoke_member_links(conn, plan_id, exercise, member_id)
            conn.execute(
                t.member_links.insert().values(
                    client_id=self.client_id,
                    plan_id=plan_id,
                    member_id=member_id,
                    member_name=name,
                    key_hash=hash_key(key),
                    created_at=_now(),
                    exercise=exercise,
                )
            )
        return key

    def revoke_member_link(self, plan_id: int, exercise: str, member_id: str) -> None:
        """Stop a member's link to one exercise's page working (its answers stay)."""
        with self._transaction() as conn:
            self._get_plan(conn, plan_id)
            self._revoke_member_links(conn, plan_id, exercise, member_id)

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

    def member_links(self, plan_id: int, exercise: str | None = None) -> list[MemberLink]:
        """The plan's working member links (of one exercise, or of all)."""
        query = sa.select(t.member_links).where(
            t.member_links.c.plan_id == plan_id, t.member_links.c.revoked_at.is_(None)
        )
        if exercise is not None:
            query = query.where(t.member_links.c.exercise == exercise)
        with self._transaction() as conn:
            self._get_plan(conn, plan_id)
            return [_member_link(row) for row in conn.execute(query)]

    def member_link_for_key(self, key: object) -> MemberLink | None:
        """The working member link holding ``key``, while its client's link works too."""
        if not well_formed(key):
            return None
        assert isinstance(key, str)
        with self._transaction() as conn:
            row = conn.execute(
                sa.select(t.member_links, t.clients.c.cohort_id)
                .join(t.clients, t.clients.c.id == t.member_links.c.client_id)
                .where(
                    t.member_links.c.key_hash == hash_key(key),
                    t.member_links.c.revoked_at.is_(None),
                    t.clients.c.revoked_at.is_(None),
                )
            ).first()
            return None if row is None else _member_link(row)


def _valid_id(value: object) -> bool:
    return isinstance(value, int) and 0 < value < _ID_LIMIT


def _new_id(result: sa.CursorResult) -> int:
    key = result.inserted_primary_key
    assert key is not None
    return int(key[0])


__all__ = [
    "ACCESS_ENDED",
    "ALIAS_MAX",
    "EXPORT_FORMAT",
    "EXPORT_FORMAT_VERSION",
    "MAX_PARTICIPANTS_DEFAULT",
    "MIN_GROUP_DEFAULT",
    "MIN_GROUP_FLOOR",
    "PLAN_NAME_MAX",
    "UNAVAILABLE",
    "AccessEnded",
    "AliasTaken",
    "Answer",
    "Client",
    "ClientNotFound",
    "Cohort",
    "CohortClosed",
    "CohortFull",
    "CohortNotFound",
    "DatabaseProblem",
    "MemberLink",
    "Participant",
    "ParticipantNotFound",
    "Plan",
    "PlanFileError",
    "PlanNotFound",
    "Release",
    "SaveResult",
    "Snapshot",
    "StoreCorruptError",
    "StoreError",
    "StoreReadOnlyError",
    "StoreVersionError",
    "WorkbookStore",
    "clean_plan_name",
    "public_message",
]
