"""Reminders as a client of the shared outbox: their rows, their DM, and the closed-DMs fallback.

Both the DM and the fallback note in the quiz channel carry the reminder's nonce and marker, so a crash
between Discord storing either one and the bot recording it is resolved by the outbox's look-up:
:meth:`ReminderDelivery.find_sent` looks in the member's DMs and in the fallback channel, and a note
found there is recorded as the fallback it was (never sent a second time).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, TypeVar
from zoneinfo import ZoneInfo

import discord

from bot.core.delivery import DMS_CLOSED, translate
from bot.core.outbox import DeliverySkipped, Failure
from bot.dates import local_today
from bot.features.members.repo import MemberRepository
from bot.features.reminders import text as render
from bot.features.reminders.model import DueReminder, ReminderKind, ReminderStatus, planned_reminders
from bot.features.reminders.repo import ReminderRepository, ReminderRows
from bot.features.review import text as review_text
from bot.features.review.model import minutes_for
from bot.features.review.repo import ReviewRepository

if TYPE_CHECKING:
    from bot.app import StudyBot

log = logging.getLogger(__name__)
R = TypeVar("R")

HISTORY_LOOKBACK = 25
#: The quiz channel is busier than a DM: look further back for a fallback note (one request).
CHANNEL_LOOKBACK = 100


class ReminderDelivery(ReminderRows):
    """The :class:`bot.core.outbox.OutboxClient` for reminder DMs: the rows, plus Discord."""

    def __init__(self, bot: StudyBot, repo: ReminderRepository) -> None:
        super().__init__(repo)
        self.bot = bot
        self.members = MemberRepository(bot.db)

    # --------------------------------------------------------------------------------- Discord side

    async def _dm(self, user_id: int, *, ask: bool = False) -> discord.abc.Messageable:
        """The member's DM channel: the one recorded from an earlier DM (no request), else asked of Discord
        (one request; no user look-up first) and recorded. Every request counts: Discord's global limit
        of 50 a second is shared by all of the bot's processes (bench/processes_bench.py)."""
        known = None if ask else await self.members.dm_channel(user_id)
        if known is not None:
            return self.bot.get_partial_messageable(known, type=discord.ChannelType.private)
        channel = await self.bot.create_dm(discord.Object(user_id))
        await self.members.remember_dm_channel(user_id, channel.id)
        return channel

    async def _with_dm(self, user_id: int, use: Callable[[discord.abc.Messageable], Awaitable[R]]) -> R:
        """``use`` the member's DM channel; if the recorded one turns out stale, once more on the channel
        Discord gives now (sending and the crash look-up both go through here)."""
        try:
            return await use(await self._dm(user_id))
        except (discord.NotFound, discord.Forbidden) as error:
            if not await self._stale(user_id, error):
                raise
            return await use(await self._dm(user_id, ask=True))

    async def _stale(self, user_id: int, error: discord.HTTPException) -> bool:
        """Whether ``error`` says the recorded DM channel is no use any more (unknown to Discord, or not
        this bot's: a new application on the same database), so it is asked for again. A member's closed
        DMs (50007) are not that."""
        if isinstance(error, discord.Forbidden) and error.code == DMS_CLOSED:
            return False
        return await self.members.dm_channel(user_id) is not None

    async def replan(self, user_id: int, guild_id: int | None) -> None:
        """Make the member's pending reminders what their data asks for now (also the next nudge)."""
        state = await self.bot.member_state(user_id)
        await self.repo.replace_pending(
            user_id,
            planned_reminders(state, self.bot.policy),
            guild_id,
            now=self.bot.clock(),
            keep_overdue=state.reminders_enabled,
        )

    async def _embed(self, item: DueReminder, *, late: bool) -> discord.Embed:
        if item.kind is not ReminderKind.REVIEW:
            return render.reminder_embed(item, self.bot.policy, late=late)
        # A nudge says how many cards are due when it goes out; it goes out only if that is worth a DM.
        now = self.bot.clock()
        profile = await self.members.get(item.user_id)
        if profile is None or profile.nudge_hour is None:
            raise DeliverySkipped("review nudges were turned off")
        if local_today(now, ZoneInfo(item.zone)) > item.local_date:
            raise DeliverySkipped("a day late: the next nudge is planned instead")
        due = await ReviewRepository(self.bot.db).due_count(item.user_id, now)
        if due == 0:
            raise DeliverySkipped("no cards due")
        return review_text.nudge_embed(due, minutes_for(due, self.bot.policy), item.marker, late=late)

    async def send(self, item: DueReminder, *, late: bool) -> int:
        embed = await self._embed(item, late=late)
        try:
            message = await self._with_dm(item.user_id, lambda dm: dm.send(embed=embed, nonce=item.nonce))
        except Exception as error:
            raise translate(error) from error
        if self.bot.dm_mirror_channel_id is not None:  # the preview sandbox: show the DM in the channel
            try:
                mirror = self.bot.get_partial_messageable(self.bot.dm_mirror_channel_id)
                await mirror.send(
                    render.mirrored_dm(item.user_id),
                    embed=embed,
                    allowed_mentions=discord.AllowedMentions.none(),
                )
            except discord.HTTPException:
                log.warning("preview: could not mirror reminder %s", item.id)
        return message.id

    async def find_sent(self, item: DueReminder) -> int | None:
        """The reminder's message if it went out before a crash: a DM, or the fallback note.

        Both places are looked at, because the last attempt went to one of them. A note found in the
        channel is recorded as the fallback right here (the outbox then marks nothing more: only a
        claimed row can be finished). A failed look in one place counts only if the other found nothing.
        """
        failure: Exception | None = None
        for look in (self._find_dm, self._find_fallback_note):
            try:
                found = await look(item)
            except Exception as error:
                failure = failure or error
                continue
            if found is not None:
                return found
        if failure is not None:
            raise failure
        return None

    async def _find_dm(self, item: DueReminder) -> int | None:
        return await self._with_dm(
            item.user_id, lambda dm: self._find_marked(dm, item, HISTORY_LOOKBACK, in_embeds=True)
        )

    async def _find_fallback_note(self, item: DueReminder) -> int | None:
        channel_id = await self.repo.fallback_channel(item.guild_id)
        if channel_id is None:
            return None
        channel = self.bot.get_partial_messageable(channel_id)
        found = await self._find_marked(channel, item, CHANNEL_LOOKBACK, in_embeds=False)
        if found is not None:
            log.info("reminder %s: its fallback note was posted before a restart; recording it", item.id)
            await self.repo.finish(
                item,
                ReminderStatus.FALLBACK_CHANNEL,
                self.bot.clock(),
                message_id=found,
                error="dm closed",
            )
        return found

    async def _find_marked(
        self, channel: discord.abc.Messageable, item: DueReminder, limit: int, *, in_embeds: bool
    ) -> int | None:
        me = self.bot.user
        async for message in channel.history(limit=limit):
            if me is not None and message.author.id != me.id:
                continue
            texts = [embed.footer.text or "" for embed in message.embeds] if in_embeds else [message.content]
            if any(item.marked_in(text) for text in texts):
                return message.id
        return None

    async def mark_sent(self, item: DueReminder, message_id: int, now: dt.datetime) -> None:
        await super().mark_sent(item, message_id, now)
        if item.kind is ReminderKind.REVIEW:
            await self.replan(item.user_id, item.guild_id)

    async def fail(self, item: DueReminder, failure: Failure, error: str, now: dt.datetime) -> str:
        outcome = await self._fail(item, failure, error, now)
        if item.kind is ReminderKind.REVIEW:
            await self.replan(item.user_id, item.guild_id)
        return outcome

    async def _fail(self, item: DueReminder, failure: Failure, error: str, now: dt.datetime) -> str:
        if failure is Failure.SKIPPED:
            await self.repo.finish(item, ReminderStatus.SKIPPED, now, error=error)
            return ReminderStatus.SKIPPED.value
        if failure is Failure.CLOSED and item.kind is ReminderKind.REVIEW:
            # No public note for a daily nudge (a ping in the quiz channel every day would be noise):
            # the member sees it on /status, like any reminder that could not reach them.
            await self.repo.finish(item, ReminderStatus.FALLBACK_STATUS, now, error="dm closed")
            return ReminderStatus.FALLBACK_STATUS.value
        if failure is not Failure.CLOSED:
            await self.repo.finish(item, ReminderStatus.UNDELIVERABLE, now, error=error)
            return ReminderStatus.UNDELIVERABLE.value
        # DMs closed: a short, non-private mention in the guild's quiz channel, or a note on /status.
        # The note carries a nonce and the marker, so a crash before it is recorded cannot double it.
        channel_id = await self.repo.fallback_channel(item.guild_id)
        if channel_id is not None:
            try:
                channel = self.bot.get_partial_messageable(channel_id)
                message = await channel.send(
                    render.fallback_note(item.user_id, item.marker),
                    nonce=f"{item.nonce}-note",
                    allowed_mentions=discord.AllowedMentions(users=[discord.Object(item.user_id)]),
                )
            except Exception as failure_error:
                log.warning(
                    "reminder %s: fallback note failed (%s); showing it on /status", item.id, failure_error
                )
            else:
                await self.repo.finish(
                    item, ReminderStatus.FALLBACK_CHANNEL, now, message_id=message.id, error="dm closed"
                )
                return ReminderStatus.FALLBACK_CHANNEL.value
        await self.repo.finish(item, ReminderStatus.FALLBACK_STATUS, now, error="dm closed")
        return ReminderStatus.FALLBACK_STATUS.value
