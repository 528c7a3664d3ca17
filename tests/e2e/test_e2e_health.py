"""End to end: ``python -m bot`` with HEALTH_PORT as a process, and ``python -m bot health`` as another,
the way a container health check calls it: healthy once ready, exit 2 once the bot has stopped."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import sys
from pathlib import Path

import pytest

from tests.e2e.fake_discord import FakeDiscord
from tests.e2e.test_e2e_sigterm import LAUNCH, ROOT, TOKEN, WAIT, read_until


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def health(port: int, cwd: Path) -> tuple[int, str, str]:
    """``python -m bot health`` with only HEALTH_PORT set: no token, as in the container."""
    env = {key: value for key, value in os.environ.items() if key != "DISCORD_TOKEN"}
    env.update({"HEALTH_PORT": str(port), "PYTHONPATH": ROOT})
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "health", cwd=cwd, env=env, stdout=-1, stderr=-1
    )
    out, err = await asyncio.wait_for(process.communicate(), WAIT)
    assert process.returncode is not None
    return process.returncode, out.decode(), err.decode()


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
async def test_the_health_command_asks_the_running_bot(tmp_path: Path) -> None:
    fake = FakeDiscord(token=TOKEN)
    port = await fake.start()
    health_port = free_port()
    env = {
        **os.environ,
        "DISCORD_TOKEN": TOKEN,
        "DATABASE_PATH": str(tmp_path / "bot.sqlite3"),
        "DEV_GUILD_ID": str(fake.guild_id),
        "HEALTH_PORT": str(health_port),
        "PYTHONPATH": ROOT,
    }
    bot = await asyncio.create_subprocess_exec(
        sys.executable, "-c", LAUNCH, str(port), cwd=tmp_path, env=env, stderr=asyncio.subprocess.PIPE
    )
    seen: list[str] = []
    try:
        assert bot.stderr is not None
        await asyncio.wait_for(read_until(bot.stderr, "ready as", seen), WAIT)
        assert f"health endpoint: http://127.0.0.1:{health_port}/health" in "".join(seen)

        status, out, _ = await health(health_port, tmp_path)
        assert status == 0, out
        report = json.loads(out)
        assert report["healthy"] is True
        assert [(s["id"], s["connected"]) for s in report["gateway"]["shards"]] == [(0, True)]

        bot.send_signal(signal.SIGTERM)
        await asyncio.wait_for(bot.communicate(), WAIT)
    finally:
        if bot.returncode is None:
            bot.kill()
            await bot.wait()
        await fake.stop()

    assert bot.returncode == 0
    status, _, err = await health(health_port, tmp_path)
    assert status == 2 and "nothing answers at" in err  # the endpoint closed with the bot
