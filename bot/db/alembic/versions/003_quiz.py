"""003: the quiz: daily posts per guild, every answer, and question reports (was 003_quiz.sql).

Revision ID: 003
"""

import sqlalchemy as sa
from alembic import op

from bot.db.migrate import carry_over
from bot.db.tables import Id, Real, UtcInstant

revision = "003"
down_revision = "002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if carry_over(3):
        return
    op.add_column("guild_settings", sa.Column("next_post_at", UtcInstant))
    op.create_table(
        "quiz_posts",
        sa.Column("id", Id, primary_key=True),
        sa.Column("guild_id", Id, nullable=False),
        sa.Column("channel_id", Id, nullable=False),
        sa.Column("message_id", Id),
        sa.Column("question_id", sa.Text, nullable=False),
        sa.Column("cycle", sa.Integer, nullable=False),
        sa.Column("post_date", sa.Text, nullable=False),
        sa.Column("posted_at", UtcInstant, nullable=False),
        sa.UniqueConstraint("guild_id", "post_date"),
    )
    op.create_index("quiz_posts_by_guild", "quiz_posts", ["guild_id", "cycle"])
    op.create_table(
        "quiz_answers",
        sa.Column("id", Id, primary_key=True),
        sa.Column("user_id", Id, sa.ForeignKey("members.user_id", ondelete="CASCADE"), nullable=False),
        sa.Column("guild_id", Id),
        sa.Column("question_id", sa.Text, nullable=False),
        sa.Column("domain", sa.Text, nullable=False),
        sa.Column("post_id", Id, sa.ForeignKey("quiz_posts.id", ondelete="SET NULL")),
        sa.Column("issued_at", sa.BigInteger),
        sa.Column("choice", sa.Integer, nullable=False),
        sa.Column("correct", sa.Integer, nullable=False),
        sa.Column("seconds", Real),
        sa.Column("answered_on", sa.Text, nullable=False),
        sa.Column("answered_at", UtcInstant, nullable=False),
        sa.CheckConstraint("choice BETWEEN 0 AND 3"),
        sa.CheckConstraint("correct IN (0, 1)"),
    )
    op.create_index(
        "quiz_answers_once_per_post",
        "quiz_answers",
        ["post_id", "user_id"],
        unique=True,
        postgresql_where=sa.text("post_id IS NOT NULL"),
    )
    op.create_index(
        "quiz_answers_once_per_issue",
        "quiz_answers",
        ["user_id", "question_id", "issued_at"],
        unique=True,
        postgresql_where=sa.text("issued_at IS NOT NULL"),
    )
    op.create_index("quiz_answers_by_member", "quiz_answers", ["user_id", "answered_on"])
    op.create_table(
        "question_reports",
        sa.Column("id", Id, primary_key=True),
        sa.Column("user_id", Id, sa.ForeignKey("members.user_id", ondelete="CASCADE"), nullable=False),
        sa.Column("guild_id", Id),
        sa.Column("question_id", sa.Text, nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("reported_at", UtcInstant, nullable=False),
    )
    op.create_index("question_reports_by_guild", "question_reports", ["guild_id", "reported_at"])
