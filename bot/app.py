"""The Bot subclass: receives its resources, loads the cogs, syncs the commands."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from typing import Any

import discord
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from discord.ext import commands

from bot.clock import Clock
from bot.core.components import answer_unclaimed, note_claims
from bot.core.delivery import count_requests
from bot.core.events import ItemAnswered
from bot.core.interactions import StudyTree
from bot.core.outbox import Claimant
from bot.core.pacing import Pacer
from bot.db import Database
from bot.features import extensions
from bot.features.pathway.state import MemberState, load_member_state
from bot.features.quiz.bank import QuestionBank
from bot.health import HealthServer
from bot.policy import Policy
from bot.settings import Settings

log = logging.getLogger(__name__)

EXTENSIONS: tuple[str, ...] = extensions()

#: What the bot needs in the quiz channel: see it, post, embed, attach charts, and read its history
#: (the outbox's crash look-up finds a daily post sent just before a crash by its marker there).
PERMISSIONS = discord.Permissions(
    view_channel=True,
    send_messages=True,
    embed_links=True,
    attach_files=True,
    read_message_history=True,
)
SCOPES = ("bot", "applications.commands")


def invite_url(application_id: int) -> str:
    """The link a server's admin opens to add the bot, with exactly the permissions it needs."""
    return discord.utils.oauth_url(application_id, permissions=PERMISSIONS, scopes=SCOPES)


def sharding(settings: Settings) -> dict[str, Any]:
    """AutoShardedBot's arguments: none when unset (Discord's recommended count, every shard here)."""
    arguments: dict[str, Any] = {}
    if settings.shard_count is not None:
        arguments["shard_count"] = settings.shard_count
    if settings.shard_ids is not None:
        arguments["shard_ids"] = list(settings.shard_ids)
    return arguments


class StudyBot(commands.AutoShardedBot):
    """discord.py's AutoShardedBot: SHARD_COUNT / SHARD_IDS from the settings; unset, one process runs
    Discord's recommended number of shards. Guild work is for the guilds on :attr:`owned_shards`."""

    def __init__(
        self,
        *,
        settings: Settings,
        db: Database,
        policy: Policy,
        bank: QuestionBank,
        scheduler: AsyncIOScheduler | None = None,
        clock: Clock = discord.utils.utcnow,
        extensions: tuple[str, ...] = EXTENSIONS,
    ) -> None:
        # No voice: discord.py's warnings about its voice libraries (PyNaCl, davey) do not apply.
        discord.VoiceClient.warn_nacl = discord.VoiceClient.warn_dave = False
        intents = discord.Intents.none()
        intents.guilds = True  # channels and roles for the quiz post; no privileged intents
        super().__init__(
            command_prefix=commands.when_mentioned,
            intents=intents,
            tree_cls=StudyTree,
            help_command=None,
            allowed_mentions=discord.AllowedMentions(everyone=False, roles=False, users=True),
            **sharding(settings),
        )
        self.settings = settings
        self.owned_shards = settings.owned_shards
        #: This process on the outbox rows it claims; the only process on its database unless SHARD_IDS.
        self.claimant = Claimant.of(policy.lease_seconds, exclusive=settings.shard_ids is None)
        #: This process's share of Discord's global limit, kept by the outbox; every request counts.
        self.pacer = Pacer.share_of(
            policy.discord_global_rate, policy.outbox_pace_percent, settings.shard_ids, settings.shard_count
        )
        count_requests(self.http, self.pacer)
        self.health: HealthServer | None = None
        self.db = db
        self.policy = policy
        self.clock = clock
        self.scheduler = scheduler or AsyncIOScheduler(timezone=dt.UTC)
        self.bank = bank
        #: Preview only: a channel that also shows every reminder DM (the preview page shows no DMs).
        self.dm_mirror_channel_id: int | None = None
        #: Preview only: moves the sandbox's virtual clock forward by this many seconds.
        self.sandbox_advance: Callable[[float], None] | None = None
        self._extensions = extensions

    async def setup_hook(self) -> None:
        if not self.scheduler.running:
            self.scheduler.start()
        for extension in self._extensions:
            await self.load_extension(extension)
        if self.settings.health_port is not None:
            self.health = await HealthServer.start(self, self.settings.health_port)
        await self.sync_commands()
        if self.application_id is not None:
            log.info("invite link for another server: %s", invite_url(self.application_id))

    async def close(self) -> None:
        """Unload every feature first (each cog_unload drains and stops its outbox), then the scheduler.
        Called once on SIGINT or SIGTERM (see bot.__main__), and again harmlessly by ``async with``."""
        if self.is_closed():
            return
        await super().close()
        if self.health is not None:
            await self.health.stop()
        if self.scheduler.running:
            self.scheduler.shutdown(wait=False)
        log.info("closed: features unloaded (deliveries drained), scheduler stopped")

    async def member_state(self, user_id: int) -> MemberState:
        return await load_member_state(
            self.db, self.policy, user_id, now=self.clock(), default_zone=self.settings.default_timezone
        )

    async def member_changed(self, user_id: int, guild_id: int | None) -> None:
        """A member's data changed: every feature listening for ``member_changed`` catches up before the
        command answers (awaited, unlike ``dispatch``). A listener that fails never fails the command."""
        await self._notify("member_changed", user_id, guild_id)

    async def member_deleted(self, user_id: int) -> None:
        """A member's data was deleted (/privacy delete)."""
        await self._notify("member_deleted", user_id)

    async def item_answered(self, answer: ItemAnswered) -> None:
        """A member answered an item anywhere (daily quiz, /quiz now, practice): spaced review catches up."""
        await self._notify("item_answered", answer)

    async def _notify(self, event: str, *args: object) -> None:
        for listener in self.extra_events.get(f"on_{event}", []):
            try:
                await listener(*args)
            except Exception:
                log.exception("a %s listener failed for %s", event, args)

    async def sync_commands(self) -> None:
        if self.settings.dev_guild_id:
            guild = discord.Object(id=self.settings.dev_guild_id)
            self.tree.copy_global_to(guild=guild)
            synced = await self.tree.sync(guild=guild)
            log.info("synced %d commands to dev guild %s", len(synced), self.settings.dev_guild_id)
        else:
            synced = await self.tree.sync()
            log.info("synced %d global commands", len(synced))

    async def on_ready(self) -> None:
        shards = ",".join(str(each) for each in sorted(self.shards)) or "none"
        log.info(
            "ready as %s in %d guild(s) (shards %s of %s)",
            self.user,
            len(self.guilds),
            shards,
            self.shard_count,
        )

    def dispatch(self, event_name: str, /, *args: Any, **kwargs: Any) -> None:
        if event_name == "interaction" and args:
            note_claims(args[0])  # now, before any handler runs (bot.core.components)
        super().dispatch(event_name, *args, **kwargs)

    async def on_interaction(self, interaction: discord.Interaction[StudyBot]) -> None:
        """A button or form that no handler claims still gets an answer (bot.core.components)."""
        await answer_unclaimed(interaction)
