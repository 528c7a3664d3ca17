"""The tables of spaced review (007), the check-in (008) and the group view (009), in the one ``metadata``
(:mod:`bot.db.tables` imports and re-exports them; import them from there)."""

from __future__ import annotations

import sqlalchemy as sa

from bot.db.columns import Id, Real, UtcInstant, metadata
from bot.db.columns import flag as _flag
from bot.db.columns import member_column as _member

# 007: spaced review
review_cards = sa.Table(
    "review_cards",
    metadata,
    _member(),
    sa.Column("item", sa.Text, nullable=False),
    sa.Column("card", sa.Text, nullable=False),
    sa.Column("card_schema", sa.Integer, nullable=False),
    sa.Column("due_at", UtcInstant, nullable=False),
    sa.Column("reviews", sa.Integer, nullable=False, server_default=sa.text("0")),
    sa.Column("lapses", sa.Integer, nullable=False, server_default=sa.text("0")),
    sa.Column("last_review_at", UtcInstant, nullable=False),
    sa.PrimaryKeyConstraint("user_id", "item"),
    sa.Index("review_cards_due", "user_id", "due_at"),
)

# 008: the check-in and item calibration
checkin_results = sa.Table(
    "checkin_results",
    metadata,
    sa.Column("id", Id, primary_key=True),
    sa.Column(
        "session_id",
        Id,
        sa.ForeignKey("practice_sessions.id", ondelete="CASCADE"),
        nullable=False,
        unique=True,
    ),
    _member(),
    sa.Column("items", sa.Integer, nullable=False),
    sa.Column("ability", Real, nullable=False),
    sa.Column("se", Real, nullable=False),
    sa.Column("low", Real, nullable=False),
    sa.Column("high", Real, nullable=False),
    sa.Column("standard", Real, nullable=False),
    sa.Column("verdict", sa.Text, nullable=False),
    sa.Column("finished_at", UtcInstant, nullable=False),
    sa.Index("checkin_results_by_member", "user_id", "finished_at"),
)

item_calibration = sa.Table(
    "item_calibration",
    metadata,
    sa.Column("item_id", sa.Text, primary_key=True),
    sa.Column("difficulty", Real, nullable=False),
    sa.Column("responses", sa.Integer, nullable=False),
    sa.Column("calibrated_at", UtcInstant, nullable=False),
)

calibration_runs = sa.Table(
    "calibration_runs",
    metadata,
    sa.Column("id", Id, primary_key=True),
    sa.Column("answers_seen", sa.Integer, nullable=False),
    sa.Column("members", sa.Integer, nullable=False),
    sa.Column("items", sa.Integer, nullable=False),
    sa.Column("seconds", Real, nullable=False),
    sa.Column("finished_at", UtcInstant, nullable=False),
)

# 009: the group view and the weekly digest
group_members = sa.Table(
    "group_members",
    metadata,
    sa.Column("id", Id, primary_key=True),
    sa.Column("guild_id", Id, nullable=False),
    _member(),
    sa.Column("first_seen_at", UtcInstant, nullable=False),
    sa.UniqueConstraint("guild_id", "user_id"),
    sa.Index("group_members_by_user", "user_id"),
)

group_digest_settings = sa.Table(
    "group_digest_settings",
    metadata,
    sa.Column("guild_id", Id, primary_key=True, autoincrement=False),
    _flag("enabled", 0),
    sa.Column(
        "weekday",
        sa.Integer,
        sa.CheckConstraint("weekday BETWEEN 0 AND 6"),
        nullable=False,
        server_default=sa.text("0"),
    ),
    sa.Column("next_digest_at", UtcInstant),
    sa.Column("pause_reason", sa.Text),
    sa.Column("updated_at", UtcInstant, nullable=False),
)

group_digests = sa.Table(
    "group_digests",
    metadata,
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
    sa.Column("owner", sa.Text),  # 010
    sa.Column("lease_until", UtcInstant),
    sa.CheckConstraint("status IN ('pending', 'claimed', 'sent', 'failed')"),
    sa.UniqueConstraint("guild_id", "digest_date"),
    sa.Index("group_digests_by_status", "status"),
)
