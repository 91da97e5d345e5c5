"""Team members' blind answers in a table of their own: a member's say on the plan's
decisions and the goal in their words, kept apart from the leader's answers by the schema, so
no export, snapshot or copy of the leader's plan can hold them beside the names the leader
typed. Taking a member off the list deletes their rows; so does erasing the plan.

Until now they were answers of the leader's plan under ``member/<id>/say/...`` (the choice
exercise) and ``member/<id>/goal`` (the self-check); they move here as they are. ("About me"
orders stay with the leader's plan: that page tells the member their leader sees their
order under their name.)

Revision ID: 0009
Revises: 0008
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"

#: Where 0008 kept the team voice's answers: (exercise, the key after ``member/<id>/``).
_MOVED = (("choice", "say/"), ("selfcheck", "goal"))


def upgrade() -> None:
    team_answers = op.create_table(
        "team_answers",
        sa.Column(
            "plan_id",
            sa.Integer,
            sa.ForeignKey("plans.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("exercise", sa.String(64), primary_key=True),
        sa.Column("member_id", sa.String(64), primary_key=True),
        sa.Column("key", sa.String(200), primary_key=True),
        sa.Column("value", sa.Text, nullable=False),
        sa.Column("sent_at", sa.String(40), nullable=False),
        sa.Column("revision", sa.Integer, nullable=False),
    )
    op.create_index("ix_team_answers_plan_revision", "team_answers", ["plan_id", "revision"])
    answers = sa.table(
        "answers",
        sa.column("plan_id", sa.Integer),
        sa.column("exercise", sa.String),
        sa.column("key", sa.String),
        sa.column("value", sa.Text),
        sa.column("updated_at", sa.String),
        sa.column("revision", sa.Integer),
    )
    conn = op.get_bind()
    moved = []
    for exercise, rest in _MOVED:
        rows = conn.execute(
            sa.select(answers).where(answers.c.exercise == exercise, answers.c.key.like("member/%"))
        )
        for row in rows:
            parts = row.key.split("/", 2)
            if len(parts) == 3 and parts[1] and parts[2].startswith(rest):
                moved.append(row)
    if moved:
        conn.execute(
            team_answers.insert(),
            [
                {
                    "plan_id": row.plan_id,
                    "exercise": row.exercise,
                    "member_id": row.key.split("/", 2)[1],
                    "key": row.key.split("/", 2)[2],
                    "value": row.value,
                    "sent_at": row.updated_at,
                    "revision": row.revision,
                }
                for row in moved
            ],
        )
        for row in moved:
            conn.execute(
                answers.delete().where(
                    answers.c.plan_id == row.plan_id,
                    answers.c.exercise == row.exercise,
                    answers.c.key == row.key,
                )
            )
