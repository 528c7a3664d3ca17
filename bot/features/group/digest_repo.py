"""All SQL of the weekly digest: each guild's setting and its digest rows (outbox rows)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from bot.db import Conflict, Database, Row, utc_text


@dataclass(frozen=True, slots=True)
class DigestSettings:
    guild_id: int
    enabled: bool
    weekday: int  # 0 = Monday
    next_digest_at: dt.datetime | None
    pause_reason: str | None


@dataclass(frozen=True, slots=True)
class DigestRecord:
    """One weekly digest of one guild: also an outbox row."""

    id: int
    guild_id: int
    channel_id: int
    digest_date: dt.date
    status: str
    attempts: int
    due_at: dt.datetime

    @property
    def nonce(self) -> str:
        return f"emr-digest-{self.id}"


_DIGEST = "id, guild_id, channel_id, digest_date, status, attempts, due_at"
_SETTINGS = "guild_id, enabled, weekday, next_digest_at, pause_reason"


def _digest(row: Row) -> DigestRecord:
    return DigestRecord(
        row[0],
        row[1],
        row[2],
        dt.date.fromisoformat(row[3]),
        row[4],
        row[5],
        dt.datetime.fromisoformat(row[6]),
    )


def _settings(row: Row) -> DigestSettings:
    return DigestSettings(
        row[0], bool(row[1]), row[2], dt.datetime.fromisoformat(row[3]) if row[3] else None, row[4]
    )


class DigestRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def digest_settings(self, guild_id: int) -> DigestSettings | None:
        result = await self.db.query(
            f"SELECT {_SETTINGS} FROM group_digest_settings WHERE guild_id = ?", (guild_id,)
        )
        row = result.one()
        return _settings(row) if row else None

    async def set_digest(
        self, guild_id: int, enabled: bool, weekday: int, next_at: dt.datetime | None
    ) -> None:
        """Turn the digest on or off (an organizer's choice also lifts the bot's own pause)."""
        async with self.db.transaction() as tx:
            await tx.execute(
                "INSERT INTO group_digest_settings (guild_id, enabled, weekday, next_digest_at, pause_reason, "
                "updated_at) VALUES (?, ?, ?, ?, NULL, ?) ON CONFLICT (guild_id) DO UPDATE SET "
                "enabled = excluded.enabled, weekday = excluded.weekday, "
                "next_digest_at = excluded.next_digest_at, pause_reason = NULL, updated_at = excluded.updated_at",
                (guild_id, int(enabled), weekday, utc_text(next_at) if next_at else None, self.db.now_text()),
            )
            if not enabled:
                await tx.execute(
                    "UPDATE group_digests SET status = 'failed', last_error = 'turned off' "
                    "WHERE guild_id = ? AND status = 'pending'",
                    (guild_id,),
                )

    async def set_next(self, guild_id: int, at: dt.datetime | None) -> None:
        async with self.db.transaction() as tx:
            await tx.execute(
                "UPDATE group_digest_settings SET next_digest_at = ? WHERE guild_id = ?",
                (utc_text(at) if at else None, guild_id),
            )

    async def pause_for(self, guild_id: int, reason: str) -> None:
        async with self.db.transaction() as tx:
            await tx.execute(
                "UPDATE group_digest_settings SET pause_reason = ?, next_digest_at = NULL, updated_at = ? "
                "WHERE guild_id = ?",
                (reason, self.db.now_text(), guild_id),
            )

    async def due_settings(self, now: dt.datetime, limit: int) -> list[DigestSettings]:
        result = await self.db.query(
            f"SELECT {_SETTINGS} FROM group_digest_settings WHERE enabled = 1 AND pause_reason IS NULL "
            "AND next_digest_at IS NOT NULL AND next_digest_at <= ? ORDER BY next_digest_at LIMIT ?",
            (utc_text(now), limit),
        )
        return [_settings(r) for r in result.all()]

    async def next_wake(self) -> dt.datetime | None:
        result = await self.db.query(
            "SELECT min(next_digest_at) FROM group_digest_settings WHERE enabled = 1 AND pause_reason IS NULL"
        )
        value = result.scalar()
        return dt.datetime.fromisoformat(value) if value else None

    async def last_digest(self, guild_id: int) -> DigestRecord | None:
        result = await self.db.query(
            f"SELECT {_DIGEST} FROM group_digests WHERE guild_id = ? ORDER BY digest_date DESC LIMIT 1",
            (guild_id,),
        )
        row = result.one()
        return _digest(row) if row else None

    async def create_digest(
        self, guild_id: int, channel_id: int, digest_date: dt.date, due_at: dt.datetime
    ) -> DigestRecord | None:
        try:
            async with self.db.transaction() as tx:
                cursor = await tx.execute(
                    "INSERT INTO group_digests (guild_id, channel_id, digest_date, due_at, created_at) "
                    "VALUES (?, ?, ?, ?, ?)",
                    (guild_id, channel_id, digest_date.isoformat(), utc_text(due_at), self.db.now_text()),
                )
        except Conflict:
            return None
        return DigestRecord(cursor.lastrowid or 0, guild_id, channel_id, digest_date, "pending", 0, due_at)

    async def claim_digest(self, digest_id: int) -> DigestRecord | None:
        """Take a pending digest of a guild whose digest is still on (counting a try)."""
        async with self.db.transaction() as tx:
            cursor = await tx.execute(
                "UPDATE group_digests SET status = 'claimed', attempts = attempts + 1 WHERE id = ? "
                "AND status = 'pending' AND guild_id IN (SELECT guild_id FROM group_digest_settings "
                "WHERE enabled = 1 AND pause_reason IS NULL)",
                (digest_id,),
            )
            if cursor.rowcount != 1:
                return None
            row = (await tx.execute(f"SELECT {_DIGEST} FROM group_digests WHERE id = ?", (digest_id,))).one()
        return _digest(row) if row else None

    async def claimed_digests(self) -> list[DigestRecord]:
        result = await self.db.query(f"SELECT {_DIGEST} FROM group_digests WHERE status = 'claimed'")
        return [_digest(r) for r in result.all()]

    async def finish_digest(
        self, digest_id: int, status: str, *, message_id: int | None = None, error: str | None = None
    ) -> None:
        async with self.db.transaction() as tx:
            await tx.execute(
                "UPDATE group_digests SET status = ?, message_id = ?, last_error = ? WHERE id = ?",
                (status, message_id, error, digest_id),
            )

    async def release_digest(self, digest_id: int, error: str | None) -> None:
        async with self.db.transaction() as tx:
            await tx.execute(
                "UPDATE group_digests SET status = 'pending', last_error = ? WHERE id = ? AND status = 'claimed'",
                (error, digest_id),
            )
