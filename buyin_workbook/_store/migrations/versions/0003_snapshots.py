"""Snapshots: dated copies of an exercise's answers and key figures, for history and trends.

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"


def upgrade() -> None:
    op.create_table(
        "snapshots",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column(
            "plan_id", sa.Integer, sa.ForeignKey("plans.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("exercise", sa.String(64), nullable=False),
        sa.Column("taken_at", sa.String(40), nullable=False),
        sa.Column("reason", sa.String(16), nullable=False),
        sa.Column("figures", sa.Text, nullable=False),
        sa.Column("answers", sa.Text, nullable=False),
    )
    op.create_index("ix_snapshots_plan", "snapshots", ["plan_id", "exercise", "taken_at"])
