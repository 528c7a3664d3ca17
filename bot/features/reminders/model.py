"""The reminder engine. Rows in SQLite are the truth; APScheduler only wakes the engine up.

Design (chosen by ``bench/reminders_bench.py``): ONE scheduler job, at the earliest ``wake_at`` of any
pending row, instead of one job per row. When it fires, the engine claims every due row atomically,
delivers it, records the outcome, and schedules the next wake-up. Start-up costs one indexed query
whatever the number of members, and memory does not grow with pending reminders.

Delivery is idempotent: each reminder carries its id as the message nonce (discord.py sends it with
``enforce_nonce``) and as a marker in the message; a row left claimed by a crash is resolved at start-up
by looking for that marker in the member's DMs before anything is sent again.

This module imports no discord: sending is done by a :class:`Deliverer` that the reminders cog provides.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Protocol
from zoneinfo import ZoneInfo

from bot.clock import Clock
from bot.core.wakeup import WakeUp
from bot.policy import Policy

if TYPE_CHECKING:
    from apscheduler.schedulers.asyncio import AsyncIOScheduler

    from bot.features.pathway.state import MemberState
    from bot.features.reminders.repo import ReminderRepository

log = logging.getLogger(__name__)

_MARKER = re.compile(r"reminder #(\d+)\b")
WAKE_JOB_ID = "reminders:wake"
BATCH = 200
RECHECK_CLAIMED = dt.timedelta(minutes=1)


class ReminderKind(StrEnum):
    RETEST = "retest"
    RESULTS = "results"
    COURSE_WINDOW = "course_window"


class ReminderStatus(StrEnum):
    PENDING = "pending"
    CLAIMED = "claimed"
    SENT = "sent"
    FALLBACK_CHANNEL = "fallback_channel"
    FALLBACK_STATUS = "fallback_status"
    UNDELIVERABLE = "undeliverable"


@dataclass(frozen=True, slots=True)
class PlannedReminder:
    kind: ReminderKind
    local_date: dt.date
    due_at: dt.datetime
    zone: str
    about: dt.date | None = None


@dataclass(frozen=True, slots=True)
class DueReminder:
    id: int
    user_id: int
    kind: ReminderKind
    local_date: dt.date
    about: dt.date | None
    due_at: dt.datetime
    zone: str
    guild_id: int | None
    attempts: int
    status: ReminderStatus

    @property
    def marker(self) -> str:
        """Written into the message; found again in the DM channel after a crash."""
        return f"reminder #{self.id}"

    def marked_in(self, text: str) -> bool:
        """Whether ``text`` carries exactly this reminder's marker (#7 is not #73)."""
        return any(int(found) == self.id for found in _MARKER.findall(text))

    @property
    def nonce(self) -> str:
        return f"emr-rem-{self.id}"


def due_instant(local_date: dt.date, zone: ZoneInfo, hour: int) -> dt.datetime:
    """``hour``:00 on ``local_date`` in ``zone``, as a UTC instant (daylight saving handled by zoneinfo)."""
    return dt.datetime.combine(local_date, dt.time(hour), tzinfo=zone).astimezone(dt.UTC)


def planned_reminders(state: MemberState, policy: Policy) -> list[PlannedReminder]:
    """The reminders a member should have, given what they have recorded.

    Only reminders still ahead are planned: one whose moment has passed (data entered late, or a member
    opting back in) is not sent late. Late sending is for rows that fell due while the bot was down.
    """
    if not state.reminders_enabled:
        return []
    hour, zone = policy.reminder_local_hour, state.zone
    planned: list[PlannedReminder] = []

    def add(kind: ReminderKind, day: dt.date, about: dt.date | None = None) -> None:
        due = due_instant(day, zone, hour)
        if due > state.now:
            planned.append(PlannedReminder(kind, day, due, zone.key, about))

    retake = state.retake
    if not state.passed and retake.eligible_on is not None and not retake.refresher_required:
        add(ReminderKind.RETEST, retake.eligible_on, retake.last.taken_on if retake.last else None)
    results = state.card.results
    if results is not None and results.expected is not None:
        add(ReminderKind.RESULTS, results.expected)
    window = state.card.course
    if window is not None and not state.passed:
        for days_before in policy.course_reminder_days_before:
            add(ReminderKind.COURSE_WINDOW, window.ends - dt.timedelta(days=days_before), window.ends)
    return planned


# ------------------------------------------------------------------------------------------- delivery


class DeliveryClosed(Exception):
    """The member's DMs are closed to the bot (Discord 403, code 50007)."""


class DeliveryTransient(Exception):
    """Try again later (429 or 5xx)."""

    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class DeliveryGone(Exception):
    """The user or channel does not exist any more: never deliverable."""


class Deliverer(Protocol):
    async def send_dm(self, reminder: DueReminder, *, late: bool) -> int:
        """Send the reminder by DM; return the message id. Raises a Delivery* exception."""

    async def send_fallback(self, reminder: DueReminder, channel_id: int) -> int:
        """Mention the member in the guild's channel with a short, non-private note."""

    async def find_sent(self, reminder: DueReminder) -> int | None:
        """The id of an already-sent DM carrying ``reminder.marker``, if any."""


@dataclass(frozen=True, slots=True)
class RunReport:
    sent: int = 0
    fallback: int = 0
    retried: int = 0
    undeliverable: int = 0


