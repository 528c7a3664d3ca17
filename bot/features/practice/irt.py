"""The adaptive check-in's arithmetic: a Rasch model, EAP ability, the next item, the stopping rule. Pure.

Rasch (one-parameter logistic): a member of level ``theta`` answers an item of difficulty ``b`` right with
probability ``1 / (1 + exp(-(theta - b)))``; both are in logits on the bank's own scale. Nothing here
maps that scale to the exam's 100-1500 scaled score: there is no such mapping.

* Ability: the expected a posteriori (EAP) estimate on a fixed quadrature grid with a normal prior, and
  its standard error (the posterior's standard deviation). EAP always exists, even after all-right or
  all-wrong answers, where maximum likelihood runs off to infinity.
* Next item: among the items allowed (single-answer bank questions, not yet asked in this check-in, not
  seen in the member's last one), first the exam domain furthest below its blueprint share so far (the
  domain weights of the policy file), then in it the item with the most Fisher information at the current
  estimate (``p (1 - p)``: the item whose difficulty is closest to the estimate); ties are broken at random
  so two members at the same level do not see the same sequence.
* Stop: never before the minimum; then as soon as the interval (estimate +- z standard errors) lies
  wholly above or below the readiness standard; always at the maximum. This mirrors the real exam's rule
  (DOMAIN.md 'The exam'), on the bot's own standard.
"""

from __future__ import annotations

import math
import random
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

import numpy as np

#: The quadrature grid for EAP: 81 points from -6 to 6 logits (far past any member's level).
GRID: tuple[float, ...] = tuple(-6.0 + 0.15 * i for i in range(81))
_GRID = np.array(GRID)


def probability(theta: float, difficulty: float) -> float:
    """The chance of a right answer under the Rasch model."""
    z = theta - difficulty
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


def information(theta: float, difficulty: float) -> float:
    """Fisher information of a Rasch item at ``theta``: highest (1/4) where the difficulty equals it."""
    p = probability(theta, difficulty)
    return p * (1.0 - p)


@dataclass(frozen=True, slots=True)
class Response:
    difficulty: float
    correct: bool
    domain: str | None = None


@dataclass(frozen=True, slots=True)
class Estimate:
    ability: float  # EAP, logits
    se: float  # posterior standard deviation
    items: int

    def interval(self, z: float) -> tuple[float, float]:
        return self.ability - z * self.se, self.ability + z * self.se


def estimate(responses: Sequence[Response], prior_sd: float = 1.0, prior_mean: float = 0.0) -> Estimate:
    """EAP ability and its standard error from the responses so far (the prior alone when there are none)."""
    log = -0.5 * ((_GRID - prior_mean) / prior_sd) ** 2
    if responses:
        b = np.array([r.difficulty for r in responses])
        right = np.array([r.correct for r in responses], dtype=bool)
        z = _GRID[:, None] - b[None, :]  # grid x items
        # log p = -log(1 + e^-z), log(1 - p) = -log(1 + e^z): stable for any z
        log = log + np.where(right, -np.logaddexp(0.0, -z), -np.logaddexp(0.0, z)).sum(axis=1)
    weights = np.exp(log - log.max())
    weights /= weights.sum()
    mean = float((weights * _GRID).sum())
    variance = float((weights * (_GRID - mean) ** 2).sum())
    return Estimate(mean, math.sqrt(max(variance, 0.0)), len(responses))


class Verdict(StrEnum):
    READY = "likely_ready"
    NOT_YET = "not_yet"
    TOO_CLOSE = "too_close"


def verdict(est: Estimate, standard: float, z: float) -> Verdict:
    low, high = est.interval(z)
    if low > standard:
        return Verdict.READY
    if high < standard:
        return Verdict.NOT_YET
    return Verdict.TOO_CLOSE


def should_stop(est: Estimate, standard: float, z: float, min_items: int, max_items: int) -> bool:
    """The stopping rule: never before the minimum; at a clear verdict; always at the maximum."""
    if est.items < min_items:
        return False
    return est.items >= max_items or verdict(est, standard, z) is not Verdict.TOO_CLOSE


@dataclass(frozen=True, slots=True)
class Candidate:
    id: str
    domain: str
    difficulty: float


def blueprint_shares(weights: Mapping[str, tuple[int, int]]) -> dict[str, float]:
    """Each exam domain's target share of a check-in: its blueprint midpoint, normalized to 1."""
    mids = {domain: (low + high) / 2 for domain, (low, high) in weights.items()}
    total = sum(mids.values()) or 1.0
    return {domain: mid / total for domain, mid in mids.items()}


def next_item(
    candidates: Sequence[Candidate],
    theta: float,
    shares: Mapping[str, float],
    asked_domains: Sequence[str],
    exclude: Collection[str],
    rng: random.Random,
) -> Candidate | None:
    """The next item: the domain most behind its share, then the most informative item in it."""
    pool = [c for c in candidates if c.id not in exclude]
    if not pool:
        return None
    n = len(asked_domains) + 1
    available = {c.domain for c in pool}
    behind = {
        d: shares.get(d, 0.0) * n - sum(1 for a in asked_domains if a == d)
        for d in available
        if shares.get(d, 0.0) > 0
    }
    if behind:
        most = max(behind.values())
        domain = rng.choice(sorted(d for d, v in behind.items() if v >= most - 1e-9))
        pool = [c for c in pool if c.domain == domain]
    info = [information(theta, c.difficulty) for c in pool]
    best = max(info)
    return rng.choice([c for c, i in zip(pool, info, strict=True) if i >= best - 1e-12])


def domain_shortfalls(responses: Sequence[Response], theta: float, threshold: float) -> list[str]:
    """Exam domains where the member got at least ``threshold`` fewer right than ``theta`` predicts,
    the largest shortfall first: the domains pulling the estimate down."""
    gap: dict[str, float] = {}
    for r in responses:
        if r.domain is None:
            continue
        gap[r.domain] = gap.get(r.domain, 0.0) + float(r.correct) - probability(theta, r.difficulty)
    return [d for d, g in sorted(gap.items(), key=lambda kv: (kv[1], kv[0])) if g <= -threshold]
