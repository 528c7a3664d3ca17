"""The pathway gates of each member, and a member's whole stored state in one statement. All SQL for
them lives here."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from bot.db import Database, Row
from bot.db.tables import UtcInstant, attempts, gates, insert, members, refreshers, reminders
from bot.features.members.repo import MemberProfile, ensure_member
from bot.features.pathway.model import Gate, GateRecord, Mark
from bot.features.reminders.model import DueReminder, ReminderKind, ReminderStatus
from bot.features.reminders.repo import MISSED_UNSHOWN
from bot.features.retake.model import Attempt


@dataclass(frozen=True, slots=True)
class StoredState:
    """What /status reads about one member, loaded in one round trip."""

    profile: MemberProfile | None
    gates: list[GateRecord]
    attempts: list[Attempt]
    last_refresher: dt.date | None
    missed: list[DueReminder]


def _text(value: object = None) -> sa.ColumnElement[str]:
    return sa.cast(sa.null(), sa.Text) if value is None else sa.cast(value, sa.Text)


def _number(value: object = None) -> sa.ColumnElement[int]:
    return sa.cast(sa.null() if value is None else value, sa.BigInteger)


def _branch(
    kind: str, texts: tuple[object, ...], at: object, numbers: tuple[object, ...]
) -> sa.Select[*tuple[Any, ...]]:
    """One part of the union: (kind, t1..t5, at, n1..n3); the missing ones are typed NULLs."""
    t = [*texts, *([None] * (5 - len(texts)))]
    n = [*numbers, *([None] * (3 - len(numbers)))]
    instant = sa.cast(sa.null(), UtcInstant) if at is None else at
    return sa.select(
        sa.literal(kind, sa.Text).label("kind"),
        *(_text(v).label(f"t{i}") for i, v in enumerate(t, 1)),
        sa.type_coerce(instant, UtcInstant).label("at"),
        *(_number(v).label(f"n{i}") for i, v in enumerate(n, 1)),
    )


def state_statement() -> sa.CompoundSelect[*tuple[Any, ...]]:
    """Profile, gates, attempts, the last refresher and unshown missed reminders as one UNION ALL, for
    the bound ``user_id``. Built once: building a statement costs more than running this one."""
    user_id = sa.bindparam("user_id", type_=sa.BigInteger)
    r = reminders.c
    return sa.union_all(
        _branch("m", (members.c.timezone, members.c.review_goal_on), None,
                (members.c.share_status, members.c.reminders_enabled, members.c.review_nudge_hour))
        .where(members.c.user_id == user_id),
        _branch("g", (gates.c.gate, gates.c.mark, gates.c.happened_on), None, ())
        .where(gates.c.user_id == user_id),
        _branch("a", (attempts.c.taken_on,), None, (attempts.c.score,)).where(attempts.c.user_id == user_id),
        _branch("r", (sa.func.max(refreshers.c.completed_on),), None, ())
        .where(refreshers.c.user_id == user_id),
        _branch("x", (r.kind, r.local_date, r.about, r.zone, r.status), r.due_at, (r.id, r.guild_id, r.attempts))
        .where(r.user_id == user_id, MISSED_UNSHOWN),
    )  # fmt: skip


STATE = state_statement()


def parse_state(user_id: int, rows: list[Row]) -> StoredState:
    profile = None
    gate_records: list[GateRecord] = []
    tried: list[Attempt] = []
    refresher: dt.date | None = None
    missed: list[DueReminder] = []
    for kind, t1, t2, t3, t4, t5, at, n1, n2, n3 in rows:
        if kind == "m":
            goal = dt.date.fromisoformat(t2) if t2 else None
            profile = MemberProfile(user_id, t1, bool(n1), bool(n2), goal, None if n3 is None else int(n3))
        elif kind == "g":
            gate_records.append(GateRecord(Gate(t1), Mark(t2), dt.date.fromisoformat(t3) if t3 else None))
        elif kind == "a":
            tried.append(Attempt(dt.date.fromisoformat(t1), n1))
        elif kind == "r" and t1:
            refresher = dt.date.fromisoformat(t1)
        elif kind == "x":
            about = dt.date.fromisoformat(t3) if t3 else None
            missed.append(
                DueReminder(n1, user_id, ReminderKind(t1), dt.date.fromisoformat(t2), about,
                            dt.datetime.fromisoformat(at), t4, n2, n3, ReminderStatus(t5))
            )  # fmt: skip
    tried.sort(key=lambda a: a.taken_on)
    missed.sort(key=lambda m: m.due_at)
    return StoredState(profile, gate_records, tried, refresher, missed)


class PathwayRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def stored_state(self, user_id: int) -> StoredState:
        """Everything /status needs about the member: one statement, one round trip."""
        return parse_state(user_id, (await self.db.query(STATE, {"user_id": user_id})).all())

    async def gates(self, user_id: int) -> list[GateRecord]:
        result = await self.db.query(
            sa.select(gates.c.gate, gates.c.mark, gates.c.happened_on).where(gates.c.user_id == user_id)
        )
        return [
            GateRecord(Gate(row[0]), Mark(row[1]), dt.date.fromisoformat(row[2]) if row[2] else None)
            for row in result.all()
        ]

    async def record(self, user_id: int, record: GateRecord) -> None:
        now = self.db.now_text()
        row = {
            "user_id": user_id,
            "gate": record.gate.value,
            "mark": record.mark.value,
            "happened_on": record.date.isoformat() if record.date else None,
            "updated_at": now,
        }
        upsert = insert(gates, self.db.dialect).values(row)
        upsert = upsert.on_conflict_do_update(
            index_elements=[gates.c.user_id, gates.c.gate],
            set_={name: upsert.excluded[name] for name in ("mark", "happened_on", "updated_at")},
        )
        async with self.db.transaction() as tx:
            await ensure_member(tx, user_id, now)
            await tx.execute(upsert)