class ReminderEngine:
    def __init__(
        self,
        repository: ReminderRepository,
        deliverer: Deliverer,
        scheduler: AsyncIOScheduler,
        clock: Clock,
        policy: Policy,
    ) -> None:
        self.repo = repository
        self.deliverer = deliverer
        self.clock = clock
        self.policy = policy
        self.wakeup = WakeUp(scheduler, WAKE_JOB_ID, self.run_due)

    async def start(self) -> None:
        """At start-up: wake for whatever is due, and at once for rows a crash left claimed."""
        await self.reschedule()
        if await self.repo.has_claimed():
            self.wakeup.at(self.clock())

    async def stop(self) -> None:
        await self.wakeup.drain()

    async def sync_member(self, state: MemberState, guild_id: int | None) -> None:
        """Recompute a member's reminders after their data changed; move the wake-up if needed."""
        await self.repo.replace_pending(
            state.user_id,
            planned_reminders(state, self.policy),
            guild_id,
            now=self.clock(),
            keep_overdue=state.reminders_enabled,
        )
        await self.reschedule()

    async def reschedule(self) -> None:
        wake = await self.repo.next_wake()
        if await self.repo.has_claimed():  # a row whose fate could not be checked yet: look again soon
            soon = self.clock() + RECHECK_CLAIMED
            wake = soon if wake is None else min(wake, soon)
        self.wakeup.at(wake)

    async def resolve_claimed(self) -> None:
        """Rows left claimed (a crash, or a failure between send and mark): find out, then finish or free.

        Only a clean look at the member's DMs that finds nothing frees a row for sending; if the look
        itself fails, the row stays claimed and is checked again on the next run.
        """
        for reminder in await self.repo.claimed():
            try:
                found = await self.deliverer.find_sent(reminder)
            except Exception as error:
                log.warning(
                    "reminder %s: could not check whether it was sent (%s); will look again",
                    reminder.id,
                    error,
                )
                continue
            if found is not None:
                log.info("reminder %s was sent before a restart; marking it sent", reminder.id)
                await self.repo.finish(reminder.id, ReminderStatus.SENT, self.clock(), message_id=found)
            else:
                await self.repo.release(reminder.id, self.clock(), "released after restart")

    async def run_due(self) -> RunReport:
        """Deliver every due reminder. Never raises: a failure is recorded on the row and retried."""
        sent = fallback = retried = undeliverable = 0
        async with self.wakeup.busy:
            try:
                await self.resolve_claimed()
                while True:
                    now = self.clock()
                    batch = await self.repo.due(now, BATCH)
                    for reminder in batch:
                        if not await self.repo.claim(reminder.id, now):
                            continue
                        outcome = await self._deliver(reminder)
                        sent += outcome is ReminderStatus.SENT
                        fallback += outcome in (
                            ReminderStatus.FALLBACK_CHANNEL,
                            ReminderStatus.FALLBACK_STATUS,
                        )
                        retried += outcome is ReminderStatus.PENDING
                        undeliverable += outcome is ReminderStatus.UNDELIVERABLE
                    if len(batch) < BATCH:
                        break
            except Exception:
                log.exception("reminder run failed; the rows stay in the store and will be retried")
            try:
                await self.reschedule()
            except Exception:
                log.exception("could not schedule the next reminder wake-up")
        return RunReport(sent, fallback, retried, undeliverable)

    async def _deliver(self, reminder: DueReminder) -> ReminderStatus:
        now = self.clock()
        late = now - reminder.due_at > dt.timedelta(minutes=self.policy.late_after_minutes)
        try:
            message_id = await self.deliverer.send_dm(reminder, late=late)
        except DeliveryClosed:
            return await self._fall_back(reminder)
        except DeliveryGone as error:
            log.warning("reminder %s undeliverable: %s", reminder.id, error)
            await self.repo.finish(reminder.id, ReminderStatus.UNDELIVERABLE, now, error=str(error))
            return ReminderStatus.UNDELIVERABLE
        except DeliveryTransient as error:
            return await self._retry(reminder, str(error), error.retry_after)
        except Exception as error:
            log.exception("reminder %s failed unexpectedly", reminder.id)
            return await self._retry(reminder, repr(error), None)
        await self.repo.finish(reminder.id, ReminderStatus.SENT, self.clock(), message_id=message_id)
        return ReminderStatus.SENT

    async def _retry(self, reminder: DueReminder, error: str, retry_after: float | None) -> ReminderStatus:
        attempts = reminder.attempts + 1  # the claim counted this try
        now = self.clock()
        if attempts >= self.policy.max_send_attempts:
            await self.repo.finish(reminder.id, ReminderStatus.UNDELIVERABLE, now, error=error)
            return ReminderStatus.UNDELIVERABLE
        backoff = max(retry_after or 0.0, 30.0 * 2 ** (attempts - 1))  # 30 s, 60 s, 120 s, ...
        await self.repo.release(reminder.id, now + dt.timedelta(seconds=backoff), error)
        log.info("reminder %s: %s; retrying in %.0f s", reminder.id, error, backoff)
        return ReminderStatus.PENDING

    async def _fall_back(self, reminder: DueReminder) -> ReminderStatus:
        now = self.clock()
        channel_id = await self.repo.fallback_channel(reminder.guild_id)
        if channel_id is not None:
            try:
                message_id = await self.deliverer.send_fallback(reminder, channel_id)
            except Exception as error:
                log.warning(
                    "reminder %s: fallback note failed (%s); showing it on /status", reminder.id, error
                )
            else:
                await self.repo.finish(
                    reminder.id,
                    ReminderStatus.FALLBACK_CHANNEL,
                    now,
                    message_id=message_id,
                    error="dm closed",
                )
                return ReminderStatus.FALLBACK_CHANNEL
        await self.repo.finish(reminder.id, ReminderStatus.FALLBACK_STATUS, now, error="dm closed")
        return ReminderStatus.FALLBACK_STATUS
