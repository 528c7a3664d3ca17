"""A reminder DM goes to the member's DM channel as recorded from the first DM (one request to Discord,
not two); a recorded channel Discord no longer knows is asked for again, and the DM still arrives."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from bot.db import SQLiteDatabase
from bot.features.members.repo import MemberRepository
from tests.conftest import SimClock, World
from tests.features.reminders.test_cog import RETEST_DUE, advance_to, titles

pytestmark = pytest.mark.both_backends

UNKNOWN_CHANNEL = 1_456_074_443_980_899_999


async def test_the_first_dm_records_the_channel_and_a_stale_one_is_replaced(
    world: World, env: Any, clock: SimClock, store: SQLiteDatabase
) -> None:
    members = MemberRepository(store)
    await world.alice.slash(world.channel, "retake", score=812, date="2026-11-10")
    assert await members.dm_channel(world.alice.id) is None

    await advance_to(env, clock, RETEST_DUE + dt.timedelta(minutes=1))
    assert titles(world.alice) == ["Your retest wait is over"]
    channel = world.alice.user.dm_channel.id
    assert await members.dm_channel(world.alice.id) == channel

    # A channel id Discord does not know (404 Unknown Channel): asked for again, delivered, re-recorded.
    await members.remember_dm_channel(world.alice.id, UNKNOWN_CHANNEL)
    await world.alice.slash(world.channel, "retake", score=900, date="2026-11-25")  # retest 2026-12-10
    await advance_to(env, clock, dt.datetime(2026, 12, 10, 14, 1, tzinfo=dt.UTC))
    assert titles(world.alice) == ["Your retest wait is over", "Your retest wait is over"]
    assert await members.dm_channel(world.alice.id) == channel
