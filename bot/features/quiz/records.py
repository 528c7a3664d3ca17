"""The quiz's records between its repository and the rest: daily posts (outbox rows), answers, reports."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

_NEVER = dt.datetime.min.replace(tzinfo=dt.UTC)
_LETTERS = "ABCDE"


@dataclass(frozen=True, slots=True)
class PostRecord:
    """A guild's daily post: also an outbox row (status, tries, when it was prepared)."""

    id: int
    guild_id: int
    channel_id: int
    message_id: int | None
    question_id: str
    cycle: int
    post_date: dt.date
    status: str = "pending"
    attempts: int = 0
    due_at: dt.datetime = _NEVER
    owner: str | None = None  # the process holding its claim

    @property
    def nonce(self) -> str:
        """Sent with the message: Discord does not show a retry of the same post twice."""
        return f"emr-quiz-{self.id}"


@dataclass(frozen=True, slots=True)
class Answer:
    """One answer: the option chosen (0-3) for a single-answer question, or the set of options chosen
    (0-4 for A-E) for a multiple-response one."""

    user_id: int
    guild_id: int | None
    question_id: str
    domain: str
    choice: int | frozenset[int]
    correct: bool
    answered_on: dt.date
    post_id: int | None = None
    issued_at: int | None = None
    seconds: float | None = None

    def __post_init__(self) -> None:
        if self.choice == frozenset():
            raise ValueError("a multiple-response answer chooses at least one option")

    @property
    def single_choice(self) -> int | None:
        """The ``choice`` column: the option of a single answer, None for a multiple-response one."""
        return None if isinstance(self.choice, frozenset) else self.choice

    @property
    def choice_letters(self) -> str | None:
        """The ``choices`` column: a multiple-response answer's letters in order ('ACE'), else None."""
        if not isinstance(self.choice, frozenset):
            return None
        return "".join(_LETTERS[i] for i in sorted(self.choice))


@dataclass(frozen=True, slots=True)
class StoredAnswer:
    question_id: str
    domain: str
    correct: bool
    answered_on: dt.date


@dataclass(frozen=True, slots=True)
class Report:
    user_id: int
    question_id: str
    reason: str
    reported_at: dt.datetime
