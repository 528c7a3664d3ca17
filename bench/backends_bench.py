"""/status in a burst: the real bot against the floor (a discord.py bot answering a constant), on SQLite
and on PostgreSQL, through the same loopback fake of Discord.

Run from the repository root: python -m bench.backends_bench [--members 2000] [--burst 200] [--rounds 5]
[--database-url URL|auto|none]. Each bot first answers a warm-up burst; then ``--rounds`` bursts of
``--burst`` members' /status at once, and the best round's p50 and p99 (latency: the fake sends the
interaction -> the bot's callback arrives) are compared with the floor's. Both bots freeze the heap
after READY (``gc.freeze``), as ``python -m bot`` does. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import random
import tempfile
import time
from pathlib import Path

import discord
import yarl
from discord import app_commands
from discord.ext import commands

from bench._common import Backend, fill_members, percentile
from bot.app import StudyBot
from bot.features.quiz.bank import DEFAULT_BANK_DIR, load_bank
from bot.policy import load_policy
from bot.process import freeze_heap_when_ready
from bot.settings import Settings
from tests.e2e.fake_discord import FakeDiscord

TOKEN = "bench-token"
BOUND = 120.0


class FloorBot(commands.Bot):
    """The floor for this stack: discord.py, one /status answering a constant, no database."""

    def __init__(self, guild_id: int) -> None:
        super().__init__(command_prefix=commands.when_mentioned, intents=discord.Intents.none())
        self.guild = discord.Object(guild_id)

    async def setup_hook(self) -> None:
        @app_commands.command(name="status", description="constant")
        async def status(interaction: discord.Interaction) -> None:
            await interaction.response.send_message("Your EMR certification pathway", ephemeral=True)

        self.tree.add_command(status, guild=self.guild)
        await self.tree.sync(guild=self.guild)


async def burst(fake: FakeDiscord, users: list[int]) -> list[float]:
    """Every user's /status at once; each one's latency in ms."""
    sent: dict[int, float] = {}
    for user in users:
        sent[await fake.send_slash_command("status", user_id=user)] = time.perf_counter()
    latencies: list[float] = []
    while len(latencies) < len(users):
        callback = await asyncio.wait_for(fake.callbacks.get(), BOUND)
        if callback.interaction_id in sent:
            latencies.append((time.perf_counter() - sent.pop(callback.interaction_id)) * 1000)
    return latencies


async def measure(
    label: str, make_bot: object, user_ids: list[int], size: int, rounds: int
) -> tuple[float, float]:
    """(best p50, best p99) over the rounds, after a warm-up burst."""
    fake = FakeDiscord(token=TOKEN, global_limit=None)
    port = await fake.start()
    discord.http.Route.BASE = f"http://127.0.0.1:{port}/api/v10"
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(f"ws://127.0.0.1:{port}/")
    bot: commands.Bot = make_bot(fake.guild_id)  # type: ignore[operator]
    bot._connection.guild_ready_timeout = 0.1
    freeze_heap_when_ready(bot)
    task = asyncio.create_task(bot.start(TOKEN))
    rng = random.Random(5)
    try:
        await asyncio.wait_for(bot.wait_until_ready(), 60)
        await asyncio.sleep(0.2)  # the READY listeners (the heap freeze) have run
        await burst(fake, rng.sample(user_ids, size))  # warm-up: caches, prepared statements, pools
        p50s, p99s = [], []
        for _ in range(rounds):
            samples = await burst(fake, rng.sample(user_ids, size))
            p50s.append(percentile(samples, 50))
            p99s.append(percentile(samples, 99))
        print(
            f"  {label:<28} best of {rounds}: p50 {min(p50s):7.1f} ms  p99 {min(p99s):7.1f} ms   "
            f"(rounds' p50 {', '.join(f'{v:.0f}' for v in p50s)})"
        )
        return min(p50s), min(p99s)
    finally:
        await bot.close()
        done, _ = await asyncio.wait({task}, timeout=10)
        if not done:
            task.cancel()
        await fake.stop()


async def compare(backend: Backend, members: int, size: int, rounds: int) -> None:
    target = await backend.fresh()
    store = await backend.open(target)
    user_ids = await fill_members(store, members)
    policy = load_policy()
    bank = load_bank(DEFAULT_BANK_DIR, policy, near_duplicates=False)
    print(f"[{backend.name}] {size} members' /status at once, {members} members stored:")

    def real(guild_id: int) -> StudyBot:
        settings = Settings(
            discord_token=TOKEN,  # type: ignore[arg-type]
            database_path=backend.folder / "unused.sqlite3",
            dev_guild_id=guild_id,
            log_level="WARNING",
            _env_file=None,  # type: ignore[call-arg]
        )
        return StudyBot(settings=settings, db=store, policy=policy, bank=bank)

    try:
        floor = await measure("floor (constant answer)", FloorBot, user_ids, size, rounds)
        bot = await measure(f"the bot on {backend.name}", real, user_ids, size, rounds)
    finally:
        await store.close()
    print(f"  ratio bot/floor: p50 {bot[0] / floor[0]:.2f}x  p99 {bot[1] / floor[1]:.2f}x")


async def main(members: int, size: int, rounds: int, database_url: str | None) -> None:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("discord").setLevel(logging.ERROR)
    with tempfile.TemporaryDirectory() as folder:
        await compare(Backend(Path(folder)), members, size, rounds)
        if database_url == "none":
            return
        backend = Backend(Path(folder), database_url or "auto")
        try:
            await compare(backend, members, size, rounds)
        except RuntimeError as error:  # no server could be started
            print(f"[postgresql] skipped: {error}")
        finally:
            backend.stop()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--members", type=int, default=2_000)
    parser.add_argument("--burst", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument(
        "--database-url",
        default=None,
        help="PostgreSQL for the second half: a database URL on a server (a fresh database is created "
        "there), 'auto' (default) to start a throwaway server from the installed binaries, or 'none'",
    )
    args = parser.parse_args()
    asyncio.run(main(args.members, args.burst, args.rounds, args.database_url))
