"""Every table, as SQLAlchemy Core: the one description both backends share.

Types are chosen so an existing SQLite file needs no change (its declared types and stored values stay
as today's migrations made them) and PostgreSQL gets its natural types:

* instants (``*_at``) are :class:`UtcInstant`: UTC ISO-8601 text on SQLite, ``TIMESTAMPTZ`` on
  PostgreSQL; in Python they are the same text on both (:func:`bot.db.base.utc_text`), so repositories
  and text order work unchanged;
* Discord ids and ``issued_at`` (epoch seconds) are 64-bit (``BIGINT`` on PostgreSQL);
* calendar dates stay ``YYYY-MM-DD`` text (a member's local date, not an instant);
* yes/no columns stay 0/1 integers with their CHECK, as stored today.

The Alembic revisions in ``bot/db/alembic/versions`` build exactly this schema; a test compares them.
"""

from __future__ import annotations

import sqlalchemy as sa

from bot.db.columns import Id, Real, UtcInstant, insert, metadata
from bot.db.columns import flag as _flag
from bot.db.columns import member_column as _member
from bot.db.feature_tables import (
    calibration_runs,
    checkin_results,
    group_digest_settings,
    group_digests,
    group_members,
    item_calibration,
    review_cards,
)

__all__ = [
    "Id",
    "Real",
    "UtcInstant",
    "calibration_runs",
    "checkin_results",
    "group_digest_settings",
    "group_digests",
    "group_members",
    "insert",
    "item_calibration",
    "metadata",
    "review_cards",
]

members = sa.Table(
    "members",
    metadata,
    sa.Column("user_id", Id, primary_key=True, autoincrement=False),
    sa.Column("timezone", sa.Text),
    _flag("share_status", 0),
    _flag("reminders_enabled", 1),
    sa.Column("created_at", UtcInstant, nullable=False),
    sa.Column("updated_at", UtcInstant, nullable=False),
    sa.Column("review_goal_on", sa.Text),  # 007
    sa.Column("review_nudge_hour", sa.Integer, sa.CheckConstraint("review_nudge_hour BETWEEN 0 AND 23")),
    sa.Column("dm_channel_id", Id),  # 010: the DM channel with the bot, so a reminder is one request
)

gates = sa.Table(
    "gates",
    metadata,
    sa.Column("user_id", Id, sa.ForeignKey("members.user_id", ondelete="CASCADE"), primary_key=True),
    sa.Column("gate", sa.Text, primary_key=True),
    sa.Column("mark", sa.Text, nullable=False),
    sa.Column("happened_on", sa.Text),
    sa.Column("updated_at", UtcInstant, nullable=False),
    sa.CheckConstraint("gate IN ('course', 'verification', 'exam', 'skills', 'license')"),
    sa.CheckConstraint("mark IN ('done', 'pending', 'not_required', 'issue')"),
)

attempts = sa.Table(
    "attempts",
    metadata,
    sa.Column("id", Id, primary_key=True),
    _member(),
    sa.Column("taken_on", sa.Text, nullable=False),
    sa.Column("score", sa.Integer, nullable=False),
    sa.Column("recorded_at", UtcInstant, nullable=False),
    sa.UniqueConstraint("user_id", "taken_on"),
)

refreshers = sa.Table(
    "refreshers",
    metadata,
    sa.Column("id", Id, primary_key=True),
    _member(),
    sa.Column("completed_on", sa.Text, nullable=False),
    sa.Column("recorded_at", UtcInstant, nullable=False),
    sa.UniqueConstraint("user_id", "completed_on"),
)

misses = sa.Table(
    "misses",
    metadata,
    sa.Column("id", Id, primary_key=True),
    _member(),
    sa.Column("bucket", sa.Text, nullable=False),
    sa.Column("note", sa.Text),
    sa.Column("source", sa.Text, nullable=False, server_default="manual"),
    sa.Column("question_id", sa.Text),
    sa.Column("logged_on", sa.Text, nullable=False),
    sa.Column("logged_at", UtcInstant, nullable=False),
    sa.CheckConstraint("bucket IN ('knowledge', 'sequence', 'scope', 'reading', 'pacing')"),
    sa.Index("misses_by_member", "user_id", "logged_on"),
)

guild_settings = sa.Table(
    "guild_settings",
    metadata,
    sa.Column("guild_id", Id, primary_key=True, autoincrement=False),
    sa.Column("quiz_channel_id", Id),
    sa.Column("quiz_time", sa.Text),
    sa.Column("quiz_timezone", sa.Text),
    _flag("paused", 0),
    sa.Column("updated_at", UtcInstant, nullable=False),
    sa.Column("next_post_at", UtcInstant),
    sa.Column("pause_reason", sa.Text),
)

REMINDER_STATUSES = (
    "'pending', 'claimed', 'sent', 'fallback_channel', 'fallback_status', 'undeliverable', 'skipped'"  # 007
)
reminders = sa.Table(
    "reminders",
    metadata,
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
    sa.Column("owner", sa.Text),  # 010: the claiming process, and until when its claim holds
    sa.Column("lease_until", UtcInstant),
    sa.CheckConstraint(f"status IN ({REMINDER_STATUSES})", name="reminders_status_check"),
    sa.UniqueConstraint("user_id", "kind", "local_date"),
    sa.Index("reminders_wake", "status", "wake_at"),
)

