"""001: members and their certification pathway gates (was 001_init.sql).

Revision ID: 001
"""

import sqlalchemy as sa
from alembic import op

from bot.db.migrate import carry_over
from bot.db.tables import Id, UtcInstant

revision = "001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    if carry_over(1):
        return
    op.create_table(
        "members",
        sa.Column("user_id", Id, primary_key=True, autoincrement=False),
        sa.Column("timezone", sa.Text),
        sa.Column("share_status", sa.Integer, nullable=False, server_default=sa.text("0")),
        sa.Column("reminders_enabled", sa.Integer, nullable=False, server_default=sa.text("1")),
        sa.Column("created_at", UtcInstant, nullable=False),
        sa.Column("updated_at", UtcInstant, nullable=False),
        sa.CheckConstraint("share_status IN (0, 1)"),
        sa.CheckConstraint("reminders_enabled IN (0, 1)"),
    )
    op.create_table(
        "gates",
        sa.Column("user_id", Id, sa.ForeignKey("members.user_id", ondelete="CASCADE"), primary_key=True),
        sa.Column("gate", sa.Text, primary_key=True),
        sa.Column("mark", sa.Text, nullable=False),
        sa.Column("happened_on", sa.Text),
        sa.Column("updated_at", UtcInstant, nullable=False),
        sa.CheckConstraint("gate IN ('course', 'verification', 'exam', 'skills', 'license')"),
        sa.CheckConstraint("mark IN ('done', 'pending', 'not_required', 'issue')"),
    )
