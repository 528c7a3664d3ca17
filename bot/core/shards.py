"""Which guilds this process works for: Discord's shard rule, and the SQL filter guild work uses.

Discord puts a guild on shard ``(guild_id >> 22) % shard_count``. With ``SHARD_IDS`` set, a process
runs only those shards, so guild work (the daily post; later the weekly digest) is for the guilds on
them, filtered in SQL. A process that owns every shard (the default: one process) filters nothing.

The filter is ``((column >> 22) % ?) IN (?, ...)``: SQLite and PostgreSQL both have ``>>`` and ``%`` on
64-bit integers, and on both ``%`` binds tighter than ``>>``, hence the parentheses
(``tests/core/test_shards.py`` checks SQLite; the same statement was checked on PostgreSQL 15).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

#: Discord ids carry their creation time above bit 22; the shard rule uses that part.
TIMESTAMP_SHIFT = 22


def shard_of(guild_id: int, shard_count: int) -> int:
    """The shard Discord delivers this guild's events on."""
    if shard_count < 1:
        raise ValueError(f"shard_count must be at least 1, not {shard_count}")
    return (guild_id >> TIMESTAMP_SHIFT) % shard_count


@dataclass(frozen=True, slots=True)
class Ownership:
    """The shards this process runs. ``ids`` None: all of them (one process, any shard count)."""

    count: int | None = None
    ids: frozenset[int] | None = None

    def __post_init__(self) -> None:
        if self.ids is None:
            return
        if self.count is None:
            raise ValueError("shard ids need a shard count")
        if not self.ids or any(not 0 <= each < self.count for each in self.ids):
            raise ValueError(f"shard ids must be 0 to {self.count - 1}, not {sorted(self.ids)}")

    @classmethod
    def of(cls, count: int | None, ids: tuple[int, ...] | None) -> Ownership:
        return cls(count, frozenset(ids) if ids is not None else None)

    @property
    def owns_all(self) -> bool:
        return self.ids is None or self.count is None or len(self.ids) == self.count

    def owns(self, guild_id: int) -> bool:
        if self.owns_all:
            return True
        assert self.count is not None and self.ids is not None
        return shard_of(guild_id, self.count) in self.ids


#: An empty filter: the process owns every shard.
EVERYTHING: tuple[str, tuple[int, ...]] = ("1 = 1", ())


def guild_filter(column: str, owned: Ownership) -> tuple[str, tuple[int, ...]]:
    """A WHERE fragment and its parameters that keep the rows of guilds on ``owned`` shards.

    ``column`` is the guild id column as the query names it (``guild_id``, ``g.guild_id``): code, never
    input."""
    if not column.replace("_", "").replace(".", "").isalnum():
        raise ValueError(f"not a column name: {column!r}")
    if owned.owns_all:
        return EVERYTHING
    assert owned.count is not None and owned.ids is not None
    ids = tuple(sorted(owned.ids))
    marks = ", ".join("?" for _ in ids)
    return f"(({column} >> {TIMESTAMP_SHIFT}) % ?) IN ({marks})", (owned.count, *ids)


def owned_clause(column: Any, owned: Ownership) -> Any:
    """The same filter as :func:`guild_filter`, as a SQLAlchemy Core condition on ``column``.

    ``op(">>")`` has the lowest precedence, so SQLAlchemy parenthesizes it inside ``%`` on both
    backends: ``((guild_id >> 22) % :count) IN (...)``."""
    if owned.owns_all:
        return sa.true()
    assert owned.count is not None and owned.ids is not None
    # The shift is written into the SQL: bound, PostgreSQL would type it BIGINT, and it has no
    # ``bigint >> bigint`` operator (only ``bigint >> integer``).
    shift = sa.literal_column(str(TIMESTAMP_SHIFT), sa.Integer)
    return (column.op(">>")(shift) % owned.count).in_(sorted(owned.ids))
