"""Bot processes for the several-process tests and benchmark: ``python -m bot`` as real OS processes,
each running some shards on one PostgreSQL database, logged in to a loopback fake of Discord.

The launcher points discord.py at the fake and, for speed, shortens two timings (the safety poll and the
lease) and can raise the global rate the outbox paces itself to (``global_rate``: for tests against a fake
without Discord's limit) before ``bot.__main__.main`` runs; everything else is the bot as a host runs it."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = str(Path(__file__).resolve().parents[2])
TOKEN = "e2e-token"
START_WITHIN = 60.0  # seconds, bounds: a wait ends as soon as the process is ready or has stopped
STOP_WITHIN = 30.0

LAUNCH = """
import dataclasses, datetime as dt, sys, discord, yarl
port, poll, lease, rate = int(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
discord.http.Route.BASE = f"http://127.0.0.1:{port}/api/v10"
discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(f"ws://127.0.0.1:{port}/")
import bot.__main__ as entry, bot.core.outbox as outbox, bot.policy as policy
outbox.POLL_EVERY = dt.timedelta(seconds=poll)
load = policy.load_policy
def quick(*args, **kwargs):
    policy = dataclasses.replace(load(*args, **kwargs), lease_seconds=lease)
    return dataclasses.replace(policy, discord_global_rate=rate) if rate else policy
entry.load_policy = quick
sys.exit(entry.main([]))
"""


@dataclass
class BotProcess:
    """One ``python -m bot`` process; its log lines are read as they come (a full pipe would stall it)."""

    name: str
    process: asyncio.subprocess.Process
    lines: list[str] = field(default_factory=list)
    ready: asyncio.Event = field(default_factory=asyncio.Event)
    reader: asyncio.Task[None] | None = None

    @classmethod
    async def start(
        cls,
        port: int,
        database_url: str,
        shard_ids: tuple[int, ...],
        shard_count: int,
        *,
        poll: float = 1.0,
        lease: int = 5,
        global_rate: int | None = None,
        cwd: Path | None = None,
    ) -> BotProcess:
        env = {
            **os.environ,
            "DISCORD_TOKEN": TOKEN,
            "DATABASE_URL": database_url,
            "SHARD_COUNT": str(shard_count),
            "SHARD_IDS": ",".join(map(str, shard_ids)),
            "LOG_LEVEL": "INFO",
            "PYTHONPATH": ROOT,
        }
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-c", LAUNCH, str(port), str(poll), str(lease), str(global_rate or 0),
            cwd=cwd or ROOT, env=env, stderr=asyncio.subprocess.PIPE,
        )  # fmt: skip
        running = cls(f"shards {','.join(map(str, shard_ids))}", process)
        running.reader = asyncio.create_task(running._read())
        return running

    async def _read(self) -> None:
        assert self.process.stderr is not None
        while line := (await self.process.stderr.readline()).decode(errors="replace"):
            self.lines.append(line)
            if "ready as" in line:
                self.ready.set()

    @property
    def pid(self) -> int:
        return self.process.pid

    @property
    def log(self) -> str:
        return "".join(self.lines)

    async def wait_ready(self) -> None:
        waiting = asyncio.ensure_future(self.ready.wait())
        ended = asyncio.ensure_future(self.process.wait())
        await asyncio.wait({waiting, ended}, timeout=START_WITHIN, return_when=asyncio.FIRST_COMPLETED)
        waiting.cancel()
        ended.cancel()
        if not self.ready.is_set():
            raise AssertionError(f"{self.name} did not get ready:\n{self.log}")

    async def kill(self) -> None:
        """kill -9: no clean-up of any kind."""
        if self.process.returncode is None:
            self.process.send_signal(signal.SIGKILL)
        await self.process.wait()
        if self.reader is not None:
            await self.reader

    async def stop(self) -> int:
        """SIGTERM, as systemd and docker stop it; the exit status."""
        if self.process.returncode is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                await asyncio.wait_for(self.process.wait(), STOP_WITHIN)
            except TimeoutError:
                self.process.kill()
                await self.process.wait()
        if self.reader is not None:
            await self.reader
        assert self.process.returncode is not None
        return self.process.returncode