quiz_posts = sa.Table(
    "quiz_posts",
    metadata,
    sa.Column("id", Id, primary_key=True),
    sa.Column("guild_id", Id, nullable=False),
    sa.Column("channel_id", Id, nullable=False),
    sa.Column("message_id", Id),
    sa.Column("question_id", sa.Text, nullable=False),
    sa.Column("cycle", sa.Integer, nullable=False),
    sa.Column("post_date", sa.Text, nullable=False),
    sa.Column("posted_at", UtcInstant, nullable=False),
    sa.Column("status", sa.Text, nullable=False, server_default="sent"),
    sa.Column("attempts", sa.Integer, nullable=False, server_default=sa.text("0")),
    sa.Column("last_error", sa.Text),
    sa.Column("owner", sa.Text),  # 010
    sa.Column("lease_until", UtcInstant),
    sa.CheckConstraint("status IN ('pending', 'claimed', 'sent', 'failed')"),
    sa.UniqueConstraint("guild_id", "post_date"),
    sa.Index("quiz_posts_by_guild", "guild_id", "cycle"),
)

CHOICES_ARE_LETTERS = "choices <> '' AND choices NOT GLOB '*[^A-E]*'"
CHOICES_ARE_LETTERS_PG = "choices <> '' AND choices ~ '^[A-E]+$'"
quiz_answers = sa.Table(
    "quiz_answers",
    metadata,
    sa.Column("id", Id, primary_key=True),
    _member(),
    sa.Column("guild_id", Id),
    sa.Column("question_id", sa.Text, nullable=False),
    sa.Column("domain", sa.Text, nullable=False),
    sa.Column("post_id", Id, sa.ForeignKey("quiz_posts.id", ondelete="SET NULL")),
    sa.Column("issued_at", sa.BigInteger),  # epoch seconds
    sa.Column("choice", sa.Integer, sa.CheckConstraint("choice BETWEEN 0 AND 3")),
    sa.Column("choices", sa.Text),
    sa.Column("correct", sa.Integer, sa.CheckConstraint("correct IN (0, 1)"), nullable=False),
    sa.Column("seconds", Real),
    sa.Column("answered_on", sa.Text, nullable=False),
    sa.Column("answered_at", UtcInstant, nullable=False),
    sa.Index(
        "quiz_answers_once_per_post",
        "post_id",
        "user_id",
        unique=True,
        sqlite_where=sa.text("post_id IS NOT NULL"),
        postgresql_where=sa.text("post_id IS NOT NULL"),
    ),
    sa.Index(
        "quiz_answers_once_per_issue",
        "user_id",
        "question_id",
        "issued_at",
        unique=True,
        sqlite_where=sa.text("issued_at IS NOT NULL"),
        postgresql_where=sa.text("issued_at IS NOT NULL"),
    ),
    sa.Index("quiz_answers_by_member", "user_id", "answered_on"),
    sa.Index("quiz_answers_by_guild", "guild_id", "answered_at", "user_id", "correct", "post_id"),  # 009
    sa.Index("quiz_answers_by_time", "answered_at", "user_id", "domain", "correct"),  # 009
)

question_reports = sa.Table(
    "question_reports",
    metadata,
    sa.Column("id", Id, primary_key=True),
    _member(),
    sa.Column("guild_id", Id),
    sa.Column("question_id", sa.Text, nullable=False),
    sa.Column("reason", sa.Text, nullable=False),
    sa.Column("reported_at", UtcInstant, nullable=False),
    sa.Index("question_reports_by_guild", "guild_id", "reported_at"),
)

practice_sessions = sa.Table(
    "practice_sessions",
    metadata,
    sa.Column("id", Id, primary_key=True),
    _member(),
    sa.Column("mode", sa.Text, nullable=False),
    sa.Column("bucket", sa.Text),
    sa.Column("items", sa.Text, nullable=False),
    sa.Column("position", sa.Integer, nullable=False, server_default=sa.text("0")),
    sa.Column("status", sa.Text, nullable=False, server_default="active"),
    sa.Column("target", Real),
    sa.Column("started_at", UtcInstant, nullable=False),
    sa.Column("shown_at", UtcInstant),
    sa.Column("ended_at", UtcInstant),
    sa.Index(
        "practice_one_active",
        "user_id",
        unique=True,
        sqlite_where=sa.text("status = 'active'"),
        postgresql_where=sa.text("status = 'active'"),
    ),
)

practice_answers = sa.Table(
    "practice_answers",
    metadata,
    sa.Column("id", Id, primary_key=True),
    sa.Column("session_id", Id, sa.ForeignKey("practice_sessions.id", ondelete="CASCADE"), nullable=False),
    _member(),
    sa.Column("position", sa.Integer, nullable=False),
    sa.Column("item", sa.Text, nullable=False),
    sa.Column("domain", sa.Text),
    sa.Column("bucket", sa.Text, nullable=False),
    sa.Column("correct", sa.Integer, nullable=False),
    sa.Column("in_place", sa.Integer),
    sa.Column("seconds", Real),
    sa.Column("answered_at", UtcInstant, nullable=False),
    sa.UniqueConstraint("session_id", "position"),
    sa.Index("practice_answers_by_member", "user_id", "answered_at"),
)
