"""/quiz now, /quiz setup, /quiz stats, /quiz reports, and the daily post's buttons.

Buttons are DynamicItems with namespaced custom ids, so they keep working after a restart.
"""

from __future__ import annotations

import logging
import random
import re
from collections.abc import Coroutine
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands
from discord.app_commands import Choice
from discord.ext import commands

from bot.app import answer_error
from bot.dates import parse_timezone
from bot.features.members._cog import matching_zones
from bot.features.quiz import text as render
from bot.features.quiz.bank import DOMAIN_LABEL, LETTERS, Domain, Question
from bot.features.quiz.daily import (
    DailyQuizEngine,
    PublishGone,
    Reveal,
    SetupProblem,
    SetupRefusal,
    parse_post_time,
)
from bot.features.quiz.guild_repo import GuildRepository
from bot.features.quiz.repo import Answer, PostRecord, QuizRepository
from bot.features.quiz.selection import pick_practice
from bot.features.quiz.stats import AnswerRecord, quiz_stats
from bot.features.retake.model import Bucket
from bot.features.retake.repo import RetakeRepository

if TYPE_CHECKING:
    from bot.app import StudyBot

log = logging.getLogger(__name__)

QID = r"[a-z]+-[a-z]+-[0-9]{3}"
RECENT_PRACTICE = 50


async def _guarded(interaction: discord.Interaction[StudyBot], work: Coroutine[Any, Any, None]) -> None:
    """Run a button's work; anything unexpected gets the same friendly, logged answer as a command."""
    try:
        await work
    except Exception as error:
        await answer_error(interaction, error)


def _quiz(interaction: discord.Interaction[StudyBot]) -> Quiz:
    cog = interaction.client.get_cog("Quiz")
    assert isinstance(cog, Quiz)
    return cog


class NowChoice(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=rf"quiz:now:(?P<qid>{QID}):(?P<choice>[0-3]):(?P<issued>[0-9]+)",
):
    """An answer button on a /quiz now question; the custom id carries when it was shown."""

    def __init__(self, question_id: str, choice: int, issued: int) -> None:
        super().__init__(
            discord.ui.Button(
                label=LETTERS[choice],
                style=discord.ButtonStyle.secondary,
                custom_id=f"quiz:now:{question_id}:{choice}:{issued}",
            )
        )
        self.question_id, self.choice, self.issued = question_id, choice, issued

    @classmethod
    async def from_custom_id(  # type: ignore[override]
        cls, interaction: discord.Interaction[StudyBot], item: discord.ui.Button[Any], match: re.Match[str]
    ) -> NowChoice:
        return cls(match["qid"], int(match["choice"]), int(match["issued"]))

    async def callback(self, interaction: discord.Interaction[StudyBot]) -> None:  # type: ignore[override]
        await _guarded(
            interaction,
            _quiz(interaction).answer_now(interaction, self.question_id, self.choice, self.issued),
        )


class DailyChoice(
    discord.ui.DynamicItem[discord.ui.Button[Any]], template=r"quiz:daily:(?P<post>[0-9]+):(?P<choice>[0-3])"
):
    """An answer button on a daily post."""

    def __init__(self, post_id: int, choice: int) -> None:
        super().__init__(
            discord.ui.Button(
                label=LETTERS[choice],
                style=discord.ButtonStyle.primary,
                custom_id=f"quiz:daily:{post_id}:{choice}",
            )
        )
        self.post_id, self.choice = post_id, choice

    @classmethod
    async def from_custom_id(  # type: ignore[override]
        cls, interaction: discord.Interaction[StudyBot], item: discord.ui.Button[Any], match: re.Match[str]
    ) -> DailyChoice:
        return cls(int(match["post"]), int(match["choice"]))

    async def callback(self, interaction: discord.Interaction[StudyBot]) -> None:  # type: ignore[override]
        await _guarded(interaction, _quiz(interaction).answer_daily(interaction, self.post_id, self.choice))


