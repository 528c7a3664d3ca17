"""/practice through simcord: drills end to end, timed blocks, one session at a time, restarts, other
members' and stale buttons, double clicks, and misses landing in the error log."""

from __future__ import annotations

from typing import Any

from bot.app import StudyBot
from bot.db import SQLiteDatabase
from bot.features.errorlog.model import Bucket, NewMiss
from bot.features.errorlog.repo import ErrorLogRepository
from bot.features.practice.content import load_content
from bot.features.practice.model import ItemKind, ItemRef
from bot.features.quiz.bank import LETTERS, QuestionBank
from tests.conftest import World, restarted


async def current(store: SQLiteDatabase, user_id: int) -> tuple[int, ItemRef] | None:
    import json

    row = (
        await store.query(
            "SELECT position, items FROM practice_sessions WHERE user_id = ? AND status = 'active'",
            (user_id,),
        )
    ).one()
    if row is None:
        return None
    return row[0], ItemRef.decode(json.loads(row[1])[row[0]])


def right_label(item: ItemRef, bank: QuestionBank) -> str:
    if item.kind is ItemKind.CARD:
        content = load_content({q.id: q.stem for q in bank.questions})
        card = content.card(item.id)
        assert card is not None
        return "Yes" if card.answer else "No"
    question = bank.get(item.id)
    assert question is not None
    return LETTERS[question.answer]


def wrong_label(item: ItemRef, bank: QuestionBank) -> str:
    label = right_label(item, bank)
    if label in ("Yes", "No"):
        return "No" if label == "Yes" else "Yes"
    return LETTERS[(LETTERS.index(label) + 1) % 4]


async def answer_all(
    world: World, store: SQLiteDatabase, bank: QuestionBank, shown: Any, *, right: bool = True
) -> Any:
    message = shown.response.message
    result = shown
    while (state := await current(store, world.alice.id)) is not None:
        _, item = state
        if item.reading:
            result = await world.alice.click(message, label="Show options")
            message = result.response.message
        label = right_label(item, bank) if right else wrong_label(item, bank)
        result = await world.alice.click(message, label=label)
        message = result.response.message
        if await current(store, world.alice.id) is not None:
            result = await world.alice.click(message, label="Next")
            message = result.response.message
    return result


async def test_a_scope_drill_end_to_end(world: World, store: SQLiteDatabase, bank: QuestionBank) -> None:
    shown = await world.alice.slash(world.channel, "practice drill", bucket="scope", length=5)
    assert shown.ephemeral
    assert shown.response.embeds[0].title == "Scope drill (can / cannot) · 1 of 5"
    done = await answer_all(world, store, bank, shown)
    text = done.response.embeds[0].description
    assert "Session done: 5 of 5 right" in text
    assert "not a National Registry score" in text and "%" not in text
    assert sum((await ErrorLogRepository(store).miss_counts(world.alice.id)).values()) == 0


async def test_misses_go_to_the_error_log_as_practice(
    world: World, store: SQLiteDatabase, bank: QuestionBank
) -> None:
    shown = await world.alice.slash(world.channel, "practice drill", bucket="knowledge", length=5)
    done = await answer_all(world, store, bank, shown, right=False)
    assert "Session done: 0 of 5 right" in done.response.embeds[0].description
    result = await store.query(
        "SELECT source, count(*) FROM misses WHERE user_id = ? GROUP BY source", (world.alice.id,)
    )
    assert result.all() == [("practice", 5)]


async def test_a_reading_drill_shows_the_stem_first(
    world: World, store: SQLiteDatabase, bank: QuestionBank
) -> None:
    shown = await world.alice.slash(world.channel, "practice drill", bucket="reading", length=5)
    labels = [c["label"] for row in shown.response.components for c in row["components"]]
    assert labels == ["Show options", "Stop"]
    assert "**A.**" not in shown.response.embeds[0].description
    state = await current(store, world.alice.id)
    assert state is not None
    opened = await world.alice.click(shown.response.message, label="Show options")
    assert "**A.**" in opened.response.embeds[0].description
    answered = await world.alice.click(opened.response.message, label=right_label(state[1], bank))
    assert "Key words:" in answered.response.embeds[0].description


