"""A member's quiz statistics: accuracy per exam domain (weighted like the exam), streaks, miss buckets."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class AnswerRecord:
    question_id: str
    domain: str
    correct: bool
    answered_on: dt.date
    bucket: str | None  # the question's bucket, for misses


@dataclass(frozen=True, slots=True)
class DomainScore:
    domain: str
    correct: int
    answered: int

    @property
    def accuracy(self) -> float:
        return self.correct / self.answered if self.answered else 0.0


@dataclass(frozen=True, slots=True)
class QuizStats:
    answered: int
    correct: int
    domains: tuple[DomainScore, ...]
    #: Held back (None) until every exam domain has the minimum of answers (policy), or none is answered.
    weighted_accuracy: float | None
    #: Exam domains short of that minimum, and how many more answers each needs (blueprint order).
    to_go: tuple[tuple[str, int], ...]
    current_streak: int
    best_streak: int
    miss_buckets: Counter[str]
    min_per_domain: int = 0


def streaks(days: Iterable[dt.date], today: dt.date) -> tuple[int, int]:
    """(current, best) runs of consecutive days with at least one answer.

    The current streak is still alive if the last answer was today or yesterday.
    """
    ordered = sorted(set(days))
    best = run = 0
    previous: dt.date | None = None
    for day in ordered:
        run = run + 1 if previous is not None and (day - previous).days == 1 else 1
        best = max(best, run)
        previous = day
    current = run if previous is not None and (today - previous).days <= 1 else 0
    return current, best


def quiz_stats(
    answers: Iterable[AnswerRecord],
    today: dt.date,
    weights: Mapping[str, tuple[int, int]],
    *,
    min_per_domain: int = 0,
) -> QuizStats:
    records = list(answers)
    by_domain: dict[str, list[AnswerRecord]] = {}
    for record in records:
        by_domain.setdefault(record.domain, []).append(record)
    domains = tuple(
        DomainScore(domain, sum(r.correct for r in rows), len(rows))
        for domain, rows in sorted(by_domain.items())
    )
    # Weight each exam domain by the midpoint of its share of the exam, over the domains answered.
    weighted = [(sum(weights[d.domain]) / 2, d.accuracy) for d in domains if d.domain in weights]
    total_weight = sum(w for w, _ in weighted)
    counts = {d.domain: d.answered for d in domains}
    to_go = tuple(
        (domain, min_per_domain - counts.get(domain, 0))
        for domain in weights
        if counts.get(domain, 0) < min_per_domain
    )
    current, best = streaks((r.answered_on for r in records), today)
    return QuizStats(
        answered=len(records),
        correct=sum(r.correct for r in records),
        domains=domains,
        weighted_accuracy=(
            sum(w * a for w, a in weighted) / total_weight if total_weight and not to_go else None
        ),
        to_go=to_go,
        current_streak=current,
        best_streak=best,
        miss_buckets=Counter(r.bucket for r in records if not r.correct and r.bucket),
        min_per_domain=min_per_domain,
    )
