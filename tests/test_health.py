"""Health: the JSON endpoint on 127.0.0.1 (an ephemeral port here) and ``python -m bot health``."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import socket
from collections.abc import AsyncIterator
from typing import Any

import pytest

from bot.__main__ import main
from bot.app import StudyBot
from bot.db import SQLiteDatabase, utc_text
from bot.health import OVERDUE_AFTER, HealthServer, check
from tests.conftest import SimClock
from tests.test_cli import clean_environment, one_line  # noqa: F401 (the fixture is used by name)


@pytest.fixture
async def endpoint(simcord_bot: StudyBot) -> AsyncIterator[int]:
    server = await HealthServer.start(simcord_bot, 0)
    assert server is not None
    yield server.port
    await server.stop()


async def ask(port: int) -> tuple[int, dict[str, Any]]:
    """``python -m bot health``'s question, from a thread (the endpoint runs on this loop)."""
    status, text = await asyncio.to_thread(check, port)
    return status, json.loads(text)


async def test_a_connected_bot_is_healthy(endpoint: int, env: Any) -> None:
    status, body = await ask(endpoint)

    assert status == 0, body
    assert body["healthy"] is True and body["problems"] == []
    assert body["gateway"]["ready"] is True and body["gateway"]["shard_count"] == 1
    assert [(s["id"], s["connected"]) for s in body["gateway"]["shards"]] == [(0, True)]
    assert body["database"] == {"ok": True, "error": None}
    assert body["scheduler"] == {
        "running": True,
        "next_wake_up": {"digest": None, "quiz": None, "reminders": None},
    }
    assert body["overdue_reminders"] == 0


async def test_the_next_wake_up_is_reported_per_outbox(
    endpoint: int, env: Any, simcord_bot: StudyBot, clock: SimClock
) -> None:
    quiz = simcord_bot.get_cog("Quiz")
    at = clock() + dt.timedelta(hours=3)
    quiz.outbox.wakeup.at(at)  # type: ignore[union-attr]

    _, body = await ask(endpoint)

    assert body["scheduler"]["next_wake_up"]["quiz"] == at.isoformat()


async def test_overdue_reminders_make_it_unhealthy(
    endpoint: int, env: Any, store: SQLiteDatabase, clock: SimClock
) -> None:
    late = clock() - OVERDUE_AFTER - dt.timedelta(minutes=1)
    recent = clock() - dt.timedelta(minutes=1)  # due a minute ago: being delivered, not overdue
    async with store.transaction() as tx:
        await tx.execute("INSERT INTO members (user_id, created_at, updated_at) VALUES (7, ?, ?)", ("x", "x"))
        for day, wake in (("2026-11-20", late), ("2026-11-21", recent)):
            await tx.execute(
                "INSERT INTO reminders (user_id, kind, local_date, due_at, zone, wake_at) "
                "VALUES (7, 'retest_eligible', ?, ?, 'UTC', ?)",
                (day, utc_text(wake), utc_text(wake)),
            )

    status, body = await ask(endpoint)

    assert status == 1
    assert body["overdue_reminders"] == 1
    assert body["problems"] == ["1 reminder(s) more than 0:15:00 late"]


async def test_a_bot_not_connected_is_unhealthy(endpoint: int) -> None:
    status, body = await ask(endpoint)  # no simcord env: never logged in, scheduler not started

    assert status == 1
    assert "not connected to Discord (yet)" in body["problems"]
    assert "the scheduler is not running" in body["problems"]
    assert body["gateway"]["shards"] == [] and body["database"]["ok"] is True


async def test_the_endpoint_listens_on_loopback_only(simcord_bot: StudyBot) -> None:
    server = await HealthServer.start(simcord_bot, 0)
    assert server is not None
    try:
        hosts = {address[0] for address in server.runner.addresses}
    finally:
        await server.stop()
    assert hosts == {"127.0.0.1"}


async def test_a_port_in_use_leaves_the_endpoint_off_without_stopping_the_bot(
    endpoint: int, simcord_bot: StudyBot, caplog: pytest.LogCaptureFixture
) -> None:
    assert await HealthServer.start(simcord_bot, endpoint) is None
    assert f"HEALTH_PORT {endpoint} cannot be used" in caplog.text


# ------------------------------------------------------------------------------- python -m bot health


@pytest.mark.usefixtures("clean_environment")
async def test_the_command_prints_the_report_and_exits_0_when_healthy(
    endpoint: int, env: Any, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HEALTH_PORT", str(endpoint))  # no DISCORD_TOKEN needed

    assert await asyncio.to_thread(main, ["health"]) == 0

    assert json.loads(capsys.readouterr().out)["healthy"] is True


@pytest.mark.usefixtures("clean_environment")
async def test_the_command_exits_1_when_unhealthy(endpoint: int, capsys: pytest.CaptureFixture[str]) -> None:
    assert await asyncio.to_thread(main, ["health", "--port", str(endpoint)]) == 1

    assert "not connected to Discord (yet)" in json.loads(capsys.readouterr().out)["problems"]


@pytest.mark.usefixtures("clean_environment")
def test_the_command_exits_2_when_nothing_answers(capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as probe:  # a port that was free a moment ago, and nothing listens on it
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]

    assert main(["health", "--port", str(port)]) == 2

    said = one_line(capsys.readouterr().err)
    assert said.startswith(f"nothing answers at http://127.0.0.1:{port}/health (")
    assert said.endswith(f"is the bot running with HEALTH_PORT={port}?")


@pytest.mark.usefixtures("clean_environment")
@pytest.mark.parametrize(
    ("env_file", "line"),
    [
        ("", "Cannot check health: HEALTH_PORT is not set (set it for the bot and for this command, or pass"),
        ("HEALTH_PORT=eighty\n", "Cannot check health: HEALTH_PORT is invalid: must be a port number"),
    ],
)
def test_the_command_exits_2_when_misconfigured(
    capsys: pytest.CaptureFixture[str], env_file: str, line: str
) -> None:
    with open(".env", "w", encoding="utf-8") as file:  # the current directory: a fresh tmp_path
        file.write(env_file)

    assert main(["health"]) == 2

    assert one_line(capsys.readouterr().err).startswith(line)
