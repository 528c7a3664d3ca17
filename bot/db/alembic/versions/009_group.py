"""009: the group view and the weekly digest: group_members (filled from the rows that carry a server),
group_digest_settings, group_digests, two covering indexes on quiz_answers (was 009_group.sql).

Revision ID: 009
"""

import sqlalchemy as sa
from alembic import op

from bot.db.migrate import carry_over
from bot.db.tables import Id, UtcInstant

revision = "009"
down_revision = "008"
branch_labels = None
depends_on = None

# Which servers members already used the bot in, from the rows that carry a server (as 009_group.sql).
_BACKFILL = [("quiz_answers", "answered_at"), ("question_reports", "reported_at"), ("reminders", "due_at")]


def upgrade() -> None:
    if carry_over(9):
        return
    op.create_table(
        "group_members",
        sa.Column("id", Id, primary_key=True),
        sa.Column("guild_id", Id, nullable=False),
        sa.Column("user_id", Id, sa.ForeignKey("members.user_id", ondelete="CASCADE"), nullable=False),
        sa.Column("first_seen_at", UtcInstant, nullable=False),
        sa.UniqueConstraint("guild_id", "user_id"),
    )
    op.create_index("group_members_by_user", "group_members", ["user_id"])
    for table, instant in _BACKFILL:
        op.execute(
            f"INSERT INTO group_members (guild_id, user_id, first_seen_at) "
            f"SELECT guild_id, user_id, min({instant}) FROM {table} WHERE guild_id IS NOT NULL "
            f"GROUP BY guild_id, user_id ON CONFLICT (guild_id, user_id) DO NOTHING"
        )
    op.create_table(
        "group_digest_settings",
        sa.Column("guild_id", Id, primary_key=True, autoincrement=False),
        sa.Column("enabled", sa.Integer, nullable=False, server_default=sa.text("0")),
        sa.Column("weekday", sa.Integer, nullable=False, server_default=sa.text("0")),
        sa.Column("next_digest_at", UtcInstant),
        sa.Column("pause_reason", sa.Text),
        sa.Column("updated_at", UtcInstant, nullable=False),
        sa.CheckConstraint("enabled IN (0, 1)"),
        sa.CheckConstraint("weekday BETWEEN 0 AND 6"),
    )
    op.create_table(
        "group_digests",
        sa.Column("id", Id, primary_key=True),
        sa.Column("guild_id", Id, nullable=False),
        sa.Column("channel_id", Id, nullable=False),
        sa.Column("digest_date", sa.Text, nullable=False),
        sa.Column("due_at", UtcInstant, nullable=False),
        sa.Column("status", sa.Text, nullable=False, server_default="pending"),
        sa.Column("attempts", sa.Integer, nullable=False, server_default=sa.text("0")),
        sa.Column("message_id", Id),
        sa.Column("last_error", sa.Text),
        sa.Column("created_at", UtcInstant, nullable=False),
        sa.CheckConstraint("status IN ('pending', 'claimed', 'sent', 'failed')"),
        sa.UniqueConstraint("guild_id", "digest_date"),
    )
    op.create_index("group_digests_by_status", "group_digests", ["status"])
    op.create_index(
        "quiz_answers_by_guild", "quiz_answers", ["guild_id", "answered_at", "user_id", "correct", "post_id"]
    )
    op.create_index("quiz_answers_by_time", "quiz_answers", ["answered_at", "user_id", "domain", "correct"])
