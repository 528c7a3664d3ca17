"""What a quiz answer means for the member's error log. Pure: no discord, no database."""

from __future__ import annotations

from bot.features.errorlog.model import Bucket, NewMiss
from bot.features.quiz.bank import Question


def misses_for(question: Question, choice: int, seconds: float | None, pacing_seconds: int) -> list[NewMiss]:
    """A wrong answer is a miss in the question's bucket; an answer slower than the pace is a pacing miss."""
    misses: list[NewMiss] = []
    if choice != question.answer:
        misses.append(NewMiss(question.bucket, f"quiz {question.id}", "quiz", question.id))
    if seconds is not None and seconds > pacing_seconds:
        misses.append(NewMiss(Bucket.PACING, f"slow on {question.id}", "quiz", question.id))
    return misses
