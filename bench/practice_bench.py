"""Practice: N members each in a session, answering at once through the real discord.py client against
the loopback fake of Discord. Prints p50 / p99 per answer and the database writes per answer.

Run from the repository root: python -m bench.practice_bench [--members 500] [--length 5]
Each member starts a knowledge drill (a slash command), then all members answer their current item at
the same moment, round after round. Latency is from the fake sending the click to the bot's callback
arriving. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import tempfile
import time
from collections import Counter
from pathlib import Path

import discord
import yarl

from bench._common import percentile
from bot.app import StudyBot
from bot.clock import system_clock
from bot.db import SQLiteDatabase
from bot.db.sqlite import SQLiteTransaction
from bot.features.practice.model import ItemRef
from bot.features.quiz.bank import DEFAULT_BANK_DIR, load_bank
from bot.policy import load_policy
from bot.settings import Settings
from tests.e2e.fake_discord import FakeDiscord

TOKEN = "bench-token"
FIRST_USER = 1_300_000_000_000_000_000
BOUND = 120.0


def _buttons(message: dict[str, object]) -> dict[str, str]:
    rows = message.get("components") or []
    return {c["label"]: c["custom_id"] for row in rows for c in row["components"] if "label" in c}  # type: ignore[index, union-attr]


async def collect(
    fake: FakeDiscord, ids: set[int], sent: dict[int, float]
) -> dict[int, tuple[float, dict[str, object]]]:
    """Wait for one callback per interaction id; (latency in ms, the message it sent or updated)."""
    got: dict[int, tuple[float, dict[str, object]]] = {}
    while len(got) < len(ids):
        callback = await asyncio.wait_for(fake.callbacks.get(), BOUND)
        if callback.interaction_id in ids:
            got[callback.interaction_id] = (
                (time.perf_counter() - sent[callback.interaction_id]) * 1000,
                callback.message or {},
            )
    return got


async def main(members: int, length: int) -> None:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("discord").setLevel(logging.ERROR)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.sqlite3"
        store = await SQLiteDatabase.open(path, clock=system_clock)
        fake = FakeDiscord(token=TOKEN, global_limit=None)  # interaction callbacks are not globally limited
        port = await fake.start()
        discord.http.Route.BASE = f"http://127.0.0.1:{port}/api/v10"
        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(f"ws://127.0.0.1:{port}/")
        settings = Settings(
            discord_token=TOKEN,  # type: ignore[arg-type]
            database_path=path,
            dev_guild_id=fake.guild_id,
            log_level="WARNING",
            _env_file=None,  # type: ignore[call-arg]
        )
        policy = load_policy()
        bank = load_bank(DEFAULT_BANK_DIR, policy, near_duplicates=False)
        bot = StudyBot(settings=settings, db=store, policy=policy, bank=bank)
        bot._connection.guild_ready_timeout = 0.1
        task = asyncio.create_task(bot.start(TOKEN))
        try:
            await asyncio.wait_for(bot.wait_until_ready(), 30)
            users = [FIRST_USER + i for i in range(members)]
            sent: dict[int, float] = {}
            started = time.perf_counter()
            ids = set()
            for user in users:
                interaction = await fake.send_slash_command(
                    "practice drill",
                    user_id=user,
                    options=[
                        {"name": "bucket", "type": 3, "value": "knowledge"},
                        {"name": "length", "type": 4, "value": length},
                    ],
                )
                sent[interaction] = time.perf_counter()
                ids.add(interaction)
            shown = await collect(fake, ids, sent)
            print(
                f"{members} members started a {length}-item knowledge drill: {time.perf_counter() - started:.2f} s"
            )
            messages = {
                user: data for user, (_, data) in zip(users, (shown[i] for i in sorted(ids)), strict=True)
            }

            writes: Counter[str] = Counter()
            original = SQLiteTransaction.execute

            async def counting(self: SQLiteTransaction, sql: str, params: object = ()) -> object:
                writes[str(sql).split()[0].upper()] += 1
                return await original(self, sql, params)  # type: ignore[arg-type]

            SQLiteTransaction.execute = counting  # type: ignore[assignment, method-assign]
            latencies: list[float] = []
            answers = 0
            for _ in range(length):
                ids = set()
                by_id: dict[int, int] = {}
                for user in users:
                    row = (
                        await store.query(
                            "SELECT position, items FROM practice_sessions WHERE user_id = ? AND status = 'active'",
                            (user,),
                        )
                    ).one()
                    if row is None:
                        continue
                    item = ItemRef.decode(json.loads(row[1])[row[0]])
                    question = bank.get(item.id)
                    assert question is not None
                    message = messages[user]
                    label = "ABCD"[question.answer]
                    interaction = await fake.send_component(message, _buttons(message)[label], user_id=user)
                    sent[interaction] = time.perf_counter()
                    ids.add(interaction)
                    by_id[interaction] = user
                results = await collect(fake, ids, sent)
                latencies += [ms for ms, _ in results.values()]
                answers += len(results)
                await _cards_caught_up(store, answers)  # each answer's review card, written after the reply
                # Next (not timed): show each member's following item
                next_ids = set()
                for interaction, (_, data) in results.items():
                    user = by_id[interaction]
                    if "Next" in _buttons(data):
                        click = await fake.send_component(data, _buttons(data)["Next"], user_id=user)
                        sent[click] = time.perf_counter()
                        next_ids.add(click)
                        by_id[click] = user
                SQLiteTransaction.execute = original  # type: ignore[method-assign]
                for click, (_, data) in (await collect(fake, next_ids, sent)).items():
                    messages[by_id[click]] = data
                SQLiteTransaction.execute = counting  # type: ignore[assignment, method-assign]
            SQLiteTransaction.execute = original  # type: ignore[method-assign]
            print(
                f"{answers} answers, {members} at a time: per answer p50={percentile(latencies, 50):.0f} ms "
                f"p99={percentile(latencies, 99):.0f} ms (click sent -> the bot's callback received)"
            )
            total = sum(writes.values())
            print(
                f"database statements in write transactions per answer: {total / max(answers, 1):.1f} "
                f"({', '.join(f'{k} {v / max(answers, 1):.1f}' for k, v in sorted(writes.items()))})"
            )
        finally:
            await bot.close()
            task.cancel()
            await fake.stop()
            await store.close()


async def _cards_caught_up(store: SQLiteDatabase, answers: int) -> None:
    """Wait (bounded) until every answer so far has reached its member's spaced-review card."""
    deadline = time.perf_counter() + BOUND
    while time.perf_counter() < deadline:
        reviews = (await store.query("SELECT coalesce(sum(reviews), 0) FROM review_cards")).scalar()
        if reviews >= answers:
            return
        await asyncio.sleep(0.05)
    raise TimeoutError(f"review cards still behind after {BOUND:.0f} s")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--members", type=int, default=500)
    parser.add_argument("--length", type=int, default=5)
    args = parser.parse_args()
    asyncio.run(main(args.members, args.length))
