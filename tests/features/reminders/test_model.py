"""Which reminders a member should have, and at what instant (09:00 local, across DST)."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.features.members.repo import MemberProfile
from bot.features.pathway.model import Gate, GateRecord, Mark, build_card
from bot.features.pathway.state import MemberState
from bot.features.reminders.model import (
    DueReminder,
    ReminderKind,
    ReminderStatus,
    due_instant,
    planned_reminders,
)
from bot.features.retake.model import Attempt, retake_state
from bot.policy import Policy

D = dt.date
NY = ZoneInfo("America/New_York")
TODAY = D(2026, 11, 23)


def state(
    policy: Policy,
    *,
    today: D = TODAY,
    gates: tuple[GateRecord, ...] = (),
    attempts: tuple[Attempt, ...] = (),
    enabled: bool = True,
) -> MemberState:
    retake = retake_state(attempts, None, today, policy)
    card = build_card(gates, today, policy, failed_attempt=retake.last.taken_on if retake.last else None)
    now = dt.datetime.combine(today, dt.time(10), tzinfo=NY)
    return MemberState(1, MemberProfile(1, NY.key, False, enabled), NY, now, today, card, retake)


@pytest.mark.parametrize(
    ("day", "zone", "expected_utc"),
    [
        (D(2026, 11, 25), "America/New_York", dt.datetime(2026, 11, 25, 14, 0, tzinfo=dt.UTC)),  # EST
        (D(2026, 7, 1), "America/New_York", dt.datetime(2026, 7, 1, 13, 0, tzinfo=dt.UTC)),  # EDT
        (
            D(2026, 3, 8),
            "America/New_York",
            dt.datetime(2026, 3, 8, 13, 0, tzinfo=dt.UTC),
        ),  # DST starts that night
        (D(2026, 11, 1), "America/New_York", dt.datetime(2026, 11, 1, 14, 0, tzinfo=dt.UTC)),  # DST ends
        (D(2026, 3, 29), "Europe/London", dt.datetime(2026, 3, 29, 8, 0, tzinfo=dt.UTC)),
        (D(2026, 11, 25), "Pacific/Auckland", dt.datetime(2026, 11, 24, 20, 0, tzinfo=dt.UTC)),
    ],
)
def test_due_instant_is_nine_local(day: D, zone: str, expected_utc: dt.datetime) -> None:
    assert due_instant(day, ZoneInfo(zone), 9) == expected_utc


def test_failed_attempt_plans_the_retest_reminder(policy: Policy) -> None:
    planned = planned_reminders(state(policy, attempts=(Attempt(D(2026, 11, 10), 812),)), policy)
    assert [(p.kind, p.local_date) for p in planned] == [(ReminderKind.RETEST, D(2026, 11, 25))]
    assert planned[0].due_at == dt.datetime(2026, 11, 25, 14, 0, tzinfo=dt.UTC)


def test_course_window_reminders_sixty_and_fourteen_days_before(policy: Policy) -> None:
    gates = (GateRecord(Gate.COURSE, Mark.DONE, D(2025, 3, 14)),)  # window ends 2027-03-31
    planned = planned_reminders(state(policy, gates=gates), policy)
    assert [(p.kind, p.local_date, p.about) for p in planned] == [
        (ReminderKind.COURSE_WINDOW, D(2027, 1, 30), D(2027, 3, 31)),
        (ReminderKind.COURSE_WINDOW, D(2027, 3, 17), D(2027, 3, 31)),
    ]


def test_results_reminder_once_everything_is_complete(policy: Policy) -> None:
    gates = (
        GateRecord(Gate.COURSE, Mark.DONE, D(2026, 3, 2)),
        GateRecord(Gate.VERIFICATION, Mark.DONE),
        GateRecord(Gate.SKILLS, Mark.DONE, D(2026, 11, 2)),
        GateRecord(Gate.EXAM, Mark.DONE, D(2026, 11, 23)),
    )
    planned = planned_reminders(state(policy, gates=gates), policy)
    assert [(p.kind, p.local_date) for p in planned] == [(ReminderKind.RESULTS, D(2026, 11, 25))]


def test_a_reminder_whose_moment_passed_today_is_not_planned(policy: Policy) -> None:
    attempt = (Attempt(D(2026, 11, 10), 800),)  # retest day 2026-11-25, 09:00; "now" is 10:00 that day
    assert planned_reminders(state(policy, today=D(2026, 11, 25), attempts=attempt), policy) == []
    assert len(planned_reminders(state(policy, today=D(2026, 11, 24), attempts=attempt), policy)) == 1


def test_past_dates_are_not_planned_and_opting_out_plans_nothing(policy: Policy) -> None:
    old = (Attempt(D(2026, 10, 1), 800),)  # wait ended 2026-10-16, before today
    assert planned_reminders(state(policy, attempts=old), policy) == []
    fresh = (Attempt(D(2026, 11, 10), 800),)
    assert planned_reminders(state(policy, attempts=fresh, enabled=False), policy) == []


def test_no_retest_reminder_while_a_refresher_is_required(policy: Policy) -> None:
    three = (Attempt(D(2026, 9, 1), 800), Attempt(D(2026, 10, 1), 800), Attempt(D(2026, 11, 10), 800))
    assert planned_reminders(state(policy, attempts=three), policy) == []


def test_a_reminders_marker_matches_exactly() -> None:
    from bot.features.reminders.model import DueReminder, ReminderStatus

    seven = DueReminder(
        7,
        1,
        ReminderKind.RETEST,
        D(2026, 11, 25),
        None,
        dt.datetime(2026, 11, 25, 14, tzinfo=dt.UTC),
        "UTC",
        None,
        0,
        ReminderStatus.CLAIMED,
    )
    assert seven.marked_in("EMR Study Bot reminder #7 · /reminders enabled:False to stop these")
    assert not seven.marked_in("EMR Study Bot reminder #73 · /reminders enabled:False to stop these")
    assert not seven.marked_in("EMR Study Bot reminder #17 ·")


def due(number: int) -> DueReminder:
    return DueReminder(
        number,
        1,
        ReminderKind.RETEST,
        D(2026, 11, 25),
        None,
        dt.datetime(2026, 11, 25, 14, tzinfo=dt.UTC),
        "UTC",
        None,
        0,
        ReminderStatus.CLAIMED,
    )


@pytest.mark.parametrize("number", [1, 6, 7, 73, 999, 2**31 - 1])
def test_the_marker_reads_as_a_reference_not_a_row_number(number: int) -> None:
    marker = due(number).marker
    assert re.fullmatch(r"ref\. [0-9A-Z]{4}-[0-9A-Z]{4}", marker), marker
    assert "#" not in marker
    assert due(number).marked_in(f"EMR Study Bot · {marker} · /reminders enabled:False to stop these")


def test_small_ids_do_not_look_like_a_count() -> None:
    codes = [due(n).marker for n in range(1, 6)]
    assert len({code[5:9] for code in codes}) == 5  # neighbors differ from the first characters on


@given(st.integers(min_value=1, max_value=2**40 - 1), st.integers(min_value=1, max_value=2**40 - 1))
def test_a_marker_matches_only_its_own_reminder(first: int, second: int) -> None:
    assert (due(first).marker == due(second).marker) is (first == second)
    assert due(first).marked_in(due(second).marker) is (first == second)


def test_the_old_marker_format_is_still_found() -> None:
    """DMs sent before the reference format carry "reminder #N": the crash look-up still finds them."""
    assert due(6).marked_in("EMR Study Bot reminder #6 · /reminders enabled:False to stop these")
    assert not due(6).marked_in("EMR Study Bot reminder #61 · /reminders enabled:False to stop these")
    assert not due(61).marked_in(f"EMR Study Bot {due(6).marker} · /reminders enabled:False to stop these")
