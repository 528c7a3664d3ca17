"""Spaced review through simcord: answers become cards, /practice review, goal, progress, and the
daily nudge (once a day, across a restart, never while opted out, nothing sent when nothing is due)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from bot.app import StudyBot
from bot.db import SQLiteDatabase
from bot.features.quiz.bank import QuestionBank
from tests.conftest import SimClock, World, restarted
from tests.features.practice.test_cog import answer_all, current

pytestmark = pytest.mark.both_backends

HOUR = 3600.0
DAY = 24 * HOUR


async def cards(store: SQLiteDatabase, user_id: int) -> dict[str, tuple[int, str]]:
    result = await store.query(
        "SELECT item, reviews, due_at FROM review_cards WHERE user_id = ? ORDER BY item", (user_id,)
    )
    return {r[0]: (r[1], r[2]) for r in result.all()}


async def goal_on(store: SQLiteDatabase, user_id: int) -> str | None:
    result = await store.query("SELECT review_goal_on FROM members WHERE user_id = ?", (user_id,))
    row = result.one()
    return row[0] if row else None


def nudges(member: Any) -> list[Any]:
    channel = member.user.dm_channel
    if channel is None:
        return []
    return [m for m in channel.history() if m.embeds and m.embeds[0].title == "Spaced review"]


async def test_answers_anywhere_become_cards(world: World, store: SQLiteDatabase, bank: QuestionBank) -> None:
    shown = await world.alice.slash(world.channel, "practice drill", bucket="scope", length=5)
    await answer_all(world, store, bank, shown, right=False)
    drilled = await cards(store, world.alice.id)
    assert len(drilled) == 5  # a scope drill's cards and scope questions
    quiz = await world.alice.slash(world.channel, "quiz now")
    await world.alice.click(quiz.response.message, label="A")
    question_id = (await store.query("SELECT question_id FROM quiz_answers")).scalar()
    held = await cards(store, world.alice.id)
    assert set(held) == set(drilled) | {f"q:{question_id}"}
    assert all(reviews == 1 for reviews, _ in held.values())
    assert await cards(store, world.bob.id) == {}


async def test_review_serves_the_due_cards_and_updates_them(
    world: World, env: Any, store: SQLiteDatabase, bank: QuestionBank
) -> None:
    nothing = await world.alice.slash(world.channel, "practice review")
    assert "no review cards yet" in nothing.response.content
    shown = await world.alice.slash(world.channel, "practice drill", bucket="knowledge", length=5)
    await answer_all(world, store, bank, shown, right=False)  # Again: each comes back in 10 minutes
    missed = await cards(store, world.alice.id)
    assert len(missed) == 5
    await env.advance_time(11 * 60)
    review = await world.alice.slash(world.channel, "practice review")
    assert review.ephemeral
    assert review.response.embeds[0].title == "Spaced review · 1 of 5"
    state = await current(store, world.alice.id)
    assert state is not None and state[1].encode() in missed
    await answer_all(world, store, bank, review)
    after = await cards(store, world.alice.id)
    assert set(after) == set(missed)
    assert all(reviews == 2 for reviews, _ in after.values())
    assert all(after[item][1] > missed[item][1] for item in after)  # a right answer pushes each out


async def test_goal_refusals_change_nothing_and_a_goal_is_kept(world: World, store: SQLiteDatabase) -> None:
    for bad, words in (
        ("2026-13-01", "2026-13-01"),
        ("12/20/2026", "YYYY-MM-DD"),
        ("2026-11-01", "not ahead of today"),
        ("2028-06-01", "too far out"),
    ):
        refused = await world.alice.slash(world.channel, "practice goal", date=bad)
        assert refused.ephemeral and words in refused.response.content, bad
        assert (
            "Nothing was changed" in refused.response.content or "nothing" in refused.response.content.lower()
        )
        assert await goal_on(store, world.alice.id) is None
    kept = await world.alice.slash(world.channel, "practice goal", date="2026-12-20")
    assert "2026-12-20" in kept.response.content and "27 days from today" in kept.response.content
    assert await goal_on(store, world.alice.id) == "2026-12-20"
    cleared = await world.alice.slash(world.channel, "practice goal")
    assert "cleared" in cleared.response.content
    assert await goal_on(store, world.alice.id) is None


async def test_progress_shows_counts_and_a_chart(
    world: World, store: SQLiteDatabase, bank: QuestionBank
) -> None:
    await world.alice.slash(world.channel, "retake", score=812, date="2026-11-20")  # retest from 12-05
    shown = await world.alice.slash(world.channel, "practice drill", bucket="knowledge", length=5)
    await answer_all(world, store, bank, shown, right=False)
    progress = await world.alice.slash(world.channel, "practice progress")
    assert progress.ephemeral
    text = progress.response.embeds[0].description
    assert "Target: **Sat 2026-12-05** (the first day you may retest)" in text
    assert "**5 cards** in all" in text
    assert "strong:" in text and "at risk:" in text
    assert "%" not in text and "950" not in text  # an estimate is never a percentage or a scaled score
    assert [a.filename for a in progress.response.message.attachments] == ["review.png"]


async def test_nudge_once_a_day_across_a_restart(
    world: World, env: Any, clock: SimClock, simcord_bot: StudyBot, store: SQLiteDatabase, bank: QuestionBank
) -> None:
    shown = await world.alice.slash(world.channel, "practice drill", bucket="knowledge", length=5)
    await answer_all(world, store, bank, shown, right=False)
    told = await world.alice.slash(world.channel, "practice nudge", enabled=True, hour=18)
    assert "18:00 your time" in told.response.content
    await env.restart_bot(restarted(simcord_bot))
    # 18:00 in New York on 2026-11-23 is 23:00 UTC.
    await env.advance_time((dt.datetime(2026, 11, 23, 23, 1, tzinfo=dt.UTC) - clock()).total_seconds())
    sent = nudges(world.alice)
    assert len(sent) == 1
    assert "**5 cards due**, about 4 minutes" in sent[0].embeds[0].description
    await env.restart_bot(restarted(simcord_bot))
    await env.advance_time(3 * HOUR)
    assert len(nudges(world.alice)) == 1  # never twice in a day, restart or not
    result = await store.query(
        "SELECT local_date, status FROM reminders WHERE user_id = ? AND kind = 'review' ORDER BY local_date",
        (world.alice.id,),
    )
    assert result.all() == [("2026-11-23", "sent"), ("2026-11-24", "pending")]


async def test_no_nudge_when_nothing_is_due_or_reminders_are_off(
    world: World, env: Any, clock: SimClock, store: SQLiteDatabase, bank: QuestionBank
) -> None:
    await world.alice.slash(world.channel, "practice nudge", enabled=True, hour=18)
    await env.advance_time((dt.datetime(2026, 11, 23, 23, 1, tzinfo=dt.UTC) - clock()).total_seconds())
    assert nudges(world.alice) == []  # no cards at all: nothing worth a DM
    shown = await world.alice.slash(world.channel, "practice drill", bucket="knowledge", length=5)
    await answer_all(world, store, bank, shown, right=False)
    off = await world.alice.slash(world.channel, "reminders", enabled=False)
    assert "off" in off.response.content
    await env.advance_time(DAY)
    assert nudges(world.alice) == []  # opted out of reminder DMs: no nudge either
    result = await store.query(
        "SELECT local_date, status FROM reminders WHERE user_id = ? AND kind = 'review' ORDER BY local_date",
        (world.alice.id,),
    )
    assert result.all()[0] == ("2026-11-23", "skipped")
    await world.alice.slash(world.channel, "reminders", enabled=True)
    turned_off = await world.alice.slash(world.channel, "practice nudge", enabled=False)
    assert "off" in turned_off.response.content
    await env.advance_time(DAY)
    assert nudges(world.alice) == []


async def test_closed_dms_keep_the_nudge_out_of_the_channel(
    world: World, env: Any, clock: SimClock, store: SQLiteDatabase, bank: QuestionBank
) -> None:
    from bot.features.quiz.guild_repo import GuildRepository

    await GuildRepository(store).set_quiz(world.guild.id, world.channel.id, dt.time(7, 0), "America/New_York")
    shown = await world.alice.slash(world.channel, "practice drill", bucket="knowledge", length=5)
    await answer_all(world, store, bank, shown, right=False)
    await world.alice.slash(world.channel, "practice nudge", enabled=True, hour=18)
    before = world.channel.last_message
    dm = world.alice.user.dm_channel
    env.inject_error("POST", f"/channels/{dm.id}/messages", status=403, code=50007, times=None)
    await env.advance_time((dt.datetime(2026, 11, 25, 23, 1, tzinfo=dt.UTC) - clock()).total_seconds())
    assert world.channel.last_message is before  # no daily ping in the quiz channel
    result = await store.query(
        "SELECT local_date, status FROM reminders WHERE user_id = ? AND kind = 'review' ORDER BY local_date",
        (world.alice.id,),
    )
    assert result.all()[:3] == [
        ("2026-11-23", "fallback_status"),
        ("2026-11-24", "fallback_status"),
        ("2026-11-25", "fallback_status"),
    ]
    status = await world.alice.slash(world.channel, "status")
    fields = {f.name: f.value for f in status.response.embeds[0].fields}
    assert fields["Reminders you missed"].count("Review cards were due") == 1  # the latest, not one a day
