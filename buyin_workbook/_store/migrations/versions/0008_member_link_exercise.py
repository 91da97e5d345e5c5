"""Member links for every exercise that hears from the team: each link names the exercise
whose page it opens ("about me" in the motivators exercise, a member's say in the choice
exercise, the goal in their words in the self-check). Links made before are the
motivators'.

Revision ID: 0008
Revises: 0007
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"


def upgrade() -> None:
    # A constant default lets SQLite add the column in place (no table rebuild).
    op.add_column(
        "member_links",
        sa.Column("exercise", sa.String(64), nullable=False, server_default="motivators"),
    )
    op.create_index("ix_member_links_plan", "member_links", ["plan_id", "exercise", "member_id"])
