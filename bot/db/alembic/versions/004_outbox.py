"""004: every scheduled delivery goes through the shared outbox (was 004_outbox.sql).

quiz_posts gain a status, a try count and the last error; guild_settings a pause reason; reminders
lose their CHECK on kind (the kinds live in code).

Revision ID: 004
"""

import sqlalchemy as sa
from alembic import op

from bot.db.migrate import carry_over

revision = "004"
down_revision = "003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if carry_over(4):
        return
    op.add_column("quiz_posts", sa.Column("status", sa.Text, nullable=False, server_default="sent"))
    op.create_check_constraint(
        "quiz_posts_status_check", "quiz_posts", "status IN ('pending', 'claimed', 'sent', 'failed')"
    )
    op.add_column(
        "quiz_posts", sa.Column("attempts", sa.Integer, nullable=False, server_default=sa.text("0"))
    )
    op.add_column("quiz_posts", sa.Column("last_error", sa.Text))
    op.execute("UPDATE quiz_posts SET status = 'pending' WHERE message_id IS NULL")
    op.add_column("guild_settings", sa.Column("pause_reason", sa.Text))
    op.drop_constraint("reminders_kind_check", "reminders", type_="check")
