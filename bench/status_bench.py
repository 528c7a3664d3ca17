"""/status with 10,000 members: handling time (domain + store + render) and start-up time to ready.

Run from the repository root: python -m bench.status_bench [--members 10000] [--calls 2000]
Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import tempfile
import time
from pathlib import Path

import simcord

from bench._common import fill_members, summary
from bot.app import StudyBot
from bot.clock import system_clock
from bot.db import SQLiteDatabase
from bot.features.pathway.text import status_embed
from bot.features.quiz.bank import DEFAULT_BANK_DIR, load_bank
from bot.policy import load_policy
from bot.settings import Settings


async def main(members: int, calls: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.sqlite3"
        settings = Settings(discord_token="bench", database_path=path, shard_count=1, _env_file=None)  # type: ignore[arg-type,call-arg]
        policy = load_policy()

        started = time.perf_counter()
        store = await SQLiteDatabase.open(path, clock=system_clock)
        print(f"fresh store open + migrations: {(time.perf_counter() - started) * 1000:.1f} ms")
        started = time.perf_counter()
        user_ids = await fill_members(store, members)
        size = sum(p.stat().st_size for p in Path(folder).glob("bench.sqlite3*")) / 1e6  # noqa: ASYNC240
        print(f"filled {members} members: {(time.perf_counter() - started):.2f} s, db+wal {size:.1f} MB")
        await store.close()

        # Start-up to ready on the filled database: open + migrate check + cogs + command sync + READY.
        started = time.perf_counter()
        store = await SQLiteDatabase.open(path, clock=system_clock)
        bot = StudyBot(
            settings=settings,
            db=store,
            policy=policy,
            bank=load_bank(DEFAULT_BANK_DIR, policy, near_duplicates=False),
            clock=system_clock,
        )
        async with simcord.run(bot, strict_sync=False) as env:
            ready = (time.perf_counter() - started) * 1000
            print(
                f"start-up to READY (store open, cogs loaded, commands synced; simulated gateway): {ready:.1f} ms"
            )

            rng = random.Random(1)
            samples = []
            for _ in range(calls):
                uid = rng.choice(user_ids)
                t0 = time.perf_counter()
                state = await bot.member_state(uid)
                status_embed(state, policy).to_dict()
                samples.append((time.perf_counter() - t0) * 1000)
            print(summary("/status handling (domain + store + render)", samples))

            guild = env.create_guild()
            channel = guild.create_text_channel("study")
            member = guild.add_member(env.create_user("bench"))
            through = []
            for _ in range(min(calls, 300)):
                t0 = time.perf_counter()
                await member.slash(channel, "status")
                through.append((time.perf_counter() - t0) * 1000)
            print(summary("/status through discord.py + simcord (whole interaction)", through))
        await store.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--members", type=int, default=10_000)
    parser.add_argument("--calls", type=int, default=2_000)
    args = parser.parse_args()
    asyncio.run(main(args.members, args.calls))
