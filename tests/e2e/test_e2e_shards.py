"""End to end over the loopback fake: the bot as discord.py's AutoShardedBot, with Discord's recommended
shard count and with SHARD_COUNT / SHARD_IDS, answering a command on the guild's shard."""

from __future__ import annotations

import asyncio
from contextlib import AsyncExitStack
from pathlib import Path
from typing import Any

import discord
import pytest
from aiohttp import web

from bot.__main__ import main
from bot.health import report
from tests.e2e.fake_discord import FakeDiscord
from tests.e2e.harness import TOKEN, start, within
from tests.test_cli import clean_environment  # noqa: F401 (the fixture is used by name)

STUDENT_ID = 1_200_000_000_000_000_100


@pytest.mark.parametrize(
    ("recommended", "settings", "shards"),
    [
        (1, {}, [0]),  # one process, one shard: as before sharding
        (2, {}, [0, 1]),  # no SHARD_COUNT: Discord's recommended count, every shard here
        (1, {"shard_count": 2}, [0, 1]),  # SHARD_COUNT wins over the recommendation
        (2, {"shard_count": 2, "shard_ids": (1,)}, [1]),  # the fake's guild is on shard 1 of 2
    ],
)
async def test_the_bot_runs_its_shards_and_answers_on_the_guilds_shard(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    recommended: int,
    settings: dict[str, Any],
    shards: list[int],
) -> None:
    async with AsyncExitStack() as cleanup:
        running = await start(cleanup, tmp_path, monkeypatch, recommended_shards=recommended, **settings)
        fake, bot = running.fake, running.bot
        await running.within(bot.wait_until_ready(), "READY on every shard")

        assert sorted(fake.identified_shards) == shards
        count = settings.get("shard_count", recommended)
        assert fake.identified_count == count == bot.shard_count
        assert sorted(bot.shards) == shards
        assert bot.get_guild(fake.guild_id) is not None
        health = await report(bot)
        assert [(s.id, s.connected) for s in health.gateway.shards] == [(i, True) for i in shards]

        await fake.send_slash_command("status", user_id=STUDENT_ID)
        callback = await within(fake.callbacks.get(), running.task, "the /status reply")
        assert callback.body["data"]["embeds"][0]["title"] == "Your EMR certification pathway"
        assert fake.unexpected == []


class NoGateway(FakeDiscord):
    """Discord answering GET /gateway/bot with an error (after a successful login)."""

    async def _get_gateway_bot(self, request: web.Request) -> web.Response:
        return web.json_response({"message": "404: Not Found", "code": 0}, status=404)


@pytest.mark.usefixtures("clean_environment")
async def test_no_gateway_at_start_up_is_one_line(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """AutoShardedBot asks GET /gateway/bot for the recommended shard count outside discord.py's retry
    loop: an error there ends start-up, said in one line like any other start-up problem."""
    fake = NoGateway(token=TOKEN)
    port = await fake.start()
    monkeypatch.setattr(discord.http.Route, "BASE", f"http://127.0.0.1:{port}/api/v10")
    monkeypatch.setenv("DISCORD_TOKEN", TOKEN)
    monkeypatch.setenv("DEV_GUILD_ID", str(fake.guild_id))
    try:
        status = await asyncio.to_thread(main, [])  # its own event loop; the fake answers on this one
    finally:
        await fake.stop()

    assert status == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    (line,) = [line for line in err.splitlines() if line.startswith("Cannot start")]
    assert line == (
        "Cannot start: Discord did not say how to connect to its gateway (GatewayNotFound: The gateway "
        "to connect to discord was not found.): try again later"
    )
