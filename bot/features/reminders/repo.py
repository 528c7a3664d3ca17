"""Reminder rows: the truth about what is due, claimed, sent. All SQL for them lives here."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

import sqlalchemy as sa

from bot.core.leases import claim_values, held, recoverable, released, take_over
from bot.core.outbox import Claimant, Lease
from bot.db import Database, Row, utc_text
from bot.db.tables import guild_settings, insert, members, reminders
from bot.features.members.repo import ensure_member
from bot.features.reminders.model import DueReminder, PlannedReminder, ReminderKind, ReminderStatus

r = reminders.c
_COLUMNS = (
    r.id,
    r.user_id,
    r.kind,
    r.local_date,
    r.about,
    r.due_at,
    r.zone,
    r.guild_id,
    r.attempts,
    r.status,
    r.owner,
)
#: Never deliver to a member who turned reminders off, whatever else went wrong.
_OPTED_IN = sa.exists().where(members.c.user_id == r.user_id, members.c.reminders_enabled == 1)
#: Undelivered reminders the member has not seen on /status yet.
MISSED_UNSHOWN = sa.and_(
    r.shown_at.is_(None),
    r.status.in_([ReminderStatus.FALLBACK_CHANNEL.value, ReminderStatus.FALLBACK_STATUS.value]),
)
_PENDING = r.status == ReminderStatus.PENDING.value


def _row(row: Row) -> DueReminder:
    return DueReminder(
        id=row[0],
        user_id=row[1],
        kind=ReminderKind(row[2]),
        local_date=dt.date.fromisoformat(row[3]),
        about=dt.date.fromisoformat(row[4]) if row[4] else None,
        due_at=dt.datetime.fromisoformat(row[5]),
        zone=row[6],
        guild_id=row[7],
        attempts=row[8],
        status=ReminderStatus(row[9]),
        owner=row[10],
    )


class ReminderRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def replace_pending(
        self,
        user_id: int,
        planned: Iterable[PlannedReminder],
        guild_id: int | None,
        *,
        now: dt.datetime,
        keep_overdue: bool = True,
    ) -> None:
        """Make the member's upcoming reminders exactly ``planned``: move, add, cancel in one transaction.

        Rows already claimed or sent are never touched, and (user, kind, date) is unique, so a reminder
        that went out is not created again. A pending row already due (waiting for a retry, or for the
        catch-up after downtime) is left for the engine to deliver, unless ``keep_overdue`` is False
        (the member opted out: nothing more is sent).
        """
        wanted = {(p.kind.value, p.local_date.isoformat()): p for p in planned}
        now_text = utc_text(now)
        async with self.db.transaction() as tx:
            await ensure_member(tx, user_id, self.db.now_text())
            result = await tx.execute(
                sa.select(r.id, r.kind, r.local_date, r.due_at).where(r.user_id == user_id, _PENDING)
            )
            rows = result.all()
            existing = {(row[1], row[2]): row[0] for row in rows if row[3] > now_text or not keep_overdue}
            gone = [row_id for key, row_id in existing.items() if key not in wanted]
            if gone:
                await tx.execute(sa.delete(reminders).where(r.id.in_(gone)))
            for key, plan in wanted.items():
                due = utc_text(plan.due_at)
                about = plan.about.isoformat() if plan.about else None
                if key in existing:
                    await tx.execute(
                        sa.update(reminders)
                        .where(r.id == existing[key])
                        .values(due_at=due, wake_at=due, zone=plan.zone, about=about,
                                guild_id=sa.func.coalesce(sa.cast(guild_id, r.guild_id.type), r.guild_id))
                    )  # fmt: skip
                else:
                    await tx.execute(
                        insert(reminders, tx.dialect)
                        .values(user_id=user_id, kind=key[0], local_date=key[1], about=about, due_at=due,
                                zone=plan.zone, wake_at=due, guild_id=guild_id)
                        .on_conflict_do_nothing(index_elements=[r.user_id, r.kind, r.local_date])
                    )  # fmt: skip

    async def next_wake(self) -> dt.datetime | None:
        result = await self.db.query(sa.select(sa.func.min(r.wake_at)).where(_PENDING, _OPTED_IN))
        row = result.one()
        return dt.datetime.fromisoformat(row[0]) if row and row[0] else None

    async def overdue(self, before: dt.datetime) -> int:
        """How many reminders should have gone out before ``before`` and have not (the health report)."""
        late = utc_text(before)
        result = await self.db.query(
            sa.select(sa.func.count())
            .select_from(reminders)
            .where(
                sa.or_(
                    sa.and_(r.status == "pending", r.wake_at <= late),
                    sa.and_(r.status == "claimed", r.claimed_at <= late),
                ),
                _OPTED_IN,
            )
        )
        return int(result.scalar() or 0)

    async def claim_due(self, now: dt.datetime, limit: int, lease: Lease) -> list[DueReminder]:
        """Atomically take up to ``limit`` due rows under ``lease``, counting a try on each, earliest first.

        One statement: ``WITH due AS (SELECT ... FOR UPDATE SKIP LOCKED) UPDATE ... RETURNING``. On
        PostgreSQL a row another process is claiming is skipped, not waited for; SQLite has one writer
        at a time and no ``FOR UPDATE`` (SQLAlchemy leaves it out)."""
        now_text = utc_text(now)
        due = (
            sa.select(r.id)
            .where(_PENDING, r.wake_at <= now_text, _OPTED_IN)
            .order_by(r.wake_at, r.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
            .cte("due")  # a CTE runs once: a subquery could be scanned again and claim more than ``limit``
        )
        async with self.db.transaction() as tx:
            result = await tx.execute(
                sa.update(reminders)
                .where(r.id.in_(sa.select(due.c.id)), _PENDING)
                .values(status=ReminderStatus.CLAIMED.value, claimed_at=now_text, attempts=r.attempts + 1,
                        **claim_values(lease))
                .returning(*_COLUMNS)
            )  # fmt: skip
            rows = [_row(row) for row in result.all()]
        return sorted(rows, key=lambda row: (row.due_at, row.id))

    async def claimed(self, now: dt.datetime, claimant: Claimant) -> list[DueReminder]:
        """Claimed rows to resolve: their lease ran out (see :mod:`bot.core.leases`)."""
        result = await self.db.query(
            sa.select(*_COLUMNS)
            .where(r.status == ReminderStatus.CLAIMED.value, recoverable(r.lease_until, now, claimant))
            .order_by(r.id)
        )
        return [_row(row) for row in result.all()]

    async def take_over(self, item: DueReminder, now: dt.datetime, claimant: Claimant) -> DueReminder | None:
        """Make a claimed row whose lease ran out this process's (see OutboxClient.take_over)."""
        async with self.db.transaction() as tx:
            result = await tx.execute(take_over(reminders, item.id, now, claimant).returning(*_COLUMNS))
            row = result.one()
        return _row(row) if row else None

    async def finish(
        self,
        item: DueReminder,
        status: ReminderStatus,
        now: dt.datetime,
        *,
        message_id: int | None = None,
        error: str | None = None,
    ) -> None:
        """End a claimed row (only while ``item``'s owner still holds it)."""
        async with self.db.transaction() as tx:
            await tx.execute(
                sa.update(reminders)
                .where(r.id == item.id, *held(reminders, item.owner))
                .values(status=status.value, sent_at=utc_text(now), message_id=message_id, last_error=error)
            )

    async def release(
        self, item: DueReminder, wake_at: dt.datetime, error: str | None, *, uncount: bool = False
    ) -> None:
        """Put a claimed row back to pending, to be tried again at ``wake_at`` (``uncount``: the claim
        was handed back unsent and is not a try)."""
        async with self.db.transaction() as tx:
            await tx.execute(
                sa.update(reminders)
                .where(r.id == item.id, *held(reminders, item.owner))
                .values(wake_at=utc_text(wake_at), last_error=error, **released(reminders, uncount=uncount))
            )

    async def pending_for(self, user_id: int) -> list[DueReminder]:
        result = await self.db.query(
            sa.select(*_COLUMNS).where(r.user_id == user_id, _PENDING).order_by(r.due_at)
        )
        return [_row(row) for row in result.all()]

    async def unshown_missed(self, user_id: int) -> list[DueReminder]:
        result = await self.db.query(
            sa.select(*_COLUMNS).where(r.user_id == user_id, MISSED_UNSHOWN).order_by(r.due_at)
        )
        return [_row(row) for row in result.all()]

    async def mark_shown(self, ids: Sequence[int], now: dt.datetime) -> None:
        if not ids:
            return
        async with self.db.transaction() as tx:
            await tx.execute(sa.update(reminders).where(r.id.in_(list(ids))).values(shown_at=utc_text(now)))

    async def nudges_without_next(self) -> list[int]:
        """Members who asked for review nudges (and reminders) but have no nudge pending or in flight."""
        m, r = members.c, reminders.c
        waiting = sa.exists().where(
            r.user_id == m.user_id, r.kind == "review", r.status.in_(("pending", "claimed"))
        )
        result = await self.db.query(
            sa.select(m.user_id).where(m.review_nudge_hour.is_not(None), m.reminders_enabled == 1, ~waiting)
        )
        return [row[0] for row in result.all()]

    async def fallback_channel(self, guild_id: int | None) -> int | None:
        if guild_id is None:
            return None
        result = await self.db.query(
            sa.select(guild_settings.c.quiz_channel_id).where(guild_settings.c.guild_id == guild_id)
        )
        row = result.one()
        return row[0] if row and row[0] else None


