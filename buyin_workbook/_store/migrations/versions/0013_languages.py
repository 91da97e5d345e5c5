"""The language a coach's client or a course cohort reads the workbook in.

``clients.language`` and ``cohorts.language`` hold a language code ("de"); empty for those
made before, who read it in the language their page or browser asks for, else English.

Revision ID: 0013
Revises: 0012
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"


def upgrade() -> None:
    with op.batch_alter_table("clients") as clients:
        clients.add_column(sa.Column("language", sa.String(8), nullable=True))
    with op.batch_alter_table("cohorts") as cohorts:
        cohorts.add_column(sa.Column("language", sa.String(8), nullable=True))
