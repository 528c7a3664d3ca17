"""The weekly digest: the group's overview posted in the quiz channel, through the shared outbox.

Off by default. When on, it goes on the organizer's weekday at the guild's quiz time in the quiz's time
zone (daylight saving handled by zoneinfo, like the daily post). ``group_digest_settings.next_digest_at``
holds the next instant; the outbox wakes at the earliest one. When a guild is due, the digest row of
the latest weekly occurrence is prepared (unique per guild and occurrence), claimed, sent with the nonce
``emr-digest-<id>`` and a marker (its footer), and marked sent; the next one is a week later. After
downtime a guild gets ONE catch-up digest for the latest missed week, never one per missed week; a
digest is at most once a week, even when the day is changed. A channel that is gone pauses the digest
(turning it on again lifts that); a week whose every try failed is skipped. No discord import.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol
from zoneinfo import ZoneInfo

from bot.core.outbox import Claimant, Failure, Lease
from bot.core.outbox_contract import claim_each
from bot.features.group.digest_repo import DigestRecord, DigestRepository, DigestSettings
from bot.features.group.model import DigestProblem, DigestRefusal
from bot.features.group.overview import Overview

if TYPE_CHECKING:
    from bot.features.quiz.guild_repo import GuildRepository, GuildSettings

log = logging.getLogger(__name__)

WEEK = dt.timedelta(days=7)
CANNOT_POST = "cannot_post"


def occurrence_before(now: dt.datetime, weekday: int, at: dt.time, zone: ZoneInfo) -> dt.date:
    """The local date of the latest weekly occurrence at or before ``now``."""
    day = now.astimezone(zone).date()
    for back in range(8):
        candidate = day - dt.timedelta(days=back)
        if candidate.weekday() == weekday and dt.datetime.combine(candidate, at, tzinfo=zone) <= now:
            return candidate
    raise AssertionError("unreachable: a weekday occurs every week")


def next_digest_at(
    after: dt.datetime, weekday: int, at: dt.time, zone: ZoneInfo, *, last: dt.date | None = None
) -> dt.datetime:
    """The first instant strictly after ``after`` at ``at`` on ``weekday`` in ``zone``, in UTC, at least a
    week after the last digest's date ``last`` (once a week, even when the day changes)."""
    day = after.astimezone(zone).date()
    if last is not None:
        day = max(day, last + WEEK)
    for offset in range(15):
        candidate = day + dt.timedelta(days=offset)
        instant = dt.datetime.combine(candidate, at, tzinfo=zone).astimezone(dt.UTC)
        if candidate.weekday() == weekday and instant > after:
            return instant
    raise AssertionError("unreachable: a weekday occurs every week")


class Publisher(Protocol):
    async def publish(self, digest: DigestRecord, overview: Overview, *, late: bool) -> int:
        """Post the digest; return the message id. Raises Delivery*."""

    async def find_published(self, digest: DigestRecord) -> int | None:
        """The id of this digest's message if it is already in the channel. May raise."""


#: The group's overview now (the same as /group overview's).
OverviewSource = Callable[[int], Awaitable[Overview]]


@dataclass(frozen=True, slots=True)
class DigestPlan:
    """What /group digest set: on or off, the day, and when the next digest goes."""

    enabled: bool
    weekday: int
    next_at: dt.datetime | None
    channel_id: int | None
    at: dt.time | None
    zone: str | None


