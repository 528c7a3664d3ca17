"""Every word of the member preferences feature (/timezone)."""

from __future__ import annotations

import datetime as dt

TIMEZONE_FIELD_LIMIT = 25  # Discord shows at most 25 autocomplete choices


def timezone_set(name: str, now_local: dt.datetime) -> str:
    return (
        f"Your time zone is now **{name}** (it's {now_local:%H:%M} there). "
        "Reminders arrive at the right local time and your dates are read in this zone."
    )
