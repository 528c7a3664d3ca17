"""The preview's own words (the bot's are in each feature's text module)."""

import datetime as dt

WELCOME = """**Welcome to the EMR Study Bot preview** (offline: nothing here reaches Discord).
You're the organizer; switch to **Sam** (mid-pathway, some misses logged) or **Riley** (new) with "Viewing as".
Try: `/status` · `/gate gate:course mark:done date:2025-06-01` · `/retake score:905` · `/errorlog show` · `/quiz now` · `/quiz stats` · `/privacy action:export`
The daily question posts here at 07:00 New York time: `/sandbox advance days:1` moves the clock so you can watch it (and reminders) happen."""

ADVANCE_NOTHING = "Give `days` or `hours` to move the clock forward."


def _amount(days: int, hours: int) -> str:
    parts = [f"{n} {unit}{'s' if n != 1 else ''}" for n, unit in ((days, "day"), (hours, "hour")) if n]
    return " and ".join(parts)


def _local(moment: dt.datetime) -> str:
    return f"{moment:%a %Y-%m-%d %H:%M} ({moment.tzinfo})"


def advancing(days: int, hours: int, now: dt.datetime) -> str:
    """``now`` in the server's time zone."""
    return (
        f"⏩ Moving the sandbox clock forward by {_amount(days, hours)}, from {_local(now)}. "
        "Scheduled posts and reminders that fall due will appear here (DMs are mirrored into this channel)."
    )


def advanced(now: dt.datetime, posted: int, *, earlier_hidden: bool) -> str:
    """After an advance: the new time (the server's zone), what was posted, and where older posts went."""
    what = f"{posted} new message{'s' if posted != 1 else ''} above" if posted else "nothing new was posted"
    text = f"⏹️ The sandbox clock is now **{now:%a %Y-%m-%d %H:%M}** ({now.tzinfo}): {what}."
    if earlier_hidden:
        text += " Earlier messages are behind **Load earlier messages** at the top of the channel."
    return text
