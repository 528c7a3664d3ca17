"""The daily post: one question a day per guild at its local time, delivered through the shared outbox.

The guild row holds ``next_post_at`` (UTC); the outbox wakes at the earliest one. When a guild is due,
today's ``quiz_posts`` row is prepared (its question picked: no repeats until the bank is used up) and
becomes an outbox row: claimed, sent with the nonce ``emr-quiz-<post id>``, marked sent, and the guild's
next post moves to the next local occurrence (daylight saving handled by zoneinfo). After downtime a
guild gets ONE catch-up post. A transient failure retries with the outbox's backoff; when every try
failed, today is skipped; a channel that is gone or a lost permission pauses the guild's quiz and tells
the organizers on their next /quiz command. No discord import: posting is done by a :class:`Publisher`.
"""

from __future__ import annotations

import datetime as dt
import logging
import random
import re
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Protocol
from zoneinfo import ZoneInfo

from bot.core.outbox import Claimant, DeliveryGone, Failure, Lease
from bot.core.outbox_contract import claim_each
from bot.core.refusals import Refusal
from bot.dates import check_ascii_digits
from bot.features.quiz.bank import Question, QuestionBank
from bot.features.quiz.repo import PostRecord
from bot.features.quiz.selection import pick_daily

if TYPE_CHECKING:
    from bot.features.quiz.guild_repo import GuildRepository, GuildSettings
    from bot.features.quiz.repo import QuizRepository

log = logging.getLogger(__name__)


def next_post_at(
    after: dt.datetime, at: dt.time, zone: ZoneInfo, *, posted_through: dt.date | None = None
) -> dt.datetime:
    """The first instant strictly after ``after`` when it is ``at`` o'clock in ``zone``, in UTC, on a
    local day after ``posted_through``: one post a day, so a day that already had its post gets none."""
    local_day = after.astimezone(zone).date()
    if posted_through is not None and posted_through >= local_day:
        local_day = posted_through + dt.timedelta(days=1)
    for offset in range(3):
        candidate = dt.datetime.combine(local_day + dt.timedelta(days=offset), at, tzinfo=zone)
        if candidate.astimezone(dt.UTC) > after:
            return candidate.astimezone(dt.UTC)
    raise AssertionError("unreachable: a local time occurs at least once every day")


def posted_day(latest: PostRecord | None) -> dt.date | None:
    """The last local day that had its post: sent, being sent, or given up for the day.

    A pending post (waiting for a retry) is still to come, so its day is not counted.
    """
    if latest is None or latest.status == "pending":
        return None
    return latest.post_date


@dataclass(frozen=True, slots=True)
class NextPost:
    """When a guild's next daily post goes, by the one rule that /quiz setup and the scheduler share."""

    at: dt.datetime
    #: Today's post time is still ahead, but today already had its post: the next one is on a later day.
    today_done: bool


def plan_next_post(after: dt.datetime, at: dt.time, zone: ZoneInfo, latest: PostRecord | None) -> NextPost:
    """The next post after ``after`` given the guild's latest post (``QuizRepository.last_post``)."""
    upcoming = next_post_at(after, at, zone, posted_through=posted_day(latest))
    return NextPost(upcoming, upcoming != next_post_at(after, at, zone))


@dataclass(frozen=True, slots=True)
class Reveal:
    """Yesterday's question, revealed by the next post."""

    question: Question
    answered: int
    correct: int
    posted_on: dt.date | None = None


class PauseReason(StrEnum):
    """Why the bot paused a guild's daily post by itself."""

    CANNOT_POST = "cannot_post"


class Publisher(Protocol):
    async def publish(self, post: PostRecord, question: Question, reveal: Reveal | None) -> int:
        """Post the question with its answer buttons; return the message id. Raises Delivery*."""

    async def find_published(self, post: PostRecord) -> int | None:
        """The id of this post's message if it is already in the channel. May raise."""


