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
    public_error,
)
from ._store.keys import shown_join_code
from ._store.plan_file import EXPORT_FORMAT, EXPORT_FORMAT_VERSION
from ._store.plans import PlanMethods
from ._store.records import (
    PLAN_NAME_MAX,
    Answer,
    Client,
    MemberLink,
    Plan,
    SaveResult,
    Snapshot,
    clean_plan_name,
)


class WorkbookStore(PlanMethods, CohortMethods):
    """All plans and answers of one workbook database: its plans (:mod:`._store.plans`),
    a coach's clients and member links (:mod:`._store.clients`) and a facilitator's cohorts
    (:mod:`._store.cohorts`), on one connection (:mod:`._store.base`)."""


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
    "public_error",
    "shown_join_code",
]
