"""Ids are never handed out twice.

Without AUTOINCREMENT, SQLite gives a new row the highest id in use plus one, so the id of
an erased client (or plan) went to the next one added, and a page still open for the erased
one would have reached the new one's plans. AUTOINCREMENT remembers the highest id ever used.
Other databases' sequences never reuse an id, so there is nothing to change there.

Revision ID: 0005
Revises: 0004
"""

from alembic import op

revision = "0005"
down_revision = "0004"

_TABLES = ("clients", "plans", "member_links", "snapshots")


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for table in _TABLES:
        # Copying the rows into the rebuilt table records their highest id as used.
        with op.batch_alter_table(
            table, recreate="always", table_kwargs={"sqlite_autoincrement": True}
        ):
            pass
