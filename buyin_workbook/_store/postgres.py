"""PostgreSQL as the store uses it: the driver named when it is missing, a server that
cannot be reached said in words, and erased rows rewritten out of the table files."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from .._text import N_
from . import schema as t
from .errors import DatabaseProblem, StoreError

#: Every table that can hold a person's words or an alias; erase rewrites them all.
_PERSONAL_TABLES = (
    t.answers,
    t.team_answers,
    t.snapshots,
    t.plans,
    t.member_links,
    t.settings,
    t.clients,
    t.cohort_reveals,
    t.cohort_releases,
    t.cohort_values,
    t.cohort_figures,
    t.cohorts,
)


def create_engine(url: sa.engine.URL) -> Engine:
    """An engine for a database server, or a message naming the driver to install."""
    try:
        # pool_pre_ping: a server restarted since the last page is reconnected, not an error.
        return sa.create_engine(url, pool_pre_ping=True)
    except (ModuleNotFoundError, sa.exc.NoSuchModuleError) as error:
        raise DatabaseProblem(
            N_(
                "The workbook cannot use the database at {path}: its driver is not installed "
                "({error}). For PostgreSQL, install it with "
                "`pip install 'buyin-workbook[postgresql]'` and use a "
                "postgresql+psycopg:// address."
            ),
            path=url.render_as_string(hide_password=True),
            error=str(error),
        ) from error


def unreachable(error: sa.exc.OperationalError, where: str) -> StoreError:
    reason = str(error.orig).strip().splitlines()[0] if error.orig else type(error).__name__
    return DatabaseProblem(
        N_(
            "The workbook database server at {path} cannot be reached ({error}). Nothing has "
            "been changed. Check that the server is running and that the address and "
            "password in `db_url` are right."
        ),
        path=where,
        error=reason,
    )


def rewrite_tables(engine: Engine) -> None:
    """Rewrite the tables after an erase so no deleted row stays in their files.

    PostgreSQL only marks a deleted row dead; VACUUM FULL writes each table and its indexes
    anew without them. It cannot run inside a transaction, hence its own connection.
    """
    names = ", ".join(
        engine.dialect.identifier_preparer.quote(table.name) for table in _PERSONAL_TABLES
    )
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql(f"VACUUM FULL {names}")
