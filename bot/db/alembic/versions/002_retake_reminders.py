"""002: attempts, refreshers, the error log, guild settings, reminders (was 002_retake_reminders.sql).

Revision ID: 002
"""

import sqlalchemy as sa
from alembic import op

from bot.db.migrate import carry_over
from bot.db.tables import Id, UtcInstant

revision = "002"
down_revision = "001"
branch_labels = None
depends_on = None


def _member() -> sa.Column[int]:
    return sa.Column("user_id", Id, sa.ForeignKey("members.user_id", ondelete="CASCADE"), nullable=False)


def upgrade() -> None:
    if carry_over(2):
        return
    op.create_table(
        "attempts",
        sa.Column("id", Id, primary_key=True),
        _member(),
        sa.Column("taken_on", sa.Text, nullable=False),
        sa.Column("score", sa.Integer, nullable=False),
        sa.Column("recorded_at", UtcInstant, nullable=False),
        sa.UniqueConstraint("user_id", "taken_on"),
    )
    op.create_table(
        "refreshers",
        sa.Column("id", Id, primary_key=True),
        _member(),
        sa.Column("completed_on", sa.Text, nullable=False),
        sa.Column("recorded_at", UtcInstant, nullable=False),
        sa.UniqueConstraint("user_id", "completed_on"),
    )
    op.create_table(
        "misses",
        sa.Column("id", Id, primary_key=True),
        _member(),
        sa.Column("bucket", sa.Text, nullable=False),
        sa.Column("note", sa.Text),
        sa.Column("source", sa.Text, nullable=False, server_default="manual"),
        sa.Column("question_id", sa.Text),
        sa.Column("logged_on", sa.Text, nullable=False),
        sa.Column("logged_at", UtcInstant, nullable=False),
        sa.CheckConstraint("bucket IN ('knowledge', 'sequence', 'scope', 'reading', 'pacing')"),
        sa.CheckConstraint("source IN ('manual', 'quiz')", name="misses_source_check"),
    )
    op.create_index("misses_by_member", "misses", ["user_id", "logged_on"])
    op.create_table(
        "guild_settings",
        sa.Column("guild_id", Id, primary_key=True, autoincrement=False),
        sa.Column("quiz_channel_id", Id),
        sa.Column("quiz_time", sa.Text),
        sa.Column("quiz_timezone", sa.Text),
        sa.Column("paused", sa.Integer, nullable=False, server_default=sa.text("0")),
        sa.Column("updated_at", UtcInstant, nullable=False),
        sa.CheckConstraint("paused IN (0, 1)"),
    )
    op.create_table(
        "reminders",
        sa.Column("id", Id, primary_key=True),
        _member(),
        sa.Column("kind", sa.Text, nullable=False),
        sa.Column("local_date", sa.Text, nullable=False),
        sa.Column("about", sa.Text),
        sa.Column("due_at", UtcInstant, nullable=False),
        sa.Column("zone", sa.Text, nullable=False),
        sa.Column("wake_at", UtcInstant, nullable=False),
        sa.Column("guild_id", Id),
        sa.Column("status", sa.Text, nullable=False, server_default="pending"),
        sa.Column("attempts", sa.Integer, nullable=False, server_default=sa.text("0")),
        sa.Column("claimed_at", UtcInstant),
        sa.Column("sent_at", UtcInstant),
        sa.Column("message_id", Id),
        sa.Column("last_error", sa.Text),
        sa.Column("shown_at", UtcInstant),
        sa.CheckConstraint("kind IN ('retest', 'results', 'course_window')", name="reminders_kind_check"),
        sa.CheckConstraint(
            "status IN ('pending', 'claimed', 'sent', 'fallback_channel', 'fallback_status', 'undeliverable')"
        ),
        sa.UniqueConstraint("user_id", "kind", "local_date"),
    )
    op.create_index("reminders_wake", "reminders", ["status", "wake_at"])
