"""/quiz through simcord on the fake clock: practice, the daily post, setup, reports and stats."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import pytest

from bot.app import StudyBot
from bot.db import SQLiteDatabase
from bot.features.errorlog.repo import ErrorLogRepository
from bot.features.quiz.bank import LETTERS, QuestionBank
from bot.features.quiz.repo import QuizRepository
from bot.features.quiz.text import question_title
from bot.policy import Policy
from tests.conftest import SimClock, World, restarted

pytestmark = pytest.mark.both_backends

NINE_NY = dt.datetime(2026, 11, 24, 14, 0, tzinfo=dt.UTC)  # 09:00 in New York, the day after START


def question_of(result_or_message: Any, bank: QuestionBank) -> Any:
    embeds = (
        result_or_message.embeds
        if hasattr(result_or_message, "embeds")
        else result_or_message.response.embeds
    )
    shown = embeds[0].description
    return next(q for q in bank.questions if shown.startswith(q.stem + "\n\n"))


def wrong_letter(question: Any) -> str:
    return LETTERS[(question.answer + 1) % 4]


async def setup_daily(world: World, time: str = "09:00", zone: str = "America/New_York") -> Any:
    return await world.organiser.slash(
        world.channel, "quiz setup", channel=world.channel, time=time, timezone=zone
    )


async def advance_to(env: Any, clock: SimClock, when: dt.datetime) -> None:
    await env.advance_time((when - clock()).total_seconds())


def posts(world: World) -> list[Any]:
    return [m for m in world.channel.history() if m.embeds and m.embeds[0].title.startswith("Daily question")]


# ------------------------------------------------------------------------------------------ /quiz now


async def test_practice_question_right_answer(world: World, bank: QuestionBank, env: Any) -> None:
    shown = await world.alice.slash(world.channel, "quiz now")
    assert shown.ephemeral
    question = question_of(shown, bank)
    assert [c["label"] for row in shown.response.components for c in row["components"]] == list(LETTERS)

    await env.advance_time(12)
    answered = await world.alice.click(shown.response.message, label=question.answer_letter)

    feedback = answered.response.embeds[0]
    assert feedback.title == question_title(question)  # the question stays (fitted); never the item's id
    assert question.id not in (feedback.footer.text or "")
    assert feedback.description.startswith("✅ Right")
    assert question.explanation in feedback.description
    assert "You took 12 s." in feedback.description
    assert "pacing" not in feedback.description


async def test_practice_miss_goes_to_the_error_log_and_slowness_to_pacing(
    world: World, bank: QuestionBank, env: Any, store: SQLiteDatabase
) -> None:
    shown = await world.alice.slash(world.channel, "quiz now", domain="primary_assessment")
    question = question_of(shown, bank)
    assert question.domain.value == "primary_assessment"

    await env.advance_time(200)
    answered = await world.alice.click(shown.response.message, label=wrong_letter(question))

    text = answered.response.embeds[0].description
    assert text.startswith(f"❌ Not quite: you chose **{wrong_letter(question)}**")
    assert "over the 75 s pace" in text
    counts = await ErrorLogRepository(store).miss_counts(world.alice.id)
    assert counts[question.bucket] >= 1 and counts["pacing"] >= 1
    assert sum(counts.values()) == 2


async def test_feedback_and_report_form_show_the_question_not_its_id(
    world: World, bank: QuestionBank
) -> None:
    shown = await world.alice.slash(world.channel, "quiz now")
    question = question_of(shown, bank)
    assert question.id not in (shown.response.embeds[0].footer.text or "")

    answered = await world.alice.click(shown.response.message, label=wrong_letter(question))

    feedback = answered.response.embeds[0]
    assert feedback.title == question_title(question)  # the stem, fitted to a title's 256 characters
    assert question.stem.startswith(feedback.title.removesuffix("…"))
    assert all(question.id not in (text or "") for text in (feedback.title, feedback.footer.text))
    form = await world.alice.click(answered.response.message, label="Report this question")
    assert form.modal is not None and question.id not in form.modal["title"]


async def test_practice_in_the_pathway_set(world: World, bank: QuestionBank) -> None:
    shown = await world.alice.slash(world.channel, "quiz now", domain="pathway")
    assert question_of(shown, bank).id.startswith("pw-")


async def test_empty_bank(env: Any, world: World, simcord_bot: StudyBot) -> None:
    empty = QuestionBank(())
    replacement = restarted(simcord_bot)
    replacement.bank = empty
    await env.restart_bot(replacement)
    result = await world.alice.slash(world.channel, "quiz now")
    assert "The question bank is empty" in result.response.content


# ---------------------------------------------------------------------------------------- /quiz setup


async def test_setup_needs_manage_server(world: World, store: SQLiteDatabase) -> None:
    refused = await world.alice.slash(
        world.channel, "quiz setup", channel=world.channel, time="09:00", timezone="UTC"
    )
    assert refused.ephemeral
    assert "Only organizers (members with **Manage Server**)" in refused.response.content
    result = await store.query("SELECT count(*) FROM guild_settings")
    assert (result.one())[0] == 0  # type: ignore[index]


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        ({"time": "25:00", "timezone": "UTC"}, "isn't a time I can read"),
        ({"time": "09:00", "timezone": "Moon/Base"}, "isn't a time zone I know"),
        ({"time": "09:00"}, "I need all three"),
        ({"paused": True}, "no daily question set up here yet"),
    ],
)
async def test_setup_refusals(world: World, options: dict[str, Any], expected: str) -> None:
    if "time" in options and "timezone" in options:
        options["channel"] = world.channel
    result = await world.organiser.slash(world.channel, "quiz setup", **options)
    assert expected in result.response.content


async def test_setup_confirms_the_next_post(world: World) -> None:
    result = await setup_daily(world)
    assert result.ephemeral
    assert f"<#{world.channel.id}> at **09:00** (America/New_York)" in result.response.content
    assert "Next one: Tue 2026-11-24 09:00" in result.response.content


# ---------------------------------------------------------------------------------------- daily post


async def test_daily_post_at_local_time_with_buttons(world: World, env: Any, clock: SimClock) -> None:
    await setup_daily(world)
    await advance_to(env, clock, NINE_NY - dt.timedelta(seconds=30))
    assert posts(world) == []
    await env.advance_time(60)
    (post,) = posts(world)
    assert post.embeds[0].title == "Daily question · Tue 2026-11-24"
    assert [c.label for row in post.components for c in row.children] == list(LETTERS)


async def test_first_answer_counts_and_double_click_does_not(
    world: World, env: Any, clock: SimClock, bank: QuestionBank, store: SQLiteDatabase
) -> None:
    await setup_daily(world)
    await advance_to(env, clock, NINE_NY + dt.timedelta(minutes=1))
    (post,) = posts(world)
    question = question_of(post, bank)

    first = await world.alice.click(post, label=wrong_letter(question))
    assert first.ephemeral and first.response.embeds[0].description.startswith("❌")
    second = await world.alice.click(post, label=question.answer_letter)
    assert second.ephemeral
    assert f"your first answer ({wrong_letter(question)}) is the one that counts" in second.response.content
    result = await store.query("SELECT count(*) FROM quiz_answers WHERE user_id = ?", (world.alice.id,))
    assert (result.one())[0] == 1  # type: ignore[index]


async def test_next_post_reveals_yesterday_and_the_groups_share(
    world: World, env: Any, clock: SimClock, bank: QuestionBank
) -> None:
    await setup_daily(world)
    await advance_to(env, clock, NINE_NY + dt.timedelta(minutes=1))
    (first,) = posts(world)
    question = question_of(first, bank)
    await world.alice.click(first, label=question.answer_letter)
    await world.bob.click(first, label=wrong_letter(question))
    await world.organiser.click(first, label=question.answer_letter)

    await env.advance_time(24 * 3600)

    assert len(posts(world)) == 2
    latest = posts(world)[-1]
    assert question_of(latest, bank).id != question.id
    reveal = latest.content  # the message's text: above today's question, not under its options
    assert reveal.startswith(f"📖 **Yesterday's question:** {question.stem}")
    assert all("Yesterday" not in (f.name + f.value) for f in latest.embeds[0].fields)
    assert f"**{question.answer_letter}.**" in reveal
    assert "2 of 3 members who answered got it right." in reveal
    closed = await world.bob.click(first, label=question.answer_letter)
    assert "This question has closed" in closed.response.content


async def test_buttons_work_after_a_restart(
    world: World, env: Any, clock: SimClock, bank: QuestionBank, simcord_bot: StudyBot
) -> None:
    await setup_daily(world)
    await advance_to(env, clock, NINE_NY + dt.timedelta(minutes=1))
    (post,) = posts(world)
    question = question_of(post, bank)

    await env.restart_bot(restarted(simcord_bot))
    answered = await world.alice.click(post, label=question.answer_letter)

    assert answered.response.embeds[0].description.startswith("✅ Right")
    assert len(posts(world)) == 1  # the restart did not post again


async def test_one_catch_up_post_after_downtime(
    world: World, env: Any, clock: SimClock, simcord_bot: StudyBot
) -> None:
    await setup_daily(world)
    clock.start += dt.timedelta(days=4)  # down through four 09:00s
    await env.restart_bot(restarted(simcord_bot))
    await env.advance_time(1)
    assert len(posts(world)) == 1
    assert posts(world)[0].embeds[0].title == "Daily question · Fri 2026-11-27"
    await env.advance_time(3600)
    assert len(posts(world)) == 1


async def test_pause_and_resume(world: World, env: Any, clock: SimClock) -> None:
    await setup_daily(world)
    paused = await world.organiser.slash(world.channel, "quiz setup", paused=True)
    assert "**paused**" in paused.response.content
    await advance_to(env, clock, NINE_NY + dt.timedelta(days=2))
    assert posts(world) == []

    resumed = await world.organiser.slash(world.channel, "quiz setup", paused=False)
    assert "**resumed**: next one Fri 2026-11-27 09:00" in resumed.response.content
    await advance_to(env, clock, NINE_NY + dt.timedelta(days=3, minutes=1))
    assert len(posts(world)) == 1


async def test_no_repeats_across_many_days(
    world: World, env: Any, clock: SimClock, bank: QuestionBank
) -> None:
    await setup_daily(world)
    await advance_to(env, clock, NINE_NY + dt.timedelta(days=29, minutes=1))
    seen = [question_of(p, bank).id for p in posts(world)]
    assert len(seen) == 30
    assert len(set(seen)) == 30


# -------------------------------------------------------------------------------------- reports, stats


async def test_report_reaches_organisers(world: World, bank: QuestionBank, store: SQLiteDatabase) -> None:
    shown = await world.alice.slash(world.channel, "quiz now")
    question = question_of(shown, bank)
    answered = await world.alice.click(shown.response.message, label=question.answer_letter)

    form = await world.alice.click(answered.response.message, label="Report this question")
    assert form.modal is not None
    thanks = await world.alice.submit_modal(form, {"quiz:report:reason": "Option B is also defensible"})
    assert "your report is saved" in thanks.response.content

    refused = await world.bob.slash(world.channel, "quiz reports")
    assert "Only organizers" in refused.response.content
    listing = await world.organiser.slash(world.channel, "quiz reports")
    assert f"`{question.id}`" in listing.response.content
    assert "Option B is also defensible" in listing.response.content
    assert len(await QuizRepository(store).reports(world.guild.id)) == 1


async def test_stats_by_domain_streak_and_chart(
    world: World, bank: QuestionBank, env: Any, simcord_bot: StudyBot
) -> None:
    # No minimum of answers per domain here: the weighted figure shows from the first answers.
    simcord_bot.policy = dataclasses.replace(simcord_bot.policy, stats_min_answers_per_domain=0)
    empty = await world.alice.slash(world.channel, "quiz stats")
    assert "No answers yet" in empty.response.embeds[0].description

    for domain in ("primary_assessment", "scene_safety"):
        shown = await world.alice.slash(world.channel, "quiz now", domain=domain)
        question = question_of(shown, bank)
        letter = question.answer_letter if domain == "primary_assessment" else wrong_letter(question)
        await world.alice.click(shown.response.message, label=letter)

    stats = await world.alice.slash(world.channel, "quiz stats")

    assert stats.ephemeral
    embed = stats.response.embeds[0]
    assert embed.description.startswith("1 of 2 right; weighted like the exam's domains: **")
    fields = {f.name: f.value for f in embed.fields}
    assert "Primary Assessment: 1/1" in fields["By domain"]
    assert "Scene Size-Up and Safety: 0/1" in fields["By domain"]
    assert "Current: **1 day**" in fields["Streak"]
    (chart,) = stats.response.attachments
    assert (await chart.read()).startswith(b"\x89PNG")


async def test_stats_hold_the_weighted_figure_back_until_every_domain_has_enough_answers(
    world: World, bank: QuestionBank, policy: Policy
) -> None:
    for domain in ("primary_assessment", "scene_safety", "operations"):
        shown = await world.alice.slash(world.channel, "quiz now", domain=domain)
        await world.alice.click(shown.response.message, label=question_of(shown, bank).answer_letter)

    stats = await world.alice.slash(world.channel, "quiz stats")

    first, explanation = stats.response.embeds[0].description.splitlines()
    assert first == "3 of 3 right"
    needed = policy.stats_min_answers_per_domain
    assert f"shown once you have {needed} answers in each exam domain" in explanation
    assert f"Secondary Assessment {needed} more" in explanation
    assert f"Operations {needed - 1} more" in explanation


async def test_changing_the_time_with_paused_false_resumes(world: World, env: Any, clock: SimClock) -> None:
    await setup_daily(world)
    await world.organiser.slash(world.channel, "quiz setup", paused=True)

    changed = await world.organiser.slash(world.channel, "quiz setup", time="10:00", paused=False)

    assert "**paused**" not in changed.response.content
    await advance_to(env, clock, NINE_NY + dt.timedelta(hours=1, minutes=1))
    assert len(posts(world)) == 1


async def test_changing_the_time_of_a_paused_quiz_says_it_is_still_paused(world: World) -> None:
    await setup_daily(world)
    await world.organiser.slash(world.channel, "quiz setup", paused=True)
    changed = await world.organiser.slash(world.channel, "quiz setup", time="10:00")
    assert "**paused**" in changed.response.content


async def test_a_failing_button_gets_a_friendly_private_answer(
    world: World, bank: QuestionBank, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    shown = await world.alice.slash(world.channel, "quiz now")
    question = question_of(shown, bank)

    async def broken(*args: Any) -> bool:
        raise RuntimeError("database went away")

    monkeypatch.setattr(QuizRepository, "record_answer", broken)
    clicked = await world.alice.click(shown.response.message, label=question.answer_letter)

    assert clicked.ephemeral
    text = clicked.response.content if clicked.response else clicked.followups[0].content
    assert "Something went wrong on my side and nothing was changed" in text
    assert "a button or form failed (incident" in caplog.text


async def test_a_failed_post_is_retried_as_the_same_post(
    world: World, env: Any, clock: SimClock, store: SQLiteDatabase, bank: QuestionBank
) -> None:
    await setup_daily(world)
    env.inject_error("POST", f"/channels/{world.channel.id}/messages", status=503, times=1)

    # The outbox's first retry waits 30 s (policy outbox.backoff_seconds): look before it.
    await advance_to(env, clock, NINE_NY + dt.timedelta(seconds=10))
    assert posts(world) == []
    result = await store.query("SELECT id, question_id, message_id FROM quiz_posts")
    (first_try,) = result.all()
    assert first_try[2] is None  # kept, not deleted: the retry reuses it (and its nonce)

    await env.advance_time(3 * 60)

    (post,) = posts(world)
    assert question_of(post, bank).id == first_try[1]
    result = await store.query("SELECT id, message_id FROM quiz_posts")
    assert [tuple(r) for r in result.all()] == [(first_try[0], post.id)]
    answered = await world.alice.click(post, label="A")
    assert answered.ephemeral  # the buttons point at the kept row
