"""The database seam: conflicts are the seam's own error, and a failed transaction leaves nothing."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.db import Conflict, SQLiteDatabase, utc_text

pytestmark = pytest.mark.both_backends


async def test_a_unique_violation_is_a_conflict_and_rolls_back(store: SQLiteDatabase) -> None:
    now = store.now_text()
    async with store.transaction() as tx:
        await tx.execute("INSERT INTO members (user_id, created_at, updated_at) VALUES (1, ?, ?)", (now, now))
    with pytest.raises(Conflict):
        async with store.transaction() as tx:
            await tx.execute("UPDATE members SET timezone = 'Europe/London' WHERE user_id = 1")
            await tx.execute(
                "INSERT INTO members (user_id, created_at, updated_at) VALUES (1, ?, ?)", (now, now)
            )
    result = await store.query("SELECT timezone FROM members WHERE user_id = 1")
    assert result.scalar() is None  # the update before the conflict was rolled back


async def test_results_carry_rows_counts_and_columns(store: SQLiteDatabase) -> None:
    now = store.now_text()
    async with store.transaction() as tx:
        inserted = await tx.execute(
            "INSERT INTO members (user_id, created_at, updated_at) VALUES (?, ?, ?)", (5, now, now)
        )
        assert inserted.rowcount == 1
    result = await store.query("SELECT user_id, share_status FROM members")
    assert result.all() == [(5, 0)]
    assert result.dicts() == [{"user_id": 5, "share_status": 0}]
    assert result.one() == (5, 0)
    empty = await store.query("SELECT user_id FROM members WHERE user_id = 6")
    assert empty.one() is None and empty.scalar() is None


@pytest.mark.parametrize(
    ("instant", "text"),
    [
        (dt.datetime(2026, 3, 8, 7, 0, 0, 999, tzinfo=dt.UTC), "2026-03-08T07:00:00+00:00"),
        (
            dt.datetime(2026, 3, 8, 2, 30, tzinfo=dt.timezone(dt.timedelta(hours=-5))),
            "2026-03-08T07:30:00+00:00",
        ),
    ],
)
def test_utc_text_is_one_fixed_format(instant: dt.datetime, text: str) -> None:
    assert utc_text(instant) == text


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(ValueError, match="naive"):
        utc_text(dt.datetime(2026, 1, 1))  # noqa: DTZ001
