"""What every cog needs from a member: their time zone and their "today"."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from bot.dates import local_today, parse_timezone
from bot.store.members import MemberProfile, MemberRepository

if TYPE_CHECKING:
    from bot.app import StudyBot


def zone_of(profile: MemberProfile | None, default: str) -> ZoneInfo:
    return parse_timezone(profile.timezone if profile and profile.timezone else default)


async def member_zone(bot: StudyBot, user_id: int) -> ZoneInfo:
    return zone_of(await MemberRepository(bot.store).get(user_id), bot.settings.default_timezone)


async def member_today(bot: StudyBot, user_id: int) -> dt.date:
    return local_today(bot.clock(), await member_zone(bot, user_id))
