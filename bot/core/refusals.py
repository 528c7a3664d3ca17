"""Refusals: requests the bot turns down with a friendly message, changing nothing.

Domain code raises these with the facts of the refusal; the words a member reads are written in
:mod:`bot.core.wording` and each feature's ``text.py``, so wording is reviewed and changed in one file.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum


class Refusal(Exception):
    """Base class: a request refused for a reason the member can fix."""


class MalformedDate(Refusal):
    def __init__(self, option: str, value: str) -> None:
        super().__init__(option, value)
        self.option, self.value = option, value


class ImpossibleDate(Refusal):
    def __init__(self, option: str, value: str) -> None:
        super().__init__(option, value)
        self.option, self.value = option, value


class FutureDate(Refusal):
    def __init__(self, option: str, value: dt.date, today: dt.date) -> None:
        super().__init__(option, value, today)
        self.option, self.value, self.today = option, value, today


class NonAsciiDigits(Refusal):
    """A date or time typed with digits other than 0-9 (full-width, Arabic-Indic ...)."""

    def __init__(self, option: str, value: str, example: str) -> None:
        super().__init__(option, value, example)
        self.option, self.value, self.example = option, value, example


class TooOld(StrEnum):
    """Why a date is too old to be true (each bound comes from the policy file)."""

    SCALED_SCORES = "scaled_scores"  # a failing report with a scaled score before they existed
    COURSE_WINDOW = "course_window"  # far older than the course window plus a margin
    RESULTS = "results"  # far older than exam and skills results stay valid plus a margin
    REGISTRY = "registry"  # before the National Registry existed


class ImplausibleDate(Refusal):
    def __init__(self, option: str, value: dt.date, earliest: dt.date, why: TooOld) -> None:
        super().__init__(option, value, earliest, why)
        self.option, self.value, self.earliest, self.why = option, value, earliest, why


class UnknownTimezone(Refusal):
    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.name = name


class TimezoneAlias(Refusal):
    """An old or alternative name of a zone (``US/Eastern``): the canonical one is offered instead."""

    def __init__(self, name: str, canonical: str) -> None:
        super().__init__(name, canonical)
        self.name, self.canonical = name, canonical


class FormLimit(Refusal):
    """A form field outside the limits the form itself declared (only a modified client sends one)."""

    def __init__(self, label: str | None, length: int, minimum: int | None, maximum: int | None) -> None:
        super().__init__(label, length, minimum, maximum)
        self.label, self.length, self.minimum, self.maximum = label, length, minimum, maximum
