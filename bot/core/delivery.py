"""discord.py's failures as the outbox's delivery outcomes: the one place that reads Discord error codes."""

from __future__ import annotations

import asyncio

import aiohttp
import discord

from bot.core.outbox import DeliveryClosed, DeliveryGone, DeliveryTransient

DMS_CLOSED = 50007  # Discord: Cannot send messages to this user


def translate(error: Exception) -> Exception:
    """A discord.py / aiohttp failure as DeliveryClosed, DeliveryGone or DeliveryTransient."""
    if isinstance(error, discord.Forbidden):
        return DeliveryClosed(str(error)) if error.code == DMS_CLOSED else DeliveryGone(str(error))
    if isinstance(error, discord.NotFound):
        return DeliveryGone(str(error))
    if isinstance(error, discord.HTTPException):
        if error.status == 429 or error.status >= 500:
            return DeliveryTransient(f"HTTP {error.status}", getattr(error, "retry_after", None))
        return DeliveryGone(f"HTTP {error.status}: {error.text}")
    if isinstance(error, (aiohttp.ClientError, asyncio.TimeoutError, OSError)):
        return DeliveryTransient(repr(error))
    return error