class ReportButton(discord.ui.DynamicItem[discord.ui.Button[Any]], template=rf"quiz:report:(?P<qid>{QID})"):
    """Report a question as wrong: opens a short form."""

    def __init__(self, question_id: str) -> None:
        super().__init__(
            discord.ui.Button(
                label="Report this question",
                emoji="🚩",
                style=discord.ButtonStyle.secondary,
                custom_id=f"quiz:report:{question_id}",
            )
        )
        self.question_id = question_id

    @classmethod
    async def from_custom_id(  # type: ignore[override]
        cls, interaction: discord.Interaction[StudyBot], item: discord.ui.Button[Any], match: re.Match[str]
    ) -> ReportButton:
        return cls(match["qid"])

    async def callback(self, interaction: discord.Interaction[StudyBot]) -> None:  # type: ignore[override]
        await interaction.response.send_modal(ReportModal(self.question_id))


class ReportModal(discord.ui.Modal):
    reason: discord.ui.TextInput[ReportModal] = discord.ui.TextInput(
        label="What looks wrong?",
        style=discord.TextStyle.paragraph,
        custom_id="quiz:report:reason",
        min_length=5,
        max_length=500,
        placeholder="For example: option C is also correct because ...",
    )

    def __init__(self, question_id: str) -> None:
        super().__init__(title=f"Report {question_id}", custom_id=f"quiz:report-form:{question_id}")
        self.question_id = question_id

    async def on_error(self, interaction: discord.Interaction[StudyBot], error: Exception) -> None:  # type: ignore[override]
        await answer_error(interaction, error)

    async def on_submit(self, interaction: discord.Interaction[StudyBot]) -> None:  # type: ignore[override]
        await _quiz(interaction).posts.add_report(
            interaction.user.id, interaction.guild_id, self.question_id, self.reason.value
        )
        await interaction.response.send_message(render.REPORT_THANKS, ephemeral=True)


def answer_view(make: Any, count: int = 4) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    for choice in range(count):
        view.add_item(make(choice))
    return view


def report_view(question_id: str) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    view.add_item(ReportButton(question_id))
    return view


class DiscordPublisher:
    def __init__(self, bot: StudyBot) -> None:
        self.bot = bot

    async def publish(self, post: PostRecord, question: Question, reveal: Reveal | None) -> int:
        channel = self.bot.get_partial_messageable(post.channel_id)
        try:
            message = await channel.send(
                embed=render.daily_embed(question, post.post_date, reveal),
                view=answer_view(lambda choice: DailyChoice(post.id, choice)),
                nonce=f"emr-quiz-{post.id}",  # a retry of the same post is not shown twice
            )
        except (discord.Forbidden, discord.NotFound) as error:
            raise PublishGone(str(error)) from error
        return message.id


DOMAIN_CHOICES = [Choice(name=DOMAIN_LABEL[d], value=d.value) for d in Domain]


