"""Revisions per plan and writer per answer (two windows on one plan), and settings.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"


def upgrade() -> None:
    with op.batch_alter_table("plans") as plans:
        plans.add_column(sa.Column("revision", sa.Integer, nullable=False, server_default="0"))
    with op.batch_alter_table("answers") as answers:
        answers.add_column(sa.Column("revision", sa.Integer, nullable=False, server_default="0"))
        answers.add_column(sa.Column("writer", sa.String(64), nullable=False, server_default=""))
    op.create_index("ix_answers_plan_revision", "answers", ["plan_id", "revision"])
    op.create_table(
        "settings",
        sa.Column("key", sa.String(64), primary_key=True),
        sa.Column("value", sa.Text, nullable=False),
    )
