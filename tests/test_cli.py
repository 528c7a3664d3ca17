"""``python -m bot``: --help on every level, usage mistakes, and start-up problems as one line with exit 2.

No network: start-up is pointed at a closed loopback port or given a DNS failure; every test that
gets as far as the network fails there, before any token is used.
"""

from __future__ import annotations

import logging
import socket
from collections.abc import Iterator
from pathlib import Path

import aiohttp
import discord
import pytest
from aiohttp.client_reqrep import ConnectionKey

from bot.__main__ import main

SETTINGS = (
    "DISCORD_TOKEN",
    "DATABASE_PATH",
    "DEV_GUILD_ID",
    "LOG_LEVEL",
    "LOG_LEVEL_LIBRARIES",
    "DEFAULT_TIMEZONE",
    "DATABASE_URL",
    "SHARD_COUNT",
    "SHARD_IDS",
    "HEALTH_PORT",
)


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    """No settings from the machine running the tests; an empty current directory; logging restored."""
    for name in SETTINGS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)
    logging.getLogger("bot").setLevel(logging.NOTSET)
    logging.getLogger("apscheduler").setLevel(logging.NOTSET)


def one_line(text: str) -> str:
    lines = text.strip().splitlines()
    assert len(lines) == 1, text
    assert "Traceback" not in text
    return lines[0]


