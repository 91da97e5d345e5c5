"""How many a facilitator expects in a cohort, so `serve` has their first pages warm.

``cohorts.expected`` is 0 (no crowd announced) for cohorts made before.

Revision ID: 0011
Revises: 0010
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"


def upgrade() -> None:
    with op.batch_alter_table("cohorts") as cohorts:
        cohorts.add_column(sa.Column("expected", sa.Integer, nullable=False, server_default="0"))
