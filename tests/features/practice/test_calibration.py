"""Item calibration: a marginal maximum likelihood Rasch fit recovers known difficulties from simulated
sparse answers, and calibrated values replace the priors only with enough answers."""

from __future__ import annotations

import math
import random

import numpy as np
import pytest

from bot.features.practice.calibration import Calibrated, difficulties, fit_rasch


def simulate(
    members: int, items: int, per_member: int, seed: int
) -> tuple[list[float], list[tuple[int, str, bool]]]:
    rng = random.Random(seed)
    truth = [rng.gauss(0.0, 1.0) for _ in range(items)]
    rows = []
    for member in range(members):
        theta = rng.gauss(0.0, 1.0)
        for item in rng.sample(range(items), per_member):
            p = 1.0 / (1.0 + math.exp(-(theta - truth[item])))
            rows.append((member, f"q{item}", rng.random() < p))
    return truth, rows


def test_known_difficulties_are_recovered_from_sparse_answers() -> None:
    truth, rows = simulate(members=1500, items=80, per_member=20, seed=12)
    fit = fit_rasch(rows)
    fitted = {c.item: c.difficulty for c in fit.items}
    estimated = np.array([fitted[f"q{i}"] for i in range(len(truth))])
    correlation = float(np.corrcoef(estimated, np.array(truth))[0, 1])
    mean_error = float(np.abs(estimated - np.array(truth)).mean())
    print(
        f"calibration: r={correlation:.3f}, mean absolute error {mean_error:.3f} logits, {fit.iterations} iterations"
    )
    assert correlation > 0.95
    assert mean_error < 0.25
    assert fit.members == 1500 and fit.answers == 1500 * 20
    assert sum(c.responses for c in fit.items) == fit.answers


def test_a_members_repeated_answer_counts_once_and_perfect_items_stay_finite() -> None:
    rows = [(m, "easy", True) for m in range(50)] + [(m, "easy", False) for m in range(50)]  # repeats
    rows += [(m, "mixed", m % 2 == 0) for m in range(50)]
    fit = fit_rasch(rows, {"easy": -2.0})
    by_item = {c.item: c for c in fit.items}
    assert by_item["easy"].responses == 50
    assert -6.0 <= by_item["easy"].difficulty < by_item["mixed"].difficulty
    assert by_item["mixed"].difficulty == pytest.approx(0.0, abs=0.15)


def test_no_answers_no_fit() -> None:
    fit = fit_rasch([])
    assert fit.items == () and fit.answers == 0


@pytest.mark.parametrize(
    ("responses", "expected"),
    [
        (29, {"q1": -2.0, "q2": 0.0, "q3": 1.0}),  # too few answers: the priors stay
        # enough: the fit's differences (q1 2 logits harder than q2), placed on the priors' scale
        (30, {"q1": 0.0, "q2": -2.0, "q3": 1.0}),
        (500, {"q1": 0.0, "q2": -2.0, "q3": 1.0}),
    ],
)
def test_calibrated_difficulties_replace_the_priors_only_with_enough_answers(
    responses: int, expected: dict[str, float]
) -> None:
    fitted = [
        Calibrated("q1", 1.5, responses),
        Calibrated("q2", -0.5, responses),
        Calibrated("gone", 3.0, 99),
    ]
    result = difficulties({"q1": -2.0, "q2": 0.0, "q3": 1.0}, fitted, 30)
    assert result == pytest.approx(expected)  # an item no longer in the bank is ignored
