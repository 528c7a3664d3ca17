"""Refusals that repeat a member's input: nothing invisible, nothing that breaks out of inline code."""

from __future__ import annotations

import datetime as dt
import unicodedata

import pytest

from bot.core.refusals import (
    FormLimit,
    ImplausibleDate,
    MalformedDate,
    NonAsciiDigits,
    TimezoneAlias,
    TooOld,
    UnknownTimezone,
)
from bot.core.wording import ECHO_LIMIT, describe_refusal, echo

RLO, ZWSP, ZWJ, BOM, LRI = "\u202e", "\u200b", "\u200d", "\ufeff", "\u2066"


def invisible(text: str) -> list[str]:
    return [c for c in text if unicodedata.category(c).startswith("C") and c not in "\n"]


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("2026-11-10", "`2026-11-10`"),
        (f"{RLO}01-11-6202", "`01-11-6202`"),  # a right-to-left override cannot reverse the reply
        (f"20{ZWSP}26-11{ZWJ}-10{BOM}", "`2026-11-10`"),  # zero-width characters are dropped
        (f"{LRI}Europe/London\x00\x07", "`Europe/London`"),  # isolates and C0 controls too
        ("line one\nline two\r\n\tthree", "`line one line two three`"),  # newlines cannot start a block
        ("x` **bold** <@123> `y", "`x\u02cb **bold** <@123> \u02cby`"),  # no backtick breakout
        ("````", "`\u02cb\u02cb\u02cb\u02cb`"),
        (f"{RLO}{ZWSP}\n ", "(nothing readable)"),
    ],
)
def test_echo_keeps_only_visible_characters_inside_inline_code(raw: str, shown: str) -> None:
    assert echo(raw) == shown


def test_echo_is_one_inline_code_span_whatever_the_input() -> None:
    for raw in ("`", "``a``", "a`b`c", "\\`", "`" * 50):
        shown = echo(raw)
        assert shown.startswith("`") and shown.endswith("`")
        assert shown.count("`") == 2


def test_echo_shortens_long_input() -> None:
    shown = echo("a" * 500)
    assert len(shown) == ECHO_LIMIT + 2  # the two backticks
    assert shown.endswith("…`")


@pytest.mark.parametrize(
    "error",
    [
        MalformedDate("date", f"{RLO}2026{ZWSP}/11/10`"),
        UnknownTimezone(f"Mars{ZWJ}/Base{RLO}`"),
        TimezoneAlias(f"US/Eastern{ZWSP}", "America/New_York"),
        NonAsciiDigits("date", f"２０２６-１１-２０{RLO}", "2026-11-10"),
    ],
)
def test_refusals_echo_through_the_helper(error: Exception) -> None:
    text = describe_refusal(error)
    assert invisible(text) == []
    assert "Nothing was changed." in text


def test_the_non_ascii_digit_refusal_says_which_digits() -> None:
    text = describe_refusal(NonAsciiDigits("date", "２０２６-１１-２０", "2026-11-10"))
    assert "`２０２６-１１-２０` for `date` uses digits I don't read" in text
    assert "digits 0-9, for example `2026-11-10`" in text


def test_the_alias_refusal_offers_the_canonical_name() -> None:
    text = describe_refusal(TimezoneAlias("US/Eastern", "America/New_York"))
    assert text.startswith("`US/Eastern` is an old name for the time zone `America/New_York`")


@pytest.mark.parametrize(
    ("why", "words"),
    [
        (TooOld.SCALED_SCORES, "began reporting scaled scores that day"),
        (TooOld.COURSE_WINDOW, "can't count toward certification"),
        (TooOld.RESULTS, "have long expired"),
        (TooOld.REGISTRY, "older than any record"),
    ],
)
def test_implausible_dates_say_why(why: TooOld, words: str) -> None:
    error = ImplausibleDate("date", dt.date(1, 1, 1), dt.date(2023, 6, 1), why)
    text = describe_refusal(error)
    assert text.startswith(
        "`date` is Mon 0001-01-01, before the earliest date I accept here (Thu 2023-06-01)"
    )
    assert words in text and text.endswith("Nothing was changed.")


def test_form_limit_refusal() -> None:
    text = describe_refusal(FormLimit("What looks wrong?", 4000, 5, 500))
    assert text.startswith("**What looks wrong?** has 4000 characters, but this form takes at most 500.")
    assert "Nothing was saved" in text
