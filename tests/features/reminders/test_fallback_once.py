"""The closed-DMs fallback note in the quiz channel is sent exactly once, also when the process dies
between Discord storing the note and the bot recording it (issue 9, item 20)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import discord
import pytest

from bot.app import StudyBot
from bot.db import SQLiteDatabase
from bot.features.quiz.guild_repo import GuildRepository
from bot.features.reminders.model import ReminderStatus
from bot.features.reminders.repo import ReminderRepository
from tests.conftest import SimClock, World, restarted
from tests.features.reminders.test_cog import RETEST_DUE, advance_to, rows

pytestmark = pytest.mark.both_backends


class Killed(Exception):
    """The process dies here."""


def notes(world: World) -> list[Any]:
    return [m for m in world.channel.history() if "I couldn't DM you a study reminder" in (m.content or "")]


async def closed_dms_with_a_quiz_channel(world: World, env: Any, store: SQLiteDatabase) -> None:
    await GuildRepository(store).set_quiz(world.guild.id, world.channel.id, dt.time(7, 0), "America/New_York")
    await world.alice.slash(world.channel, "retake", score=812, date="2026-11-10")
    dm = world.alice.user.dm_channel
    env.inject_error("POST", f"/channels/{dm.id}/messages", status=403, code=50007, times=None)


@pytest.mark.parametrize("crash_after_send", [True, False])
async def test_a_crash_around_the_fallback_note_neither_loses_nor_doubles_it(
    world: World,
    env: Any,
    clock: SimClock,
    simcord_bot: StudyBot,
    store: SQLiteDatabase,
    crash_after_send: bool,
) -> None:
    await closed_dms_with_a_quiz_channel(world, env, store)
    cog = simcord_bot.get_cog("Reminders")
    assert cog is not None
    delivery, repo = cog.delivery, cog.repo  # type: ignore[attr-defined]
    finish = repo.finish

    async def die_before_recording(
        reminder_id: int, status: ReminderStatus, *args: Any, **kwargs: Any
    ) -> None:
        if status is ReminderStatus.FALLBACK_CHANNEL:
            raise Killed("process killed after Discord stored the note")
        await finish(reminder_id, status, *args, **kwargs)

    async def die_before_the_note(*args: Any, **kwargs: Any) -> str:
        raise Killed("process killed after the DM failed, before the note left")

    with pytest.MonkeyPatch.context() as patch:
        if crash_after_send:
            patch.setattr(repo, "finish", die_before_recording)
        else:
            patch.setattr(delivery, "fail", die_before_the_note)
        await advance_to(env, clock, RETEST_DUE + dt.timedelta(seconds=30))
        assert await rows(store, world.alice.id) == [("retest", "2026-11-25", "claimed", 1)]
        assert len(notes(world)) == (1 if crash_after_send else 0)

    await env.restart_bot(restarted(simcord_bot))
    await env.advance_time(120)

    (note,) = notes(world)
    assert note.content.startswith(f"<@{world.alice.id}> I couldn't DM you a study reminder")
    assert (await rows(store, world.alice.id))[0][2] == ReminderStatus.FALLBACK_CHANNEL.value
    result = await store.query("SELECT message_id FROM reminders")
    assert result.scalar() == note.id
    await env.advance_time(24 * 3600)
    assert len(notes(world)) == 1


async def test_the_note_carries_the_reminders_marker_and_a_nonce(
    world: World, env: Any, clock: SimClock, store: SQLiteDatabase, monkeypatch: pytest.MonkeyPatch
) -> None:
    await closed_dms_with_a_quiz_channel(world, env, store)
    sent: list[dict[str, Any]] = []
    send = discord.PartialMessageable.send

    async def spy(channel: Any, *args: Any, **kwargs: Any) -> Any:
        sent.append(kwargs)
        return await send(channel, *args, **kwargs)

    monkeypatch.setattr(discord.PartialMessageable, "send", spy)
    await advance_to(env, clock, RETEST_DUE + dt.timedelta(minutes=1))

    (note,) = notes(world)
    (reminder,) = await ReminderRepository(store).unshown_missed(world.alice.id)
    assert reminder.marked_in(note.content)
    assert [kwargs.get("nonce") for kwargs in sent] == [f"{reminder.nonce}-note"]
