"""A cohort's size limit, and aliases unique in a cohort by what a reader sees.

``cohorts.max_participants`` caps how many join by the cohort's link (100 for cohorts made
before; a hub cohort's group says who is in it). ``clients.name_key`` is a participant's
alias as a reader compares names (case, width and spacing aside, invisible characters
dropped), unique in its cohort, so two servers on one database cannot both admit "Twin 1"
and "TWIN 1". Aliases that already clash (such a race before) keep their rows: the later
ones get their id in the key.

Revision ID: 0010
Revises: 0009
"""

import unicodedata

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"


def _key(name: str) -> str:
    # As buyin_workbook._text.name_key was when this migration was written.
    visible = "".join(ch for ch in name if unicodedata.category(ch) != "Cf")
    return " ".join(unicodedata.normalize("NFKC", visible).casefold().split())


def upgrade() -> None:
    with op.batch_alter_table("cohorts") as cohorts:
        cohorts.add_column(
            sa.Column("max_participants", sa.Integer, nullable=False, server_default="100")
        )
    with op.batch_alter_table("clients") as clients:
        clients.add_column(sa.Column("name_key", sa.String(200), nullable=True))
    conn = op.get_bind()
    rows = conn.execute(
        sa.text(
            "SELECT clients.id, clients.cohort_id, clients.name FROM clients "
            "JOIN cohorts ON cohorts.id = clients.cohort_id "
            "WHERE cohorts.hub_group IS NULL ORDER BY clients.id"
        )
    )
    seen: set[tuple[int, str]] = set()
    for client_id, cohort_id, name in list(rows):
        key = _key(name)
        if (cohort_id, key) in seen:
            key = f"{key}#{client_id}"
        seen.add((cohort_id, key))
        conn.execute(
            sa.text("UPDATE clients SET name_key = :key WHERE id = :id"),
            {"key": key[:200], "id": client_id},
        )
    op.create_index("ux_clients_cohort_alias", "clients", ["cohort_id", "name_key"], unique=True)