async def test_a_timed_block_reports_pace_with_a_chart(
    world: World, env: Any, store: SQLiteDatabase, bank: QuestionBank
) -> None:
    shown = await world.alice.slash(world.channel, "practice timed", count=10)
    assert (
        "⏱️" in shown.response.embeds[0].footer.text
        and "57 s per item" in shown.response.embeds[0].footer.text
    )
    message = shown.response.message
    for _ in range(10):
        state = await current(store, world.alice.id)
        assert state is not None
        await env.advance_time(80)  # slower than the 57 s pace: each is also a pacing miss
        result = await world.alice.click(message, label=right_label(state[1], bank))
        message = result.response.message
        if await current(store, world.alice.id) is not None:
            message = (await world.alice.click(message, label="Next")).response.message
    text = result.response.embeds[0].description
    assert "10 of 10 right" in text and "80 s per item against a target of 57 s" in text
    assert [a.filename for a in result.response.message.attachments] == ["pace.png"]
    counts = await ErrorLogRepository(store).miss_counts(world.alice.id)
    assert counts["pacing"] == 10


async def test_one_session_at_a_time_resume_and_stop(world: World, store: SQLiteDatabase) -> None:
    await world.alice.slash(world.channel, "practice drill", bucket="scope", length=5)
    again = await world.alice.slash(world.channel, "practice drill", bucket="knowledge")
    assert "in progress" in again.response.content
    resumed = await world.alice.click(again.response.message, label="Resume")
    assert resumed.response.embeds[0].title.endswith("1 of 5")
    stopped = await world.alice.slash(world.channel, "practice stop")
    assert "Session done: 0 of 0 right" in stopped.response.embeds[0].description
    assert await current(store, world.alice.id) is None
    nothing = await world.alice.slash(world.channel, "practice resume")
    assert "no practice session in progress" in nothing.response.content


async def test_buttons_work_after_a_restart(
    world: World, env: Any, simcord_bot: StudyBot, store: SQLiteDatabase, bank: QuestionBank
) -> None:
    shown = await world.alice.slash(world.channel, "practice drill", bucket="scope", length=5)
    state = await current(store, world.alice.id)
    assert state is not None
    await env.restart_bot(restarted(simcord_bot))
    answered = await world.alice.click(shown.response.message, label=right_label(state[1], bank))
    assert answered.response.embeds[0].description.startswith("✅")
    assert (await current(store, world.alice.id)) is not None


async def test_a_second_answer_to_the_same_item_counts_once(
    world: World, simcord_bot: StudyBot, store: SQLiteDatabase, bank: QuestionBank
) -> None:
    """Two clicks on one item (Discord can deliver both before the edit lands): one answer, one step."""
    import datetime as dt

    from bot.features.practice.model import Outcome
    from bot.features.practice.repo import PracticeRepository

    await world.alice.slash(world.channel, "practice drill", bucket="scope", length=5)
    repo = PracticeRepository(store)
    session = await repo.active(world.alice.id)
    assert session is not None and session.current is not None
    outcome = Outcome(0, session.current, None, Bucket.SCOPE, False, 3.0)
    today = dt.date(2026, 11, 23)
    misses = [NewMiss(Bucket.SCOPE, "x", "practice", None)]
    assert await repo.record(session, outcome, misses, today) is True
    assert await repo.record(session, outcome, misses, today) is False
    assert (await store.query("SELECT count(*) FROM practice_answers")).scalar() == 1
    assert (await store.query("SELECT position FROM practice_sessions")).scalar() == 1
    assert sum((await ErrorLogRepository(store).miss_counts(world.alice.id)).values()) == 1


