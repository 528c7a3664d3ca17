"""Calendar rules: strict parsing, month ends, leap days, business days and holidays."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

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
from bot.dates import (
    Earliest,
    add_business_days,
    add_months,
    canonical_zones,
    choose_timezone,
    earliest_for,
    is_business_day,
    matching_zones,
    month_end_after_years,
    parse_date,
    parse_timezone,
)
from bot.policy import Policy

D = dt.date


@pytest.mark.parametrize(
    ("completed", "ends"),
    [
        (D(2024, 1, 15), D(2026, 1, 31)),  # DOMAIN.md's example
        (D(2024, 2, 29), D(2026, 2, 28)),  # leap day -> February of a common year
        (D(2026, 2, 1), D(2028, 2, 29)),  # common year -> leap February
        (D(2025, 12, 31), D(2027, 12, 31)),
        (D(2025, 4, 30), D(2027, 4, 30)),
        (D(2025, 11, 1), D(2027, 11, 30)),
    ],
)
def test_course_window_ends_on_the_last_day_of_the_month_two_years_later(completed: D, ends: D) -> None:
    assert month_end_after_years(completed, 2) == ends


@pytest.mark.parametrize(
    ("start", "count", "expected"),
    [
        (D(2026, 11, 25), 2, D(2026, 11, 30)),  # Wed before Thanksgiving -> Mon (issue's example)
        (D(2026, 11, 20), 2, D(2026, 11, 24)),  # Fri -> Tue (weekend skipped)
        (D(2026, 12, 23), 2, D(2026, 12, 28)),  # Christmas Day skipped
        (D(2026, 12, 31), 1, D(2027, 1, 4)),  # New Year's Day (Fri) and the weekend skipped
        (D(2026, 7, 2), 1, D(2026, 7, 6)),  # Independence Day observed Fri 07-03
        (D(2027, 1, 15), 1, D(2027, 1, 19)),  # MLK Day Mon 2027-01-18
        (D(2026, 6, 18), 1, D(2026, 6, 22)),  # Juneteenth Fri 2026-06-19
        (D(2026, 11, 10), 1, D(2026, 11, 12)),  # Veterans Day Wed 2026-11-11
        (D(2026, 11, 21), 2, D(2026, 11, 24)),  # from a Saturday
        (D(2026, 3, 10), 0, D(2026, 3, 10)),
    ],
)
def test_business_days_skip_weekends_and_us_federal_holidays(start: D, count: int, expected: D) -> None:
    assert add_business_days(start, count) == expected


@given(st.dates(min_value=D(2020, 1, 1), max_value=D(2035, 12, 31)), st.integers(min_value=1, max_value=10))
def test_business_day_result_is_a_business_day_and_strictly_later(start: D, count: int) -> None:
    result = add_business_days(start, count)
    assert result > start
    assert is_business_day(result)
    between = [start + dt.timedelta(days=i) for i in range(1, (result - start).days + 1)]
    assert sum(is_business_day(day) for day in between) == count


@given(st.dates(min_value=D(1990, 1, 1), max_value=D(2090, 12, 31)))
def test_course_window_always_ends_on_a_month_end_24_months_on(completed: D) -> None:
    ends = month_end_after_years(completed, 2)
    assert (ends + dt.timedelta(days=1)).day == 1
    assert (ends.year - completed.year) * 12 + ends.month - completed.month == 24


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (D(2026, 1, 31), 1, D(2026, 2, 28)),
        (D(2024, 2, 29), 24, D(2026, 2, 28)),
        (D(2026, 11, 20), 24, D(2028, 11, 20)),
        (D(2026, 12, 15), 1, D(2027, 1, 15)),
    ],
)
def test_add_months_clamps_to_the_month_end(start: D, months: int, expected: D) -> None:
    assert add_months(start, months) == expected


@pytest.mark.parametrize("text", ["2026-11-10", " 2026-11-10 ", "2024-02-29"])
def test_parse_date_accepts_iso_dates(text: str) -> None:
    assert parse_date(text, option="date") == D.fromisoformat(text.strip())


@pytest.mark.parametrize(
    "text", ["", "yesterday", "10/11/2026", "20261110", "2026-1-10", "2026-11-10T09:00", "26-11-10"]
)
def test_parse_date_refuses_malformed_text(text: str) -> None:
    with pytest.raises(MalformedDate):
        parse_date(text, option="date")


@pytest.mark.parametrize("text", ["2026-02-30", "2025-02-29", "2026-13-01", "2026-00-10", "2026-04-31"])
def test_parse_date_refuses_impossible_dates(text: str) -> None:
    with pytest.raises(ImpossibleDate):
        parse_date(text, option="date")


def test_parse_date_refuses_the_future_but_accepts_today() -> None:
    today = D(2026, 11, 23)
    assert parse_date("2026-11-23", option="date", today=today) == today
    with pytest.raises(FutureDate) as raised:
        parse_date("2026-11-24", option="date", today=today)
    assert raised.value.today == today


@pytest.mark.parametrize("name", ["America/New_York", "Europe/London", "UTC", " Asia/Tokyo "])
def test_known_time_zones_parse(name: str) -> None:
    assert parse_timezone(name).key == name.strip()


@pytest.mark.parametrize("name", ["Mars/Base", "EST5", "america/new_york", "", "../etc/passwd", "New York"])
def test_unknown_time_zones_are_refused(name: str) -> None:
    with pytest.raises(UnknownTimezone):
        parse_timezone(name)


# ------------------------------------------------------------------ hostile input (issue 9, items 22-24)


@pytest.mark.parametrize(
    "text",
    [
        "２０２６-１１-２０",  # full-width
        "٢٠٢٦-١١-٢٠",  # Arabic-Indic
        "2026-1１-20",  # one full-width digit among ASCII ones
        "२०२६-११-२०",  # Devanagari
    ],
)
def test_parse_date_accepts_ascii_digits_only(text: str) -> None:
    with pytest.raises(NonAsciiDigits) as raised:
        parse_date(text, option="date")
    assert raised.value.value == text
    assert raised.value.example == "2026-11-10"


TODAY = D(2026, 11, 23)


@pytest.mark.parametrize(
    ("record", "oldest_accepted", "why"),
    [
        ("attempt", D(2023, 6, 1), TooOld.SCALED_SCORES),  # the scaled-score report launched that day
        ("course", D(2021, 11, 23), TooOld.COURSE_WINDOW),  # two-year window + three years' margin
        ("refresher", D(2021, 11, 23), TooOld.COURSE_WINDOW),
        ("exam", D(2021, 11, 23), TooOld.RESULTS),  # 24 months' validity + three years' margin
        ("skills", D(2021, 11, 23), TooOld.RESULTS),
        ("verification", D(1970, 1, 1), TooOld.REGISTRY),
        ("license", D(1970, 1, 1), TooOld.REGISTRY),
    ],
)
def test_dates_older_than_the_policys_bound_are_refused(
    record: str, oldest_accepted: D, why: TooOld, policy: Policy
) -> None:
    earliest = earliest_for(record, TODAY, policy)
    assert earliest == Earliest(oldest_accepted, why)

    assert parse_date(oldest_accepted.isoformat(), option="date", earliest=earliest) == oldest_accepted
    day_before = (oldest_accepted - dt.timedelta(days=1)).isoformat()
    for text in (day_before, "0001-01-01", "1900-02-28"):
        with pytest.raises(ImplausibleDate) as raised:
            parse_date(text, option="date", today=TODAY, earliest=earliest)
        assert (raised.value.earliest, raised.value.why) == (oldest_accepted, why)


def test_the_bounds_come_from_the_policy_file(policy: Policy) -> None:
    for key in ("plausibility.course_margin_years", "plausibility.result_margin_years"):
        assert policy.rules[key].confidence == "heuristic"
        assert "EMR Study Bot" in policy.rules[key].source
    assert "June 1, 2023" in policy.rules["plausibility.scaled_scores_since"].source
    later = dataclasses.replace(policy, scaled_scores_since=D(2024, 1, 1), course_margin_years=1)
    assert earliest_for("attempt", TODAY, later).date == D(2024, 1, 1)
    assert earliest_for("course", TODAY, later).date == D(2023, 11, 23)


@pytest.mark.parametrize(
    "name", ["America/New_York", "Europe/London", "Europe/Amsterdam", "UTC", " Asia/Tokyo "]
)
def test_members_may_choose_canonical_zones(name: str) -> None:
    assert choose_timezone(name).key == name.strip()


@pytest.mark.parametrize("name", ["Factory", "Etc/GMT+5", "EST5", "Mars/Base", "", "../etc/passwd"])
def test_placeholders_and_unknown_zones_are_refused(name: str) -> None:
    with pytest.raises(UnknownTimezone):
        choose_timezone(name)


@pytest.mark.parametrize(
    ("alias", "canonical"),
    [
        ("US/Eastern", "America/New_York"),
        ("US/Pacific", "America/Los_Angeles"),
        ("Asia/Calcutta", "Asia/Kolkata"),
        ("GB", "Europe/London"),
        ("Etc/Universal", "Etc/UTC"),
        ("us/eastern", "America/New_York"),
        ("america/chicago", "America/Chicago"),
    ],
)
def test_an_alias_is_refused_with_the_canonical_name_offered(alias: str, canonical: str) -> None:
    with pytest.raises(TimezoneAlias) as raised:
        choose_timezone(alias)
    assert raised.value.canonical == canonical


def test_autocomplete_offers_no_alias_or_placeholder() -> None:
    offered = set(matching_zones("", limit=10_000)) | set(matching_zones("us", limit=10_000))
    offered |= set(matching_zones("fact", limit=10_000))
    assert offered <= set(canonical_zones())
    assert "US/Eastern" not in offered and "Factory" not in offered
    assert matching_zones("new_y") == ["America/New_York"]


def test_stored_aliases_still_load() -> None:
    """A zone stored before choose_timezone existed (or a host's default) keeps working."""
    assert parse_timezone("US/Eastern").key == "US/Eastern"
