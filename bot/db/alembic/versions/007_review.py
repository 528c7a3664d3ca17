"""007: spaced review: review_cards, the members' review goal and nudge hour, reminders' 'skipped' status
(was 007_review.sql).

Revision ID: 007
"""

import sqlalchemy as sa
from alembic import op

from bot.db.migrate import carry_over
from bot.db.tables import REMINDER_STATUSES, Id, UtcInstant

revision = "007"
down_revision = "006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if carry_over(7):
        return
    op.add_column("members", sa.Column("review_goal_on", sa.Text))
    op.add_column("members", sa.Column("review_nudge_hour", sa.Integer))
    op.create_check_constraint(
        "members_review_nudge_hour_check", "members", "review_nudge_hour BETWEEN 0 AND 23"
    )
    op.create_table(
        "review_cards",
        sa.Column("user_id", Id, sa.ForeignKey("members.user_id", ondelete="CASCADE"), nullable=False),
        sa.Column("item", sa.Text, nullable=False),
        sa.Column("card", sa.Text, nullable=False),
        sa.Column("card_schema", sa.Integer, nullable=False),
        sa.Column("due_at", UtcInstant, nullable=False),
        sa.Column("reviews", sa.Integer, nullable=False, server_default=sa.text("0")),
        sa.Column("lapses", sa.Integer, nullable=False, server_default=sa.text("0")),
        sa.Column("last_review_at", UtcInstant, nullable=False),
        sa.PrimaryKeyConstraint("user_id", "item"),
    )
    op.create_index("review_cards_due", "review_cards", ["user_id", "due_at"])
    # SQLite rebuilds the table to change the CHECK; here it is the constraint alone.
    op.drop_constraint("reminders_status_check", "reminders", type_="check")
    op.create_check_constraint("reminders_status_check", "reminders", f"status IN ({REMINDER_STATUSES})")
