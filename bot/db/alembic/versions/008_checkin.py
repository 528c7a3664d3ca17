"""008: the check-in's results, item calibration and calibration runs (was 008_checkin.sql).

Revision ID: 008
"""

import sqlalchemy as sa
from alembic import op

from bot.db.migrate import carry_over
from bot.db.tables import Id, Real, UtcInstant

revision = "008"
down_revision = "007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if carry_over(8):
        return
    op.create_table(
        "checkin_results",
        sa.Column("id", Id, primary_key=True),
        sa.Column(
            "session_id",
            Id,
            sa.ForeignKey("practice_sessions.id", ondelete="CASCADE"),
            nullable=False,
            unique=True,
        ),
        sa.Column("user_id", Id, sa.ForeignKey("members.user_id", ondelete="CASCADE"), nullable=False),
        sa.Column("items", sa.Integer, nullable=False),
        sa.Column("ability", Real, nullable=False),
        sa.Column("se", Real, nullable=False),
        sa.Column("low", Real, nullable=False),
        sa.Column("high", Real, nullable=False),
        sa.Column("standard", Real, nullable=False),
        sa.Column("verdict", sa.Text, nullable=False),
        sa.Column("finished_at", UtcInstant, nullable=False),
    )
    op.create_index("checkin_results_by_member", "checkin_results", ["user_id", "finished_at"])
    op.create_table(
        "item_calibration",
        sa.Column("item_id", sa.Text, primary_key=True),
        sa.Column("difficulty", Real, nullable=False),
        sa.Column("responses", sa.Integer, nullable=False),
        sa.Column("calibrated_at", UtcInstant, nullable=False),
    )
    op.create_table(
        "calibration_runs",
        sa.Column("id", Id, primary_key=True),
        sa.Column("answers_seen", sa.Integer, nullable=False),
        sa.Column("members", sa.Integer, nullable=False),
        sa.Column("items", sa.Integer, nullable=False),
        sa.Column("seconds", Real, nullable=False),
        sa.Column("finished_at", UtcInstant, nullable=False),
    )
