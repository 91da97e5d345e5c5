"""Cohorts on JupyterHub: a cohort that is a hub group, and the anonymous measures its
participants' own workbooks send (their answers stay in their own servers), kept both as
sent and as tidy rows the database counts for the figures.

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"


def upgrade() -> None:
    with op.batch_alter_table("cohorts") as cohorts:
        cohorts.add_column(sa.Column("hub_group", sa.String(255), nullable=True))
    op.create_index("ix_cohorts_hub_group", "cohorts", ["hub_group"], unique=True)
    # One row per name in a cohort (a hub user's first two requests at once make one; a
    # cohort's aliases are already unique). A coach's clients have no cohort: not covered.
    op.create_index("ux_clients_cohort_name", "clients", ["cohort_id", "name"], unique=True)
    op.create_table(
        "cohort_values",
        sa.Column(
            "client_id",
            sa.Integer,
            sa.ForeignKey("clients.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("exercise", sa.String(64), primary_key=True),
        sa.Column(
            "cohort_id",
            sa.Integer,
            sa.ForeignKey("cohorts.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("measures", sa.Text, nullable=False),
        sa.Column("sent_at", sa.String(40), nullable=False),
    )
    op.create_index("ix_cohort_values_cohort", "cohort_values", ["cohort_id", "exercise"])
    op.create_table(
        "cohort_figures",
        sa.Column(
            "client_id",
            sa.Integer,
            sa.ForeignKey("clients.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("exercise", sa.String(64), primary_key=True),
        sa.Column("measure", sa.String(64), primary_key=True),
        sa.Column("item", sa.String(64), primary_key=True),
        sa.Column(
            "cohort_id",
            sa.Integer,
            sa.ForeignKey("cohorts.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("value", sa.Float, nullable=False),
    )
    op.create_index(
        "ix_cohort_figures_cohort", "cohort_figures", ["cohort_id", "exercise", "measure"]
    )
