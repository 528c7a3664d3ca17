"""What /quiz setup promises is what happens: one post a day, so changing the time on a day that
already had its post moves the next one to tomorrow, in the reply and in the channel (issue 9, item 2)."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bot.features.quiz.daily import NextPost, next_post_at, plan_next_post, posted_day
from bot.features.quiz.repo import PostRecord
from tests.conftest import SimClock, World
from tests.features.quiz.test_cog import advance_to, posts, setup_daily

pytestmark = pytest.mark.both_backends

UTC = dt.UTC
NY = ZoneInfo("America/New_York")
MON = dt.date(2026, 11, 23)
TEN_NY_MON = dt.datetime(2026, 11, 23, 15, 0, tzinfo=UTC)  # 10:00 in New York
HALF_SIX_NY = dt.time(18, 30)


def post(day: dt.date, status: str) -> PostRecord:
    return PostRecord(1, 10, 20, None, "pa-x-001", 0, day, status=status)


@pytest.mark.parametrize(
    ("latest", "expected_day"),
    [
        (None, None),
        (post(MON, "pending"), None),  # waiting for a retry: today's post is still to come
        (post(MON, "claimed"), MON),  # being sent (or sent before a crash): today had its post
        (post(MON, "sent"), MON),
        (post(MON, "failed"), MON),  # given up for today
        (post(MON - dt.timedelta(days=1), "sent"), MON - dt.timedelta(days=1)),
    ],
)
def test_the_day_that_had_its_post(latest: PostRecord | None, expected_day: dt.date | None) -> None:
    assert posted_day(latest) == expected_day


@pytest.mark.parametrize(
    ("posted_through", "expected"),
    [
        (None, dt.datetime(2026, 11, 23, 23, 30, tzinfo=UTC)),  # today 18:30
        (MON - dt.timedelta(days=1), dt.datetime(2026, 11, 23, 23, 30, tzinfo=UTC)),
        (MON, dt.datetime(2026, 11, 24, 23, 30, tzinfo=UTC)),  # today had its post: tomorrow
        (MON + dt.timedelta(days=1), dt.datetime(2026, 11, 25, 23, 30, tzinfo=UTC)),
    ],
)
def test_a_day_that_had_its_post_gets_no_second(
    posted_through: dt.date | None, expected: dt.datetime
) -> None:
    assert next_post_at(TEN_NY_MON, HALF_SIX_NY, NY, posted_through=posted_through) == expected


@pytest.mark.parametrize(
    ("latest", "expected"),
    [
        (None, NextPost(dt.datetime(2026, 11, 23, 23, 30, tzinfo=UTC), today_done=False)),
        (post(MON, "sent"), NextPost(dt.datetime(2026, 11, 24, 23, 30, tzinfo=UTC), today_done=True)),
        (post(MON, "pending"), NextPost(dt.datetime(2026, 11, 23, 23, 30, tzinfo=UTC), today_done=False)),
    ],
)
def test_the_plan_says_when_today_is_done(latest: PostRecord | None, expected: NextPost) -> None:
    assert plan_next_post(TEN_NY_MON, HALF_SIX_NY, NY, latest) == expected


def test_an_earlier_time_than_now_is_tomorrow_but_not_because_of_a_post() -> None:
    planned = plan_next_post(TEN_NY_MON, dt.time(7), NY, post(MON, "sent"))
    assert planned == NextPost(dt.datetime(2026, 11, 24, 12, 0, tzinfo=UTC), today_done=False)


NINE_NY_TUE = dt.datetime(2026, 11, 24, 14, 0, tzinfo=UTC)


async def test_a_later_time_on_a_day_that_had_its_post_says_tomorrow_and_posts_tomorrow(
    world: World, env: Any, clock: SimClock
) -> None:
    await setup_daily(world, time="09:00")
    await advance_to(env, clock, NINE_NY_TUE + dt.timedelta(hours=1))  # Tuesday 10:00, after the post
    assert len(posts(world)) == 1

    reply = await setup_daily(world, time="18:30")

    text = reply.response.content
    assert "Next one: Wed 2026-11-25 18:30 (today's question is already posted: one a day)" in text
    await advance_to(env, clock, NINE_NY_TUE + dt.timedelta(hours=9, minutes=31))  # Tuesday 18:31
    assert len(posts(world)) == 1
    await env.advance_time(24 * 3600)  # Wednesday 18:31
    assert [p.embeds[0].title for p in posts(world)] == [
        "Daily question · Tue 2026-11-24",
        "Daily question · Wed 2026-11-25",
    ]


async def test_a_later_time_on_a_day_without_a_post_is_today(world: World, env: Any, clock: SimClock) -> None:
    reply = await setup_daily(world, time="18:30")  # Monday 10:00: nothing posted today yet

    assert "Next one: Mon 2026-11-23 18:30." in reply.response.content
    await advance_to(env, clock, dt.datetime(2026, 11, 23, 23, 31, tzinfo=UTC))
    assert [p.embeds[0].title for p in posts(world)] == ["Daily question · Mon 2026-11-23"]


async def test_resuming_on_a_day_that_had_its_post_resumes_tomorrow(
    world: World, env: Any, clock: SimClock
) -> None:
    await setup_daily(world, time="09:00")
    await advance_to(env, clock, NINE_NY_TUE + dt.timedelta(minutes=1))
    await world.organiser.slash(world.channel, "quiz setup", paused=True)
    await setup_daily(world, time="18:30")  # still paused: the time changes

    resumed = await world.organiser.slash(world.channel, "quiz setup", paused=False)

    assert "next one Wed 2026-11-25 18:30" in resumed.response.content
    await advance_to(env, clock, NINE_NY_TUE + dt.timedelta(days=1, hours=9, minutes=31))
    assert len(posts(world)) == 2
