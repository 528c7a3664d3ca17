"""When the weekly digest goes: the weekday at the quiz time in the quiz's zone, across DST, once a week."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bot.app import StudyBot
from bot.db import SQLiteDatabase
from bot.features.group.digest import next_digest_at, occurrence_before
from tests.conftest import SimClock, World, restarted
from tests.features.group.test_cog import TUESDAY_NINE_NY, digests
from tests.features.quiz.test_cog import advance_to, setup_daily

pytestmark = pytest.mark.both_backends

NY = ZoneInfo("America/New_York")
NINE = dt.time(9, 0)
MON, TUE, SUN = 0, 1, 6


def utc(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("after", "weekday", "last", "expected"),
    [
        (utc(2026, 11, 23, 15), TUE, None, utc(2026, 11, 24, 14)),  # tomorrow 09:00 EST
        (utc(2026, 11, 24, 14), TUE, None, utc(2026, 12, 1, 14)),  # strictly after: a week on
        (utc(2026, 11, 23, 13), MON, None, utc(2026, 11, 23, 14)),  # later today
        (utc(2026, 10, 26, 12), SUN, None, utc(2026, 11, 1, 14)),  # the day DST ends: 09:00 EST
        (utc(2026, 10, 20, 12), SUN, None, utc(2026, 10, 25, 13)),  # still EDT: 09:00 is 13:00 UTC
        (utc(2027, 3, 10, 12), SUN, None, utc(2027, 3, 14, 13)),  # the day DST starts: 09:00 EDT
        (utc(2026, 11, 25, 12), TUE, dt.date(2026, 11, 24), utc(2026, 12, 1, 14)),
        # the day changed from Tuesday to Friday after Tuesday's digest: not again this week
        (utc(2026, 11, 25, 12), 4, dt.date(2026, 11, 24), utc(2026, 12, 4, 14)),
    ],
)
def test_next_digest_at(
    after: dt.datetime, weekday: int, last: dt.date | None, expected: dt.datetime
) -> None:
    assert next_digest_at(after, weekday, NINE, NY, last=last) == expected


@pytest.mark.parametrize(
    ("now", "weekday", "expected"),
    [
        (utc(2026, 11, 24, 14), TUE, dt.date(2026, 11, 24)),  # at the time itself
        (utc(2026, 11, 24, 13, 59), TUE, dt.date(2026, 11, 17)),  # a minute before: last week's
        (utc(2026, 12, 17, 15), TUE, dt.date(2026, 12, 15)),  # after downtime: the latest missed week
    ],
)
def test_occurrence_before(now: dt.datetime, weekday: int, expected: dt.date) -> None:
    assert occurrence_before(now, weekday, NINE, NY) == expected


async def test_a_digest_sent_just_before_a_crash_is_not_sent_again(
    world: World, env: Any, clock: SimClock, simcord_bot: StudyBot, store: SQLiteDatabase
) -> None:
    await setup_daily(world)
    await world.organiser.slash(world.channel, "group digest", enabled=True, day=1)
    await advance_to(env, clock, TUESDAY_NINE_NY + dt.timedelta(minutes=1))
    assert len(digests(world)) == 1
    # The crash: the message went out, but the row was never marked sent.
    async with store.transaction() as tx:
        await tx.execute("UPDATE group_digests SET status = 'claimed', message_id = NULL")

    await env.restart_bot(restarted(simcord_bot))
    await env.advance_time(120)

    assert len(digests(world)) == 1  # found by its marker, not posted again
    rows = await store.query("SELECT status, message_id FROM group_digests")
    assert rows.one() == ("sent", digests(world)[0].id)
