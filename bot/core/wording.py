"""The words of every refusal. Each feature registers its own refusals with :func:`describe_refusal`.

A refusal that repeats what the member typed shows it through :func:`echo`: control and format
characters removed (a right-to-left override or a zero-width space cannot reorder or hide the reply),
shortened, and shown as inline code that the input cannot break out of.
"""

from __future__ import annotations

import unicodedata
from functools import singledispatch

from discord import app_commands

from bot.core.refusals import (
    FormLimit,
    FutureDate,
    ImplausibleDate,
    ImpossibleDate,
    MalformedDate,
    NonAsciiDigits,
    Refusal,
    TimezoneAlias,
    TooOld,
    UnknownTimezone,
)
from bot.core.text import day
from bot.dates import EXAMPLE_DATE

#: The most of a member's input a refusal repeats; the rest is cut with an ellipsis.
ECHO_LIMIT = 60
#: Looks like a backtick, but cannot close inline code.
_BACKTICK_STAND_IN = "\u02cb"


def _kept(char: str) -> bool:
    """Not a control, format, surrogate, private-use or unassigned character, nor a line separator."""
    category = unicodedata.category(char)
    return not (category.startswith("C") or category in ("Zl", "Zp"))


def echo(value: str, limit: int = ECHO_LIMIT) -> str:
    """A member's input, safe to repeat: visible characters only, at most ``limit``, as inline code."""
    spaced = "".join(" " if char.isspace() else char for char in value)
    visible = " ".join("".join(char for char in spaced if _kept(char)).split())
    if not visible:
        return "(nothing readable)"
    if len(visible) > limit:
        visible = visible[: limit - 1].rstrip() + "…"
    return f"`{visible.replace('`', _BACKTICK_STAND_IN)}`"


@singledispatch
def describe_refusal(error: Refusal) -> str:
    return "I can't do that as asked, and nothing was changed."


@describe_refusal.register
def _(error: MalformedDate) -> str:
    return (
        f"{echo(error.value)} isn't a date I can read for `{error.option}`. "
        f"Type it as YYYY-MM-DD, for example `{EXAMPLE_DATE}`. Nothing was changed."
    )


@describe_refusal.register
def _(error: ImpossibleDate) -> str:
    return (
        f"{echo(error.value)} isn't a real date: that month has no such day. "
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
def _(error: NonAsciiDigits) -> str:
    return (
        f"{echo(error.value)} for `{error.option}` uses digits I don't read: type it with the plain "
        f"digits 0-9, for example `{error.example}`. Nothing was changed."
    )


_TOO_OLD = {
    TooOld.SCALED_SCORES: (
        "the National Registry began reporting scaled scores that day, so no failing report from before "
        "then has one. Check the date on your score report."
    ),
    TooOld.COURSE_WINDOW: (
        "a course that old is long past its window and can't count toward certification. Check the "
        "year; if your course really is that old, you need a new course (or, if you hold a state EMR "
        "license, the EMR State-Licensed Pathway)."
    ),
    TooOld.RESULTS: "exam and skills results that old have long expired. Check the year.",
    TooOld.REGISTRY: "that's older than any record the pathway can use. Check the year.",
}


@describe_refusal.register
def _(error: ImplausibleDate) -> str:
    return (
        f"`{error.option}` is {day(error.value)}, before the earliest date I accept here "
        f"({day(error.earliest)}): {_TOO_OLD[error.why]} Nothing was changed."
    )


@describe_refusal.register
def _(error: UnknownTimezone) -> str:
    return (
        f"{echo(error.name)} isn't a time zone I know. Use an IANA name such as `America/New_York`, "
        f"`America/Chicago` or `Europe/London`: start typing and pick one from the list. Nothing was changed."
    )


@describe_refusal.register
def _(error: TimezoneAlias) -> str:
    return (
        f"{echo(error.name)} is an old name for the time zone `{error.canonical}`: use `{error.canonical}` "
        f"(the same clock) instead. Nothing was changed."
    )


@describe_refusal.register
def _(error: FormLimit) -> str:
    too_long = error.maximum is not None and error.length > error.maximum
    limit = f"at most {error.maximum}" if too_long else f"at least {error.minimum}"
    return (
        f"{f'**{error.label}**' if error.label else 'Your text'} has {error.length} characters, "
        f"but this form takes {limit}. "
        f"Nothing was saved: open the form again and {'shorten' if too_long else 'add to'} it."
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


#: The answer to a button or form that nothing handles any more (see bot.core.components).
UNCLAIMED_BUTTON = (
    "This button is no longer active, so this click changed nothing. Run the command again for a fresh one."
)
UNCLAIMED_FORM = "This form has expired, so nothing was saved. Open it again and send it once more."
