"""The error log: the five kinds of miss, and which one or two cost the most. No discord import.

National Registry results no longer say where a candidate was weak, so the member's own log of misses
is the only map of their weak spots.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from enum import StrEnum

from bot.policy import Policy


class Bucket(StrEnum):
    """The five kinds of miss (seed text 12.4), in the seed's order."""

    KNOWLEDGE = "knowledge"
    SEQUENCE = "sequence"
    SCOPE = "scope"
    READING = "reading"
    PACING = "pacing"


BUCKETS: tuple[Bucket, ...] = tuple(Bucket)


@dataclass(frozen=True, slots=True)
class Miss:
    bucket: Bucket
    note: str | None
    source: str
    logged_on: dt.date


@dataclass(frozen=True, slots=True)
class NewMiss:
    """A miss about to be logged, from a command or from a practice answer."""

    bucket: Bucket
    note: str | None = None
    source: str = "manual"
    question_id: str | None = None


def focus_buckets(misses: Counter[Bucket], policy: Policy) -> tuple[Bucket, ...]:
    """The one or two buckets that cost the most (ties broken by the seed's bucket order)."""
    ranked = sorted((b for b in BUCKETS if misses[b] > 0), key=lambda b: (-misses[b], BUCKETS.index(b)))
    if not ranked:
        return ()
    top = ranked[0]
    if len(ranked) > 1 and misses[ranked[1]] * 10 >= misses[top] * policy.second_bucket_min_share:
        return (top, ranked[1])
    return (top,)


def answer_misses(
    bucket: Bucket,
    right: bool,
    seconds: float | None,
    pacing_seconds: float,
    *,
    item_id: str,
    source: str,
    question_id: str | None,
) -> list[NewMiss]:
    """What one answer means for the error log, wherever it was given (the quiz, practice):

    a wrong answer is a miss in the item's bucket; an answer slower than the pace is also a pacing miss.
    """
    misses: list[NewMiss] = []
    if not right:
        misses.append(NewMiss(bucket, f"{source} {item_id}", source, question_id))
    if seconds is not None and seconds > pacing_seconds:
        misses.append(NewMiss(Bucket.PACING, f"slow on {item_id}", source, question_id))
    return misses
