"""The daily post through the outbox when Discord says no: permanent errors pause, transient ones give up."""

from __future__ import annotations

import datetime as dt
from typing import Any

import discord
import pytest

from bot.app import StudyBot
from bot.db import SQLiteDatabase
from bot.features.errorlog.repo import ErrorLogRepository
from bot.features.quiz.bank import QuestionBank
from tests.conftest import SimClock, World
from tests.features.quiz.test_cog import NINE_NY, advance_to, posts, question_of, setup_daily, wrong_letter

pytestmark = pytest.mark.both_backends


async def post_rows(store: SQLiteDatabase) -> list[tuple[Any, ...]]:
    result = await store.query("SELECT post_date, status, attempts, message_id FROM quiz_posts ORDER BY id")
    return result.all()


@pytest.mark.parametrize(("status", "code"), [(400, 50035), (403, 50013), (404, 10003)])
async def test_a_permanent_error_pauses_the_quiz_and_tells_organizers(
    world: World, env: Any, clock: SimClock, store: SQLiteDatabase, status: int, code: int
) -> None:
    await setup_daily(world)
    env.inject_error("POST", f"/channels/{world.channel.id}/messages", status=status, code=code, times=None)

    await advance_to(env, clock, NINE_NY + dt.timedelta(days=1))

    assert await post_rows(store) == [("2026-11-24", "failed", 1, None)]  # one try, not 720
    guild = await store.query("SELECT paused, pause_reason FROM guild_settings")
    assert guild.one() == (1, "cannot_post")

    told = await world.organiser.slash(world.channel, "quiz stats")
    assert any("paused" in f.content and "/quiz setup" in f.content for f in told.followups)
    member = await world.alice.slash(world.channel, "quiz stats")
    assert member.followups == []  # members are not told: it is the organizers' to fix

    fixed = await setup_daily(world)
    assert fixed.followups == []  # setting the channel again lifts the bot's own pause
    assert (await store.query("SELECT paused, pause_reason FROM guild_settings")).one() == (0, None)


async def test_transient_errors_give_up_for_the_day_and_the_next_day_posts(
    world: World, env: Any, clock: SimClock, store: SQLiteDatabase
) -> None:
    await setup_daily(world)
    env.inject_error("POST", f"/channels/{world.channel.id}/messages", status=503, times=5)

    await advance_to(env, clock, NINE_NY + dt.timedelta(hours=2))
    assert posts(world) == []
    assert await post_rows(store) == [("2026-11-24", "failed", 5, None)]  # the policy's 5 tries

    await advance_to(env, clock, NINE_NY + dt.timedelta(days=1, minutes=1))
    assert len(posts(world)) == 1
    rows = await post_rows(store)
    assert [r[:3] for r in rows] == [("2026-11-24", "failed", 5), ("2026-11-25", "sent", 1)]


async def test_setup_refuses_a_channel_without_attach_files(
    world: World, simcord_bot: StudyBot, store: SQLiteDatabase
) -> None:
    assert simcord_bot.user is not None
    no_files = world.guild.create_text_channel(
        "no-files", overwrites={simcord_bot.user: discord.PermissionOverwrite(attach_files=False)}
    )
    result = await world.organiser.slash(
        world.channel, "quiz setup", channel=no_files, time="09:00", timezone="America/New_York"
    )
    assert "Attach Files" in result.response.content and "Nothing was changed" in result.response.content
    assert (await store.query("SELECT count(*) FROM guild_settings")).scalar() == 0


async def test_an_answer_and_its_misses_are_one_write(
    world: World, bank: QuestionBank, env: Any, store: SQLiteDatabase, monkeypatch: pytest.MonkeyPatch
) -> None:
    import bot.features.quiz.repo as quiz_repo

    shown = await world.alice.slash(world.channel, "quiz now", domain="primary_assessment")
    question = question_of(shown, bank)
    await env.advance_time(200)  # slow too: a bucket miss and a pacing miss

    real = quiz_repo.insert_miss
    calls = 0

    async def second_miss_fails(*args: Any, **kwargs: Any) -> None:
        nonlocal calls
        calls += 1
        if calls == 2:
            raise OSError("disk I/O error")
        await real(*args, **kwargs)

    monkeypatch.setattr(quiz_repo, "insert_miss", second_miss_fails)
    failed = await world.alice.click(shown.response.message, label=wrong_letter(question))
    assert "Something went wrong on my side" in failed.response.content
    env.errors.clear()  # the failure above was on purpose
    assert (await store.query("SELECT count(*) FROM quiz_answers")).scalar() == 0
    assert sum((await ErrorLogRepository(store).miss_counts(world.alice.id)).values()) == 0

    monkeypatch.setattr(quiz_repo, "insert_miss", real)
    retried = await world.alice.click(shown.response.message, label=wrong_letter(question))
    assert retried.response.embeds[0].description.startswith("❌ Not quite")  # not "already answered"
    assert (await store.query("SELECT count(*) FROM quiz_answers")).scalar() == 1
    assert sum((await ErrorLogRepository(store).miss_counts(world.alice.id)).values()) == 2
