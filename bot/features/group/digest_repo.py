"""All SQL of the weekly digest: each guild's setting and its digest rows (outbox rows)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa

from bot.core.leases import claim_values, held, recoverable, released, take_over
from bot.core.outbox import Claimant, Lease
from bot.core.shards import Ownership, owned_clause
from bot.db import Conflict, Database, Row, utc_text
from bot.db.tables import group_digest_settings, group_digests, insert


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
    owner: str | None = None  # the process holding its claim

    @property
    def nonce(self) -> str:
        return f"emr-digest-{self.id}"


d = group_digests.c
g = group_digest_settings.c
_DIGEST = (d.id, d.guild_id, d.channel_id, d.digest_date, d.status, d.attempts, d.due_at, d.owner)
_SETTINGS = (g.guild_id, g.enabled, g.weekday, g.next_digest_at, g.pause_reason)
_ON = (g.enabled == 1, g.pause_reason.is_(None))  # a guild whose digest is on and not paused


def _digest(row: Row) -> DigestRecord:
    return DigestRecord(
        row[0],
        row[1],
        row[2],
        dt.date.fromisoformat(row[3]),
        row[4],
        row[5],
        dt.datetime.fromisoformat(row[6]),
        row[7],
    )


def _settings(row: Row) -> DigestSettings:
    return DigestSettings(
        row[0], bool(row[1]), row[2], dt.datetime.fromisoformat(row[3]) if row[3] else None, row[4]
    )


class DigestRepository:
    """``owned``: the shards this process runs. The digest is guild work: the outbox's queries
    (``due_settings``, ``next_wake``, ``claimed_digests``) only see the guilds on those shards."""

    def __init__(self, db: Database, owned: Ownership | None = None) -> None:
        self.db = db
        self.owned = owned or Ownership()

    async def digest_settings(self, guild_id: int) -> DigestSettings | None:
        result = await self.db.query(sa.select(*_SETTINGS).where(g.guild_id == guild_id))
        row = result.one()
        return _settings(row) if row else None

    async def set_digest(
        self, guild_id: int, enabled: bool, weekday: int, next_at: dt.datetime | None
    ) -> None:
        """Turn the digest on or off (an organizer's choice also lifts the bot's own pause)."""
        async with self.db.transaction() as tx:
            values = dict(
                enabled=int(enabled),
                weekday=weekday,
                next_digest_at=utc_text(next_at) if next_at else None,
                pause_reason=None,
                updated_at=self.db.now_text(),
            )
            await tx.execute(
                insert(group_digest_settings, tx.dialect)
                .values(guild_id=guild_id, **values)
                .on_conflict_do_update(index_elements=[g.guild_id], set_=values)
            )
            if not enabled:
                await tx.execute(
                    sa.update(group_digests)
                    .where(d.guild_id == guild_id, d.status == "pending")
                    .values(status="failed", last_error="turned off")
                )

    async def set_next(self, guild_id: int, at: dt.datetime | None) -> None:
        async with self.db.transaction() as tx:
            await tx.execute(
                sa.update(group_digest_settings)
                .where(g.guild_id == guild_id)
                .values(next_digest_at=utc_text(at) if at else None)
            )

    async def pause_for(self, guild_id: int, reason: str) -> None:
        async with self.db.transaction() as tx:
            await tx.execute(
                sa.update(group_digest_settings)
                .where(g.guild_id == guild_id)
                .values(pause_reason=reason, next_digest_at=None, updated_at=self.db.now_text())
            )

    async def due_settings(self, now: dt.datetime, limit: int) -> list[DigestSettings]:
        result = await self.db.query(
            sa.select(*_SETTINGS)
            .where(
                *_ON,
                g.next_digest_at.is_not(None),
                g.next_digest_at <= utc_text(now),
                owned_clause(g.guild_id, self.owned),
            )
            .order_by(g.next_digest_at)
            .limit(limit)
        )
        return [_settings(r) for r in result.all()]

    async def next_wake(self) -> dt.datetime | None:
        result = await self.db.query(
            sa.select(sa.func.min(g.next_digest_at)).where(*_ON, owned_clause(g.guild_id, self.owned))
        )
        value = result.scalar()
        return dt.datetime.fromisoformat(value) if value else None

    async def last_digest(self, guild_id: int) -> DigestRecord | None:
        result = await self.db.query(
            sa.select(*_DIGEST).where(d.guild_id == guild_id).order_by(d.digest_date.desc()).limit(1)
        )
        row = result.one()
        return _digest(row) if row else None

    async def create_digest(
        self, guild_id: int, channel_id: int, digest_date: dt.date, due_at: dt.datetime
    ) -> DigestRecord | None:
        try:
            async with self.db.transaction() as tx:
                cursor = await tx.execute(
                    sa.insert(group_digests)
                    .values(
                        guild_id=guild_id,
                        channel_id=channel_id,
                        digest_date=digest_date.isoformat(),
                        due_at=utc_text(due_at),
                        created_at=self.db.now_text(),
                    )
                    .returning(d.id)
                )
        except Conflict:
            return None
        return DigestRecord(cursor.scalar(), guild_id, channel_id, digest_date, "pending", 0, due_at)

    async def claim_digest(self, digest_id: int, lease: Lease) -> DigestRecord | None:
        """Take a pending digest of a guild whose digest is still on, under ``lease`` (counting a try)."""
        async with self.db.transaction() as tx:
            on = sa.select(g.guild_id).where(*_ON)
            cursor = await tx.execute(
                sa.update(group_digests)
                .where(d.id == digest_id, d.status == "pending", d.guild_id.in_(on))
                .values(status="claimed", attempts=d.attempts + 1, **claim_values(lease))
                .returning(*_DIGEST)
            )
            row = cursor.one()
        return _digest(row) if row else None

    async def claimed_digests(self, now: dt.datetime, claimant: Claimant) -> list[DigestRecord]:
        """Claimed digests of this process's guilds whose lease ran out (:mod:`bot.core.leases`)."""
        result = await self.db.query(
            sa.select(*_DIGEST).where(
                d.status == "claimed",
                owned_clause(d.guild_id, self.owned),
                recoverable(d.lease_until, now, claimant),
            )
        )
        return [_digest(r) for r in result.all()]

    async def take_over_digest(
        self, digest: DigestRecord, now: dt.datetime, claimant: Claimant
    ) -> DigestRecord | None:
        """Make a claimed digest whose lease ran out this process's (see OutboxClient.take_over)."""
        async with self.db.transaction() as tx:
            cursor = await tx.execute(take_over(group_digests, digest.id, now, claimant).returning(*_DIGEST))
            row = cursor.one()
        return _digest(row) if row else None

    async def finish_digest(
        self,
        digest_id: int,
        status: str,
        *,
        owner: str | None = None,
        message_id: int | None = None,
        error: str | None = None,
    ) -> None:
        """End a digest; with ``owner``, only while that process still holds its claim."""
        guard = () if owner is None else held(group_digests, owner)
        async with self.db.transaction() as tx:
            await tx.execute(
                sa.update(group_digests)
                .where(d.id == digest_id, *guard)
                .values(status=status, message_id=message_id, last_error=error)
            )

    async def release_digest(self, digest: DigestRecord, error: str | None, *, uncount: bool = False) -> None:
        async with self.db.transaction() as tx:
            await tx.execute(
                sa.update(group_digests)
                .where(d.id == digest.id, *held(group_digests, digest.owner))
                .values(last_error=error, **released(group_digests, uncount=uncount))
            )
