"""End to end: one practice session over a real socket: the slash command, each button, the summary."""

from __future__ import annotations

import json
from contextlib import AsyncExitStack
from pathlib import Path
from typing import Any

import pytest

from bot.features.practice.content import PRACTICE_DIR, check_content
from bot.features.practice.model import ItemKind, ItemRef
from bot.features.quiz.bank import load_bank
from tests.e2e.fake_discord import EPHEMERAL
from tests.e2e.harness import start

STUDENT_ID = 1_200_000_000_000_000_200


def buttons(message: dict[str, Any]) -> dict[str, str]:
    """label -> custom id, for every button on the message."""
    return {
        c["label"]: c["custom_id"] for row in message["components"] for c in row["components"] if "label" in c
    }


async def test_a_scope_drill_over_a_real_socket(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bank = load_bank()
    content, problems = check_content(PRACTICE_DIR, {q.id: q.stem for q in bank.questions})
    assert problems == []
    async with AsyncExitStack() as cleanup:
        running = await start(cleanup, tmp_path, monkeypatch)
        fake = running.fake
        sync = await running.within(fake.command_syncs.get(), "the command sync")
        assert "practice" in sync.names
        await running.within(running.bot.wait_until_ready(), "READY")

        await fake.send_slash_command(
            "practice drill",
            user_id=STUDENT_ID,
            options=[
                {"name": "bucket", "type": 3, "value": "scope"},
                {"name": "length", "type": 4, "value": 5},
            ],
        )
        callback = await running.within(fake.callbacks.get(), "the drill's first item")
        assert callback.body["type"] == 4 and callback.body["data"]["flags"] & EPHEMERAL
        message = callback.message
        assert message is not None
        answered = 0
        while True:
            row = (
                await running.store.query(
                    "SELECT position, items, status FROM practice_sessions WHERE user_id = ?", (STUDENT_ID,)
                )
            ).one()
            assert row is not None
            if row[2] != "active":
                break
            item = ItemRef.decode(json.loads(row[1])[row[0]])
            if item.kind is ItemKind.CARD:
                card = content.card(item.id)
                assert card is not None
                label = "Yes" if card.answer else "No"
            else:
                question = bank.get(item.id)
                assert question is not None
                label = "ABCD"[question.answer]
            await fake.send_component(message, buttons(message)[label], user_id=STUDENT_ID)
            update = await running.within(fake.callbacks.get(), f"feedback on item {answered + 1}")
            assert update.body["type"] == 7  # the item's message is updated in place
            answered += 1
            message = update.message
            if "Next" in buttons(message):
                await fake.send_component(message, buttons(message)["Next"], user_id=STUDENT_ID)
                shown = await running.within(fake.callbacks.get(), f"item {answered + 1}")
                message = shown.message
        assert answered == 5
        summary = message["embeds"][0]["description"]
        assert "Session done: 5 of 5 right" in summary
        assert fake.unexpected == []