class ReminderRows:
    """The row half of the reminders' outbox client (what to deliver); the Discord half sends."""

    name = "reminders"

    def __init__(self, repo: ReminderRepository) -> None:
        self.repo = repo

    async def next_wake(self) -> dt.datetime | None:
        return await self.repo.next_wake()

    async def claim_due(self, now: dt.datetime, limit: int, lease: Lease) -> list[DueReminder]:
        return await self.repo.claim_due(now, limit, lease)

    async def claimed(self, now: dt.datetime, claimant: Claimant) -> list[DueReminder]:
        return await self.repo.claimed(now, claimant)

    async def take_over(self, item: DueReminder, now: dt.datetime, claimant: Claimant) -> DueReminder | None:
        return await self.repo.take_over(item, now, claimant)

    async def mark_sent(self, item: DueReminder, message_id: int, now: dt.datetime) -> None:
        """Record the DM as sent. Only a claimed row changes: a fallback note that the crash look-up
        found was already recorded as the fallback, and stays so."""
        await self.repo.finish(item, ReminderStatus.SENT, now, message_id=message_id)

    async def release(
        self, item: DueReminder, wake_at: dt.datetime, error: str | None, *, uncount: bool = False
    ) -> None:
        await self.repo.release(item, wake_at, error, uncount=uncount)
