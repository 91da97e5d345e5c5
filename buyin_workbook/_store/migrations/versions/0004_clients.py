"""Clients of a coach: their keys (hashed), member links, and plans owned by a client.

A plan with no client is the local leader's own. Plan names become unique per owner (the
store checks that, case-insensitively), so one client's plan names never collide with, or
reveal, another's.

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"


def upgrade() -> None:
    op.create_table(
        "clients",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("key_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("created_at", sa.String(40), nullable=False),
        sa.Column("revoked_at", sa.String(40), nullable=True),
    )
    # The name's unique constraint was unnamed: SQLite's batch mode names it by this
    # convention; another database named it itself, so ask it for the name.
    unique_name = "uq_plans_name"
    if op.get_bind().dialect.name != "sqlite":
        unique_name = next(
            str(unique["name"])
            for unique in sa.inspect(op.get_bind()).get_unique_constraints("plans")
            if unique["column_names"] == ["name"]
        )
    with op.batch_alter_table(
        "plans", naming_convention={"uq": "uq_%(table_name)s_%(column_0_name)s"}
    ) as plans:
        plans.drop_constraint(unique_name, type_="unique")
        plans.add_column(sa.Column("client_id", sa.Integer, nullable=True))
        plans.create_foreign_key(
            "fk_plans_client", "clients", ["client_id"], ["id"], ondelete="CASCADE"
        )
        plans.create_index("ix_plans_client", ["client_id"])
    op.create_table(
        "member_links",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column(
            "client_id", sa.Integer, sa.ForeignKey("clients.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column(
            "plan_id", sa.Integer, sa.ForeignKey("plans.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("member_id", sa.String(64), nullable=False),
        sa.Column("member_name", sa.String(200), nullable=False),
        sa.Column("key_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("created_at", sa.String(40), nullable=False),
        sa.Column("revoked_at", sa.String(40), nullable=True),
    )
