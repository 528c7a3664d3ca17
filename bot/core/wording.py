"""The words of every refusal. Each feature registers its own refusals with :func:`describe_refusal`."""

from __future__ import annotations

from functools import singledispatch

from discord import app_commands

from bot.core.refusals import FutureDate, ImpossibleDate, MalformedDate, Refusal, UnknownTimezone
from bot.core.text import day

EXAMPLE_DATE = "2026-11-10"


@singledispatch
def describe_refusal(error: Refusal) -> str:
    return "I can't do that as asked, and nothing was changed."


@describe_refusal.register
def _(error: MalformedDate) -> str:
    return (
        f"`{error.value}` isn't a date I can read for `{error.option}`. "
        f"Type it as YYYY-MM-DD, for example `{EXAMPLE_DATE}`. Nothing was changed."
    )


@describe_refusal.register
def _(error: ImpossibleDate) -> str:
    return (
        f"`{error.value}` isn't a real date: that month has no such day. "
        f"Check the day and month (YYYY-MM-DD) and try again. Nothing was changed."
    )


@describe_refusal.register
def _(error: FutureDate) -> str:
    return (
        f"`{error.option}` is {day(error.value)}, which is in the future (today is {day(error.today)} "
        f"in your time zone). Record it once it has happened, with a date on or before today. "
        f"Nothing was changed."
    )


@describe_refusal.register
def _(error: UnknownTimezone) -> str:
    return (
        f"`{error.name}` isn't a time zone I know. Use an IANA name such as `America/New_York`, "
        f"`America/Chicago` or `Europe/London`: start typing and pick one from the list. Nothing was changed."
    )


def permission_refusal(error: app_commands.CheckFailure) -> str:
    if isinstance(error, app_commands.MissingPermissions):
        return "Only organizers (members with **Manage Server**) can do that. Nothing was changed."
    if isinstance(error, app_commands.NoPrivateMessage):
        return "That command works in a server, not in DMs."
    return "You can't use that command here. Nothing was changed."


def unexpected_error(incident: str) -> str:
    return (
        "Something went wrong on my side and nothing was changed. Please try again in a moment; "
        f"if it keeps happening, tell the bot's host (incident `{incident}`)."
    )
