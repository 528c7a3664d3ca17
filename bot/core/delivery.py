"""discord.py's failures as the outbox's delivery outcomes: the one place that reads Discord error codes."""

from __future__ import annotations

import asyncio
from typing import Any

import aiohttp
import discord

from bot.core.outbox import DeliveryClosed, DeliveryGone, DeliveryTransient
from bot.core.pacing import Pacer

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


#: Routes Discord does not count towards the global limit: interaction responses and their follow-ups.
#: (discord.py 2.7 sends those through its webhook adapter, not ``HTTPClient.request``; this is a guard.)
EXEMPT_FROM_GLOBAL = ("/interactions/", "/webhooks/")


def count_requests(http: discord.http.HTTPClient, pacer: Pacer) -> None:
    """Tell ``pacer`` of every REST request this process makes that counts towards Discord's global limit
    (discord.py has no hook for it: its ``request`` is wrapped). Nothing waits here."""
    request = http.request

    async def counted(route: discord.http.Route, **kwargs: Any) -> Any:
        if not route.path.startswith(EXEMPT_FROM_GLOBAL):
            pacer.note()
        return await request(route, **kwargs)

    http.request = counted  # type: ignore[method-assign]
