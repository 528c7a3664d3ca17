"""End to end: ``python -m bot`` as a process, logged in to the loopback fake of Discord, stopped with
SIGTERM (what ``systemctl stop`` and ``docker stop`` send) like Ctrl-C: a clean close and "stopped"."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path

import pytest

from tests.e2e.fake_discord import FakeDiscord

ROOT = str(Path(__file__).resolve().parents[2])
WAIT = 30.0  # seconds; a bound, not a pause: each wait ends as soon as its line arrives
TOKEN = "e2e-token"

#: ``python -m bot`` with discord.py pointed at the loopback fake (as the in-process e2e test does).
LAUNCH = """
import sys, discord, yarl
port = int(sys.argv[1])
discord.http.Route.BASE = f"http://127.0.0.1:{port}/api/v10"
discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(f"ws://127.0.0.1:{port}/")
from bot.__main__ import main
sys.exit(main([]))
"""


async def read_until(stream: asyncio.StreamReader, marker: str, seen: list[str]) -> None:
    while True:
        line = (await stream.readline()).decode()
        if not line:
            pytest.fail(f"the bot exited before logging {marker!r}:\n{''.join(seen)}")
        seen.append(line)
        if marker in line:
            return


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
async def test_sigterm_stops_the_bot_cleanly(tmp_path: Path) -> None:
    fake = FakeDiscord(token=TOKEN)
    port = await fake.start()
    database = tmp_path / "bot.sqlite3"
    env = {
        **os.environ,
        "DISCORD_TOKEN": TOKEN,
        "DATABASE_PATH": str(database),
        "DEV_GUILD_ID": str(fake.guild_id),
        "LOG_LEVEL": "INFO",
        "PYTHONPATH": ROOT,
    }
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-c", LAUNCH, str(port), cwd=tmp_path, env=env, stderr=asyncio.subprocess.PIPE
    )
    seen: list[str] = []
    try:
        assert process.stderr is not None
        await asyncio.wait_for(read_until(process.stderr, "ready as", seen), WAIT)
        assert database.with_name("bot.sqlite3-wal").exists()  # the database is open, in WAL mode

        process.send_signal(signal.SIGTERM)
        _, rest = await asyncio.wait_for(process.communicate(), WAIT)
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
        await fake.stop()

    log = "".join(seen) + rest.decode()
    assert process.returncode == 0, log
    assert "Traceback" not in log
    stopping = log.index("SIGTERM received: stopping")
    closed = log.index("closed: features unloaded (deliveries drained), scheduler stopped")
    stopped = log.index("bot: stopped (SIGTERM)")
    assert stopping < closed < stopped
    assert not database.with_name("bot.sqlite3-wal").exists()  # closed: the WAL was checkpointed away


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
async def test_discord_going_away_after_start_up_is_one_calm_line(tmp_path: Path) -> None:
    fake = FakeDiscord(token=TOKEN)
    port = await fake.start()
    env = {
        **os.environ,
        "DISCORD_TOKEN": TOKEN,
        "DATABASE_PATH": str(tmp_path / "bot.sqlite3"),
        "DEV_GUILD_ID": str(fake.guild_id),
        "PYTHONPATH": ROOT,
    }
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-c", LAUNCH, str(port), cwd=tmp_path, env=env, stderr=asyncio.subprocess.PIPE
    )
    seen: list[str] = []
    try:
        assert process.stderr is not None
        await asyncio.wait_for(read_until(process.stderr, "ready as", seen), WAIT)
        await fake.stop()  # Discord goes away: nothing listens on its port any more
        await asyncio.wait_for(read_until(process.stderr, "lost the connection to Discord", seen), WAIT)
        await asyncio.sleep(4)  # discord.py retries meanwhile (after about 1 s, then 2-4 s)

        process.send_signal(signal.SIGTERM)
        _, rest = await asyncio.wait_for(process.communicate(), WAIT)
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()

    log = "".join(seen) + rest.decode()
    assert process.returncode == 0, log  # not fatal: it was still running, and stopped cleanly
    assert "Traceback" not in log
    assert log.count("lost the connection to Discord") == 1
    assert "[WARNING ] discord.client: lost the connection to Discord (" in log
    assert "stopped (SIGTERM)" in log
