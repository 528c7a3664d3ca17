"""SHARD_COUNT, SHARD_IDS and HEALTH_PORT: malformed values stop start-up with one line and exit 2, and
a process that runs only some shards refuses SQLite (several processes cannot share one SQLite file)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.__main__ import main
from bot.core.shards import Ownership
from bot.settings import load_settings
from tests.test_cli import clean_environment, one_line  # noqa: F401 (the fixture is used by name)

pytestmark = pytest.mark.usefixtures("clean_environment")


@pytest.fixture(autouse=True)
def token(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DISCORD_TOKEN", "a-token")  # clean_environment removed every other setting


@pytest.mark.parametrize(
    ("env", "line"),
    [
        (
            {"SHARD_COUNT": "four"},
            "SHARD_COUNT is invalid: must be a whole number of shards, 1 or more, not 'four'",
        ),
        ({"SHARD_COUNT": "0"}, "SHARD_COUNT is invalid: must be a whole number of shards, 1 or more, not 0"),
        ({"SHARD_IDS": "0,1"}, "SHARD_IDS is invalid: needs SHARD_COUNT too (the number of shards in all"),
        (
            {"SHARD_COUNT": "4", "SHARD_IDS": "0;1"},
            "SHARD_IDS is invalid: must be shard numbers separated by commas, such as 0,1, not '0;1'",
        ),
        ({"SHARD_COUNT": "2", "SHARD_IDS": "1,2"}, "SHARD_IDS is invalid: each shard must be 0 to 1"),
        ({"SHARD_COUNT": "2", "SHARD_IDS": "1, 1"}, "SHARD_IDS is invalid: names a shard twice: 1,1"),
        ({"SHARD_COUNT": "2", "SHARD_IDS": "-1"}, "SHARD_IDS is invalid: must be shard numbers"),
        ({"HEALTH_PORT": "70000"}, "HEALTH_PORT is invalid: must be a port number (1-65535), not 70000"),
        ({"HEALTH_PORT": "http"}, "HEALTH_PORT is invalid: must be a port number (1-65535), not 'http'"),
    ],
)
def test_a_malformed_setting_is_one_line_and_exit_2(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, env: dict[str, str], line: str
) -> None:
    for name, value in env.items():
        monkeypatch.setenv(name, value)

    assert main([]) == 2

    said = one_line(capsys.readouterr().err)
    assert said.startswith(f"Cannot start: {line}")
    assert "(read from the environment; see .env.example)" in said


def test_several_processes_on_sqlite_are_refused(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """DATABASE_URL unset means SQLite (a sqlite:// URL is refused as invalid: DATABASE_URL is PostgreSQL)."""
    monkeypatch.setenv("SHARD_COUNT", "2")
    monkeypatch.setenv("SHARD_IDS", "1")

    assert main([]) == 2

    said = one_line(capsys.readouterr().err)
    assert said.startswith("Cannot start: SHARD_IDS runs only some of the shards")
    assert "several processes cannot share one SQLite database safely" in said
    assert "set DATABASE_URL to a PostgreSQL database" in said


@pytest.mark.parametrize(
    ("env", "owned"),
    [
        ({}, Ownership()),  # one process, Discord's recommended count
        ({"SHARD_COUNT": "4"}, Ownership(4)),  # every shard in this one process: SQLite is fine
        ({"SHARD_COUNT": "2", "SHARD_IDS": "0,1"}, Ownership.of(2, (0, 1))),
        ({"SHARD_COUNT": "4", "SHARD_IDS": " 3, 1 ", "DATABASE_URL": "postgresql://bot@db/bot"}, None),
        ({"SHARD_COUNT": "", "SHARD_IDS": "", "HEALTH_PORT": "", "DATABASE_URL": ""}, Ownership()),
    ],
)
def test_settings_that_run(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, env: dict[str, str], owned: Ownership | None
) -> None:
    for name, value in env.items():
        monkeypatch.setenv(name, value)

    settings = load_settings(tmp_path / ".env")

    assert settings.owned_shards == (owned if owned is not None else Ownership.of(4, (1, 3)))


def test_the_health_port_is_read(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("DISCORD_TOKEN=x\nHEALTH_PORT=8089\n", encoding="utf-8")

    assert load_settings(tmp_path / ".env").health_port == 8089
