"""/group overview and /group digest: the organizer's view of the group, and its weekly digest.

Both need Manage Server, checked like /quiz setup (the refusal's words are in bot/core/wording.py).
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.app_commands import Choice
from discord.ext import commands

from bot.core.outbox import Outbox, RetryPolicy
from bot.features.group import text as render
from bot.features.group.delivery import DiscordDigestPublisher
from bot.features.group.digest import WeeklyDigests
from bot.features.group.digest_repo import DigestRecord, DigestRepository
from bot.features.group.overview import Overview
from bot.features.group.repo import GroupRepository
from bot.features.group.state import load_overview
from bot.features.quiz.guild_repo import GuildRepository

if TYPE_CHECKING:
    from bot.app import StudyBot

DAY_CHOICES = [Choice(name=name, value=index) for index, name in enumerate(render.WEEKDAYS)]


log = logging.getLogger(__name__)


class Group(commands.Cog):
    def __init__(self, bot: StudyBot) -> None:
        self.bot = bot
        self.repo = GroupRepository(bot.db)
        self.digest_repo = DigestRepository(bot.db, bot.owned_shards)
        self.guilds = GuildRepository(bot.db)
        self.known: set[tuple[int, int]] = set()
        self.digests = WeeklyDigests(
            self.digest_repo, self.guilds, self.overview, DiscordDigestPublisher(bot)
        )
        self.outbox: Outbox[DigestRecord] = Outbox(
            self.digests,
            bot.scheduler,
            bot.clock,
            RetryPolicy.from_policy(bot.policy),
            bot.claimant,
            bot.pacer,
        )

    async def cog_load(self) -> None:
        await self.outbox.start()

    async def cog_unload(self) -> None:
        await self.outbox.stop()

    async def overview(self, guild_id: int) -> Overview:
        settings = await self.guilds.get(guild_id)
        return await load_overview(
            self.bot.db,
            self.bot.policy,
            guild_id,
            now=self.bot.clock(),
            default_zone=self.bot.settings.default_timezone,
            quiz_set_up=settings is not None and settings.configured,
        )

    # Who is in the group: a member with data who used the bot in this server (see repo.py). Each pair
    # is written once; the cache only saves the repeated no-op writes of later interactions.
    async def _seen(self, guild_id: int | None, user_id: int) -> None:
        if guild_id is None or (guild_id, user_id) in self.known:
            return
        try:
            recorded = await self.repo.record_member(guild_id, user_id)
        except Exception as error:  # best effort (e.g. an interaction arriving while the bot shuts down)
            log.warning("group: could not record member %s of guild %s (%s)", user_id, guild_id, error)
            return
        if recorded:
            self.known.add((guild_id, user_id))

    @commands.Cog.listener()
    async def on_member_changed(self, user_id: int, guild_id: int | None) -> None:
        await self._seen(guild_id, user_id)

    @commands.Cog.listener()
    async def on_interaction(self, interaction: discord.Interaction[StudyBot]) -> None:
        await self._seen(interaction.guild_id, interaction.user.id)

    @commands.Cog.listener()
    async def on_member_deleted(self, user_id: int) -> None:
        self.known = {pair for pair in self.known if pair[1] != user_id}

    group = app_commands.Group(
        name="group", description="Organizers: the group's pathway and practice in counts", guild_only=True
    )

    @group.command(name="overview", description="Organizers: where the group stands, in counts")
    @app_commands.checks.has_permissions(manage_guild=True)
    async def overview_command(self, interaction: discord.Interaction[StudyBot]) -> None:
        assert interaction.guild_id is not None
        # A large group takes a while (5,000 members: about 1-3 s): acknowledge at once, then fill in.
        await interaction.response.defer(ephemeral=True, thinking=True)
        overview = await self.overview(interaction.guild_id)
        embed = render.overview_embed(overview)
        settings = await self.digest_repo.digest_settings(interaction.guild_id)
        content = render.digest_paused() if settings and settings.enabled and settings.pause_reason else None
        file = await asyncio.to_thread(render.overview_file, overview)  # the chart, off the event loop
        await interaction.edit_original_response(
            content=content,
            embed=embed,
            allowed_mentions=discord.AllowedMentions.none(),
            attachments=[file] if file is not None else [],
        )

    @group.command(name="digest", description="Organizers: a weekly summary in the quiz channel")
    @app_commands.describe(
        enabled="True posts the weekly digest; False stops it",
        day="The day of the week to post it, at the quiz time (default: Monday, or the day set before)",
    )
    @app_commands.choices(day=DAY_CHOICES)
    @app_commands.checks.has_permissions(manage_guild=True)
    async def digest(
        self, interaction: discord.Interaction[StudyBot], enabled: bool, day: int | None = None
    ) -> None:
        assert interaction.guild_id is not None
        plan = await self.digests.configure(interaction.guild_id, enabled, day, self.bot.clock())
        await self.outbox.reschedule()
        await interaction.response.send_message(render.digest_set(plan), ephemeral=True)


async def setup(bot: StudyBot) -> None:
    await bot.add_cog(Group(bot))
