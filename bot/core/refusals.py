"""Refusals: requests the bot turns down with a friendly message, changing nothing.

Domain code raises these with the facts of the refusal; the words a member reads are written in
``cogs/render`` (one place per feature), so wording is reviewed and changed in one file.
"""

from __future__ import annotations

import datetime as dt


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


class UnknownTimezone(Refusal):
    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.name = name
