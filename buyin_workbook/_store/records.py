"""The store's records: plain, frozen copies of its rows (a plan, an answer, a snapshot,
a client, a member link), and how rows become them."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from .._text import N_, clean_name
from .errors import StoreError

PLAN_NAME_MAX = 200
VALUE_MAX_BYTES = 200_000
#: Ids are PostgreSQL's 32-bit integers (SQLite's are wider but never get this far); a
#: larger number can name nothing.
ID_LIMIT = 2**31


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
    #: The language their coach set for them (a code); ``None``: as their page asks.
    language: str | None = None

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


def dump_value(value: Any) -> str:
    try:
        text = json.dumps(value, ensure_ascii=False, sort_keys=True, allow_nan=False)
    except RecursionError as error:
        raise StoreError(N_("This answer is nested too deeply to save.")) from error
    if len(text.encode("utf-8")) > VALUE_MAX_BYTES:
        raise StoreError(N_("This answer is too long to save. Please shorten it."))
    return text


def snapshot_of(row: sa.Row) -> Snapshot:
    return Snapshot(
        row.id,
        row.exercise,
        row.taken_at,
        row.reason,
        json.loads(row.figures),
        json.loads(row.answers),
    )


def plan_of(row: sa.Row) -> Plan:
    return Plan(row.id, row.name, row.created_at, row.updated_at, row.revision)


def client_of(row: sa.Row) -> Client:
    return Client(row.id, row.name, row.created_at, row.revoked_at, row.cohort_id, row.language)


def member_link_of(row: sa.Row) -> MemberLink:
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


def answer_of(row: sa.Row) -> Answer:
    return Answer(
        row.exercise, row.key, json.loads(row.value), row.updated_at, row.revision, row.writer
    )


def clean_plan_name(name: object) -> str:
    """The plan name as it will be kept, or :class:`~buyin_workbook._text.TextError`."""
    return clean_name(name, what=N_("The plan's name"), max_length=PLAN_NAME_MAX)


def valid_id(value: object) -> bool:
    return isinstance(value, int) and 0 < value < ID_LIMIT


def new_id(result: sa.CursorResult) -> int:
    key = result.inserted_primary_key
    assert key is not None
    return int(key[0])
