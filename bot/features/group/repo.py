"""All SQL of the organizer's view and the weekly digest.

**Who is a member of the group.** The bot has no member list (no privileged intents) and a member's
data is theirs, not a server's: gates, attempts and the error log carry no server. A member of this
server's group is someone with data (a ``members`` row) who has used the bot in this server: any
command, button or form of theirs here records the pair in ``group_members`` (migration 009 filled it
from the rows that already carried a server: daily and practice answers, question reports, reminders'
fallback server), and an answer given here in the long window counts too (a member's very first use of
the bot can come before their ``members`` row exists). Deleting one's data (``/privacy delete``)
removes all of it, so a member who deleted is in no count. Their practice and error log count wherever
they were recorded: they are the member's own.

The overview's queries only read the other features' tables.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from bot.db import Database, utc_text
from bot.db.tables import (
    attempts,
    gates,
    group_members,
    insert,
    members,
    misses,
    practice_answers,
    quiz_answers,
    refreshers,
)
from bot.features.group.overview import Tally
from bot.features.pathway.model import Gate, GateRecord, Mark
from bot.features.retake.model import Attempt

qa, pa = quiz_answers.c, practice_answers.c


def in_group(column: sa.ColumnElement[Any], group: Sequence[int], dialect: str) -> sa.ColumnElement[bool]:
    """``column`` is one of the group's members, found once (:meth:`GroupRepository.members`) and bound as
    ONE parameter however large the group: a JSON list read with json_each on SQLite, an array on
    PostgreSQL."""
    if dialect == "postgresql":
        return column == sa.any_(sa.bindparam(None, list(group), type_=postgresql.ARRAY(sa.BigInteger)))
    listed = sa.func.json_each(json.dumps(list(group))).table_valued("value")
    return column.in_(sa.select(listed.c.value))


def count_if(condition: sa.ColumnElement[bool], value: Any = 1) -> sa.ColumnElement[Any]:
    """``sum(condition)`` on both backends (a comparison is 0/1 on SQLite, a boolean on PostgreSQL)."""
    return sa.func.sum(sa.case((condition, value), else_=0))


@dataclass(frozen=True, slots=True)
class MemberRow:
    user_id: int
    shared: bool
    timezone: str | None


class GroupRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    # ---------------------------------------------------------------------------------- membership

    async def record_member(self, guild_id: int, user_id: int) -> bool:
        """A member with data used the bot in this server (nothing is written for someone without).
        True when the pair is recorded (now or before), False when the user has no data."""
        async with self.db.transaction() as tx:
            known = sa.exists().where(members.c.user_id == user_id)
            await tx.execute(
                insert(group_members, tx.dialect)
                .from_select(
                    ["guild_id", "user_id", "first_seen_at"],
                    sa.select(
                        sa.literal(guild_id, sa.BigInteger),
                        sa.literal(user_id, sa.BigInteger),
                        sa.literal(self.db.now_text(), group_members.c.first_seen_at.type),
                    ).where(known),
                )
                .on_conflict_do_nothing()
            )
            gm = group_members.c
            found = await tx.execute(sa.select(gm.id).where(gm.guild_id == guild_id, gm.user_id == user_id))
        return found.one() is not None

    async def members(self, guild_id: int, since: dt.datetime) -> list[MemberRow]:
        """The group: recorded in ``group_members``, or answered a question here since ``since`` (an
        answer that was a member's very first use of the bot can come before their row existed)."""
        m, gm = members.c, group_members.c
        here = sa.union(
            sa.select(gm.user_id).where(gm.guild_id == guild_id),
            sa.select(qa.user_id).where(qa.guild_id == guild_id, qa.answered_at >= utc_text(since)),
        )
        result = await self.db.query(
            sa.select(m.user_id, m.share_status, m.timezone).where(m.user_id.in_(here))
        )
        return [MemberRow(r[0], bool(r[1]), r[2]) for r in result.all()]

    async def gates(self, members: Sequence[int]) -> dict[int, list[GateRecord]]:
        g = gates.c
        result = await self.db.query(
            sa.select(g.user_id, g.gate, g.mark, g.happened_on).where(
                in_group(g.user_id, members, self.db.dialect)
            )
        )
        found: dict[int, list[GateRecord]] = {}
        for user_id, gate, mark, happened in result.all():
            record = GateRecord(Gate(gate), Mark(mark), dt.date.fromisoformat(happened) if happened else None)
            found.setdefault(user_id, []).append(record)
        return found

    async def attempts(self, members: Sequence[int]) -> dict[int, list[Attempt]]:
        a = attempts.c
        result = await self.db.query(
            sa.select(a.user_id, a.taken_on, a.score).where(in_group(a.user_id, members, self.db.dialect))
        )
        found: dict[int, list[Attempt]] = {}
        for user_id, taken_on, score in result.all():
            found.setdefault(user_id, []).append(Attempt(dt.date.fromisoformat(taken_on), score))
        return found

    async def last_refreshers(self, members: Sequence[int]) -> dict[int, dt.date]:
        r = refreshers.c
        result = await self.db.query(
            sa.select(r.user_id, sa.func.max(r.completed_on))
            .where(in_group(r.user_id, members, self.db.dialect))
            .group_by(r.user_id)
        )
        return {r[0]: dt.date.fromisoformat(r[1]) for r in result.all()}

    # ------------------------------------------------------------------------------------ practice

    async def participation(
        self, guild_id: int, month: dt.datetime, week: dt.datetime
    ) -> tuple[Tally, Tally, int]:
        """This server's daily-question answers since ``week`` and since ``month``, and how many members
        answered since ``month`` but not since ``week`` (one pass over a covering index)."""
        recent = qa.answered_at >= utc_text(week)
        per_member = (
            sa.select(
                qa.user_id,
                sa.func.count().label("n"),
                sa.func.sum(qa.correct).label("c"),
                count_if(recent).label("nw"),
                count_if(recent, qa.correct).label("cw"),
            )
            .where(qa.guild_id == guild_id, qa.post_id.is_not(None), qa.answered_at >= utc_text(month))
            .group_by(qa.user_id)
            .subquery()
        )
        t = per_member.c
        result = await self.db.query(
            sa.select(
                sa.func.count(),
                sa.func.coalesce(sa.func.sum(t.n), 0),
                sa.func.coalesce(sa.func.sum(t.c), 0),
                sa.func.coalesce(count_if(t.nw > 0), 0),
                sa.func.coalesce(sa.func.sum(t.nw), 0),
                sa.func.coalesce(sa.func.sum(t.cw), 0),
            )
        )
        row = result.one() or (0, 0, 0, 0, 0, 0)
        # int(): PostgreSQL's sum of bigints is numeric (a Decimal here)
        month_members, month_answers, month_right, week_members, week_answers, week_right = map(int, row)
        return (
            Tally(week_members, week_answers, week_right),
            Tally(month_members, month_answers, month_right),
            month_members - week_members,
        )

    async def domain_tallies(self, members: Sequence[int], since: dt.datetime) -> dict[str, Tally]:
        """Every quiz and practice answer of the group's members since ``since``, by domain."""
        # +user_id: read the recent answers from the covering time index, not member by member (SQLite's
        # planner; on PostgreSQL unary plus is the same number)
        plus_user = sa.literal_column("+quiz_answers.user_id", sa.BigInteger)
        answers = sa.union_all(
            sa.select(qa.user_id, qa.domain, qa.correct).where(
                qa.answered_at >= utc_text(since), in_group(plus_user, members, self.db.dialect)
            ),
            sa.select(pa.user_id, pa.domain, pa.correct).where(
                pa.domain.is_not(None),
                pa.answered_at >= utc_text(since),
                in_group(pa.user_id, members, self.db.dialect),
            ),
        ).subquery()
        u = answers.c
        result = await self.db.query(
            sa.select(
                u.domain,
                sa.func.count(sa.distinct(u.user_id)),
                sa.func.count(),
                sa.func.coalesce(sa.func.sum(u.correct), 0),
            ).group_by(u.domain)
        )
        return {r[0]: Tally(int(r[1]), int(r[2]), int(r[3])) for r in result.all()}

    async def bucket_tallies(self, members: Sequence[int], since: dt.date) -> dict[str, Tally]:
        """The group's misses since the local date ``since``, by bucket (``answers``: the misses)."""
        mi = misses.c
        result = await self.db.query(
            sa.select(mi.bucket, sa.func.count(sa.distinct(mi.user_id)), sa.func.count())
            .where(mi.logged_on >= since.isoformat(), in_group(mi.user_id, members, self.db.dialect))
            .group_by(mi.bucket)
        )
        return {r[0]: Tally(r[1], r[2], 0) for r in result.all()}
