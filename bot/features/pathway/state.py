"""Everything the bot knows about one member, loaded once: profile, zone, today, pathway, retakes."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from bot.dates import local_today, parse_timezone
from bot.db import Database
from bot.features.members.repo import MemberProfile, MemberRepository
from bot.features.pathway.model import ExamAttempts, Gate, Mark, PathwayCard, build_card
from bot.features.pathway.repo import PathwayRepository
from bot.features.retake.model import RetakeState, retake_state
from bot.features.retake.repo import RetakeRepository
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
    profile = await MemberRepository(store).get(user_id)
    zone = zone_of(profile, default_zone)
    today = local_today(now, zone)
    retakes = RetakeRepository(store)
    retake = retake_state(
        await retakes.attempts(user_id), await retakes.last_refresher(user_id), today, policy
    )
    gates = await PathwayRepository(store).gates(user_id)
    card = build_card(gates, today, policy, attempts=exam_attempts(retake))
    return MemberState(user_id, profile, zone, now, today, card, retake)