async def test_a_stale_button_says_what_happened(
    world: World, store: SQLiteDatabase, bank: QuestionBank
) -> None:
    shown = await world.alice.slash(world.channel, "practice drill", bucket="scope", length=5)
    state = await current(store, world.alice.id)
    assert state is not None
    answered = await world.alice.click(shown.response.message, label=right_label(state[1], bank))
    await world.alice.slash(world.channel, "practice stop")
    stale = await world.alice.click(answered.response.message, label="Next")
    assert stale.ephemeral and "no longer current" in stale.response.content


class _Response:
    def __init__(self) -> None:
        self.sent: list[str] = []

    async def send_message(self, content: str, **kwargs: Any) -> None:
        self.sent.append(content)


class _Interaction:
    """Just enough of an interaction for the ownership guard (another member cannot see an ephemeral
    message on Discord, so simcord cannot click it either; the guard is still there for any button)."""

    def __init__(self, user_id: int) -> None:
        self.user = type("U", (), {"id": user_id})()
        self.response = _Response()


async def test_another_members_click_is_refused_without_revealing_anything(
    world: World, simcord_bot: StudyBot, store: SQLiteDatabase
) -> None:
    await world.alice.slash(world.channel, "practice drill", bucket="scope", length=5)
    session_id = (await store.query("SELECT id FROM practice_sessions")).scalar()
    cog = simcord_bot.get_cog("Practice")
    assert cog is not None
    bob = _Interaction(world.bob.id)
    await cog.on_button(bob, "a", session_id, 0, 1)  # type: ignore[attr-defined]
    assert bob.response.sent == [
        "These buttons belong to someone else's practice session, so they do nothing for you."
    ]
    assert (await store.query("SELECT count(*) FROM practice_answers")).scalar() == 0


async def test_the_scope_list_groups_yes_and_no(world: World) -> None:
    shown = await world.alice.slash(world.channel, "practice scope-list")
    fields = {f.name: f.value for f in shown.response.embeds[0].fields}
    assert "bag-valve-mask" in fields["An EMR may"]
    assert "CPAP" in fields["Not an EMR skill"]
    assert "each state sets its own scope" in shown.response.embeds[0].footer.text


async def test_a_sequence_drill_builds_the_list_and_scores_it(
    world: World, store: SQLiteDatabase, bank: QuestionBank
) -> None:
    content = load_content({q.id: q.stem for q in bank.questions})
    shown = await world.alice.slash(world.channel, "practice drill", bucket="sequence", length=5)
    state = await current(store, world.alice.id)
    assert state is not None and state[1].kind is ItemKind.LADDER
    ladder = content.ladder(state[1].id)
    assert ladder is not None
    message = shown.response.message
    # Swap the first two steps: a partial score, logged as a sequence miss.
    order = [1, 0, *range(2, len(ladder.steps))]
    for index in order:
        result = await world.alice.select(message, [str(index)])
        message = result.response.message
    text = result.response.embeds[0].description
    assert text.startswith(f"❌ {len(ladder.steps) - 2} of {len(ladder.steps)} steps in their right place")
    assert ladder.steps[0] in text and ladder.why.split()[0] in text
    counts = await ErrorLogRepository(store).miss_counts(world.alice.id)
    assert counts["sequence"] == 1
    row = (await store.query("SELECT correct, in_place FROM practice_answers")).one()
    assert row == (0, len(ladder.steps) - 2)


async def test_the_repair_plans_button_opens_todays_drill(world: World, store: SQLiteDatabase) -> None:
    await world.alice.slash(world.channel, "errorlog add", bucket="scope")
    await world.alice.slash(world.channel, "errorlog add", bucket="scope")
    plan = await world.alice.slash(world.channel, "retake", score=812, date="2026-11-20")
    started = await world.alice.click(plan.response.message, label="Start today's drill")
    assert started.ephemeral and started.response.embeds[0].title.startswith("Scope drill (can / cannot)")
    row = (
        await store.query("SELECT mode, bucket FROM practice_sessions WHERE user_id = ?", (world.alice.id,))
    ).one()
    assert row == ("drill", "scope")

    shown = await world.alice.slash(world.channel, "errorlog show")
    labels = [c["label"] for r in shown.response.components for c in r["components"]]
    assert labels == ["Start a scope drill"]
