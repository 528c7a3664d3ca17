"""The weekly digest's Discord side: posting it with its nonce, and finding it again after a crash."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord

from bot.core.delivery import translate
from bot.features.group import text as render
from bot.features.group.digest_repo import DigestRecord
from bot.features.group.overview import Overview

if TYPE_CHECKING:
    from bot.app import StudyBot

HISTORY_LOOKBACK = 25


class DiscordDigestPublisher:
    def __init__(self, bot: StudyBot) -> None:
        self.bot = bot

    async def publish(self, digest: DigestRecord, overview: Overview, *, late: bool) -> int:
        channel = self.bot.get_partial_messageable(digest.channel_id)
        file = render.overview_file(overview)
        try:
            message = await channel.send(
                embed=render.digest_embed(overview, digest.digest_date, late=late),
                allowed_mentions=discord.AllowedMentions.none(),  # shared members are named, not pinged
                nonce=digest.nonce,  # a retry of the same digest is not shown twice
                files=[file] if file is not None else discord.utils.MISSING,
            )
        except Exception as error:
            raise translate(error) from error
        return int(message.id)

    async def find_published(self, digest: DigestRecord) -> int | None:
        """Look at the channel's latest messages for this digest's marker (needs Read Message History)."""
        channel = self.bot.get_partial_messageable(digest.channel_id)
        marker = render.digest_marker(digest.digest_date)
        me = self.bot.user
        try:
            async for message in channel.history(limit=HISTORY_LOOKBACK):
                if me is not None and message.author.id != me.id:
                    continue
                if any((embed.footer.text or "").startswith(marker) for embed in message.embeds):
                    return message.id
        except Exception as error:
            raise translate(error) from error
        return None
