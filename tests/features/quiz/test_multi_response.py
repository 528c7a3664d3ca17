"""Multiple-response ("select all that apply") questions in /quiz now: a persistent multi-select, scored
all or nothing, the chosen set stored (and covered by export and delete), misses in the error log, stats;
the daily post stays single-answer."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from bot.app import StudyBot
from bot.core.fit import fit
from bot.db import SQLiteDatabase
from bot.features.errorlog.model import Bucket
from bot.features.errorlog.repo import ErrorLogRepository
from bot.features.members.privacy_repo import PrivacyRepository
from bot.features.quiz import multi_text
from bot.features.quiz.bank import OPTION_LETTERS, Question, QuestionBank, load_bank
from bot.features.quiz.model import misses_for
from bot.features.quiz.multi import MultiChoice
from bot.features.quiz.repo import Answer, QuizRepository
from bot.policy import Policy
from tests.conftest import SimClock, World, restarted
from tests.db.legacy import legacy_database
from tests.features.quiz.test_cog import NINE_NY, advance_to, posts, question_of, setup_daily

pytestmark = pytest.mark.both_backends


@pytest.fixture(scope="module")
def full_bank(policy: Policy) -> QuestionBank:
    from bot.features.quiz.bank import DEFAULT_BANK_DIR

    return load_bank(DEFAULT_BANK_DIR, policy, near_duplicates=False)


@pytest.fixture
def bank(full_bank: QuestionBank) -> QuestionBank:
    """Only the multiple-response questions, so /quiz now always asks one."""
    return QuestionBank(tuple(q for q in full_bank.questions if q.multiple))


def menu(result: Any) -> dict[str, Any]:
    (row,) = result.response.components
    (select,) = row["components"]
    return dict(select)


def wrong_set(question: Question) -> list[str]:
    """The keyed set minus one letter: partly right, so wrong (all or nothing)."""
    return list(question.correct_letters)[:-1]


async def stored_answers(store: SQLiteDatabase, user_id: int) -> list[tuple[Any, ...]]:
    result = await store.query(
        "SELECT question_id, choice, choices, correct FROM quiz_answers WHERE user_id = ? ORDER BY id",
        (user_id,),
    )
    return [tuple(row) for row in result.all()]


# ------------------------------------------------------------------------------------------ /quiz now


async def test_a_multiple_response_question_is_answered_in_a_multi_select(
    world: World, bank: QuestionBank
) -> None:
    shown = await world.alice.slash(world.channel, "quiz now")
    assert shown.ephemeral
    question = question_of(shown, bank)
    assert question.multiple
    embed = shown.response.embeds[0]
    assert "Select all that apply" in embed.description and "all or nothing" in embed.description
    assert question.id not in embed.title
    select = menu(shown)
    assert select["min_values"] == 1 and select["max_values"] == 5
    assert [o["value"] for o in select["options"]] == list(OPTION_LETTERS)
    assert select["custom_id"].startswith(f"quiz:multi:{question.id}:")


async def test_the_exact_set_is_right(
    world: World, bank: QuestionBank, env: Any, store: SQLiteDatabase
) -> None:
    shown = await world.alice.slash(world.channel, "quiz now")
    question = question_of(shown, bank)
    await env.advance_time(20)

    answered = await world.alice.select(shown.response.message, list(question.correct_letters))

    feedback = answered.response.embeds[0]
    assert feedback.description.startswith("> ")  # the question stays in view
    assert "✅ Right: exactly the correct set" in feedback.description
    assert "Scored all or nothing: full credit only for choosing exactly" in feedback.description
    assert question.explanation in feedback.description and "You took 20 s." in feedback.description
    letters = "".join(question.correct_letters)
    assert await stored_answers(store, world.alice.id) == [(question.id, None, letters, 1)]
    assert sum((await ErrorLogRepository(store).miss_counts(world.alice.id)).values()) == 0
    # a review session serves single-answer items only, so a multiple-response answer makes no card
    assert (await store.query("SELECT count(*) FROM review_cards")).scalar() == 0


async def test_a_partly_right_set_is_wrong_says_what_was_right_and_logs_a_miss(
    world: World, bank: QuestionBank, store: SQLiteDatabase
) -> None:
    shown = await world.alice.slash(world.channel, "quiz now")
    question = question_of(shown, bank)
    chosen = wrong_set(question)
    left_out = question.correct_letters[-1]

    answered = await world.alice.select(shown.response.message, chosen)

    text = answered.response.embeds[0].description
    assert "❌ Not quite: you chose" in text
    assert (
        f"**{left_out}.** {question.options[OPTION_LETTERS.index(left_out)]}: ⚠️ correct, but you left it out"
        in text
    )
    for letter in chosen:
        assert (
            f"**{letter}.** {question.options[OPTION_LETTERS.index(letter)]}: ✅ correct, and you chose it"
            in text
        )
    assert f"Logged in your error log under **{question.bucket.value}**." in text
    assert await stored_answers(store, world.alice.id) == [(question.id, None, "".join(chosen), 0)]
    counts = await ErrorLogRepository(store).miss_counts(world.alice.id)
    assert counts[question.bucket] == 1

    stats = await world.alice.slash(world.channel, "quiz stats")
    assert stats.response.embeds[0].description.startswith("0 of 1 right")


async def test_a_set_with_an_extra_option_is_wrong(
    world: World, bank: QuestionBank, store: SQLiteDatabase
) -> None:
    shown = await world.alice.slash(world.channel, "quiz now")
    question = question_of(shown, bank)
    extra = next(letter for letter in OPTION_LETTERS if letter not in question.correct_letters)
    chosen = sorted([*question.correct_letters, extra])

    answered = await world.alice.select(shown.response.message, chosen)

    text = answered.response.embeds[0].description
    assert (
        f"**{extra}.** {question.options[OPTION_LETTERS.index(extra)]}: ❌ not correct, but you chose it"
        in text
    )
    assert (await stored_answers(store, world.alice.id))[0][3] == 0


async def test_the_menu_answers_after_a_restart(
    world: World, bank: QuestionBank, env: Any, simcord_bot: StudyBot
) -> None:
    shown = await world.alice.slash(world.channel, "quiz now")
    question = question_of(shown, bank)

    await env.restart_bot(restarted(simcord_bot))
    answered = await world.alice.select(shown.response.message, list(question.correct_letters))

    assert "✅ Right" in answered.response.embeds[0].description


@pytest.mark.parametrize(
    ("custom_id", "matches"),
    [
        ("quiz:multi:sa-exam-034:1795000000", True),
        ("quiz:multi:sa-exam-034:" + "9" * 19, True),
        ("quiz:multi:sa-exam-034:" + "9" * 20, False),  # an over-long number never reaches int()
        ("quiz:multi:sa-exam-034:", False),
        ("quiz:multi:../etc:1", False),
    ],
)
def test_the_menus_custom_id_is_bounded(custom_id: str, matches: bool) -> None:
    assert bool(MultiChoice.__discord_ui_compiled_template__.fullmatch(custom_id)) is matches


# ---------------------------------------------------------------------------------------- the daily post


@pytest.fixture
def mixed_bank(full_bank: QuestionBank) -> QuestionBank:
    single = next(q for q in full_bank.questions if not q.multiple)
    return QuestionBank((single, *(q for q in full_bank.questions if q.multiple)))


async def test_the_daily_post_only_asks_single_answer_questions(
    env: Any, world: World, clock: SimClock, simcord_bot: StudyBot, mixed_bank: QuestionBank
) -> None:
    replacement = restarted(simcord_bot)
    replacement.bank = mixed_bank
    await env.restart_bot(replacement)
    await setup_daily(world)
    await advance_to(env, clock, NINE_NY + dt.timedelta(days=2, minutes=1))

    shown = posts(world)
    assert len(shown) == 3
    assert all(not question_of(post, mixed_bank).multiple for post in shown)
    assert all([c.label for row in post.components for c in row.children] == list("ABCD") for post in shown)


# --------------------------------------------------------------------------------------- store and privacy


async def test_export_and_delete_cover_the_chosen_set(
    world: World, bank: QuestionBank, store: SQLiteDatabase
) -> None:
    shown = await world.alice.slash(world.channel, "quiz now")
    question = question_of(shown, bank)
    await world.alice.select(shown.response.message, list(question.correct_letters))

    privacy = PrivacyRepository(store)
    rows = (await privacy.export(world.alice.id))["quiz_answers"]
    assert [row["choices"] for row in rows] == ["".join(question.correct_letters)]
    await privacy.delete(world.alice.id)
    assert await stored_answers(store, world.alice.id) == []


async def test_migration_005_keeps_every_answer_and_takes_a_chosen_set(tmp_path: Path) -> None:
    clock = SimClock()
    path = legacy_database(tmp_path / "old.sqlite3", below=5)  # as a release before 005 left it
    store = await SQLiteDatabase.open(path, clock=clock, migrate=False)
    now = store.now_text()
    async with store.transaction() as tx:  # an answer stored before 005, as 003 wrote it
        await tx.execute("INSERT INTO members (user_id, created_at, updated_at) VALUES (7, ?, ?)", (now, now))
        await tx.execute(
            "INSERT INTO quiz_answers (user_id, question_id, domain, issued_at, choice, correct, answered_on, "
            "answered_at) VALUES (7, 'pa-air-001', 'primary_assessment', 1, 2, 1, '2026-11-23', ?)",
            (now,),
        )

    assert 5 in await store.migrate()  # and any later migration

    assert await stored_answers(store, 7) == [("pa-air-001", 2, None, 1)]
    day = dt.date(2026, 11, 23)
    many = Answer(7, None, "sa-exam-034", "secondary_assessment", frozenset({2, 0}), True, day, issued_at=2)
    quiz = QuizRepository(store)
    assert await quiz.record_answer(many)
    assert (await stored_answers(store, 7))[1] == ("sa-exam-034", None, "AC", 1)
    assert [a.correct for a in await quiz.answers(7)] == [True, True]
    await store.close()


# ---------------------------------------------------------------------------------------- pure parts


def test_a_partly_right_set_is_a_miss_and_an_empty_one_is_refused(bank: QuestionBank) -> None:
    question = bank.questions[0]
    partial = frozenset(sorted(question.correct)[:-1])
    assert question.is_right(question.correct) and not question.is_right(partial)
    (miss,) = misses_for(question, question.is_right(partial), seconds=None, pacing_seconds=75)
    assert miss.bucket is question.bucket
    assert [m.bucket for m in misses_for(question, True, seconds=90, pacing_seconds=75)] == [Bucket.PACING]
    with pytest.raises(ValueError):
        Answer(1, None, question.id, "scene_safety", frozenset(), False, dt.date(2026, 1, 1))


def test_feedback_fits_discord_with_the_longest_question(full_bank: QuestionBank) -> None:
    longest = max(
        (q for q in full_bank.questions if q.multiple), key=lambda q: len(q.stem) + len(q.explanation)
    )
    embed = multi_text.feedback_embed(longest, frozenset({0}), seconds=500, pacing_seconds=75)
    assert len(embed.description or "") <= 4096 and len(embed) <= 6000
    shown = multi_text.question_embed(longest)
    assert len(shown.description or "") <= 4096
    assert all(len(fit(text, 100)) <= 100 for q in full_bank.questions for text in q.options)
