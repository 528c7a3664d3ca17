"""Everything the bot knows about one member, loaded once: profile, zone, today, pathway, retakes."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from bot.dates import local_today, parse_timezone
from bot.db import Database
from bot.features.members.repo import MemberProfile
from bot.features.pathway.model import ExamAttempts, Gate, Mark, PathwayCard, build_card
from bot.features.pathway.repo import PathwayRepository
from bot.features.reminders.model import DueReminder
from bot.features.retake.model import RetakeState, retake_state
from bot.policy import Policy


@dataclass(frozen=True, slots=True)
class MemberState:
    user_id: int
    profile: MemberProfile | None
    zone: ZoneInfo
    now: dt.datetime
    today: dt.date
    card: PathwayCard
    retake: RetakeState
    #: Reminders that could not be delivered and were not shown yet (shown on the member's /status).
    missed: tuple[DueReminder, ...] = ()

    @property
    def reminders_enabled(self) -> bool:
        return self.profile is None or self.profile.reminders_enabled

    @property
    def passed(self) -> bool:
        return self.card.gate(Gate.EXAM).mark is Mark.DONE


def exam_attempts(retake: RetakeState) -> ExamAttempts | None:
    """What the pathway card shows of the member's failed attempts; None before the first."""
    if retake.last is None:
        return None
    return ExamAttempts(
        failed=retake.used,
        total=len(retake.attempts),
        allowed=retake.attempts_allowed,
        last_on=retake.last.taken_on,
        retest_from=None if retake.refresher_required else retake.eligible_on,
    )


def zone_of(profile: MemberProfile | None, default: str) -> ZoneInfo:
    return parse_timezone(profile.timezone if profile and profile.timezone else default)


async def load_member_state(
    store: Database, policy: Policy, user_id: int, *, now: dt.datetime, default_zone: str
) -> MemberState:
    """The member's state from one statement (one round trip on either backend: bench/status_bench.py)."""
    stored = await PathwayRepository(store).stored_state(user_id)
    zone = zone_of(stored.profile, default_zone)
    today = local_today(now, zone)
    retake = retake_state(stored.attempts, stored.last_refresher, today, policy)
    card = build_card(stored.gates, today, policy, attempts=exam_attempts(retake))
    return MemberState(user_id, stored.profile, zone, now, today, card, retake, tuple(stored.missed))
