"""/quiz items: organizers only; per-item counts, discrimination, difficulty and reports; an item with a
wrong key (members who do well elsewhere miss it) and a much-reported one flagged first; a CSV of all."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest

from bot.db import SQLiteDatabase
from bot.features.members.repo import ensure_member
from bot.features.quiz.bank import QuestionBank
from bot.features.quiz.item_stats import item_statistics, point_biserial
from bot.policy import Policy
from tests.conftest import World

pytestmark = pytest.mark.both_backends

MEMBERS = [2_000_000_000_000_000_000 + i for i in range(40)]


def history(bank: QuestionBank) -> tuple[str, str, list[tuple[int, str, bool]]]:
    """40 members on 10 items: the stronger a member, the more they get right, except the 'wrong key'
    item, which only the weaker half gets right."""
    questions = [q.id for q in bank.questions if not q.multiple][:10]
    wrong_key = questions[0]
    rows = []
    for rank, member in enumerate(MEMBERS):
        strength = rank / len(MEMBERS)
        for n, item in enumerate(questions):
            right = strength < 0.5 if item == wrong_key else (n / len(questions)) < strength + 0.2
            rows.append((member, item, right))
    return wrong_key, questions[1], rows


async def fill(store: SQLiteDatabase, rows: list[tuple[int, str, bool]], reported: str) -> None:
    now = store.now_text()
    async with store.transaction() as tx:
        for member in MEMBERS:
            await ensure_member(tx, member, now)
        await tx.execute_many(
            "INSERT INTO quiz_answers (user_id, guild_id, question_id, domain, choice, correct, answered_on, "
            "answered_at) VALUES (?, 1, ?, 'scene_safety', 0, ?, '2026-11-20', ?)",
            [(m, q, int(ok), now) for m, q, ok in rows],
        )
        await tx.execute_many(
            "INSERT INTO question_reports (user_id, guild_id, question_id, reason, reported_at) "
            "VALUES (?, 1, ?, 'the key looks wrong', ?)",
            [(m, reported, now) for m in MEMBERS[:3]],
        )


@pytest.mark.parametrize(
    ("pairs", "expected"),
    [
        ([(True, 1.0), (False, 0.0)], 1.0),
        ([(True, 0.0), (False, 1.0)], -1.0),
        ([(True, 0.5), (True, 0.7)], None),  # the item does not vary
        ([(True, 0.5)], None),
        ([(True, 0.9), (True, 0.6), (False, 0.4), (False, 0.7)], 0.5547001962),  # numpy.corrcoef agrees
    ],
)
def test_point_biserial(pairs: list[tuple[bool, float]], expected: float | None) -> None:
    result = point_biserial(pairs)
    assert result == expected if expected is None else result == pytest.approx(expected)


def test_the_wrong_key_and_the_reported_item_are_flagged_first(bank: QuestionBank, policy: Policy) -> None:
    wrong_key, reported, rows = history(bank)
    report = item_statistics(bank, rows, {reported: 3}, {wrong_key: (1.2, 40)}, policy.checkin)
    first, second = report.items[:2]
    assert {first.item_id, second.item_id} == {wrong_key, reported}
    by_id = {s.item_id: s for s in report.items}
    assert by_id[wrong_key].negative and by_id[wrong_key].discrimination is not None
    assert by_id[wrong_key].difficulty == 1.2 and by_id[wrong_key].answers == 40
    assert by_id[reported].many_reports and not by_id[reported].negative
    assert [s.item_id for s in report.flagged] == [first.item_id, second.item_id]
    assert len(report.items) == len(bank) and report.members == 40


async def test_organizers_only(world: World) -> None:
    refused = await world.alice.slash(world.channel, "quiz items")
    assert refused.ephemeral
    assert "Only organizers (members with **Manage Server**)" in refused.response.content


async def test_items_lists_flagged_items_first_with_a_csv(
    world: World, store: SQLiteDatabase, bank: QuestionBank, env: Any
) -> None:
    wrong_key, reported, rows = history(bank)
    await fill(store, rows, reported)

    result = await world.organiser.slash(world.channel, "quiz items")

    message = result.response  # the deferred reply's first follow-up
    text = message.embeds[0].description
    lines = text.split("\n\n", 1)[1].splitlines()
    assert lines[0].startswith("⚠️ `") and lines[1].startswith("⚠️ `")
    assert any(f"`{wrong_key}` **check this item** (negative discrimination)" in line for line in lines[:2])
    assert any(f"`{reported}` **check this item** (3 reports)" in line for line in lines[:2])
    assert "40 members" in text and "2 items to check" in text
    assert not any(str(member) in text for member in MEMBERS) and "<@" not in text
    (attachment,) = message.attachments
    table = list(csv.DictReader(io.StringIO((await attachment.read()).decode("utf-8"))))
    assert len(table) == len(bank)
    assert {row["item_id"] for row in table if row["check_this_item"] == "yes"} == {wrong_key, reported}
