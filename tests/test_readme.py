"""The README's facts that code can check: the invite link's permissions, the settings, the commands."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import discord
import pytest

from bot.app import PERMISSIONS, invite_url
from bot.cli import build_parser
from bot.features.members.export import FORMAT, FORMAT_VERSION
from bot.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
ENV_EXAMPLE = (ROOT / ".env.example").read_text(encoding="utf-8")


def test_the_permissions_integer_is_exactly_what_the_bot_needs() -> None:
    needed = discord.Permissions(
        view_channel=True,
        send_messages=True,
        embed_links=True,
        attach_files=True,
        read_message_history=True,  # the daily post's crash look-up reads the channel's history
    )
    assert needed.value == 117760
    assert needed == PERMISSIONS
    assert not PERMISSIONS.administrator and not PERMISSIONS.manage_guild and not PERMISSIONS.mention_everyone


def test_the_readme_invite_link_is_the_one_the_bot_logs() -> None:
    logged = invite_url(1234)
    assert logged == (
        "https://discord.com/oauth2/authorize?client_id=1234&scope=bot+applications.commands"
        f"&permissions={PERMISSIONS.value}"
    )
    assert logged.replace("1234", "APPLICATION_ID") in README


@pytest.mark.parametrize("name", [name.upper() for name in Settings.model_fields])
def test_every_setting_is_documented(name: str) -> None:
    assert f"| `{name}` |" in README
    assert f"\n{name}=" in ENV_EXAMPLE


def test_the_first_two_commands_stay() -> None:
    assert "python -m pip install -e . && python -m bot\n" in README
    assert "python -m pip install -e '.[test]' && python -m pytest\n" in README


def test_the_systemd_unit_runs_a_valid_command_line() -> None:
    (exec_start,) = re.findall(r"^ExecStart=(.+)$", README, flags=re.MULTILINE)
    words = shlex.split(exec_start)
    assert words[1:3] == ["-m", "bot"]
    args = build_parser().parse_args(words[3:])
    assert args.command is None and args.env_file is not None  # starts the bot with an absolute .env


def test_the_export_format_is_documented() -> None:
    assert f'"format": "{FORMAT}"' in README
    assert f'"format_version": {FORMAT_VERSION}' in README


@pytest.mark.parametrize(
    "fact",
    [
        "direct messages from server members",  # reminders need DMs
        "The daily question stays off until then",
        "reads `.env` from the **current directory**",
        "--env-file",
        '".backup ',  # backups with SQLite's online backup, not a file copy
        "WAL",
        "Database migrations apply themselves at start-up",
        "ExecStart=",
        "SIGTERM",
        "one process and one database serve them all",
        "When a member leaves a server",
        "The bank is read once, at start-up",
        "### What the log looks like",
        "about 320 MB on disk",  # the preview extra, measured
    ],
)
def test_the_readme_tells_hosts(fact: str) -> None:
    assert fact in " ".join(README.split())  # as read: line breaks are spaces
