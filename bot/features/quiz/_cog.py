"""/quiz now, /quiz setup, /quiz stats, /quiz reports, and the daily post's buttons.

Buttons are DynamicItems with namespaced custom ids, so they keep working after a restart.
"""

from __future__ import annotations

import asyncio
import logging
import random
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands
from discord.app_commands import Choice
from discord.ext import commands

from bot.core.outbox import Outbox, RetryPolicy
from bot.dates import choose_timezone, matching_zones, parse_timezone
from bot.features.quiz import items_text, multi_text
from bot.features.quiz import text as render
from bot.features.quiz.answers import QuizAnswers
from bot.features.quiz.bank import DOMAIN_LABEL, Domain
from bot.features.quiz.daily import (
    DailyPosts,
    SetupProblem,
    SetupRefusal,
    parse_post_time,
)
from bot.features.quiz.delivery import DiscordPublisher
from bot.features.quiz.guild_repo import GuildRepository
from bot.features.quiz.item_stats import item_statistics
from bot.features.quiz.items_repo import ItemsRepository
from bot.features.quiz.multi import MultiChoice, multi_view
from bot.features.quiz.repo import PostRecord, QuizRepository
from bot.features.quiz.schedule import QuizSchedule
from bot.features.quiz.selection import pick_practice
from bot.features.quiz.stats import AnswerRecord, quiz_stats
from bot.features.quiz.views import DailyChoice, NowChoice, ReportButton, answer_view

if TYPE_CHECKING:
    from bot.app import StudyBot

log = logging.getLogger(__name__)

RECENT_PRACTICE = 50


DOMAIN_CHOICES = [Choice(name=DOMAIN_LABEL[d], value=d.value) for d in Domain]


class Quiz(commands.Cog):
    def __init__(self, bot: StudyBot) -> None:
        self.bot = bot
        self.posts = QuizRepository(bot.db, bot.owned_shards)
        self.guilds = GuildRepository(bot.db, bot.owned_shards)
        self.items_repo = ItemsRepository(bot.db)
        self.rng = random.Random()
        self.daily = DailyPosts(self.guilds, self.posts, bot.bank, DiscordPublisher(bot), self.rng)
        self.outbox: Outbox[PostRecord] = Outbox(
            self.daily, bot.scheduler, bot.clock, RetryPolicy.from_policy(bot.policy), bot.claimant, bot.pacer
        )
        self.schedule = QuizSchedule(self.guilds, self.daily, self.outbox, bot.clock)
        self.answers = QuizAnswers(bot, self.posts)

    async def cog_load(self) -> None:
        self.bot.add_dynamic_items(NowChoice, DailyChoice, ReportButton, MultiChoice)
        await self.schedule.start()

    async def cog_unload(self) -> None:
        self.bot.remove_dynamic_items(NowChoice, DailyChoice, ReportButton, MultiChoice)
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
        if question.multiple:  # select all that apply: a multi-select menu, not four buttons
            embed, view = multi_text.question_embed(question), multi_view(question, issued)
        else:
            embed = render.question_embed(question, title="Practice question")
            view = answer_view(lambda choice: NowChoice(question.id, choice, issued))
        await interaction.response.send_message(embed=embed, view=view, ephemeral=True)

    # the persistent buttons route here; answers.py does the work
    async def answer_now(
        self,
        interaction: discord.Interaction[StudyBot],
        question_id: str,
        choice: int | frozenset[int],
        issued: int,
    ) -> None:
        await self.answers.answer_now(interaction, question_id, choice, issued)

    async def answer_daily(
        self, interaction: discord.Interaction[StudyBot], post_id: int, choice: int
    ) -> None:
        await self.answers.answer_daily(interaction, post_id, choice)

    # ----------------------------------------------------------------------------------- /quiz setup

    @quiz.command(name="setup", description="Organizers: where and when the daily question is posted")
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

    @quiz.command(name="reports", description="Organizers: questions members reported as wrong")
    @app_commands.guild_only()
    @app_commands.checks.has_permissions(manage_guild=True)
    async def reports(self, interaction: discord.Interaction[StudyBot]) -> None:
        assert interaction.guild_id is not None
        reports = await self.posts.reports(interaction.guild_id)
        await interaction.response.send_message(
            render.reports_text(reports),
            ephemeral=True,
            allowed_mentions=discord.AllowedMentions.none(),
        )

    @quiz.command(name="items", description="Organizers: how each question performs, and which to check")
    @app_commands.guild_only()
    @app_commands.checks.has_permissions(manage_guild=True)
    async def items(self, interaction: discord.Interaction[StudyBot]) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)  # a big history takes a moment
        answers = await self.items_repo.answers()
        reports, calibrated = await self.items_repo.report_counts(), await self.items_repo.calibrated()
        report = await asyncio.to_thread(  # counting a long history is CPU work: off the event loop
            item_statistics, self.bot.bank, answers, reports, calibrated, self.bot.policy.checkin
        )
        await interaction.followup.send(
            embed=items_text.items_embed(report), file=items_text.items_csv(report), ephemeral=True
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
        stats = quiz_stats(
            records,
            state.today,
            self.bot.policy.domain_weights,
            min_per_domain=self.bot.policy.stats_min_answers_per_domain,
        )
        embed = render.stats_embed(stats)
        if stats.answered:
            await interaction.response.send_message(
                embed=embed, file=render.stats_chart(stats), ephemeral=True
            )
        else:
            await interaction.response.send_message(embed=embed, ephemeral=True)


async def setup(bot: StudyBot) -> None:
    await bot.add_cog(Quiz(bot))
