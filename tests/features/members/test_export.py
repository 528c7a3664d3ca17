"""The /privacy export format (version 1): one rule per kind of value, checked value by value."""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

import pytest

from bot.db import SQLiteDatabase
from bot.features.members.export import BOOLEAN_COLUMNS, FORMAT_VERSION, export_document, export_value
from bot.features.members.privacy_repo import PrivacyRepository
from tests.conftest import World

pytestmark = pytest.mark.both_backends

SNOWFLAKE = 1_234_567_890_123_456_789  # bigger than JavaScript's 2**53: only safe as a string
ISO_WITH_OFFSET = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$")


@pytest.mark.parametrize(
    ("column", "stored", "exported"),
    [
        ("user_id", SNOWFLAKE, str(SNOWFLAKE)),
        ("guild_id", SNOWFLAKE, str(SNOWFLAKE)),
        ("message_id", None, None),
        ("id", 6, "6"),
        ("post_id", 12, "12"),
        ("question_id", "ss-scene-036", "ss-scene-036"),
        ("share_status", 0, False),
        ("reminders_enabled", 1, True),
        ("correct", 1, True),
        ("updated_at", "2026-11-23T15:00:00+00:00", "2026-11-23T15:00:00+00:00"),
        ("answered_at", "2026-11-23T15:00:07.250000+00:00", "2026-11-23T15:00:07+00:00"),
        ("issued_at", 1_795_429_200, "2026-11-23T10:20:00+00:00"),  # epoch seconds in the database
        ("due_at", "2026-11-23T14:00:00-05:00", "2026-11-23T19:00:00+00:00"),
        ("shown_at", None, None),
        ("happened_on", "2025-05-05", "2025-05-05"),  # a calendar date stays a date
        ("score", 812, 812),
        ("seconds", 12.5, 12.5),
        ("choice", 0, 0),
        ("note", "missed 'infant'", "missed 'infant'"),
    ],
)
def test_each_kind_of_value(column: str, stored: Any, exported: Any) -> None:
    assert export_value(column, stored) == exported


def test_the_document_says_what_it_is() -> None:
    document = export_document(
        SNOWFLAKE,
        dt.datetime(2026, 11, 23, 15, 0, 0, 123, tzinfo=dt.UTC),
        {"members": [{"user_id": SNOWFLAKE, "share_status": 1}], "attempts": []},
    )

    assert document == {
        "format": "emr-study-bot member export",
        "format_version": 1,
        "user_id": str(SNOWFLAKE),
        "exported_at": "2026-11-23T15:00:00+00:00",
        "tables": {"attempts": [], "members": [{"user_id": str(SNOWFLAKE), "share_status": True}]},
    }


async def test_every_yes_no_column_is_known(store: SQLiteDatabase) -> None:
    """A new 0/1 column in a member table must join BOOLEAN_COLUMNS, or it would export as 0/1."""
    member_tables = set(await PrivacyRepository(store).member_tables())
    if store.dialect == "sqlite":
        schema = await store.query("SELECT name, sql FROM sqlite_master WHERE type = 'table'")
        pattern = r"(\w+)\s+INTEGER[^,]*CHECK\s*\(\s*\1\s+IN\s*\(\s*0\s*,\s*1\s*\)\s*\)"
    else:  # PostgreSQL keeps each CHECK as its own constraint, rewritten as = ANY (ARRAY[...])
        schema = await store.query(
            "SELECT c.relname, pg_get_constraintdef(k.oid) FROM pg_constraint k "
            "JOIN pg_class c ON c.oid = k.conrelid WHERE k.contype = 'c'"
        )
        pattern = r"\((\w+) = ANY \(ARRAY\[0, 1\]\)\)"
    flags = {
        column for name, sql in schema.rows if name in member_tables for column in re.findall(pattern, sql)
    }
    assert flags  # the pattern still finds them
    assert flags <= BOOLEAN_COLUMNS


def walk(value: Any, column: str = "") -> list[tuple[str, Any]]:
    """Every (column, value) leaf of the document."""
    if isinstance(value, dict):
        return [leaf for key, item in value.items() for leaf in walk(item, key)]
    if isinstance(value, list):
        return [leaf for item in value for leaf in walk(item, column)]
    return [(column, value)]


async def test_a_full_export_follows_the_format(world: World, store: SQLiteDatabase, env: Any) -> None:
    """Data in every member table, through the bot; then every value of the file is checked."""
    await world.alice.slash(world.channel, "timezone", name="America/Chicago")
    await world.alice.slash(world.channel, "gate", gate="course", mark="done", date="2025-05-05")
    await world.alice.slash(world.channel, "retake", score=812, date="2026-11-10")
    await world.alice.slash(world.channel, "retake", refresher="2026-11-20")
    await world.alice.slash(world.channel, "errorlog add", bucket="scope", note="picked IV access")
    await world.alice.slash(world.channel, "privacy", action="share")
    shown = await world.alice.slash(world.channel, "quiz now")
    # /quiz now picks at random: a multiple-response question is answered with its menu, not buttons
    menus = [c for row in shown.response.components for c in row["components"] if c["type"] == 3]
    if menus:
        feedback = await world.alice.select(shown.response.message, ["A"])
    else:
        feedback = await world.alice.click(shown.response.message, label="A")
    report = await world.alice.click(feedback.response.message, label="Report this question")
    await world.alice.submit_modal(report, {"quiz:report:reason": "Option C also looks right to me."})
    drill = await world.alice.slash(world.channel, "practice drill", bucket="scope", length=5)
    first_button = drill.response.components[0]["components"][0]["label"]
    await world.alice.click(drill.response.message, label=first_button)  # a session and an answer

    result = await world.alice.slash(world.channel, "privacy", action="export")

    payload = json.loads(await result.response.attachments[0].read())
    assert payload["format_version"] == FORMAT_VERSION
    tables = payload["tables"]
    assert set(tables) == set(await PrivacyRepository(store).member_tables())
    assert all(tables[name] for name in tables), {name: len(rows) for name, rows in tables.items()}
    assert tables["members"][0]["share_status"] is True
    for column, value in walk(payload):
        if value is None:
            continue
        if column == "id" or column.endswith("_id"):
            assert isinstance(value, str), (column, value)
        elif column.endswith("_at"):
            assert ISO_WITH_OFFSET.match(value), (column, value)
        elif column in BOOLEAN_COLUMNS:
            assert isinstance(value, bool), (column, value)
        if isinstance(value, int) and not isinstance(value, bool):
            assert abs(value) < 2**53, (column, value)  # no number JavaScript would round
