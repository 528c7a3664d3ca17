"""What a quiz answer means for the member's error log. Pure: no discord, no database."""

from __future__ import annotations

from bot.features.errorlog.model import NewMiss, answer_misses
from bot.features.quiz.bank import Question


def misses_for(question: Question, right: bool, seconds: float | None, pacing_seconds: int) -> list[NewMiss]:
    """A wrong answer is a miss in the question's bucket; an answer slower than the pace is a pacing miss.

    ``right`` is :meth:`Question.is_right` of the answer: a multiple-response answer is right only when it
    is exactly the keyed set (all or nothing), so a partly right one is a miss like any other.
    """
    return answer_misses(
        question.bucket,
        right,
        seconds,
        pacing_seconds,
        item_id=question.id,
        source="quiz",
        question_id=question.id,
    )
