"""Calendar rules: strict date parsing, month ends, and US federal business days."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

import holidays

from bot.core.refusals import FutureDate, ImpossibleDate, MalformedDate, UnknownTimezone

_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


def parse_date(value: str, *, option: str, today: dt.date | None = None) -> dt.date:
    """Parse ``YYYY-MM-DD`` strictly; with ``today``, refuse dates after it."""
    text = value.strip()
    match = _ISO_DATE.fullmatch(text)
    if match is None:
        raise MalformedDate(option, value)
    year, month, day = (int(part) for part in match.groups())
    try:
        parsed = dt.date(year, month, day)
    except ValueError:
        raise ImpossibleDate(option, value) from None
    if today is not None and parsed > today:
        raise FutureDate(option, parsed, today)
    return parsed


def last_day_of_month(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later, clamped to the month's end (Jan 31 + 1 -> Feb 28/29)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return dt.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def month_end_after_years(day: dt.date, years: int) -> dt.date:
    """The last day of ``day``'s month, ``years`` later: 2024-01-15, 2 -> 2026-01-31."""
    return last_day_of_month(day.year + years, day.month)


@lru_cache(maxsize=64)
def _us_federal(year: int) -> holidays.HolidayBase:
    return holidays.country_holidays("US", years=year)


def is_business_day(day: dt.date) -> bool:
    return day.weekday() < 5 and day not in _us_federal(day.year)


def add_business_days(day: dt.date, count: int) -> dt.date:
    """``count`` business days after ``day`` (weekends and US federal holidays skipped)."""
    current = day
    remaining = count
    while remaining > 0:
        current += dt.timedelta(days=1)
        if is_business_day(current):
            remaining -= 1
    return current


@lru_cache(maxsize=1)
def timezone_names() -> tuple[str, ...]:
    return tuple(sorted(available_timezones()))


#: Discord shows at most 25 autocomplete choices.
AUTOCOMPLETE_LIMIT = 25


def matching_zones(current: str, limit: int = AUTOCOMPLETE_LIMIT) -> list[str]:
    """Zones for autocomplete: prefix matches first, then anywhere, case-insensitive."""
    needle = current.strip().lower().replace(" ", "_")
    names = timezone_names()
    if not needle:
        return [n for n in names if "/" in n and not n.startswith("Etc/")][:limit]
    starts = [n for n in names if n.lower().startswith(needle)]
    contains = [n for n in names if needle in n.lower() and n not in starts]
    return (starts + contains)[:limit]


def parse_timezone(name: str) -> ZoneInfo:
    """An IANA zone by its exact name (``America/Chicago``); anything else is refused."""
    cleaned = name.strip()
    if cleaned not in timezone_names():
        raise UnknownTimezone(name)
    try:
        return ZoneInfo(cleaned)
    except (ZoneInfoNotFoundError, ValueError):
        raise UnknownTimezone(name) from None


def local_today(now: dt.datetime, zone: ZoneInfo) -> dt.date:
    if now.tzinfo is None:
        raise ValueError("naive datetime: the bot works with timezone-aware datetimes only")
    return now.astimezone(zone).date()