class DailyPosts:
    """The :class:`bot.core.outbox.OutboxClient` for daily posts."""

    name = "quiz"

    def __init__(
        self,
        guilds: GuildRepository,
        posts: QuizRepository,
        bank: QuestionBank,
        publisher: Publisher,
        rng: random.Random | None = None,
    ) -> None:
        self.guilds = guilds
        self.posts = posts
        self.bank = (
            bank.single_answer()
        )  # the post has four buttons: multiple-response items are for /quiz now
        self.publisher = publisher
        self.rng = rng or random.Random()

    async def next_wake(self) -> dt.datetime | None:
        return await self.guilds.next_wake()

    async def due(self, now: dt.datetime, limit: int) -> list[PostRecord]:
        """Today's post of every due guild, prepared as a pending outbox row."""
        ready: list[PostRecord] = []
        for guild in await self.guilds.due(now, limit):
            post = await self._prepare(guild, now)
            if post is not None:
                ready.append(post)
        return ready

    async def _prepare(self, guild: GuildSettings, now: dt.datetime) -> PostRecord | None:
        assert guild.quiz_channel_id is not None and guild.quiz_time and guild.quiz_timezone
        zone = ZoneInfo(guild.quiz_timezone)
        local_day = now.astimezone(zone).date()
        if not len(self.bank):
            log.warning("guild %s: the question bank is empty; no daily quiz", guild.guild_id)
            await self.guilds.set_next_post(guild.guild_id, next_post_at(now, guild.quiz_time, zone))
            return None
        latest = await self.posts.last_post(guild.guild_id)
        if latest is not None and latest.status in ("pending", "claimed") and latest.post_date < local_day:
            await self.posts.finish_post(latest.id, "failed", error="overtaken by the next day's post")
            latest = await self.posts.last_post(guild.guild_id)
        if latest is not None and latest.post_date >= local_day:
            if latest.status == "pending" and self.bank.get(latest.question_id) is not None:
                return latest
            if latest.status == "pending":  # its question left the bank since the failed try
                await self.posts.delete_post(latest.id)
            elif latest.status == "claimed":
                return None  # a crash left it claimed: the outbox resolves it by its marker
            else:  # already sent (or given up) today: nothing more until the next local day
                upcoming = plan_next_post(now, guild.quiz_time, zone, latest).at
                await self.guilds.set_next_post(guild.guild_id, upcoming)
                return None
        cycle, used = await self.posts.used_in_cycle(guild.guild_id)
        pick = pick_daily(self.bank.ids, cycle, used, self.rng)
        return await self.posts.create_post(
            guild.guild_id, guild.quiz_channel_id, pick.question_id, pick.cycle, local_day, now
        )

    async def claim_due(self, now: dt.datetime, limit: int, lease: Lease) -> list[PostRecord]:
        return await claim_each(
            await self.due(now, limit), lambda post: self.posts.claim_post(post.id, lease)
        )

    async def claimed(self, now: dt.datetime, claimant: Claimant) -> list[PostRecord]:
        return await self.posts.claimed_posts(now, claimant)

    async def send(self, item: PostRecord, *, late: bool) -> int:
        question = self.bank.get(item.question_id)
        if question is None:
            raise DeliveryGone(f"question {item.question_id} is no longer in the bank")
        reveal = None
        previous = await self.posts.last_post(item.guild_id, before=item.post_date)
        if previous is not None and (old := self.bank.get(previous.question_id)) is not None:
            answered, correct = await self.posts.post_results(previous.id)
            reveal = Reveal(old, answered, correct, previous.post_date)
        return await self.publisher.publish(item, question, reveal)

    async def find_sent(self, item: PostRecord) -> int | None:
        return await self.publisher.find_published(item)

    async def next_post(self, guild_id: int, after: dt.datetime, at: dt.time, zone: ZoneInfo) -> NextPost:
        """The one rule for when a guild's next post goes (see :func:`plan_next_post`)."""
        return plan_next_post(after, at, zone, await self.posts.last_post(guild_id))

    async def _advance(self, item: PostRecord, now: dt.datetime) -> None:
        guild = await self.guilds.get(item.guild_id)
        if guild is not None and guild.quiz_time and guild.quiz_timezone:
            following = await self.next_post(
                item.guild_id, now, guild.quiz_time, ZoneInfo(guild.quiz_timezone)
            )
            await self.guilds.set_next_post(item.guild_id, following.at)

    async def mark_sent(self, item: PostRecord, message_id: int, now: dt.datetime) -> None:
        await self.posts.finish_post(item.id, "sent", owner=item.owner, message_id=message_id)
        await self._advance(item, now)

    async def take_over(self, item: PostRecord, now: dt.datetime, claimant: Claimant) -> PostRecord | None:
        return await self.posts.take_over_post(item, now, claimant)

    async def release(
        self, item: PostRecord, wake_at: dt.datetime, error: str | None, *, uncount: bool = False
    ) -> None:
        await self.posts.release_post(item, error, uncount=uncount)
        await self.guilds.set_next_post(item.guild_id, wake_at)

    async def fail(self, item: PostRecord, failure: Failure, error: str, now: dt.datetime) -> str:
        await self.posts.finish_post(item.id, "failed", owner=item.owner, error=error)
        if failure in (Failure.EXHAUSTED, Failure.SKIPPED):
            log.warning("guild %s: skipping today's daily question after every try failed", item.guild_id)
            await self._advance(item, now)
            return "skipped"
        log.warning("guild %s: pausing the daily question: %s", item.guild_id, error)
        await self.guilds.pause_for(item.guild_id, PauseReason.CANNOT_POST.value)
        return "paused"


# ---------------------------------------------------------------------------------------- /quiz setup


class SetupProblem(StrEnum):
    BAD_TIME = "bad_time"
    INCOMPLETE = "incomplete"
    NOT_SET_UP = "not_set_up"
    CANNOT_POST = "cannot_post"


class SetupRefusal(Refusal):
    def __init__(self, problem: SetupProblem, value: str = "") -> None:
        super().__init__(problem, value)
        self.problem, self.value = problem, value


# [0-9], not \d: \d also matches full-width and other scripts' digits (``０７:00``).
_HH_MM = re.compile(r"([01]?[0-9]|2[0-3]):([0-5][0-9])")


def parse_post_time(text: str) -> dt.time:
    """``HH:MM`` on a 24-hour clock (``07:30``, ``18:05``), digits 0-9 only."""
    check_ascii_digits(text, option="time", example="07:30")
    match = _HH_MM.fullmatch(text.strip())
    if match is None:
        raise SetupRefusal(SetupProblem.BAD_TIME, text)
    return dt.time(int(match[1]), int(match[2]))
