"""010: leases on the outbox tables (owner, lease_until) for several bot processes on one database, and
members.dm_channel_id (was 010_leases.sql).

Revision ID: 010
"""

import sqlalchemy as sa
from alembic import op

from bot.db.migrate import carry_over
from bot.db.tables import Id, UtcInstant

revision = "010"
down_revision = "009"
branch_labels = None
depends_on = None

OUTBOX_TABLES = ("reminders", "quiz_posts", "group_digests")


def upgrade() -> None:
    if carry_over(10):
        return
    for table in OUTBOX_TABLES:
        op.add_column(table, sa.Column("owner", sa.Text))
        op.add_column(table, sa.Column("lease_until", UtcInstant))
    op.add_column("members", sa.Column("dm_channel_id", Id))