class WeeklyDigests:
    """The :class:`bot.core.outbox.OutboxClient` for weekly digests, and the /group digest setting."""

    name = "digest"

    def __init__(
        self,
        repo: DigestRepository,
        guilds: GuildRepository,
        overview: OverviewSource,
        publisher: Publisher,
    ) -> None:
        self.repo = repo
        self.guilds = guilds
        self.overview = overview
        self.publisher = publisher

    # ---------------------------------------------------------------------------- /group digest

    async def configure(
        self, guild_id: int, enabled: bool, weekday: int | None, now: dt.datetime
    ) -> DigestPlan:
        """Turn the digest on (the quiz must be set up: it posts in the quiz channel) or off."""
        current = await self.repo.digest_settings(guild_id)
        day = weekday if weekday is not None else (current.weekday if current else 0)
        guild = await self.guilds.get(guild_id)
        if not enabled:
            await self.repo.set_digest(guild_id, False, day, None)
            return DigestPlan(False, day, None, None, None, None)
        if guild is None or not guild.configured:
            raise DigestRefusal(DigestProblem.QUIZ_NOT_SET_UP)
        assert guild.quiz_time is not None and guild.quiz_timezone is not None
        latest = await self.repo.last_digest(guild_id)
        last = latest.digest_date if latest and latest.status in ("sent", "claimed") else None
        upcoming = next_digest_at(now, day, guild.quiz_time, ZoneInfo(guild.quiz_timezone), last=last)
        await self.repo.set_digest(guild_id, True, day, upcoming)
        return DigestPlan(True, day, upcoming, guild.quiz_channel_id, guild.quiz_time, guild.quiz_timezone)

    # ------------------------------------------------------------------------------ outbox client

    async def next_wake(self) -> dt.datetime | None:
        return await self.repo.next_wake()

    async def due(self, now: dt.datetime, limit: int) -> list[DigestRecord]:
        ready: list[DigestRecord] = []
        for settings in await self.repo.due_settings(now, limit):
            digest = await self._prepare(settings, now)
            if digest is not None:
                ready.append(digest)
        return ready

    async def _prepare(self, settings: DigestSettings, now: dt.datetime) -> DigestRecord | None:
        guild = await self.guilds.get(settings.guild_id)
        if guild is None or not guild.configured:
            await self.repo.set_next(settings.guild_id, None)
            return None
        assert guild.quiz_channel_id is not None and guild.quiz_time and guild.quiz_timezone
        zone = ZoneInfo(guild.quiz_timezone)
        occurrence = occurrence_before(now, settings.weekday, guild.quiz_time, zone)
        latest = await self.repo.last_digest(settings.guild_id)
        if latest is not None and latest.status == "pending" and latest.digest_date < occurrence:
            await self.repo.finish_digest(latest.id, "failed", error="overtaken by the next week's digest")
            latest = await self.repo.last_digest(settings.guild_id)
        if latest is not None and latest.digest_date >= occurrence:
            if latest.status == "pending":
                return latest
            if latest.status == "claimed":
                return None  # a crash left it claimed: the outbox resolves it by its marker
        if latest is not None and latest.status != "failed" and occurrence < latest.digest_date + WEEK:
            await self._advance(settings.guild_id, now, guild, settings.weekday, latest.digest_date)
            return None  # this week already had its digest
        due_at = settings.next_digest_at or now
        created = await self.repo.create_digest(settings.guild_id, guild.quiz_channel_id, occurrence, due_at)
        if created is None:  # this occurrence's row exists (failed and given up): wait for the next week
            await self._advance(settings.guild_id, now, guild, settings.weekday, occurrence)
        return created

    async def _advance(
        self, guild_id: int, now: dt.datetime, guild: GuildSettings, weekday: int, last: dt.date | None
    ) -> None:
        assert guild.quiz_time is not None and guild.quiz_timezone is not None
        upcoming = next_digest_at(now, weekday, guild.quiz_time, ZoneInfo(guild.quiz_timezone), last=last)
        await self.repo.set_next(guild_id, upcoming)

    async def _advance_after(self, item: DigestRecord, now: dt.datetime) -> None:
        settings = await self.repo.digest_settings(item.guild_id)
        guild = await self.guilds.get(item.guild_id)
        if settings is None or not settings.enabled or guild is None or not guild.configured:
            return
        await self._advance(item.guild_id, now, guild, settings.weekday, item.digest_date)

    async def claim_due(self, now: dt.datetime, limit: int, lease: Lease) -> list[DigestRecord]:
        return await claim_each(await self.due(now, limit), lambda row: self.repo.claim_digest(row.id, lease))

    async def claimed(self, now: dt.datetime, claimant: Claimant) -> list[DigestRecord]:
        return await self.repo.claimed_digests(now, claimant)

    async def send(self, item: DigestRecord, *, late: bool) -> int:
        overview = await self.overview(item.guild_id)
        return await self.publisher.publish(item, overview, late=late)

    async def find_sent(self, item: DigestRecord) -> int | None:
        return await self.publisher.find_published(item)

    async def mark_sent(self, item: DigestRecord, message_id: int, now: dt.datetime) -> None:
        await self.repo.finish_digest(item.id, "sent", owner=item.owner, message_id=message_id)
        await self._advance_after(item, now)

    async def take_over(
        self, item: DigestRecord, now: dt.datetime, claimant: Claimant
    ) -> DigestRecord | None:
        return await self.repo.take_over_digest(item, now, claimant)

    async def release(
        self, item: DigestRecord, wake_at: dt.datetime, error: str | None, *, uncount: bool = False
    ) -> None:
        await self.repo.release_digest(item, error, uncount=uncount)
        await self.repo.set_next(item.guild_id, wake_at)

    async def fail(self, item: DigestRecord, failure: Failure, error: str, now: dt.datetime) -> str:
        await self.repo.finish_digest(item.id, "failed", owner=item.owner, error=error)
        if failure is Failure.EXHAUSTED:
            log.warning("guild %s: skipping this week's digest after every try failed", item.guild_id)
            await self._advance_after(item, now)
            return "skipped"
        log.warning("guild %s: pausing the weekly digest: %s", item.guild_id, error)
        await self.repo.pause_for(item.guild_id, CANNOT_POST)
        return "paused"
