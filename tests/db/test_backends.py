"""Both backends: an existing database upgrades in place, the copy to PostgreSQL, DATABASE_URL's errors."""

from __future__ import annotations

import datetime as dt
import shutil
import socket
import sqlite3
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from bot.__main__ import main
from bot.db import DatabaseUnavailable, Migration, SQLiteDatabase, bundled_migrations
from bot.db.copy import CopyRefused, copy_database, row_counts
from bot.db.migrate import head_revision
from bot.db.postgres import PostgresDatabase
from bot.db.tables import metadata
from bot.features.members.privacy_repo import PrivacyRepository
from bot.features.members.repo import MemberRepository
from bot.features.pathway.model import Gate, GateRecord, Mark
from bot.features.pathway.repo import PathwayRepository
from bot.features.pathway.state import load_member_state
from bot.features.retake.model import Attempt
from bot.features.retake.repo import RetakeRepository
from bot.policy import Policy
from bot.settings import Settings, SettingsError, load_settings
from tests.conftest import SimClock
from tests.db import postgres

FIXTURE = Path(__file__).parent / "fixtures" / "release-006.sqlite3"


def every_row(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    connection = sqlite3.connect(path)
    try:
        names = [n for (n,) in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return {n: connection.execute(f'SELECT * FROM "{n}" ORDER BY rowid').fetchall() for n in names}
    finally:
        connection.close()


async def test_a_database_made_by_the_last_release_upgrades_in_place_with_every_row(tmp_path: Path) -> None:
    path = tmp_path / "studybot.sqlite3"
    shutil.copy(FIXTURE, path)
    before = every_row(path)
    assert "alembic_version" not in before and len(before["schema_migrations"]) == 6
    assert all(rows for name, rows in before.items()), "the fixture has rows in every table"

    store = await SQLiteDatabase.open(path, clock=SimClock())
    assert await store.migrate() == []
    revision = await store.query("SELECT version_num FROM alembic_version")
    await store.close()

    after = every_row(path)
    assert revision.scalar() == head_revision()
    # Later migrations add columns at the end of a table (members), new tables and schema_migrations
    # rows: every row the release left is still there, every value in its columns unchanged.
    kept = {name: [row[: len(rows[0])] for row in after[name][: len(rows)]] for name, rows in before.items()}
    assert kept == before
    assert all(len(after[name]) == len(rows) for name, rows in before.items() if name != "schema_migrations")


@pytest.mark.both_backends
async def test_the_migrated_schema_is_the_one_the_code_describes(store: SQLiteDatabase) -> None:
    """bot/db/tables.py and the revisions agree: the same tables with the same columns."""

    def columns(connection: sa.Connection) -> dict[str, set[str]]:
        inspector = sa.inspect(connection)
        return {t: {c["name"] for c in inspector.get_columns(t)} for t in inspector.get_table_names()}

    live = await store.read(columns)
    described = {t.name: {c.name for c in t.columns} for t in metadata.sorted_tables}
    assert {t: live[t] for t in described} == described
    assert set(live) - set(described) == {"alembic_version", "schema_migrations"}


async def fill_the_tables_added_since(store: SQLiteDatabase) -> None:
    """Rows in the tables (and columns) migrations after the release fixture added, so the copy has some."""
    user, at = 123456789012345678, "2026-11-24T10:00:00+00:00"
    rows: dict[str, dict[str, object]] = {
        "review_cards": dict(user_id=user, item="q:ops-001", card="{}", card_schema=1, due_at=at,
                             reviews=1, lapses=0, last_review_at=at),
        "checkin_results": dict(session_id=1, user_id=user, items=20, ability=0.4, se=0.3, low=-0.2,
                                high=1.0, standard=0.0, verdict="too_close", finished_at=at),
        "item_calibration": dict(item_id="ops-001", difficulty=-0.5, responses=40, calibrated_at=at),
        "calibration_runs": dict(answers_seen=900, members=40, items=120, seconds=1.5, finished_at=at),
        "group_digest_settings": dict(guild_id=900000000000000001, enabled=1, weekday=2, next_digest_at=at,
                                      updated_at=at),
        "group_digests": dict(guild_id=900000000000000001, channel_id=900000000000000002,
                              digest_date="2026-11-25", due_at=at, status="sent", created_at=at),
    }  # fmt: skip
    async with store.transaction() as tx:
        for name, values in rows.items():
            await tx.execute(sa.insert(metadata.tables[name]).values(**values))
        members = metadata.tables["members"]
        await tx.execute(
            sa.update(members)
            .where(members.c.user_id == user)
            .values(review_goal_on="2026-12-05", review_nudge_hour=18)
        )


async def test_copy_to_postgresql_keeps_every_row_and_refuses_a_second_time(tmp_path: Path) -> None:
    path = tmp_path / "studybot.sqlite3"
    shutil.copy(FIXTURE, path)
    source = await SQLiteDatabase.open(path, clock=SimClock())
    await fill_the_tables_added_since(source)
    target = await PostgresDatabase.open(await postgres.empty_database(), clock=SimClock())
    try:
        copied = await copy_database(source, target)
        counts = await row_counts(source)
        assert {c.table: c.rows for c in copied} == counts and all(counts.values())
        for table in metadata.sorted_tables:
            order = list(table.primary_key.columns)
            query = sa.select(table).order_by(*order)
            assert (await target.query(query)).all() == (await source.query(query)).all(), table.name

        with pytest.raises(CopyRefused, match="not empty"):
            await copy_database(source, target)
        # the id sequences moved past the copied ids: a new row gets a new id
        async with target.transaction() as tx:
            await tx.execute(
                "INSERT INTO question_reports (user_id, question_id, reason, reported_at) VALUES (?, ?, ?, ?)",
                (123456789012345678, "ops-001", "new", "2026-11-29T10:00:00+00:00"),
            )
        assert (await target.query("SELECT count(*) FROM question_reports")).scalar() == 2
    finally:
        await target.close()
        await source.close()


# ------------------------------------------------------------------------------------ DATABASE_URL


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("mysql://bot:s3cret@db/studybot", "must start with postgresql://"),
        ("postgresql://bot:s3cret@db", "names no database"),
        ("not a url at all s3cret", "is not a URL"),
    ],
)
def test_a_malformed_url_is_one_line_without_the_password(
    url: str, says: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("DISCORD_TOKEN", "abc")
    monkeypatch.setenv("DATABASE_URL", url)
    with pytest.raises(SettingsError) as caught:
        load_settings(tmp_path / ".env")
    assert str(caught.value).startswith("DATABASE_URL is invalid: ") and says in str(caught.value)
    assert "s3cret" not in str(caught.value)


def test_an_empty_url_means_sqlite(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("DISCORD_TOKEN", "abc")
    monkeypatch.setenv("DATABASE_URL", " ")
    assert load_settings(tmp_path / ".env").database_url is None
    assert Settings(discord_token="x", _env_file=None).database_url is None  # type: ignore[arg-type,call-arg]


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _start_with(url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: Any) -> str:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DISCORD_TOKEN", "abc")
    monkeypatch.setenv("DATABASE_URL", url)
    assert main([]) == 2
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in lines[0], lines
    assert "s3cret" not in lines[0]
    return lines[0]


def test_an_unreachable_server_stops_start_up_in_one_line(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    port = _closed_port()
    line = _start_with(f"postgresql://bot:s3cret@127.0.0.1:{port}/studybot", monkeypatch, tmp_path, capsys)
    assert line.startswith(f"Cannot start: DATABASE_URL postgresql://bot:***@127.0.0.1:{port}/studybot: ")
    assert "cannot reach the server" in line


def test_refused_credentials_stop_start_up_in_one_line(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = sa.make_url(postgres.database_url("postgres")).set(username="nobody", password="s3cret")
    line = _start_with(url.render_as_string(hide_password=False), monkeypatch, tmp_path, capsys)
    assert line.startswith("Cannot start: DATABASE_URL postgresql://nobody:***@")
    assert "refused the credentials" in line


def test_db_upgrade_and_copy_commands(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    shutil.copy(FIXTURE, tmp_path / "studybot.sqlite3")
    assert main(["db", "upgrade"]) == 0
    assert f"up to date (revision {head_revision()})" in capsys.readouterr().out

    target = postgres.database_url("postgres")  # the server's own database: it has no such tables...
    assert main(["db", "copy", "--to", "mysql://x@y/z"]) == 2
    assert "--to is invalid" in capsys.readouterr().err
    import asyncio

    empty = asyncio.run(postgres.empty_database())
    assert main(["db", "copy", "--to", empty]) == 0
    assert "every table's count matches" in capsys.readouterr().out
    assert main(["db", "copy", "--to", empty]) == 2
    assert "the target is not empty" in capsys.readouterr().err
    del target


@pytest.mark.both_backends
async def test_a_members_state_is_one_statement(store: SQLiteDatabase, policy: Policy) -> None:
    """/status reads everything about the member in one round trip, on either backend."""
    user = 123456789012345678
    await MemberRepository(store).set_timezone(user, "America/Chicago")
    await PathwayRepository(store).record(user, GateRecord(Gate.COURSE, Mark.DONE, dt.date(2026, 10, 1)))
    retakes = RetakeRepository(store)
    await retakes.record(user, refresher=dt.date(2026, 8, 15), attempt=Attempt(dt.date(2026, 11, 10), 812))
    now = store.now_text()
    async with store.transaction() as tx:
        await tx.execute(
            "INSERT INTO reminders (user_id, kind, local_date, due_at, zone, wake_at, status) "
            "VALUES (?, 'results', '2026-11-12', ?, 'America/Chicago', ?, 'fallback_status')",
            (user, now, now),
        )

    statements: list[str] = []

    def count(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        statements.append(statement)

    sa.event.listen(store.sync_engine, "before_cursor_execute", count)
    try:
        state = await load_member_state(store, policy, user, now=dt.datetime.now(dt.UTC), default_zone="UTC")
    finally:
        sa.event.remove(store.sync_engine, "before_cursor_execute", count)

    assert len(statements) == 1, statements
    assert state.profile is not None and state.profile.timezone == "America/Chicago"
    assert state.card.gate(Gate.COURSE).mark is Mark.DONE
    assert [a.score for a in state.retake.attempts] == [812]
    assert [m.kind.value for m in state.missed] == ["results"]


NEWER = Migration(
    len(bundled_migrations()) + 1,  # the next number after the shipped ones
    "review",
    "CREATE TABLE reviews (id INTEGER PRIMARY KEY,\n"
    "    user_id INTEGER NOT NULL REFERENCES members (user_id) ON DELETE CASCADE, due_on TEXT NOT NULL);\n",
)


@pytest.mark.both_backends
async def test_a_numbered_migration_from_a_branch_runs_on_sqlite_and_is_refused_on_postgresql(
    store: SQLiteDatabase,
) -> None:
    """A branch's next NNN_*.sql written against the old seam: SQLite applies it after Alembic; PostgreSQL
    says it needs porting (bot/db/README.md) instead of starting without its tables."""
    if store.dialect == "sqlite":
        assert await store.migrate([*bundled_migrations(), NEWER]) == [NEWER.version]
        assert await store.migrate([*bundled_migrations(), NEWER]) == []  # once
        async with store.transaction() as tx:
            await tx.execute("INSERT INTO members (user_id, created_at, updated_at) VALUES (5, 'x', 'x')")
            await tx.execute("INSERT INTO reviews (user_id, due_on) VALUES (?, ?)", (5, "2026-12-01"))
        assert "reviews" in await PrivacyRepository(store).member_tables()
        assert (await PrivacyRepository(store).export(5))["reviews"] == [
            {"id": 1, "user_id": 5, "due_on": "2026-12-01"}
        ]
    else:
        with pytest.raises(
            DatabaseUnavailable, match=rf"{NEWER.version:03d}_review\.sql has no Alembic revision yet"
        ):
            await store.migrate([*bundled_migrations(), NEWER])
