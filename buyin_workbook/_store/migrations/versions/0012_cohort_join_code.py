"""A cohort's join code, for a room to type from the facilitator's presenter view.

``cohorts.join_code`` is kept as it is (unlike the keys, which are kept hashed): the
presenter view shows it, and it only lets someone join an open cohort, as the join link
does. Cohorts made before get one when their presenter view first opens.

Revision ID: 0012
Revises: 0011
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"


def upgrade() -> None:
    with op.batch_alter_table("cohorts") as cohorts:
        cohorts.add_column(sa.Column("join_code", sa.String(16), nullable=True))
        cohorts.create_index("ix_cohorts_join_code", ["join_code"], unique=True)
