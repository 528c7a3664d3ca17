"""Reminders: which DMs a member should get, and the rows the outbox delivers. No discord import.

Delivery (one wake-up job, atomic claim, nonce and marker, backoff, crash recovery) is the shared
outbox's (:mod:`bot.core.outbox`); this feature only plans the rows and says what they look like.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from bot.policy import Policy

if TYPE_CHECKING:
    from bot.features.pathway.state import MemberState

_MARKER = re.compile(r"reminder #(\d+)\b")


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
