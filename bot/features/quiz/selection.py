"""Choosing questions: a guild's daily post never repeats a question until the bank is used up."""

from __future__ import annotations

import random
from collections.abc import Collection, Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Pick:
    question_id: str
    cycle: int


def pick_daily(
    all_ids: Sequence[str], cycle: int, used_in_cycle: Collection[str], rng: random.Random
) -> Pick:
    """A question not yet used in this cycle; once all are used, a new cycle starts.

    Questions removed from the bank are ignored; questions added to it join the current cycle.
    """
    if not all_ids:
        raise ValueError("the question bank is empty")
    used = set(used_in_cycle)
    fresh = [qid for qid in all_ids if qid not in used]
    if not fresh:
        return Pick(rng.choice(list(all_ids)), cycle + 1)
    return Pick(rng.choice(fresh), cycle)


def pick_practice(candidates: Sequence[str], recently_seen: Collection[str], rng: random.Random) -> str:
    """For /quiz now: prefer a question the member has not seen lately."""
    if not candidates:
        raise ValueError("no questions to choose from")
    seen = set(recently_seen)
    unseen = [qid for qid in candidates if qid not in seen]
    return rng.choice(unseen or list(candidates))
