"""Calendar rules: strict date parsing and plausibility bounds, month ends, US federal business days,
and the time zones a member may choose."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

import holidays

from bot.core.refusals import (
    FutureDate,
    ImplausibleDate,
    ImpossibleDate,
    MalformedDate,
    NonAsciiDigits,
    TimezoneAlias,
    TooOld,
    UnknownTimezone,
)
from bot.policy import Policy

# [0-9], not \d: \d also matches full-width and other scripts' digits, which int() would read.
_ISO_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
EXAMPLE_DATE = "2026-11-10"


def check_ascii_digits(value: str, *, option: str, example: str) -> None:
    """Refuse digits other than 0-9 (``２０２６``, ``٢٠٢٦``) with a refusal that says so."""
    if any(char.isdigit() and not char.isascii() for char in value):
        raise NonAsciiDigits(option, value, example)


@dataclass(frozen=True, slots=True)
class Earliest:
    """The earliest date that is plausible for a record, and why."""

    date: dt.date
    why: TooOld


def parse_date(
    value: str, *, option: str, today: dt.date | None = None, earliest: Earliest | None = None
) -> dt.date:
    """Parse ``YYYY-MM-DD`` strictly (digits 0-9 only); refuse dates after ``today`` or before ``earliest``."""
    check_ascii_digits(value, option=option, example=EXAMPLE_DATE)
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
    if earliest is not None and parsed < earliest.date:
        raise ImplausibleDate(option, parsed, earliest.date, earliest.why)
    return parsed


def earliest_for(record: str, today: dt.date, policy: Policy) -> Earliest:
    """The oldest plausible date for ``record``: ``attempt``, ``refresher`` or a gate's name.

    Attempts: not before scaled scores existed. Courses and refreshers: not older than the course
    window plus a margin. Exam and skills results: not older than their validity plus a margin. Any
    other gate: not before the policy's earliest record. Every bound is in the policy file.
    """
    if record == "attempt":
        return Earliest(policy.scaled_scores_since, TooOld.SCALED_SCORES)
    if record in ("course", "refresher"):
        years = policy.course_years + policy.course_margin_years
        return Earliest(add_months(today, -12 * years), TooOld.COURSE_WINDOW)
    if record in ("exam", "skills"):
        months = policy.result_valid_months + 12 * policy.result_margin_years
        return Earliest(add_months(today, -months), TooOld.RESULTS)
    return Earliest(policy.earliest_record, TooOld.REGISTRY)


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
    """Every name tzdata can load, aliases and placeholders included (for values already stored)."""
    return tuple(sorted(available_timezones()))


#: Canonical names that are not a place in zone.tab, but that hosts and members use and mean.
_UNIVERSAL = ("Etc/UTC", "UTC")


def _tzdata_text(name: str) -> str:
    return resources.files("tzdata").joinpath("zoneinfo", name).read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def canonical_zones() -> tuple[str, ...]:
    """The zones a member may choose: IANA's zone.tab (one real place each) and UTC.

    Not offered: aliases kept for compatibility (``US/Eastern``, ``Asia/Calcutta``), placeholders
    (``Factory``) and fixed offsets with inverted signs (``Etc/GMT+5``).
    """
    places = {
        line.split("\t")[2] for line in _tzdata_text("zone.tab").splitlines() if line and line[0] != "#"
    }
    return tuple(sorted((places | set(_UNIVERSAL)) & set(timezone_names())))


@lru_cache(maxsize=1)
def _canonical_by_folded_name() -> dict[str, str]:
    """Lower-cased canonical names and aliases (tzdata's links) -> the canonical name."""
    canonical = set(canonical_zones())
    links: dict[str, str] = {}
    for line in _tzdata_text("tzdata.zi").splitlines():
        if line.startswith("L "):
            _, target, alias = line.split()
            links[alias] = target
    folded = {name.lower(): name for name in canonical}
    for alias, target in links.items():
        seen = {alias}
        while target not in canonical and target in links and target not in seen:
            seen.add(target)
            target = links[target]
        if target in canonical:
            folded.setdefault(alias.lower(), target)
    return folded


#: Discord shows at most 25 autocomplete choices.
AUTOCOMPLETE_LIMIT = 25


def matching_zones(current: str, limit: int = AUTOCOMPLETE_LIMIT) -> list[str]:
    """Zones for autocomplete: prefix matches first, then anywhere, case-insensitive."""
    needle = current.strip().lower().replace(" ", "_")
    names = canonical_zones()
    if not needle:
        return [n for n in names if "/" in n and not n.startswith("Etc/")][:limit]
    starts = [n for n in names if n.lower().startswith(needle)]
    contains = [n for n in names if needle in n.lower() and n not in starts]
    return (starts + contains)[:limit]


def choose_timezone(name: str) -> ZoneInfo:
    """A zone a member chooses: only a canonical name (``America/New_York``) is accepted. An alias
    (``US/Eastern``) or a different capitalisation is refused with the canonical name offered."""
    cleaned = name.strip()
    if cleaned in canonical_zones():
        return parse_timezone(cleaned)
    canonical = _canonical_by_folded_name().get(cleaned.lower())
    if canonical is not None:
        raise TimezoneAlias(name, canonical)
    raise UnknownTimezone(name)


def parse_timezone(name: str) -> ZoneInfo:
    """An IANA zone by its exact name (``America/Chicago``); anything else is refused.

    Lenient on purpose: it also loads aliases, for zones stored before :func:`choose_timezone` existed
    and for the host's ``DEFAULT_TIMEZONE``. What a member types goes through :func:`choose_timezone`.
    """
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
