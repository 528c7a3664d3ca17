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

from bot.db import Database, utc_text
from bot.features.group.overview import Tally
from bot.features.pathway.model import Gate, GateRecord, Mark
from bot.features.retake.model import Attempt

#: The group's members, found once (:meth:`GroupRepository.members`) and passed as one JSON list.
_GROUP = "SELECT value FROM json_each(?)"


def _group(members: Sequence[int]) -> tuple[str]:
    return (json.dumps(list(members)),)


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
            await tx.execute(
                "INSERT INTO group_members (guild_id, user_id, first_seen_at) SELECT ?, ?, ? "
                "WHERE EXISTS (SELECT 1 FROM members WHERE user_id = ?) ON CONFLICT DO NOTHING",
                (guild_id, user_id, self.db.now_text(), user_id),
            )
            found = await tx.execute(
                "SELECT 1 FROM group_members WHERE guild_id = ? AND user_id = ?", (guild_id, user_id)
            )
        return found.one() is not None

    async def members(self, guild_id: int, since: dt.datetime) -> list[MemberRow]:
        """The group: recorded in ``group_members``, or answered a question here since ``since`` (an
        answer that was a member's very first use of the bot can come before their row existed)."""
        result = await self.db.query(
            "SELECT user_id, share_status, timezone FROM members WHERE user_id IN ("
            "SELECT user_id FROM group_members WHERE guild_id = ? "
            "UNION SELECT user_id FROM quiz_answers WHERE guild_id = ? AND answered_at >= ?)",
            (guild_id, guild_id, utc_text(since)),
        )
        return [MemberRow(r[0], bool(r[1]), r[2]) for r in result.all()]

    async def gates(self, members: Sequence[int]) -> dict[int, list[GateRecord]]:
        result = await self.db.query(
            f"SELECT user_id, gate, mark, happened_on FROM gates WHERE user_id IN ({_GROUP})",
            _group(members),
        )
        found: dict[int, list[GateRecord]] = {}
        for user_id, gate, mark, happened in result.all():
            record = GateRecord(Gate(gate), Mark(mark), dt.date.fromisoformat(happened) if happened else None)
            found.setdefault(user_id, []).append(record)
        return found

    async def attempts(self, members: Sequence[int]) -> dict[int, list[Attempt]]:
        result = await self.db.query(
            f"SELECT user_id, taken_on, score FROM attempts WHERE user_id IN ({_GROUP})", _group(members)
        )
        found: dict[int, list[Attempt]] = {}
        for user_id, taken_on, score in result.all():
            found.setdefault(user_id, []).append(Attempt(dt.date.fromisoformat(taken_on), score))
        return found

    async def last_refreshers(self, members: Sequence[int]) -> dict[int, dt.date]:
        result = await self.db.query(
            f"SELECT user_id, max(completed_on) FROM refreshers WHERE user_id IN ({_GROUP}) GROUP BY user_id",
            _group(members),
        )
        return {r[0]: dt.date.fromisoformat(r[1]) for r in result.all()}

    # ------------------------------------------------------------------------------------ practice

    async def participation(
        self, guild_id: int, month: dt.datetime, week: dt.datetime
    ) -> tuple[Tally, Tally, int]:
        """This server's daily-question answers since ``week`` and since ``month``, and how many members
        answered since ``month`` but not since ``week`` (one pass over a covering index)."""
        result = await self.db.query(
            "SELECT count(*), coalesce(sum(n), 0), coalesce(sum(c), 0), coalesce(sum(nw > 0), 0), "
            "coalesce(sum(nw), 0), coalesce(sum(cw), 0) FROM (SELECT user_id, count(*) AS n, "
            "sum(correct) AS c, sum(answered_at >= ?) AS nw, "
            "sum(CASE WHEN answered_at >= ? THEN correct ELSE 0 END) AS cw FROM quiz_answers "
            "WHERE guild_id = ? AND post_id IS NOT NULL AND answered_at >= ? GROUP BY user_id)",
            (utc_text(week), utc_text(week), guild_id, utc_text(month)),
        )
        row = result.one() or (0, 0, 0, 0, 0, 0)
        month_members, month_answers, month_right, week_members, week_answers, week_right = row
        return (
            Tally(week_members, week_answers, week_right),
            Tally(month_members, month_answers, month_right),
            month_members - week_members,
        )

    async def domain_tallies(self, members: Sequence[int], since: dt.datetime) -> dict[str, Tally]:
        """Every quiz and practice answer of the group's members since ``since``, by domain."""
        result = await self.db.query(
            "SELECT domain, count(DISTINCT user_id), count(*), coalesce(sum(correct), 0) FROM ("
            # +user_id: read the recent answers from the covering time index, not member by member
            f"SELECT user_id, domain, correct FROM quiz_answers WHERE answered_at >= ? AND +user_id IN ({_GROUP}) "
            "UNION ALL SELECT user_id, domain, correct FROM practice_answers WHERE domain IS NOT NULL "
            f"AND answered_at >= ? AND user_id IN ({_GROUP})) GROUP BY domain",
            (utc_text(since), *_group(members), utc_text(since), *_group(members)),
        )
        return {r[0]: Tally(r[1], r[2], r[3]) for r in result.all()}

    async def bucket_tallies(self, members: Sequence[int], since: dt.date) -> dict[str, Tally]:
        """The group's misses since the local date ``since``, by bucket (``answers``: the misses)."""
        result = await self.db.query(
            "SELECT bucket, count(DISTINCT user_id), count(*) FROM misses "
            f"WHERE logged_on >= ? AND user_id IN ({_GROUP}) GROUP BY bucket",
            (since.isoformat(), *_group(members)),
        )
        return {r[0]: Tally(r[1], r[2], 0) for r in result.all()}