class Quiz(commands.Cog):
    def __init__(self, bot: StudyBot) -> None:
        self.bot = bot
        self.posts = QuizRepository(bot.db)
        self.guilds = GuildRepository(bot.db)
        self.retakes = RetakeRepository(bot.db)
        self.rng = random.Random()
        self.daily = DailyQuizEngine(
            self.guilds, self.posts, bot.bank, DiscordPublisher(bot), bot.scheduler, bot.clock, self.rng
        )

    async def cog_load(self) -> None:
        self.bot.add_dynamic_items(NowChoice, DailyChoice, ReportButton)
        self.bot.quiz_engine = self.daily
        await self.daily.start()

    async def cog_unload(self) -> None:
        self.bot.remove_dynamic_items(NowChoice, DailyChoice, ReportButton)
        self.bot.quiz_engine = None

    quiz = app_commands.Group(
        name="quiz", description="Practice questions, the daily question and your stats"
    )

    # ------------------------------------------------------------------------------------- /quiz now

    @quiz.command(name="now", description="One practice question, answered with buttons")
    @app_commands.describe(domain="An exam domain, or the certification pathway (optional)")
    @app_commands.choices(domain=DOMAIN_CHOICES)
    async def now(self, interaction: discord.Interaction[StudyBot], domain: str | None = None) -> None:
        bank = self.bot.bank
        if not len(bank):
            await interaction.response.send_message(render.EMPTY_BANK, ephemeral=True)
            return
        candidates = bank.in_domains([Domain(domain)]) if domain else bank.questions
        if not candidates:
            await interaction.response.send_message(render.NO_QUESTIONS_IN_DOMAIN, ephemeral=True)
            return
        seen = await self.posts.recent_question_ids(interaction.user.id, RECENT_PRACTICE)
        question = bank.get(pick_practice([q.id for q in candidates], seen, self.rng))
        assert question is not None
        issued = int(self.bot.clock().timestamp())
        await interaction.response.send_message(
            embed=render.question_embed(question, title="Practice question"),
            view=answer_view(lambda choice: NowChoice(question.id, choice, issued)),
            ephemeral=True,
        )

    async def answer_now(
        self, interaction: discord.Interaction[StudyBot], question_id: str, choice: int, issued: int
    ) -> None:
        question = self.bot.bank.get(question_id)
        if question is None:
            await interaction.response.edit_message(content=render.POST_GONE, embed=None, view=None)
            return
        seconds = max(0.0, self.bot.clock().timestamp() - issued)
        await self._record(interaction, question, choice, issued_at=issued, seconds=seconds)
        await interaction.response.edit_message(
            embed=render.feedback_embed(
                question, choice, seconds=seconds, pacing_seconds=self.bot.policy.pacing_seconds
            ),
            view=report_view(question.id),
        )

    async def _record(
        self,
        interaction: discord.Interaction[StudyBot],
        question: Question,
        choice: int,
        *,
        post_id: int | None = None,
        issued_at: int | None = None,
        seconds: float | None = None,
    ) -> bool:
        """Store the answer; a miss (and a slow answer) goes into the error log. False if already answered."""
        user_id = interaction.user.id
        today = (await self.bot.member_state(user_id)).today
        answer = Answer(
            user_id,
            interaction.guild_id,
            question.id,
            question.domain.value,
            choice,
            choice == question.answer,
            today,
            post_id=post_id,
            issued_at=issued_at,
            seconds=seconds,
        )
        if not await self.posts.record_answer(answer):
            return False
        if not answer.correct:
            await self.retakes.log_miss(
                user_id,
                question.bucket,
                today,
                note=f"quiz {question.id}",
                source="quiz",
                question_id=question.id,
            )
        if seconds is not None and seconds > self.bot.policy.pacing_seconds:
            await self.retakes.log_miss(
                user_id,
                Bucket.PACING,
                today,
                note=f"slow on {question.id}",
                source="quiz",
                question_id=question.id,
            )
        return True

    # ------------------------------------------------------------------------------------ daily post

    async def answer_daily(
        self, interaction: discord.Interaction[StudyBot], post_id: int, choice: int
    ) -> None:
        post = await self.posts.get_post(post_id)
        question = self.bot.bank.get(post.question_id) if post else None
        if post is None or question is None:
            await interaction.response.send_message(render.POST_GONE, ephemeral=True)
            return
        latest = await self.posts.last_post(post.guild_id)
        if latest is not None and latest.id != post.id:
            text = render.POST_CLOSED.format(
                letter=question.answer_letter, option=question.options[question.answer]
            )
            await interaction.response.send_message(text, ephemeral=True)
            return
        if not await self._record(interaction, question, choice, post_id=post.id):
            first = await self.posts.first_choice(interaction.user.id, post.id)
            letter = LETTERS[first] if first is not None else "?"
            await interaction.response.send_message(
                render.ALREADY_ANSWERED.format(letter=letter), ephemeral=True
            )
            return
        await interaction.response.send_message(
            embed=render.feedback_embed(
                question, choice, seconds=None, pacing_seconds=self.bot.policy.pacing_seconds
            ),
            view=report_view(question.id),
            ephemeral=True,
        )

    # ----------------------------------------------------------------------------------- /quiz setup

    @quiz.command(name="setup", description="Organisers: where and when the daily question is posted")
    @app_commands.describe(
        channel="The channel for the daily question",
        time="Local time to post, HH:MM on a 24-hour clock (for example 07:30)",
        timezone="The time zone of that time, an IANA name such as America/Chicago",
        paused="True pauses the daily question; False resumes it",
    )
    @app_commands.guild_only()
    @app_commands.checks.has_permissions(manage_guild=True)
    async def setup(
        self,
        interaction: discord.Interaction[StudyBot],
        channel: discord.TextChannel | None = None,
        time: app_commands.Range[str, 1, 10] | None = None,
        timezone: app_commands.Range[str, 1, 64] | None = None,
        paused: bool | None = None,
    ) -> None:
        assert interaction.guild_id is not None
        current = await self.guilds.get(interaction.guild_id)
        if channel is None and time is None and timezone is None and paused is not None:
            if current is None or not current.configured:
                raise SetupRefusal(SetupProblem.NOT_SET_UP)
            upcoming = await self.daily.set_paused(current, paused)
            await interaction.response.send_message(
                render.paused_text(paused, upcoming, current.quiz_timezone), ephemeral=True
            )
            return
        at = parse_post_time(time) if time else (current.quiz_time if current else None)
        zone = (
            parse_timezone(timezone)
            if timezone
            else (parse_timezone(current.quiz_timezone) if current and current.quiz_timezone else None)
        )
        channel_id = channel.id if channel else (current.quiz_channel_id if current else None)
        if at is None or zone is None or channel_id is None:
            raise SetupRefusal(SetupProblem.INCOMPLETE)
        if channel is not None:
            permissions = channel.permissions_for(channel.guild.me)
            if not (permissions.view_channel and permissions.send_messages and permissions.embed_links):
                raise SetupRefusal(SetupProblem.CANNOT_POST, channel.mention)
        upcoming = await self.daily.configure(interaction.guild_id, channel_id, at, zone)
        still_paused = paused if paused is not None else bool(current and current.paused)
        if paused is not None:
            refreshed = await self.guilds.get(interaction.guild_id)
            assert refreshed is not None
            await self.daily.set_paused(refreshed, paused)
        text = render.setup_done(f"<#{channel_id}>", at, zone.key, upcoming)
        if still_paused:
            text += "\n" + render.paused_text(True, None, None)
        await interaction.response.send_message(text, ephemeral=True)

    @setup.autocomplete("timezone")
    async def _zone_autocomplete(
        self, interaction: discord.Interaction[StudyBot], current: str
    ) -> list[app_commands.Choice[str]]:
        return [app_commands.Choice(name=n, value=n) for n in matching_zones(current)]

    @quiz.command(name="reports", description="Organisers: questions members reported as wrong")
    @app_commands.guild_only()
    @app_commands.checks.has_permissions(manage_guild=True)
    async def reports(self, interaction: discord.Interaction[StudyBot]) -> None:
        assert interaction.guild_id is not None
        reports = await self.posts.reports(interaction.guild_id)
        await interaction.response.send_message(
            render.reports_text(reports)[:2000],
            ephemeral=True,
            allowed_mentions=discord.AllowedMentions.none(),
        )

    # ----------------------------------------------------------------------------------- /quiz stats

    @quiz.command(name="stats", description="Your accuracy by exam domain, your streak, and your misses")
    async def stats(self, interaction: discord.Interaction[StudyBot]) -> None:
        state = await self.bot.member_state(interaction.user.id)
        records = []
        for stored in await self.posts.answers(interaction.user.id):
            question = self.bot.bank.get(stored.question_id)
            bucket = question.bucket.value if question else None
            records.append(
                AnswerRecord(stored.question_id, stored.domain, stored.correct, stored.answered_on, bucket)
            )
        stats = quiz_stats(records, state.today, self.bot.policy.domain_weights)
        embed = render.stats_embed(stats)
        if stats.answered:
            await interaction.response.send_message(
                embed=embed, file=render.stats_chart(stats), ephemeral=True
            )
        else:
            await interaction.response.send_message(embed=embed, ephemeral=True)


async def setup(bot: StudyBot) -> None:
    await bot.add_cog(Quiz(bot))
