"""The group's facts, loaded in a few queries, and its overview (the same for /group overview and the
weekly digest). Each member's card is built with the pathway's and retake's pure modules, on their own
local date, exactly as their /status would show it."""

from __future__ import annotations

import datetime as dt

from bot.dates import local_today, parse_timezone
from bot.db import Database
from bot.features.group.overview import GroupFacts, MemberRecord, Overview, build_overview
from bot.features.group.repo import GroupRepository
from bot.features.pathway.model import build_card
from bot.features.pathway.state import exam_attempts
from bot.features.retake.model import retake_state
from bot.policy import Policy


async def load_facts(
    db: Database, policy: Policy, guild_id: int, *, now: dt.datetime, default_zone: str, quiz_set_up: bool
) -> GroupFacts:
    repo = GroupRepository(db)
    week = now - dt.timedelta(days=policy.group_short_window_days)
    month = now - dt.timedelta(days=policy.group_long_window_days)
    members = await repo.members(guild_id, month)
    ids = [member.user_id for member in members]
    gates = await repo.gates(ids)
    attempts = await repo.attempts(ids)
    refreshers = await repo.last_refreshers(ids)
    zones = {default_zone: parse_timezone(default_zone)}
    records: list[MemberRecord] = []
    for member in members:
        name = member.timezone or default_zone
        zone = zones.get(name) or zones.setdefault(name, parse_timezone(name))
        today = local_today(now, zone)
        retake = retake_state(attempts.get(member.user_id, []), refreshers.get(member.user_id), today, policy)
        card = build_card(gates.get(member.user_id, []), today, policy, attempts=exam_attempts(retake))
        records.append(MemberRecord(member.user_id, member.shared, card, retake))
    week_tally, month_tally, lapsed = await repo.participation(guild_id, month, week)
    return GroupFacts(
        members=tuple(records),
        week=week_tally,
        month=month_tally,
        month_only_members=lapsed,
        domains=await repo.domain_tallies(ids, month),
        # misses carry the member's local date: the window's first day, a day early to be generous
        buckets=await repo.bucket_tallies(ids, month.date() - dt.timedelta(days=1)),
        quiz_set_up=quiz_set_up,
    )


async def load_overview(
    db: Database, policy: Policy, guild_id: int, *, now: dt.datetime, default_zone: str, quiz_set_up: bool
) -> Overview:
    facts = await load_facts(
        db, policy, guild_id, now=now, default_zone=default_zone, quiz_set_up=quiz_set_up
    )
    return build_overview(facts, policy)
