"""Item difficulties from every member's answers: a marginal maximum likelihood Rasch fit. Pure.

Why scipy (with numpy) and not girth: girth's last release (0.8.0) is from 2021 and it is not
maintained; it predates numpy 2 and nothing in its project tests against it, and it would bring a
second numerical stack to trust for one function. The fit itself is short: an EM algorithm over a
fixed quadrature grid (Bock and Aitkin, 1981), where each step is two sparse matrix products
(``scipy.sparse``: a member answers a few dozen of hundreds of items, so the answer matrix is mostly
empty, and missing answers are simply absent, not wrong) and one Newton step per item. 10,000 members
by 600 items fits in about a second (``bench/checkin_bench.py``).

The model: member levels follow a standard normal distribution (this fixes the fit's scale; then
:func:`difficulties` moves the results onto the scale of the policy's priors); an item of difficulty b is answered right with
probability 1 / (1 + exp(-(theta - b))). Each difficulty has a weak normal prior around its author's level
(``prior_sd`` 3 logits by default) so an item everyone got right stays finite; with 30 or more answers
that prior barely moves the estimate. A member's repeated answers to one item count once (the first):
the model assumes answers are independent given the level.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import sparse

QUADRATURE = np.linspace(-5.0, 5.0, 41)
_LOG_WEIGHTS = -0.5 * QUADRATURE**2
_LOG_WEIGHTS -= np.log(np.exp(_LOG_WEIGHTS).sum())
LIMIT = 6.0  # logits: no difficulty is fitted beyond +-6


#: One answer as the database returns it: (member, item id, right). Plain tuples, so a fit over a
#: million answers does no per-row work on the event loop before it moves to a worker thread.
AnswerRow = tuple[int, str, Any]


@dataclass(frozen=True, slots=True)
class Calibrated:
    item: str
    difficulty: float
    responses: int


@dataclass(frozen=True, slots=True)
class Fit:
    items: tuple[Calibrated, ...]
    members: int
    answers: int
    iterations: int


def fit_rasch(
    answers: Iterable[AnswerRow],
    priors: Mapping[str, float] | None = None,
    *,
    prior_sd: float = 3.0,
    tolerance: float = 1e-3,
    max_iterations: int = 200,
) -> Fit:
    """Fit every answered item's difficulty; ``priors`` (item -> logit) centre their weak priors."""
    priors = priors or {}
    members: dict[int, int] = {}
    items: dict[str, int] = {}
    seen: set[tuple[int, int]] = set()
    rows: list[int] = []
    cols: list[int] = []
    right: list[float] = []
    for member, item, correct in answers:
        row = members.setdefault(member, len(members))
        col = items.setdefault(item, len(items))
        if (row, col) in seen:
            continue
        seen.add((row, col))
        rows.append(row)
        cols.append(col)
        right.append(1.0 if correct else 0.0)
    if not items:
        return Fit((), 0, 0, 0)
    shape = (len(members), len(items))
    ones = np.ones(len(rows))
    r1 = sparse.csr_matrix((np.array(right), (rows, cols)), shape=shape)  # 1 where right
    r0 = sparse.csr_matrix((ones - np.array(right), (rows, cols)), shape=shape)  # 1 where wrong
    counts = np.asarray((r1 + r0).sum(axis=0)).ravel()
    names = list(items)
    centre = np.array([priors.get(name, 0.0) for name in names])
    b = centre.copy()
    r1t, r0t = r1.T.tocsr(), r0.T.tocsr()
    iterations = 0
    for iterations in range(1, max_iterations + 1):  # noqa: B007 (the count is reported)
        z = QUADRATURE[None, :] - b[:, None]  # items x nodes
        log_p, log_q = -np.logaddexp(0.0, -z), -np.logaddexp(0.0, z)
        # E step: each member's posterior over the nodes, from their own answers only
        log_post = r1 @ log_p + r0 @ log_q + _LOG_WEIGHTS[None, :]
        log_post -= log_post.max(axis=1, keepdims=True)
        post = np.exp(log_post)
        post /= post.sum(axis=1, keepdims=True)
        # expected answers (n) and right answers (r) per item and node
        r_expected = r1t @ post
        n_expected = r_expected + r0t @ post
        # M step: one Newton step per item on the penalized log-likelihood
        p = np.exp(log_p)
        gradient = (n_expected * p - r_expected).sum(axis=1) - (b - centre) / prior_sd**2
        curvature = (n_expected * p * (1.0 - p)).sum(axis=1) + 1.0 / prior_sd**2
        step = np.clip(gradient / curvature, -1.0, 1.0)
        b = np.clip(b + step, -LIMIT, LIMIT)
        if float(np.abs(step).max()) < tolerance:
            break
    fitted = tuple(
        Calibrated(name, float(b[i]), int(counts[i])) for i, name in enumerate(names) if math.isfinite(b[i])
    )
    return Fit(fitted, len(members), len(rows), iterations)


def difficulties(
    priors: Mapping[str, float], calibrated: Iterable[Calibrated], min_responses: int
) -> dict[str, float]:
    """Every item's difficulty for the check-in: calibrated once it has enough answers, else its prior.

    The fit's scale is centred on the members who answered (their mean level is 0), the priors' on the
    bank's middle item. So that the readiness standard keeps its meaning whoever uses the bot, the
    calibrated values are moved onto the priors' scale (mean-mean linking): shifted together so that
    their mean equals the mean of the same items' priors. Their differences are the fit's.
    """
    used = [c for c in calibrated if c.item in priors and c.responses >= min_responses]
    result = dict(priors)
    if not used:
        return result
    shift = sum(priors[c.item] - c.difficulty for c in used) / len(used)
    for item in used:
        result[item.item] = item.difficulty + shift
    return result
