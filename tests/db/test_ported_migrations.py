"""Migrations 007-009 as PostgreSQL runs them (op calls, not the SQL files): a database at 006 with rows
upgrades in place, as a SQLite file does with 007_review.sql ... 009_group.sql."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa
from alembic import command
from sqlalchemy.ext.asyncio import AsyncConnection, create_async_engine

from bot.db.migrate import alembic_config
from bot.db.postgres import postgres_url
from tests.db import postgres

A, B, C = 123456789012345678, 223456789012345678, 323456789012345678
G, G2 = 900000000000000001, 900000000000000011
ROWS = [
    "INSERT INTO members (user_id, created_at, updated_at) VALUES "
    f"({A}, '2026-11-01T10:00:00+00:00', '2026-11-01T10:00:00+00:00'), "
    f"({B}, '2026-11-02T10:00:00+00:00', '2026-11-02T10:00:00+00:00'), "
    f"({C}, '2026-11-03T10:00:00+00:00', '2026-11-03T10:00:00+00:00')",
    "INSERT INTO quiz_answers (user_id, guild_id, question_id, domain, correct, answered_on, answered_at) VALUES "
    f"({A}, {G}, 'ops-001', 'operations', 1, '2026-11-20', '2026-11-20T15:00:00+00:00'), "
    f"({A}, {G}, 'ops-002', 'operations', 0, '2026-11-18', '2026-11-18T15:00:00+00:00'), "
    f"({C}, NULL, 'ops-003', 'operations', 1, '2026-11-19', '2026-11-19T15:00:00+00:00')",
    "INSERT INTO question_reports (user_id, guild_id, question_id, reason, reported_at) VALUES "
    f"({B}, {G2}, 'ops-001', 'typo', '2026-11-21T09:00:00+00:00')",
    "INSERT INTO reminders (user_id, kind, local_date, due_at, zone, wake_at, guild_id) VALUES "
    f"({A}, 'retest', '2026-12-05', '2026-12-05T14:00:00+00:00', 'America/New_York', "
    f"'2026-12-05T14:00:00+00:00', {G}), "
    f"({B}, 'retest', '2026-12-06', '2026-12-06T14:00:00+00:00', 'America/New_York', "
    f"'2026-12-06T14:00:00+00:00', {G})",
]


async def _upgrade(connection: AsyncConnection, revision: str) -> None:
    await connection.run_sync(lambda sync: command.upgrade(alembic_config(sync), revision))
    await connection.commit()


async def test_a_postgresql_database_at_006_upgrades_to_009_keeping_its_rows() -> None:
    engine = create_async_engine(postgres_url(await postgres.empty_database()))
    try:
        async with engine.connect() as connection:
            await _upgrade(connection, "006")
            for sql in ROWS:
                await connection.exec_driver_sql(sql)
            await connection.commit()
            await _upgrade(connection, "head")

            found = await connection.exec_driver_sql(
                "SELECT guild_id, user_id, first_seen_at FROM group_members ORDER BY guild_id, user_id"
            )
            # the earliest row per server and member; a member's rows in one server make one pair
            assert [tuple(row) for row in found] == [
                (G, A, dt.datetime(2026, 11, 18, 15, tzinfo=dt.UTC)),
                (G, B, dt.datetime(2026, 12, 6, 14, tzinfo=dt.UTC)),
                (G2, B, dt.datetime(2026, 11, 21, 9, tzinfo=dt.UTC)),
            ]
            members = await connection.exec_driver_sql(
                "SELECT user_id, review_goal_on, review_nudge_hour FROM members ORDER BY user_id"
            )
            assert [tuple(row) for row in members] == [(A, None, None), (B, None, None), (C, None, None)]

            # reminders accept the new 'skipped' status and still refuse an unknown one
            await connection.exec_driver_sql(f"UPDATE reminders SET status = 'skipped' WHERE user_id = {A}")
            await connection.commit()
            with pytest.raises(sa.exc.IntegrityError, match="reminders_status_check"):
                await connection.exec_driver_sql(f"UPDATE reminders SET status = 'lost' WHERE user_id = {B}")
            await connection.rollback()
            with pytest.raises(sa.exc.IntegrityError, match="members_review_nudge_hour_check"):
                await connection.exec_driver_sql("UPDATE members SET review_nudge_hour = 24")
            await connection.rollback()
    finally:
        await engine.dispose()
