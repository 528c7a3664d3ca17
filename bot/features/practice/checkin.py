"""The adaptive check-in as a session: which items it may ask, the next one, when it stops, its result.
Pure: the bank, the difficulties and the answers so far in; item references and a result out.

The arithmetic is in :mod:`irt`; the difficulties (priors from the author's level, replaced by
calibrated ones once an item has enough answers) come from :mod:`calibration`.
"""

from __future__ import annotations

import random
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from bot.features.practice import irt
from bot.features.practice.model import ItemKind, ItemRef, Outcome
from bot.features.practice.selection import single_answer
from bot.features.quiz.bank import QuestionBank
from bot.policy import CheckinPolicy


class Change(StrEnum):
    FIRST = "first"  # no earlier check-in to compare with
    UP = "up"
    SAME = "same"
    DOWN = "down"


@dataclass(frozen=True, slots=True)
class CheckinReport:
    estimate: irt.Estimate
    interval: tuple[float, float]
    standard: float
    verdict: irt.Verdict
    shortfalls: tuple[str, ...]  # exam domains pulling the estimate down, worst first


def prior_difficulties(bank: QuestionBank, policy: CheckinPolicy) -> dict[str, float]:
    """Every bank question's difficulty before calibration: its author's level mapped to a logit."""
    return {q.id: policy.prior_difficulty(q.difficulty) for q in bank.questions}


class CheckinEngine:
    def __init__(
        self, bank: QuestionBank, weights: Mapping[str, tuple[int, int]], policy: CheckinPolicy
    ) -> None:
        self.policy = policy
        self.shares = irt.blueprint_shares(weights)
        self.questions = {q.id: q for q in single_answer(bank) if q.domain.value in self.shares}

    def candidates(self, difficulties: Mapping[str, float]) -> list[irt.Candidate]:
        return [
            irt.Candidate(q.id, q.domain.value, difficulties.get(q.id, 0.0)) for q in self.questions.values()
        ]

    def responses(self, outcomes: Sequence[Outcome], difficulties: Mapping[str, float]) -> list[irt.Response]:
        return [
            irt.Response(difficulties.get(o.item.id, 0.0), o.correct, o.domain)
            for o in outcomes
            if o.item.kind is ItemKind.QUESTION
        ]

    def estimate(self, outcomes: Sequence[Outcome], difficulties: Mapping[str, float]) -> irt.Estimate:
        return irt.estimate(self.responses(outcomes, difficulties), self.policy.ability_prior_sd)

    def next(
        self,
        outcomes: Sequence[Outcome],
        difficulties: Mapping[str, float],
        exclude: Collection[str],
        rng: random.Random,
    ) -> ItemRef | None:
        """The next item, or None when the check-in stops (the stopping rule, or no item left)."""
        est = self.estimate(outcomes, difficulties)
        policy = self.policy
        if outcomes and irt.should_stop(
            est, policy.readiness_standard, policy.interval_z, policy.min_items, policy.max_items
        ):
            return None
        seen = set(exclude) | {o.item.id for o in outcomes}
        domains = [o.domain for o in outcomes if o.domain is not None]
        chosen = irt.next_item(self.candidates(difficulties), est.ability, self.shares, domains, seen, rng)
        return ItemRef(ItemKind.QUESTION, chosen.id) if chosen else None

    def report(self, outcomes: Sequence[Outcome], difficulties: Mapping[str, float]) -> CheckinReport:
        responses = self.responses(outcomes, difficulties)
        policy = self.policy
        est = irt.estimate(responses, policy.ability_prior_sd)
        return CheckinReport(
            est,
            est.interval(policy.interval_z),
            policy.readiness_standard,
            irt.verdict(est, policy.readiness_standard, policy.interval_z),
            tuple(irt.domain_shortfalls(responses, est.ability, policy.domain_shortfall)),
        )


def change(current: float, previous: float | None, same_within: float) -> Change:
    """How the estimate moved since the member's last check-in."""
    if previous is None:
        return Change.FIRST
    if abs(current - previous) < same_within:
        return Change.SAME
    return Change.UP if current > previous else Change.DOWN
