"""The daily quiz post: one question a day per guild at its local time, from one scheduler wake-up.

Like the reminder engine, the database is the truth: each guild row holds ``next_post_at`` (UTC), and
APScheduler only wakes the engine at the earliest one. After downtime a guild gets ONE catch-up post,
then its next post is the next local occurrence of its time (daylight saving handled by zoneinfo).
No discord import: posting is done by a :class:`Publisher` that the quiz cog provides.
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

from bot.clock import Clock
from bot.core.refusals import Refusal
from bot.core.wakeup import WakeUp
from bot.features.quiz.bank import Question, QuestionBank
from bot.features.quiz.repo import PostRecord
from bot.features.quiz.selection import pick_daily

if TYPE_CHECKING:
    from apscheduler.schedulers.asyncio import AsyncIOScheduler

    from bot.features.quiz.guild_repo import GuildRepository, GuildSettings
    from bot.features.quiz.repo import QuizRepository

log = logging.getLogger(__name__)

WAKE_JOB_ID = "quiz:wake"
#: A post that failed without a clear answer is tried again this soon: within Discord's nonce window.
RETRY_AFTER = dt.timedelta(minutes=2)


def next_post_at(after: dt.datetime, at: dt.time, zone: ZoneInfo) -> dt.datetime:
    """The first instant strictly after ``after`` when it is ``at`` o'clock in ``zone``, in UTC."""
    local_day = after.astimezone(zone).date()
    for offset in range(3):
        candidate = dt.datetime.combine(local_day + dt.timedelta(days=offset), at, tzinfo=zone)
        if candidate.astimezone(dt.UTC) > after:
            return candidate.astimezone(dt.UTC)
    raise AssertionError("unreachable: a local time occurs at least once every day")


@dataclass(frozen=True, slots=True)
class Reveal:
    """Yesterday's question, revealed by the next post."""

    question: Question
    answered: int
    correct: int


class PublishGone(Exception):
    """The channel is gone or the bot may not post there: skip until an organiser fixes it."""


class Publisher(Protocol):
    async def publish(self, post: PostRecord, question: Question, reveal: Reveal | None) -> int:
        """Post the question with its answer buttons; return the message id."""


class DailyQuizEngine:
    def __init__(
        self,
        guilds: GuildRepository,
        posts: QuizRepository,
        bank: QuestionBank,
        publisher: Publisher,
        scheduler: AsyncIOScheduler,
        clock: Clock,
        rng: random.Random | None = None,
    ) -> None:
        self.guilds = guilds
        self.posts = posts
        self.bank = bank
        self.publisher = publisher
        self.clock = clock
        self.rng = rng or random.Random()
        self.wakeup = WakeUp(scheduler, WAKE_JOB_ID, self.run_due)

    async def start(self) -> None:
        for guild in await self.guilds.active():
            if guild.next_post_at is None and guild.quiz_time and guild.quiz_timezone:
                at = next_post_at(self.clock(), guild.quiz_time, ZoneInfo(guild.quiz_timezone))
                await self.guilds.set_next_post(guild.guild_id, at)
        await self.reschedule()

    async def stop(self) -> None:
        await self.wakeup.drain()

    async def configure(self, guild_id: int, channel_id: int, at: dt.time, zone: ZoneInfo) -> dt.datetime:
        """Set (or change) where and when; returns the next post's instant."""
        upcoming = next_post_at(self.clock(), at, zone)
        await self.guilds.set_quiz(guild_id, channel_id, at, zone.key, upcoming)
        await self.reschedule()
        return upcoming

    async def set_paused(self, guild: GuildSettings, paused: bool) -> dt.datetime | None:
        """Pause, or resume from the next local occurrence (no catch-up for paused days)."""
        await self.guilds.set_paused(guild.guild_id, paused)
        upcoming = None
        if not paused and guild.quiz_time and guild.quiz_timezone:
            upcoming = next_post_at(self.clock(), guild.quiz_time, ZoneInfo(guild.quiz_timezone))
            await self.guilds.set_next_post(guild.guild_id, upcoming)
        await self.reschedule()
        return upcoming

    async def reschedule(self) -> None:
        self.wakeup.at(await self.guilds.next_wake())

    async def run_due(self) -> int:
        """Post for every guild whose time has come; never raises. Returns the number of posts."""
        posted = 0
        async with self.wakeup.busy:
            try:
                now = self.clock()
                for guild in await self.guilds.due(now):
                    posted += await self._post_and_advance(guild, now)
            except Exception:
                log.exception("daily quiz run failed; it will be tried again")
            try:
                await self.reschedule()
            except Exception:
                log.exception("could not schedule the next daily quiz wake-up")
        return posted

    async def _post_and_advance(self, guild: GuildSettings, now: dt.datetime) -> int:
        assert guild.quiz_time is not None and guild.quiz_timezone is not None
        zone = ZoneInfo(guild.quiz_timezone)
        following = next_post_at(now, guild.quiz_time, zone)
        try:
            done = await self.post(guild, now.astimezone(zone).date())
        except PublishGone as error:
            log.warning("guild %s: cannot post the daily quiz (%s); skipping today", guild.guild_id, error)
            done = False
        except Exception:
            log.exception("guild %s: daily quiz post failed; retrying in %s", guild.guild_id, RETRY_AFTER)
            following = now + RETRY_AFTER
            done = False
        await self.guilds.set_next_post(guild.guild_id, following)
        return int(done)

    async def post(self, guild: GuildSettings, local_day: dt.date) -> bool:
        """Post today's question in the guild; False if there is nothing to post or it was posted.

        A try that failed without a clear answer keeps its row: the retry sends the same post with the
        same nonce, so Discord does not show it twice if the first send did arrive.
        """
        assert guild.quiz_channel_id is not None
        if not len(self.bank):
            log.warning("guild %s: the question bank is empty; no daily quiz", guild.guild_id)
            return False
        latest = await self.posts.last_post(guild.guild_id)
        if latest is not None and latest.post_date >= local_day:
            if latest.post_date > local_day or latest.message_id is not None:
                return False
            post: PostRecord | None = latest  # today's post, not yet confirmed sent
            previous = await self.posts.last_post(guild.guild_id, before=local_day)
        else:
            cycle, used = await self.posts.used_in_cycle(guild.guild_id)
            pick = pick_daily(self.bank.ids, cycle, used, self.rng)
            post = await self.posts.create_post(
                guild.guild_id, guild.quiz_channel_id, pick.question_id, pick.cycle, local_day
            )
            previous = latest
        if post is None:
            return False
        question = self.bank.get(post.question_id)
        if question is None:  # removed from the bank since the failed try: start today's post afresh
            await self.posts.delete_post(post.id)
            return await self.post(guild, local_day)
        reveal = None
        if previous is not None and (old := self.bank.get(previous.question_id)) is not None:
            answered, correct = await self.posts.post_results(previous.id)
            reveal = Reveal(old, answered, correct)
        try:
            message_id = await self.publisher.publish(post, question, reveal)
        except PublishGone:
            await self.posts.delete_post(post.id)  # nothing was posted: today is skipped
            raise
        await self.posts.set_post_message(post.id, message_id)
        return True


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


_HH_MM = re.compile(r"([01]?\d|2[0-3]):([0-5]\d)")


def parse_post_time(text: str) -> dt.time:
    """``HH:MM`` on a 24-hour clock (``07:30``, ``18:05``)."""
    match = _HH_MM.fullmatch(text.strip())
    if match is None:
        raise SetupRefusal(SetupProblem.BAD_TIME, text)
    return dt.time(int(match[1]), int(match[2]))
