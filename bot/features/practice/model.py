"""Practice sessions: what a session is, which item comes next, and what an answer means. Pure.

A session is a fixed list of item references chosen when it starts (see :mod:`selection`), a position,
and the instant the current item was shown. Answers are rows; one per position, so a double click
counts once. Every miss goes to the error log with the item's bucket (source ``practice``), and an
answer slower than the pace is also a pacing miss, as in the quiz.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from bot.features.errorlog.model import Bucket, NewMiss, answer_misses

SOURCE = "practice"


class Mode(StrEnum):
    DRILL = "drill"
    TIMED = "timed"
    REVIEW = "review"  # the member's spaced-review cards (bot/features/review)
    CHECKIN = "checkin"  # adaptive: the next item is chosen after each answer (checkin_flow.py)


class Status(StrEnum):
    ACTIVE = "active"
    FINISHED = "finished"
    ABANDONED = "abandoned"


class ItemKind(StrEnum):
    QUESTION = "q"  # a single-answer bank question (A-D)
    CARD = "c"  # a scope card (yes / no)
    LADDER = "l"  # a priority ladder (build a list)


@dataclass(frozen=True, slots=True)
class ItemRef:
    kind: ItemKind
    id: str
    reading: bool = False  # show the stem first, the options only after "Show options"

    def encode(self) -> str:
        return f"{self.kind.value}{'r' if self.reading else ''}:{self.id}"

    @classmethod
    def decode(cls, text: str) -> ItemRef:
        head, _, item_id = text.partition(":")
        return cls(ItemKind(head[0]), item_id, reading=head[1:] == "r")


@dataclass(frozen=True, slots=True)
class Session:
    id: int
    user_id: int
    mode: Mode
    bucket: Bucket | None
    items: tuple[ItemRef, ...]
    position: int
    status: Status
    started_at: dt.datetime
    shown_at: dt.datetime | None
    target: float | None = None  # seconds per item in a timed block

    @property
    def current(self) -> ItemRef | None:
        return (
            self.items[self.position]
            if self.status is Status.ACTIVE and self.position < len(self.items)
            else None
        )

    @property
    def length(self) -> int:
        return len(self.items)


@dataclass(frozen=True, slots=True)
class Outcome:
    """One answered item."""

    position: int
    item: ItemRef
    domain: str | None
    bucket: Bucket
    correct: bool
    seconds: float | None
    in_place: int | None = None  # ladders: steps in their right place


def misses_for(outcome: Outcome, pacing_seconds: float) -> list[NewMiss]:
    """A wrong answer is a miss in the item's bucket; a slow one is also a pacing miss."""
    question_id = outcome.item.id if outcome.item.kind is ItemKind.QUESTION else None
    return answer_misses(
        outcome.bucket,
        outcome.correct,
        outcome.seconds,
        pacing_seconds,
        item_id=outcome.item.id,
        source=SOURCE,
        question_id=question_id,
    )


@dataclass(frozen=True, slots=True)
class Summary:
    answered: int
    correct: int
    total: int
    misses: dict[Bucket, int]
    seconds: tuple[float, ...]

    @property
    def top_bucket(self) -> Bucket | None:
        ranked = sorted(self.misses.items(), key=lambda kv: (-kv[1], list(Bucket).index(kv[0])))
        return ranked[0][0] if ranked and ranked[0][1] else None


def summarize(outcomes: list[Outcome], total: int, pacing_seconds: float) -> Summary:
    misses: dict[Bucket, int] = {}
    for outcome in outcomes:
        for miss in misses_for(outcome, pacing_seconds):
            misses[miss.bucket] = misses.get(miss.bucket, 0) + 1
    return Summary(
        answered=len(outcomes),
        correct=sum(o.correct for o in outcomes),
        total=total,
        misses=misses,
        seconds=tuple(o.seconds for o in outcomes if o.seconds is not None),
    )
