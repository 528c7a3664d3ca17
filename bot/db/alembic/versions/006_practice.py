"""006: practice sessions and their answers; misses lose their CHECK on source (was 006_practice.sql).

Revision ID: 006
"""

import sqlalchemy as sa
from alembic import op

from bot.db.migrate import carry_over
from bot.db.tables import Id, Real, UtcInstant

revision = "006"
down_revision = "005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if carry_over(6):
        return
    op.create_table(
        "practice_sessions",
        sa.Column("id", Id, primary_key=True),
        sa.Column("user_id", Id, sa.ForeignKey("members.user_id", ondelete="CASCADE"), nullable=False),
        sa.Column("mode", sa.Text, nullable=False),
        sa.Column("bucket", sa.Text),
        sa.Column("items", sa.Text, nullable=False),
        sa.Column("position", sa.Integer, nullable=False, server_default=sa.text("0")),
        sa.Column("status", sa.Text, nullable=False, server_default="active"),
        sa.Column("target", Real),
        sa.Column("started_at", UtcInstant, nullable=False),
        sa.Column("shown_at", UtcInstant),
        sa.Column("ended_at", UtcInstant),
    )
    op.create_index(
        "practice_one_active",
        "practice_sessions",
        ["user_id"],
        unique=True,
        postgresql_where=sa.text("status = 'active'"),
    )
    op.create_table(
        "practice_answers",
        sa.Column("id", Id, primary_key=True),
        sa.Column(
            "session_id", Id, sa.ForeignKey("practice_sessions.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("user_id", Id, sa.ForeignKey("members.user_id", ondelete="CASCADE"), nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("item", sa.Text, nullable=False),
        sa.Column("domain", sa.Text),
        sa.Column("bucket", sa.Text, nullable=False),
        sa.Column("correct", sa.Integer, nullable=False),
        sa.Column("in_place", sa.Integer),
        sa.Column("seconds", Real),
        sa.Column("answered_at", UtcInstant, nullable=False),
        sa.UniqueConstraint("session_id", "position"),
    )
    op.create_index("practice_answers_by_member", "practice_answers", ["user_id", "answered_at"])
    op.drop_constraint("misses_source_check", "misses", type_="check")
