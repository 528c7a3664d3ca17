"""The reminder engine through simcord on the fake clock: each kind, restarts, opt-out and faults."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest

from bot.app import StudyBot
from bot.db import SQLiteDatabase
from bot.features.quiz.guild_repo import GuildRepository
from bot.features.reminders.model import DueReminder, ReminderStatus
from bot.features.reminders.repo import ReminderRepository
from tests.conftest import SimClock, World, restarted

pytestmark = pytest.mark.both_backends

HOUR = 3600.0
DAY = 24 * HOUR


def dms(member: Any) -> list[Any]:
    return [m for m in member.user.dm_channel.history() if m.embeds]


def titles(member: Any) -> list[str]:
    return [m.embeds[0].title for m in dms(member)]


async def advance_to(env: Any, clock: SimClock, when: dt.datetime) -> None:
    await env.advance_time((when - clock()).total_seconds())


async def rows(store: SQLiteDatabase, user_id: int) -> list[tuple[str, str, str, int]]:
    result = await store.query(
        "SELECT kind, local_date, status, attempts FROM reminders WHERE user_id = ? ORDER BY local_date",
        (user_id,),
    )
    return [tuple(r) for r in result.all()]  # type: ignore[misc]


RETEST_DUE = dt.datetime(2026, 11, 25, 14, 0, tzinfo=dt.UTC)  # 09:00 in New York


async def test_retest_reminder_arrives_at_nine_local_once(world: World, env: Any, clock: SimClock) -> None:
    await world.alice.slash(world.channel, "retake", score=812, date="2026-11-10")

    await advance_to(env, clock, RETEST_DUE - dt.timedelta(minutes=1))
    assert titles(world.alice) == []
    await env.advance_time(120)
    assert titles(world.alice) == ["Your retest wait is over"]
    message = dms(world.alice)[0]
    assert "after your attempt on Tue 2026-11-10" in message.embeds[0].description
    assert "late" not in message.embeds[0].description
    await env.advance_time(3 * DAY)
    assert titles(world.alice) == ["Your retest wait is over"]  # never twice


async def test_reminder_follows_the_members_time_zone(world: World, env: Any, clock: SimClock) -> None:
    await world.alice.slash(world.channel, "timezone", name="Asia/Tokyo")
    await world.alice.slash(world.channel, "retake", score=812, date="2026-11-10")  # Tokyo "today" is 11-24
    # 09:00 in Tokyo on 2026-11-25 is 00:00 UTC.
    await advance_to(env, clock, dt.datetime(2026, 11, 25, 0, 1, tzinfo=dt.UTC))
    assert titles(world.alice) == ["Your retest wait is over"]


async def test_results_reminder(world: World, env: Any, clock: SimClock) -> None:
    for gate, date in (("course", "2026-03-02"), ("skills", "2026-11-02"), ("exam", "2026-11-23")):
        await world.alice.slash(world.channel, "gate", gate=gate, mark="done", date=date)
    await world.alice.slash(world.channel, "gate", gate="verification", mark="done")

    await advance_to(env, clock, dt.datetime(2026, 11, 25, 14, 1, tzinfo=dt.UTC))

    assert titles(world.alice) == ["Your results should have posted"]


async def test_course_window_reminders_sixty_and_fourteen_days_before(
    world: World, env: Any, clock: SimClock
) -> None:
    await world.alice.slash(
        world.channel, "gate", gate="course", mark="done", date="2025-01-20"
    )  # ends 2027-01-31

    await advance_to(env, clock, dt.datetime(2026, 12, 2, 14, 1, tzinfo=dt.UTC))
    assert titles(world.alice) == ["60 days left in your course window"]
    await advance_to(env, clock, dt.datetime(2027, 1, 17, 14, 1, tzinfo=dt.UTC))
    assert titles(world.alice) == ["60 days left in your course window", "14 days left in your course window"]
    assert "**Sun 2027-01-31**" in dms(world.alice)[1].embeds[0].description


async def test_correcting_the_attempt_moves_the_reminder(world: World, store: SQLiteDatabase) -> None:
    await world.alice.slash(world.channel, "retake", score=812, date="2026-11-10")
    assert await rows(store, world.alice.id) == [("retest", "2026-11-25", "pending", 0)]

    await world.alice.slash(world.channel, "retake", undo=True)
    assert await rows(store, world.alice.id) == []
    await world.alice.slash(world.channel, "retake", score=812, date="2026-11-12")
    assert await rows(store, world.alice.id) == [("retest", "2026-11-27", "pending", 0)]


async def test_opting_out_cancels_and_opting_in_restores(
    world: World, env: Any, clock: SimClock, store: SQLiteDatabase
) -> None:
    await world.alice.slash(world.channel, "retake", score=812, date="2026-11-10")

    off = await world.alice.slash(world.channel, "reminders", enabled=False)
    assert "Reminder DMs are **off**" in off.response.content
    assert await rows(store, world.alice.id) == []
    await advance_to(env, clock, RETEST_DUE + dt.timedelta(minutes=5))
    assert titles(world.alice) == []

    on = await world.alice.slash(world.channel, "reminders", enabled=True)
    assert "0 reminders scheduled" in on.response.content  # the retest day has passed: nothing stale


async def test_restart_catch_up_sends_once_and_says_it_is_late(
    world: World, env: Any, clock: SimClock, simcord_bot: StudyBot, store: SQLiteDatabase
) -> None:
    await world.alice.slash(world.channel, "retake", score=812, date="2026-11-10")

    # The bot is down from now until three days after the reminder fell due.
    clock.start += dt.timedelta(days=3)
    await env.restart_bot(restarted(simcord_bot))
    await env.advance_time(1)

    assert titles(world.alice) == ["Your retest wait is over"]
    assert (
        "Sorry, this is late: it was due Wed 2026-11-25 09:00 your time"
        in dms(world.alice)[0].embeds[0].description
    )
    await env.restart_bot(restarted(simcord_bot))
    await env.advance_time(DAY)
    assert len(dms(world.alice)) == 1


@pytest.mark.parametrize("crash_after_send", [True, False])
async def test_a_crash_between_claim_and_mark_neither_loses_nor_duplicates(
    world: World,
    env: Any,
    clock: SimClock,
    simcord_bot: StudyBot,
    store: SQLiteDatabase,
    crash_after_send: bool,
) -> None:
    await world.alice.slash(world.channel, "retake", score=812, date="2026-11-10")
    cog = simcord_bot.get_cog("Reminders")
    assert cog is not None
    outbox = cog.outbox  # type: ignore[attr-defined]  # the extension module is re-imported per bot

    class Killed(Exception):
        pass

    async def die(*args: Any, **kwargs: Any) -> None:
        raise Killed("process killed")

    with pytest.MonkeyPatch.context() as patch:
        if crash_after_send:  # the DM went out; the process died before the row was marked sent
            patch.setattr(outbox.client, "mark_sent", die)
        else:  # the row was claimed; the process died before the DM left
            patch.setattr(outbox.client, "send", die)
            patch.setattr(outbox, "_retry", die)
        await advance_to(env, clock, RETEST_DUE + dt.timedelta(seconds=30))
        assert await rows(store, world.alice.id) == [("retest", "2026-11-25", "claimed", 1)]
        assert len(dms(world.alice)) == (1 if crash_after_send else 0)

    await env.restart_bot(restarted(simcord_bot))
    await env.advance_time(60)

    assert len(dms(world.alice)) == 1
    assert (await rows(store, world.alice.id))[0][2] == "sent"
    result = await store.query("SELECT message_id FROM reminders")
    (message_id,) = result.one()  # type: ignore[misc]
    assert message_id == dms(world.alice)[0].id


async def test_the_footer_carries_a_reference_not_a_row_id(world: World, env: Any, clock: SimClock) -> None:
    await world.alice.slash(world.channel, "retake", score=812, date="2026-11-10")
    await advance_to(env, clock, RETEST_DUE + dt.timedelta(minutes=1))
    (message,) = dms(world.alice)
    footer = message.embeds[0].footer.text
    assert re.search(r"ref\. [0-9A-Z]{4}-[0-9A-Z]{4}", footer)
    assert "#" not in footer and "reminder #" not in footer


async def test_a_dm_with_the_old_marker_is_found_after_a_crash(
    world: World, env: Any, clock: SimClock, simcord_bot: StudyBot, store: SQLiteDatabase
) -> None:
    """A DM sent by the previous version ("reminder #N") before it died unmarked is not sent again."""
    await world.alice.slash(world.channel, "retake", score=812, date="2026-11-10")
    cog = simcord_bot.get_cog("Reminders")
    assert cog is not None
    outbox = cog.outbox  # type: ignore[attr-defined]

    async def die(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("process killed")

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(DueReminder, "marker", property(lambda self: f"reminder #{self.id}"))
        patch.setattr(outbox.client, "mark_sent", die)
        await advance_to(env, clock, RETEST_DUE + dt.timedelta(seconds=30))
        (old,) = dms(world.alice)
        assert re.search(r"reminder #\d+ ", old.embeds[0].footer.text)

    await env.restart_bot(restarted(simcord_bot))
    await env.advance_time(60)

    assert len(dms(world.alice)) == 1
    assert (await rows(store, world.alice.id))[0][2] == "sent"
    result = await store.query("SELECT message_id FROM reminders")
    assert result.one()[0] == old.id  # type: ignore[index]


async def test_closed_dms_fall_back_to_a_mention_in_the_quiz_channel(
    world: World, env: Any, clock: SimClock, store: SQLiteDatabase
) -> None:
    await GuildRepository(store).set_quiz(world.guild.id, world.channel.id, dt.time(7, 0), "America/New_York")
    await world.alice.slash(world.channel, "retake", score=812, date="2026-11-10")
    dm = world.alice.user.dm_channel
    env.inject_error("POST", f"/channels/{dm.id}/messages", status=403, code=50007, times=None)

    await advance_to(env, clock, RETEST_DUE + dt.timedelta(minutes=1))

    note = world.channel.last_message
    assert note.content.startswith(f"<@{world.alice.id}> I couldn't DM you a study reminder")
    assert "812" not in note.content and "retest" not in note.content  # nothing private in public
    assert (await rows(store, world.alice.id))[0][2] == ReminderStatus.FALLBACK_CHANNEL.value
    status = await world.alice.slash(world.channel, "status")
    fields = {f.name: f.value for f in status.response.embeds[0].fields}
    assert "**Your retest wait is over**" in fields["Reminders you missed"]
    again = await world.alice.slash(world.channel, "status")
    assert "Reminders you missed" not in {f.name for f in again.response.embeds[0].fields}


async def test_closed_dms_without_a_quiz_channel_show_on_status(
    world: World, env: Any, clock: SimClock, store: SQLiteDatabase
) -> None:
    await world.alice.slash(world.channel, "retake", score=812, date="2026-11-10")
    dm = world.alice.user.dm_channel
    env.inject_error("POST", f"/channels/{dm.id}/messages", status=403, code=50007, times=None)

    await advance_to(env, clock, RETEST_DUE + dt.timedelta(minutes=1))

    assert (await rows(store, world.alice.id))[0][2] == ReminderStatus.FALLBACK_STATUS.value
    status = await world.alice.slash(world.channel, "status")
    assert "Reminders you missed" in {f.name for f in status.response.embeds[0].fields}


async def test_server_errors_are_retried_with_backoff(
    world: World, env: Any, clock: SimClock, store: SQLiteDatabase
) -> None:
    await world.alice.slash(world.channel, "retake", score=812, date="2026-11-10")
    dm = world.alice.user.dm_channel
    # discord.py raises a 503 at once (it retries only 500/502/504/524 itself): the engine backs off,
    # 30 s after the first failure and 60 s after the second.
    env.inject_error("POST", f"/channels/{dm.id}/messages", status=503, times=2)

    await advance_to(env, clock, RETEST_DUE + dt.timedelta(seconds=45))
    assert titles(world.alice) == []
    assert await rows(store, world.alice.id) == [("retest", "2026-11-25", "pending", 2)]

    await env.advance_time(60)
    assert titles(world.alice) == ["Your retest wait is over"]
    assert await rows(store, world.alice.id) == [("retest", "2026-11-25", "sent", 3)]


async def test_unknown_user_is_marked_undeliverable(
    world: World, env: Any, clock: SimClock, store: SQLiteDatabase
) -> None:
    await world.alice.slash(world.channel, "retake", score=812, date="2026-11-10")
    dm = world.alice.user.dm_channel
    env.inject_error("POST", f"/channels/{dm.id}/messages", status=404, code=10003, times=None)

    await advance_to(env, clock, RETEST_DUE + dt.timedelta(minutes=1))

    assert (await rows(store, world.alice.id))[0][2] == "undeliverable"


async def test_deleting_all_data_cancels_reminders(
    world: World, env: Any, clock: SimClock, store: SQLiteDatabase
) -> None:
    await world.alice.slash(world.channel, "retake", score=812, date="2026-11-10")
    prompt = await world.alice.slash(world.channel, "privacy", action="delete")
    await world.alice.click(prompt.response.message, label="Delete everything")

    await advance_to(env, clock, RETEST_DUE + dt.timedelta(minutes=5))

    assert titles(world.alice) == []
    assert await ReminderRepository(store).next_wake() is None


async def test_a_due_reminder_waiting_for_a_retry_survives_a_data_change(
    world: World, env: Any, clock: SimClock, store: SQLiteDatabase
) -> None:
    await world.alice.slash(world.channel, "retake", score=812, date="2026-11-10")
    dm = world.alice.user.dm_channel
    env.inject_error("POST", f"/channels/{dm.id}/messages", status=503, times=1)
    await advance_to(env, clock, RETEST_DUE + dt.timedelta(seconds=10))
    assert await rows(store, world.alice.id) == [("retest", "2026-11-25", "pending", 1)]

    await world.alice.slash(world.channel, "timezone", name="Europe/London")  # 09:00 London has passed
    await env.advance_time(60)

    assert titles(world.alice) == ["Your retest wait is over"]
    assert (await rows(store, world.alice.id))[0][2] == "sent"


async def test_an_opted_out_member_gets_nothing_even_if_the_rows_were_not_cancelled(
    world: World, env: Any, clock: SimClock, store: SQLiteDatabase
) -> None:
    from bot.features.members.repo import MemberRepository

    await world.alice.slash(world.channel, "retake", score=812, date="2026-11-10")
    await MemberRepository(store).set_reminders(world.alice.id, False)  # as if the cancel step had failed

    await advance_to(env, clock, RETEST_DUE + dt.timedelta(minutes=5))

    assert titles(world.alice) == []
    assert (await rows(store, world.alice.id))[0][2] == "pending"
