"""The daily post stays at 09:00 local on the day after a daylight-saving change."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from tests.conftest import SimClock, World

pytestmark = pytest.mark.both_backends


@pytest.fixture
def clock() -> SimClock:
    return SimClock(
        dt.datetime(2027, 3, 13, 15, 0, tzinfo=dt.UTC)
    )  # Saturday; US clocks spring forward Sunday


async def test_post_at_nine_local_after_spring_forward(world: World, env: Any, clock: SimClock) -> None:
    await world.organiser.slash(
        world.channel, "quiz setup", channel=world.channel, time="09:00", timezone="America/New_York"
    )
    # Sunday 2027-03-14 09:00 EDT is 13:00 UTC (it would be 14:00 UTC in winter).
    await env.advance_time((dt.datetime(2027, 3, 14, 12, 59, tzinfo=dt.UTC) - clock()).total_seconds())
    assert world.channel.last_message is None
    await env.advance_time(120)
    assert world.channel.last_message.embeds[0].title == "Daily question · Sun 2027-03-14"
    # And Monday, the day after the change, at 13:00 UTC again.
    await env.advance_time((dt.datetime(2027, 3, 15, 13, 1, tzinfo=dt.UTC) - clock()).total_seconds())
    assert world.channel.last_message.embeds[0].title == "Daily question · Mon 2027-03-15"
