"""Priority ladders, the exam's "build a list" items: the model and exact / partial scoring. Pure."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

MIN_STEPS, MAX_STEPS = 4, 6


@dataclass(frozen=True, slots=True)
class Ladder:
    id: str
    domain: str
    title: str
    prompt: str
    steps: tuple[str, ...]  # in the correct order
    why: str
    pediatric: bool
    difficulty: int
    basis: str

    def __post_init__(self) -> None:
        if not MIN_STEPS <= len(self.steps) <= MAX_STEPS:
            raise ValueError(f"{self.id}: a ladder has {MIN_STEPS}-{MAX_STEPS} steps, not {len(self.steps)}")
        if len(set(self.steps)) != len(self.steps):
            raise ValueError(f"{self.id}: two steps are the same")


@dataclass(frozen=True, slots=True)
class LadderScore:
    exact: bool
    in_place: int  # steps the member put in their right place
    total: int

    @property
    def partial(self) -> str:
        return f"{self.in_place} of {self.total}"


def score_ladder(ladder: Ladder, order: Sequence[int]) -> LadderScore:
    """Score the member's order, given as indices into ``ladder.steps`` (the correct order is 0, 1, 2 ...).

    Exact: every step in its place. Partial: how many steps are in their right place.
    """
    if sorted(order) != list(range(len(ladder.steps))):
        raise ValueError("an order must use every step exactly once")
    in_place = sum(1 for position, step in enumerate(order) if position == step)
    return LadderScore(in_place == len(ladder.steps), in_place, len(ladder.steps))


def shuffled(ladder: Ladder, rng: random.Random) -> tuple[int, ...]:
    """The steps as shown to the member: a shuffle that is never already in the right order."""
    indices = list(range(len(ladder.steps)))
    while True:
        rng.shuffle(indices)
        if indices != sorted(indices):
            return tuple(indices)
