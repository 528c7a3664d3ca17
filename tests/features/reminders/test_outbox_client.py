"""The reminders as an outbox client: the wording follows the policy, kinds live in code, unload stops."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import pytest

from bot.app import StudyBot
from bot.db import SQLiteDatabase
from bot.features.reminders import text
from bot.policy import Policy
from tests.conftest import World

pytestmark = pytest.mark.both_backends


def test_the_reminders_reply_says_the_policys_hour(policy: Policy) -> None:
    assert "09:00 your time" in text.reminders_set(True, 1, policy.reminder_local_hour)
    early = dataclasses.replace(policy, reminder_local_hour=7)
    assert "07:00 your time" in text.reminders_set(True, 1, early.reminder_local_hour)


async def test_a_new_reminder_kind_needs_no_table_rebuild(store: SQLiteDatabase) -> None:
    now = store.now_text()
    async with store.transaction() as tx:
        await tx.execute("INSERT INTO members (user_id, created_at, updated_at) VALUES (1, ?, ?)", (now, now))
        await tx.execute(
            "INSERT INTO reminders (user_id, kind, local_date, due_at, zone, wake_at) "
            "VALUES (1, 'review_nudge', '2026-12-01', ?, 'UTC', ?)",
            (now, now),
        )
    assert (await store.query("SELECT kind FROM reminders")).scalar() == "review_nudge"


async def test_unloading_the_features_stops_their_outboxes(
    world: World, env: Any, simcord_bot: StudyBot
) -> None:
    await world.alice.slash(world.channel, "retake", score=812, date="2026-11-10")  # a reminder is due
    await world.organiser.slash(
        world.channel, "quiz setup", channel=world.channel, time="09:00", timezone="America/New_York"
    )
    jobs = {job.id for job in simcord_bot.scheduler.get_jobs()}
    assert {"reminders:wake", "quiz:wake"} <= jobs

    await simcord_bot.unload_extension("bot.features.reminders._cog")
    await simcord_bot.unload_extension("bot.features.quiz._cog")

    jobs = {job.id for job in simcord_bot.scheduler.get_jobs()}
    assert "reminders:wake" not in jobs and "quiz:wake" not in jobs
    await env.advance_time(dt.timedelta(days=20).total_seconds())  # nothing fires after unload
    assert world.alice.user.dm_channel is None or not list(world.alice.user.dm_channel.history())
