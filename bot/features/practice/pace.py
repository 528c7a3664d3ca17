"""Exam pace for timed blocks: the per-item target from the exam's length and time, and the block summary."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


def target_seconds(exam_minutes: int, exam_max_items: int) -> float:
    """Seconds per item that would finish the longest exam in time (the stricter of the two ends)."""
    if exam_minutes <= 0 or exam_max_items <= 0:
        raise ValueError("the exam's time and item count must be positive")
    return exam_minutes * 60 / exam_max_items


@dataclass(frozen=True, slots=True)
class PaceSummary:
    answered: int
    total_seconds: float
    mean_seconds: float
    target_seconds: float
    over_target: int  # items slower than the target
    slowest: tuple[int, ...]  # positions (0-based) of the slowest items, slowest first

    @property
    def on_pace(self) -> bool:
        return self.mean_seconds <= self.target_seconds


def pace_summary(seconds: Sequence[float], target: float, *, slowest: int = 3) -> PaceSummary:
    """Time per item against the target, for the block's end (or a stop part-way)."""
    if any(s < 0 for s in seconds):
        raise ValueError("a time cannot be negative")
    total = float(sum(seconds))
    mean = total / len(seconds) if seconds else 0.0
    order = sorted(range(len(seconds)), key=lambda i: (-seconds[i], i))
    return PaceSummary(
        answered=len(seconds),
        total_seconds=total,
        mean_seconds=mean,
        target_seconds=target,
        over_target=sum(1 for s in seconds if s > target),
        slowest=tuple(order[:slowest]),
    )
