"""What features tell each other through the bot's awaited events (see ``StudyBot._notify``). Pure."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ItemAnswered:
    """One answer to one item, wherever it was given.

    ``item`` is a practice item reference without the reading flag: ``q:<question id>``,
    ``c:<scope card id>`` or ``l:<ladder id>``. ``pace_seconds`` is the pace the answer was measured
    against (None where the time is not measured, as on the daily post).
    """

    user_id: int
    item: str
    correct: bool
    seconds: float | None
    pace_seconds: float | None
    at: dt.datetime
