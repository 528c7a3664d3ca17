"""/quiz now, /quiz setup, /quiz stats, /quiz reports, and the daily post's buttons.

Buttons are DynamicItems with namespaced custom ids, so they keep working after a restart.
"""

from __future__ import annotations

import logging
import random
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands
from discord.app_commands import Choice
from discord.ext import commands

from bot.core.outbox import Outbox, RetryPolicy
from bot.dates import choose_timezone, matching_zones, parse_timezone
from bot.features.quiz import text as render
from bot.features.quiz.bank import DOMAIN_LABEL, LETTERS, Domain, Question
from bot.features.quiz.daily import (
    DailyPosts,
    SetupProblem,
    SetupRefusal,
    parse_post_time,
)
from bot.features.quiz.delivery import DiscordPublisher
from bot.features.quiz.guild_repo import GuildRepository
from bot.features.quiz.model import misses_for
from bot.features.quiz.repo import Answer, PostRecord, QuizRepository
from bot.features.quiz.schedule import QuizSchedule
from bot.features.quiz.selection import pick_practice
from bot.features.quiz.stats import AnswerRecord, quiz_stats
from bot.features.quiz.views import DailyChoice, NowChoice, ReportButton, answer_view, report_view

if TYPE_CHECKING:
    from bot.app import StudyBot

log = logging.getLogger(__name__)

RECENT_PRACTICE = 50


DOMAIN_CHOICES = [Choice(name=DOMAIN_LABEL[d], value=d.value) for d in Domain]


class Quiz(commands.Cog):
    def __init__(self, bot: StudyBot) -> None:
        self.bot = bot
        self.posts = QuizRepository(bot.db)
        self.guilds = GuildRepository(bot.db)
        self.rng = random.Random()
        self.daily = DailyPosts(self.guilds, self.posts, bot.bank, DiscordPublisher(bot), self.rng)
        self.outbox: Outbox[PostRecord] = Outbox(
            self.daily, bot.scheduler, bot.clock, RetryPolicy.from_policy(bot.policy)
        )
        self.schedule = QuizSchedule(self.guilds, self.daily, self.outbox, bot.clock)

    async def cog_load(self) -> None:
        self.bot.add_dynamic_items(NowChoice, DailyChoice, ReportButton)
        await self.schedule.start()

    async def cog_unload(self) -> None:
        self.bot.remove_dynamic_items(NowChoice, DailyChoice, ReportButton)
        await self.outbox.stop()

    @commands.Cog.listener()
    async def on_app_command_completion(
        self, interaction: discord.Interaction[StudyBot], command: app_commands.Command[Any, ..., Any]
    ) -> None:
        """After any /quiz command of an organizer: say so if the bot paused the daily post itself."""
        if command.root_parent is not self.quiz or interaction.guild_id is None:
            return
        permissions = interaction.permissions
        if not permissions.manage_guild:
            return
        reason = await self.schedule.pause_reason(interaction.guild_id)
        if reason is not None:
            await interaction.followup.send(render.paused_by_bot(reason), ephemeral=True)

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
        return await self.posts.record_answer(
            answer, misses_for(question, choice, seconds, self.bot.policy.pacing_seconds)
        )

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
            upcoming = await self.schedule.set_paused(current, paused)
            await interaction.response.send_message(
                render.paused_text(paused, upcoming, current.quiz_timezone), ephemeral=True
            )
            return
        at = parse_post_time(time) if time else (current.quiz_time if current else None)
        zone = (
            choose_timezone(timezone)
            if timezone
            else (parse_timezone(current.quiz_timezone) if current and current.quiz_timezone else None)
        )
        channel_id = channel.id if channel else (current.quiz_channel_id if current else None)
        if at is None or zone is None or channel_id is None:
            raise SetupRefusal(SetupProblem.INCOMPLETE)
        if channel is not None:
            permissions = channel.permissions_for(channel.guild.me)
            needed = (
                permissions.view_channel,
                permissions.send_messages,
                permissions.embed_links,
                permissions.attach_files,
                permissions.read_message_history,  # the crash look-up finds a post by its buttons
            )
            if not all(needed):
                raise SetupRefusal(SetupProblem.CANNOT_POST, channel.mention)
        following = await self.schedule.configure(interaction.guild_id, channel_id, at, zone)
        still_paused = paused if paused is not None else bool(current and current.paused)
        if paused is not None:
            refreshed = await self.guilds.get(interaction.guild_id)
            assert refreshed is not None
            await self.schedule.set_paused(refreshed, paused)
        text = render.setup_done(
            f"<#{channel_id}>", at, zone.key, following.at, today_done=following.today_done
        )
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