# ----------------------------------------------------------------------------------------------- --help


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        ([], ["questions", "preview", "screenshots", "--env-file", "DISCORD_TOKEN", "LOG_LEVEL_LIBRARIES"]),
        (["questions"], ["check"]),
        (["questions", "check"], ["PATH", "Exit status 1"]),
        (["preview"], ["--port", "--database", "SIGTERM"]),
        (["screenshots"], ["DIR", "docs/img"]),
    ],
)
def test_help_on_every_level(
    argv: list[str], expected: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([*argv, "--help"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"usage: python -m bot{' ' + ' '.join(argv) if argv else ''} ")
    for word in expected:
        assert word in out


def test_top_level_help_says_where_settings_come_from(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    assert main(["-h"]) == 0
    out = " ".join(capsys.readouterr().out.split())  # argparse wraps; compare words
    assert f"a .env file in the current directory ({tmp_path.resolve() / '.env'})" in out
    assert "The environment wins over the file" in out
    assert f"relative to the current directory: {tmp_path.resolve() / 'studybot.sqlite3'}" in out


def test_an_unknown_command_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["serve"]) == 2
    err = capsys.readouterr().err
    assert "invalid choice: 'serve'" in err


def test_checking_a_missing_folder_is_an_error_without_a_table(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["questions", "check", "/nonexistent"]) == 2
    captured = capsys.readouterr()
    assert "/nonexistent does not exist" in captured.err
    assert captured.out == ""  # no "0 questions in 0 files" table


def test_checking_the_shipped_bank_still_works(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["questions", "check"]) == 0
    assert "questions in" in capsys.readouterr().out


def test_preview_port_must_be_a_port(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["preview", "--port", "99999"]) == 2
    assert "99999 is not a port number" in capsys.readouterr().err


# ----------------------------------------------------------------------------- settings and .env (14)


def test_missing_token_says_where_it_looked(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert main([]) == 2
    line = one_line(capsys.readouterr().err)
    assert line == (
        "Cannot start: DISCORD_TOKEN is required: set it in the environment or in "
        f"{tmp_path.resolve() / '.env'} (which does not exist; see .env.example)"
    )


def test_env_file_from_another_folder(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    elsewhere = tmp_path / "srv"
    elsewhere.mkdir()
    env_file = elsewhere / "bot.env"
    env_file.write_text("DISCORD_TOKEN=\nLOG_LEVEL=INFO\n", encoding="utf-8")

    assert main(["--env-file", str(env_file)]) == 2

    line = one_line(capsys.readouterr().err)
    assert f"DISCORD_TOKEN is required: set it in the environment or in {env_file.resolve()} (see" in line


def test_env_file_is_read(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    env_file = tmp_path / "bot.env"
    env_file.write_text("DISCORD_TOKEN=abc\nDEV_GUILD_ID=not-a-number\n", encoding="utf-8")

    assert main(["--env-file", str(env_file)]) == 2

    line = one_line(capsys.readouterr().err)
    assert "DEV_GUILD_ID is invalid: it must be a Discord id" in line
    assert str(env_file.resolve()) in line


def test_a_named_env_file_must_exist(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert main(["--env-file", "nowhere.env"]) == 2
    line = one_line(capsys.readouterr().err)
    assert line == f"Cannot start: --env-file {tmp_path.resolve() / 'nowhere.env'}: no such file"


# ------------------------------------------------------------------------------ start-up problems (11)


def test_database_in_a_missing_folder(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DISCORD_TOKEN", "abc")
    monkeypatch.setenv("DATABASE_PATH", "data/studybot.sqlite3")

    assert main([]) == 2

    line = one_line(capsys.readouterr().err)
    assert line.startswith(
        f"Cannot start: DATABASE_PATH is invalid: the folder {tmp_path.resolve() / 'data'} does not exist"
    )


def test_database_path_that_is_a_folder(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DISCORD_TOKEN", "abc")
    monkeypatch.setenv("DATABASE_PATH", str(tmp_path))

    assert main([]) == 2

    assert f"DATABASE_PATH is invalid: {tmp_path.resolve()} is a folder" in one_line(capsys.readouterr().err)


def test_a_file_that_is_not_a_database(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("These are my study notes, not a database.\n" * 100, encoding="utf-8")
    monkeypatch.setenv("DISCORD_TOKEN", "abc")
    monkeypatch.setenv("DATABASE_PATH", str(notes))

    assert main([]) == 2

    line = one_line(capsys.readouterr().err)
    assert line.startswith(
        f"Cannot start: DATABASE_PATH {notes.resolve()} cannot be used (file is not a database)"
    )
    assert notes.read_text(encoding="utf-8").startswith("These are my study notes")  # untouched


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])  # closed again when the block ends: nothing listens there


def test_discord_unreachable_at_start_up(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DISCORD_TOKEN", "abc")
    monkeypatch.setattr(discord.http.Route, "BASE", f"http://127.0.0.1:{closed_port()}/api/v10")

    assert main([]) == 2

    err = capsys.readouterr().err
    (line,) = [line for line in err.splitlines() if line.startswith("Cannot start")]
    assert "could not reach Discord (ClientConnectorError: Cannot connect to host 127.0.0.1" in line
    assert line.endswith("check this machine's network connection and DNS")
    assert "Traceback" not in err
    assert (tmp_path / "studybot.sqlite3").exists()  # the database was opened (and closed) first


def test_dns_failure_at_start_up(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    async def no_dns(self: object, token: str) -> None:
        key = ConnectionKey("discord.com", 443, True, True, None, None, None)
        raise aiohttp.ClientConnectorDNSError(key, OSError(-3, "Temporary failure in name resolution"))

    monkeypatch.setenv("DISCORD_TOKEN", "abc")
    monkeypatch.setattr(discord.http.HTTPClient, "static_login", no_dns)

    assert main([]) == 2

    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert (
        "Cannot start: could not reach Discord (ClientConnectorDNSError: Cannot connect to host "
        "discord.com:443 ssl:default [Temporary failure in name resolution])"
    ) in err


def test_a_refused_token(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    async def refused(self: object, token: str) -> None:
        raise discord.LoginFailure("Improper token has been passed.")

    monkeypatch.setenv("DISCORD_TOKEN", "abc")
    monkeypatch.setattr(discord.http.HTTPClient, "static_login", refused)

    assert main([]) == 2

    assert "Cannot start: Discord refused the token: check DISCORD_TOKEN" in capsys.readouterr().err
