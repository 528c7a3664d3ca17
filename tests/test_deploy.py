"""The deployable setup, checked statically (Docker does not run on the CI machine): compose.yaml,
the Dockerfile and the systemd unit, and that the README shows the unit that ships."""

from __future__ import annotations

import configparser
import inspect
import re
import shlex
from pathlib import Path
from typing import Any

import yaml

from bot.cli import build_parser
from bot.core.wakeup import WakeUp

ROOT = Path(__file__).resolve().parents[1]
COMPOSE: dict[str, Any] = yaml.safe_load((ROOT / "compose.yaml").read_text(encoding="utf-8"))
DOCKERFILE = (ROOT / "Dockerfile").read_text(encoding="utf-8")
UNIT_TEXT = (ROOT / "deploy" / "emr-study-bot.service").read_text(encoding="utf-8")
README = (ROOT / "README.md").read_text(encoding="utf-8")
#: How long one delivery engine may take to drain at a stop; the stop timeouts must cover every engine.
DRAIN_SECONDS = inspect.signature(WakeUp.drain).parameters["grace_seconds"].default
ENGINES = 3  # the daily post, the weekly digest and reminders (review nudges are reminders)
HEALTH = ["python", "-m", "bot", "health"]


def seconds(text: str) -> float:
    match = re.fullmatch(r"(\d+)(s|m)?", str(text))
    assert match, text
    return int(match[1]) * (60 if match[2] == "m" else 1)


def instructions(keyword: str) -> list[str]:
    """The Dockerfile's instructions of one kind (continuation lines joined)."""
    joined = DOCKERFILE.replace("\\\n", " ")
    return [line.split(None, 1)[1] for line in joined.splitlines() if line.startswith(keyword + " ")]


def test_compose_runs_the_bot_and_postgres() -> None:
    services = COMPOSE["services"]
    assert set(services) == {"bot", "postgres"}
    assert services["postgres"]["image"] == "postgres:16"
    assert services["bot"]["build"] == "."


def test_postgres_keeps_its_data_in_a_named_volume() -> None:
    assert "postgres-data" in COMPOSE["volumes"]
    assert "postgres-data:/var/lib/postgresql/data" in COMPOSE["services"]["postgres"]["volumes"]


def test_every_service_has_a_health_check() -> None:
    postgres, bot = COMPOSE["services"]["postgres"], COMPOSE["services"]["bot"]
    assert "pg_isready" in " ".join(postgres["healthcheck"]["test"])
    assert bot["healthcheck"]["test"] == ["CMD", *HEALTH]
    assert bot["environment"]["HEALTH_PORT"]  # the command needs the port the bot serves on


def test_the_bot_waits_for_a_healthy_postgres_and_points_at_it() -> None:
    bot = COMPOSE["services"]["bot"]
    assert bot["depends_on"] == {"postgres": {"condition": "service_healthy"}}
    url = bot["environment"]["DATABASE_URL"]
    assert url.startswith("postgresql") and "@postgres:5432/studybot" in url
    postgres = COMPOSE["services"]["postgres"]["environment"]
    assert postgres["POSTGRES_DB"] == "studybot" and postgres["POSTGRES_USER"] == "studybot"


def test_secrets_come_from_the_env_file_not_the_compose_file() -> None:
    assert COMPOSE["services"]["bot"]["env_file"] == ".env"
    password = COMPOSE["services"]["postgres"]["environment"]["POSTGRES_PASSWORD"]
    assert password.startswith("${POSTGRES_PASSWORD:?")  # refuses to start without it
    assert all(
        "DISCORD_TOKEN" not in service.get("environment", {}) for service in COMPOSE["services"].values()
    )


def test_compose_gives_the_clean_stop_its_time() -> None:
    bot = COMPOSE["services"]["bot"]
    assert bot["stop_signal"] == "SIGTERM"
    assert seconds(bot["stop_grace_period"]) > ENGINES * DRAIN_SECONDS


def test_the_image_is_slim_python_and_runs_as_a_user_who_is_not_root() -> None:
    assert instructions("FROM") == ["python:3.11-slim"]
    (user,) = instructions("USER")
    assert user not in ("root", "0")
    (adduser,) = [run for run in instructions("RUN") if "useradd" in run]
    assert (
        "--system" in adduser
        and "--shell /usr/sbin/nologin" in adduser
        and adduser.split("&&")[0].split()[-1] == user
    )
    lines = DOCKERFILE.splitlines()
    assert lines.index(f"USER {user}") < lines.index('CMD ["python", "-m", "bot"]')  # not root when it runs


def test_the_image_installs_the_package_and_checks_its_health() -> None:
    assert any("pip install ." in run for run in instructions("RUN"))
    (healthcheck,) = instructions("HEALTHCHECK")
    assert healthcheck.endswith('CMD ["python", "-m", "bot", "health"]')
    assert instructions("STOPSIGNAL") == ["SIGTERM"]
    assert any("HEALTH_PORT=" in env for env in instructions("ENV"))


def unit() -> configparser.ConfigParser:
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read_string(UNIT_TEXT)
    return parser


def test_the_systemd_unit() -> None:
    service = unit()["Service"]
    assert service["User"] == "studybot" and service["Group"] == "studybot"
    assert service["Restart"] == "on-failure"
    assert service["EnvironmentFile"] == "/srv/emr-study-bot/.env"
    assert service["KillSignal"] == "SIGTERM"
    assert seconds(service["TimeoutStopSec"]) > ENGINES * DRAIN_SECONDS
    words = shlex.split(service["ExecStart"])
    assert words[1:3] == ["-m", "bot"]
    args = build_parser().parse_args(words[3:])
    assert args.command is None and str(args.env_file) == service["EnvironmentFile"]
    assert unit()["Install"]["WantedBy"] == "multi-user.target"


def test_the_readme_shows_the_unit_that_ships() -> None:
    assert f"```ini\n{UNIT_TEXT}```" in README


def test_the_readme_shows_compose_and_the_health_command() -> None:
    for fact in ("docker compose up -d --build", "python -m bot health", "## Running several processes"):
        assert fact in README
