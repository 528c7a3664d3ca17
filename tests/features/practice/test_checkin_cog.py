"""/practice checkin through simcord: a check-in to its stop, the stored result, the change since the
last one, the items it avoids, stopping early, and a restart in the middle."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from bot.app import StudyBot
from bot.db import SQLiteDatabase
from bot.features.practice.model import ItemRef
from bot.features.quiz.bank import Domain, QuestionBank
from tests.conftest import World, restarted
from tests.features.practice.test_cog import current, right_label, wrong_label

pytestmark = pytest.mark.both_backends


async def take_checkin(
    world: World,
    store: SQLiteDatabase,
    bank: QuestionBank,
    *,
    right: bool | Callable[[ItemRef], bool],
    stop_after: int | None = None,
) -> tuple[Any, int]:
    """Start a check-in and answer every item (right, wrong, or as ``right(item)`` says) until it stops;
    (the last result, items answered)."""
    shown = await world.alice.slash(world.channel, "practice checkin")
    assert shown.ephemeral
    assert shown.response.embeds[0].title == "Check-in · item 1"
    message, result, answered = shown.response.message, shown, 0
    while (state := await current(store, world.alice.id)) is not None:
        if stop_after is not None and answered == stop_after:
            return await world.alice.click(message, label="Stop"), answered
        _, item = state
        ok = right(item) if callable(right) else right
        label = right_label(item, bank) if ok else wrong_label(item, bank)
        result = await world.alice.click(message, label=label)
        answered += 1
        message = result.response.message
        if await current(store, world.alice.id) is not None:
            result = await world.alice.click(message, label="Next")
            message = result.response.message
            assert result.response.embeds[0].title == f"Check-in · item {answered + 1}"
    return result, answered


async def session_items(store: SQLiteDatabase, user_id: int) -> list[set[str]]:
    rows = await store.query(
        "SELECT items FROM practice_sessions WHERE user_id = ? AND mode = 'checkin' ORDER BY id", (user_id,)
    )
    return [{text.split(":", 1)[1] for text in json.loads(r[0])} for r in rows.all()]


async def test_a_checkin_runs_to_its_stop_and_says_likely_ready(
    world: World, store: SQLiteDatabase, bank: QuestionBank, simcord_bot: StudyBot
) -> None:
    minimum = simcord_bot.policy.checkin.min_items
    done, answered = await take_checkin(world, store, bank, right=True)

    assert minimum <= answered <= simcord_bot.policy.checkin.max_items
    embed = done.response.embeds[0]
    assert embed.title == "Check-in: likely ready"
    text = embed.description
    assert "wholly **above** its readiness standard" in text
    assert "not a National Registry prediction" in text
    assert "first check-in" in text
    assert "%" not in text and "950" not in text and "1500" not in text
    assert [a.filename for a in done.response.message.attachments] == ["checkin.png"]
    row = (
        await store.query("SELECT verdict, items FROM checkin_results WHERE user_id = ?", (world.alice.id,))
    ).one()
    assert row == ("likely_ready", answered)


async def test_a_second_checkin_shows_the_change_and_avoids_the_last_ones_items(
    world: World, store: SQLiteDatabase, bank: QuestionBank
) -> None:
    await take_checkin(world, store, bank, right=True)
    done, _ = await take_checkin(world, store, bank, right=False)

    text = done.response.embeds[0].description
    assert done.response.embeds[0].title == "Check-in: not yet"
    assert "Lower than at your last check-in" in text
    assert "Pulling it down" in text or "No exam domain stood out" in text
    first, second = await session_items(store, world.alice.id)
    assert first and second and not first & second


async def test_stopping_early_records_no_result(
    world: World, store: SQLiteDatabase, bank: QuestionBank
) -> None:
    stopped, answered = await take_checkin(world, store, bank, right=True, stop_after=3)

    assert answered == 3
    assert "stopped after 3 items: no result was recorded" in stopped.response.embeds[0].description
    assert (await store.query("SELECT count(*) FROM checkin_results")).scalar() == 0
    assert await current(store, world.alice.id) is None


async def test_a_checkin_goes_on_after_a_restart(
    env: Any, world: World, store: SQLiteDatabase, bank: QuestionBank, simcord_bot: StudyBot
) -> None:
    shown = await world.alice.slash(world.channel, "practice checkin")
    state = await current(store, world.alice.id)
    assert state is not None
    await env.restart_bot(restarted(simcord_bot))

    answered = await world.alice.click(shown.response.message, label=right_label(state[1], bank))
    assert answered.response.embeds[0].title == "Check-in · item 1"
    after = await current(store, world.alice.id)
    assert after is not None and after[0] == 1 and after[1] != state[1]


async def test_the_domain_a_member_keeps_missing_is_named(
    world: World, store: SQLiteDatabase, bank: QuestionBank
) -> None:
    def right(item: ItemRef) -> bool:
        question = bank.get(item.id)
        return question is not None and question.domain is not Domain.PRIMARY_ASSESSMENT

    done, _ = await take_checkin(world, store, bank, right=right)

    text = done.response.embeds[0].description
    assert "Pulling it down: **Primary Assessment**." in text
