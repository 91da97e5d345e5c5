"""Course cohorts: a facilitator's group, its participants, and what it has shown.

A participant is a client that belongs to a cohort (``clients.cohort_id``): their link, plans
and answers work exactly as a coach's client's do. ``cohort_releases`` keeps each set of
anonymous figures the facilitator was shown, with who contributed to each figure (ids only),
so a later figure is never drawn over a group that differs from an earlier one by fewer
people than the cohort's minimum (that difference would be one person's answers).

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"


def upgrade() -> None:
    op.create_table(
        "cohorts",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("exercises", sa.Text, nullable=False),
        sa.Column("min_group", sa.Integer, nullable=False),
        sa.Column("facilitator_key_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("join_key_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("created_at", sa.String(40), nullable=False),
        sa.Column("closed_at", sa.String(40), nullable=True),
        sqlite_autoincrement=True,
    )
    # SQLite rebuilds the table to add a foreign key: keep its ids never reused (0005).
    # Other databases alter it in place.
    sqlite = op.get_bind().dialect.name == "sqlite"
    with op.batch_alter_table(
        "clients",
        recreate="always" if sqlite else "auto",
        table_kwargs={"sqlite_autoincrement": True} if sqlite else {},
    ) as clients:
        clients.add_column(sa.Column("cohort_id", sa.Integer, nullable=True))
        clients.add_column(sa.Column("summary_shared_at", sa.String(40), nullable=True))
        clients.create_foreign_key(
            "fk_clients_cohort", "cohorts", ["cohort_id"], ["id"], ondelete="CASCADE"
        )
        clients.create_index("ix_clients_cohort", ["cohort_id"])
    op.create_table(
        "cohort_reveals",
        sa.Column(
            "cohort_id",
            sa.Integer,
            sa.ForeignKey("cohorts.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("exercise", sa.String(64), primary_key=True),
        sa.Column("revealed_at", sa.String(40), nullable=False),
    )
    op.create_table(
        "cohort_releases",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column(
            "cohort_id", sa.Integer, sa.ForeignKey("cohorts.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("exercise", sa.String(64), nullable=False),
        sa.Column("released_at", sa.String(40), nullable=False),
        sa.Column("contributors", sa.Text, nullable=False),
        sa.Column("cells", sa.Text, nullable=False),
        sqlite_autoincrement=True,
    )
