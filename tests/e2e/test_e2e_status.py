"""End to end: the real bot logs in to a loopback fake of Discord, syncs its commands and answers /status."""

from __future__ import annotations

from contextlib import AsyncExitStack
from pathlib import Path

import pytest

from tests.e2e.fake_discord import EPHEMERAL
from tests.e2e.harness import start, within

STUDENT_ID = 1_200_000_000_000_000_100


async def test_status_over_a_real_socket(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    async with AsyncExitStack() as cleanup:  # unwinds in reverse, like a finally block: bot, store, fake
        running = await start(cleanup, tmp_path, monkeypatch)
        fake, bot, bot_task = running.fake, running.bot, running.task
        sync = await within(fake.command_syncs.get(), bot_task, "the command sync")
        assert sync.guild_id == fake.guild_id
        assert {"status", "gate", "timezone", "privacy"} <= sync.names

        await within(bot.wait_until_ready(), bot_task, "READY")
        assert bot.user is not None and bot.user.id == fake.bot_id
        assert bot.get_guild(fake.guild_id) is not None

        interaction_id = await fake.send_slash_command("status", user_id=STUDENT_ID)
        callback = await within(fake.callbacks.get(), bot_task, "the /status reply")

        assert callback.interaction_id == interaction_id
        assert callback.query.get("with_response") in ("1", "true")
        assert callback.body["type"] == 4  # CHANNEL_MESSAGE_WITH_SOURCE
        data = callback.body["data"]
        assert data["flags"] & EPHEMERAL
        [embed] = data["embeds"]
        assert embed["title"] == "Your EMR certification pathway"
        assert "Gates" in [field["name"] for field in embed["fields"]]
        assert fake.unexpected == []
