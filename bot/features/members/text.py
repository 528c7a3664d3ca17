"""Every word of the member preferences feature (/timezone)."""

from __future__ import annotations

import datetime as dt


def timezone_set(name: str, now_local: dt.datetime) -> str:
    return (
        f"Your time zone is now **{name}** (it's {now_local:%H:%M} there). "
        "Reminders arrive at the right local time and your dates are read in this zone."
    )
