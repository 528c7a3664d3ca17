"""Reminder rows: the truth about what is due, claimed, sent. All SQL for them lives here."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from bot.db import Database, Row, utc_text
from bot.features.members.repo import ensure_member
from bot.features.reminders.model import DueReminder, PlannedReminder, ReminderKind, ReminderStatus

_COLUMNS = "id, user_id, kind, local_date, about, due_at, zone, guild_id, attempts, status"
#: Never deliver to a member who turned reminders off, whatever else went wrong.
_OPTED_IN = "EXISTS (SELECT 1 FROM members m WHERE m.user_id = reminders.user_id AND m.reminders_enabled = 1)"


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
                "SELECT id, kind, local_date, due_at FROM reminders WHERE user_id = ? AND status = 'pending'",
                (user_id,),
            )
            rows = result.all()
            existing = {(r[1], r[2]): r[0] for r in rows if r[3] > now_text or not keep_overdue}
            for key, row_id in existing.items():
                if key not in wanted:
                    await tx.execute("DELETE FROM reminders WHERE id = ?", (row_id,))
            for key, plan in wanted.items():
                due = utc_text(plan.due_at)
                about = plan.about.isoformat() if plan.about else None
                if key in existing:
                    await tx.execute(
                        "UPDATE reminders SET due_at = ?, wake_at = ?, zone = ?, about = ?, "
                        "guild_id = coalesce(?, guild_id) WHERE id = ?",
                        (due, due, plan.zone, about, guild_id, existing[key]),
                    )
                else:
                    await tx.execute(
                        "INSERT INTO reminders (user_id, kind, local_date, about, due_at, zone, wake_at, guild_id) "
                        "VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (user_id, kind, local_date) DO NOTHING",
                        (user_id, key[0], key[1], about, due, plan.zone, due, guild_id),
                    )

    async def due(self, now: dt.datetime, limit: int) -> list[DueReminder]:
        result = await self.db.query(
            f"SELECT {_COLUMNS} FROM reminders WHERE status = 'pending' AND wake_at <= ? AND {_OPTED_IN} "
            "ORDER BY wake_at, id LIMIT ?",
            (utc_text(now), limit),
        )
        return [_row(r) for r in result.all()]

    async def next_wake(self) -> dt.datetime | None:
        result = await self.db.query(
            f"SELECT min(wake_at) FROM reminders WHERE status = 'pending' AND {_OPTED_IN}"
        )
        row = result.one()
        return dt.datetime.fromisoformat(row[0]) if row and row[0] else None

    async def overdue(self, before: dt.datetime) -> int:
        """How many reminders should have gone out before ``before`` and have not (the health report)."""
        result = await self.db.query(
            "SELECT count(*) FROM reminders WHERE ((status = 'pending' AND wake_at <= ?) "
            f"OR (status = 'claimed' AND claimed_at <= ?)) AND {_OPTED_IN}",
            (utc_text(before), utc_text(before)),
        )
        return int(result.scalar() or 0)

    async def claim(self, reminder_id: int, now: dt.datetime) -> DueReminder | None:
        """Atomically take a pending row for delivery, counting a try; None if it is taken or gone."""
        async with self.db.transaction() as tx:
            result = await tx.execute(
                "UPDATE reminders SET status = 'claimed', claimed_at = ?, attempts = attempts + 1 "
                f"WHERE id = ? AND status = 'pending' AND {_OPTED_IN} RETURNING {_COLUMNS}",
                (utc_text(now), reminder_id),
            )
        row = result.one()
        return _row(row) if row else None

    async def claimed(self) -> list[DueReminder]:
        result = await self.db.query(f"SELECT {_COLUMNS} FROM reminders WHERE status = 'claimed' ORDER BY id")
        return [_row(r) for r in result.all()]

    async def finish(
        self,
        reminder_id: int,
        status: ReminderStatus,
        now: dt.datetime,
        *,
        message_id: int | None = None,
        error: str | None = None,
    ) -> None:
        async with self.db.transaction() as tx:
            await tx.execute(
                "UPDATE reminders SET status = ?, sent_at = ?, message_id = ?, last_error = ? "
                "WHERE id = ? AND status = 'claimed'",
                (status.value, utc_text(now), message_id, error, reminder_id),
            )

    async def release(self, reminder_id: int, wake_at: dt.datetime, error: str | None) -> None:
        """Put a claimed row back to pending, to be tried again at ``wake_at``."""
        async with self.db.transaction() as tx:
            await tx.execute(
                "UPDATE reminders SET status = 'pending', wake_at = ?, last_error = ? "
                "WHERE id = ? AND status = 'claimed'",
                (utc_text(wake_at), error, reminder_id),
            )

    async def pending_for(self, user_id: int) -> list[DueReminder]:
        result = await self.db.query(
            f"SELECT {_COLUMNS} FROM reminders WHERE user_id = ? AND status = 'pending' ORDER BY due_at",
            (user_id,),
        )
        return [_row(r) for r in result.all()]

    async def unshown_missed(self, user_id: int) -> list[DueReminder]:
        result = await self.db.query(
            f"SELECT {_COLUMNS} FROM reminders WHERE user_id = ? AND shown_at IS NULL "
            "AND status IN ('fallback_channel', 'fallback_status') ORDER BY due_at",
            (user_id,),
        )
        return [_row(r) for r in result.all()]

    async def mark_shown(self, ids: Sequence[int], now: dt.datetime) -> None:
        if not ids:
            return
        async with self.db.transaction() as tx:
            await tx.execute_many(
                "UPDATE reminders SET shown_at = ? WHERE id = ?", [(utc_text(now), i) for i in ids]
            )

    async def nudges_without_next(self) -> list[int]:
        """Members who asked for review nudges (and reminders) but have no nudge pending or in flight."""
        result = await self.db.query(
            "SELECT m.user_id FROM members m WHERE m.review_nudge_hour IS NOT NULL AND m.reminders_enabled = 1 "
            "AND NOT EXISTS (SELECT 1 FROM reminders r WHERE r.user_id = m.user_id AND r.kind = 'review' "
            "AND r.status IN ('pending', 'claimed'))"
        )
        return [row[0] for row in result.all()]

    async def fallback_channel(self, guild_id: int | None) -> int | None:
        if guild_id is None:
            return None
        result = await self.db.query(
            "SELECT quiz_channel_id FROM guild_settings WHERE guild_id = ?", (guild_id,)
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

    async def due(self, now: dt.datetime, limit: int) -> list[DueReminder]:
        return await self.repo.due(now, limit)

    async def claim(self, item: DueReminder, now: dt.datetime) -> DueReminder | None:
        return await self.repo.claim(item.id, now)

    async def claimed(self) -> list[DueReminder]:
        return await self.repo.claimed()

    async def mark_sent(self, item: DueReminder, message_id: int, now: dt.datetime) -> None:
        """Record the DM as sent. Only a claimed row changes: a fallback note that the crash look-up
        found was already recorded as the fallback, and stays so."""
        await self.repo.finish(item.id, ReminderStatus.SENT, now, message_id=message_id)

    async def release(self, item: DueReminder, wake_at: dt.datetime, error: str | None) -> None:
        await self.repo.release(item.id, wake_at, error)
