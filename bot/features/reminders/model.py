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

#: The marker of DMs sent before references: "reminder #6" (a row id). The crash look-up still finds them.
_OLD_MARKER = re.compile(r"reminder #(\d+)\b")
#: Crockford's base 32: no I, L, O or U, so a reference can't be misread.
_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_CODE_BITS = 40  # eight characters: distinct for every id below 2**40
_SCRAMBLE = 0x9E3779B97F  # odd and below 2**40: multiplying by it modulo 2**40 permutes the ids
_MARKER = re.compile(r"\bref\. ([0-9A-Z]{4}-[0-9A-Z]{4})\b")


def reference(row_id: int) -> str:
    """A short code for a reminder, derived from its row id: ``7KQM-2XDA``, not a count of rows."""
    number = (row_id * _SCRAMBLE) & ((1 << _CODE_BITS) - 1)
    chars = [_ALPHABET[(number >> shift) & 31] for shift in range(_CODE_BITS - 5, -1, -5)]
    return "".join(chars[:4]) + "-" + "".join(chars[4:])


class ReminderKind(StrEnum):
    RETEST = "retest"
    RESULTS = "results"
    COURSE_WINDOW = "course_window"
    REVIEW = "review"  # the opt-in daily spaced-review nudge (bot/features/review)


class ReminderStatus(StrEnum):
    PENDING = "pending"
    CLAIMED = "claimed"
    SENT = "sent"
    FALLBACK_CHANNEL = "fallback_channel"
    FALLBACK_STATUS = "fallback_status"
    UNDELIVERABLE = "undeliverable"
    SKIPPED = "skipped"  # a review nudge with nothing due, turned off, or a day late: nothing sent


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
    owner: str | None = None  # the process holding its claim

    @property
    def marker(self) -> str:
        """Written into the message as a reference; found again in the DM channel after a crash."""
        return f"ref. {reference(self.id)}"

    def marked_in(self, text: str) -> bool:
        """Whether ``text`` carries exactly this reminder's marker, in today's or the old format.

        Old DMs say "reminder #7" (and #7 is not #73); newer ones "ref. 7KQM-2XDA".
        """
        if reference(self.id) in _MARKER.findall(text):
            return True
        return any(int(found) == self.id for found in _OLD_MARKER.findall(text))

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
    nudge_hour = state.profile.nudge_hour if state.profile else None
    if nudge_hour is not None:  # the next daily review nudge (whether cards are due is checked when sent)
        day = state.today
        if due_instant(day, zone, nudge_hour) <= state.now:
            day += dt.timedelta(days=1)
        planned.append(
            PlannedReminder(ReminderKind.REVIEW, day, due_instant(day, zone, nudge_hour), zone.key)
        )
    return planned
