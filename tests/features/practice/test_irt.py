"""The check-in's arithmetic: Rasch probability and information, EAP, the stopping rule, the next item."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.features.practice import irt
from bot.features.practice.irt import Candidate, Estimate, Response, Verdict

difficulties = st.floats(min_value=-3, max_value=3, allow_nan=False)
answers = st.lists(st.tuples(difficulties, st.booleans()), max_size=40)


@pytest.mark.parametrize(
    ("theta", "b", "expected"),
    [(0.0, 0.0, 0.5), (1.0, 0.0, 0.7310585786), (-1.0, 0.0, 0.2689414214), (40.0, 0.0, 1.0), (-800, 0, 0.0)],
)
def test_rasch_probability(theta: float, b: float, expected: float) -> None:
    assert irt.probability(theta, b) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("theta", "b", "expected"), [(0.0, 0.0, 0.25), (2.0, 2.0, 0.25), (1.0, 0.0, 0.1966119)]
)
def test_information_peaks_where_the_difficulty_meets_the_level(
    theta: float, b: float, expected: float
) -> None:
    assert irt.information(theta, b) == pytest.approx(expected)


def test_with_no_answers_the_estimate_is_the_prior() -> None:
    est = irt.estimate([], prior_sd=1.0)
    assert est.ability == pytest.approx(0.0, abs=1e-9)
    assert est.se == pytest.approx(1.0, abs=1e-3)
    assert est.items == 0


@pytest.mark.parametrize(
    ("responses", "sign"),
    [
        ([Response(0.0, True)] * 10, 1),
        ([Response(0.0, False)] * 10, -1),
        ([Response(0.0, True), Response(0.0, False)] * 10, 0),
    ],
)
def test_all_right_all_wrong_and_half_stay_finite(responses: list[Response], sign: int) -> None:
    est = irt.estimate(responses)
    assert -6 < est.ability < 6 and 0 < est.se < 1
    if sign == 0:
        assert est.ability == pytest.approx(0.0, abs=1e-9)
    else:
        assert est.ability * sign > 1


@settings(max_examples=60, deadline=None)
@given(answers, difficulties)
def test_a_right_answer_moves_the_estimate_up_and_a_wrong_one_down(
    history: list[tuple[float, bool]], b: float
) -> None:
    before = irt.estimate([Response(d, c) for d, c in history]).ability
    right = irt.estimate([*(Response(d, c) for d, c in history), Response(b, True)]).ability
    wrong = irt.estimate([*(Response(d, c) for d, c in history), Response(b, False)]).ability
    assert right > before > wrong


@settings(max_examples=100, deadline=None)
@given(answers, difficulties, st.booleans())
def test_the_interval_shrinks_as_items_are_added(
    history: list[tuple[float, bool]], b: float, c: bool
) -> None:
    # an item near the current estimate (where the check-in picks them) always narrows the posterior
    responses = [Response(d, ok) for d, ok in history]
    before = irt.estimate(responses)
    after = irt.estimate([*responses, Response(before.ability + (b / 3), c)])
    assert after.se < before.se + 1e-9


@pytest.mark.parametrize(
    ("ability", "se", "items", "stop", "verdict"),
    [
        (2.0, 0.3, 5, False, Verdict.READY),  # clear, but never before the minimum
        (2.0, 0.3, 20, True, Verdict.READY),  # wholly above: stop
        (-1.0, 0.3, 20, True, Verdict.NOT_YET),  # wholly below: stop
        (0.6, 0.3, 20, False, Verdict.TOO_CLOSE),  # straddles: go on
        (0.6, 0.3, 39, False, Verdict.TOO_CLOSE),
        (0.6, 0.3, 40, True, Verdict.TOO_CLOSE),  # the maximum: stop, too close to call
        (0.5 + 1.96 * 0.3 + 1e-6, 0.3, 20, True, Verdict.READY),  # the lower end just above the line
    ],
)
def test_the_stopping_rule(ability: float, se: float, items: int, stop: bool, verdict: Verdict) -> None:
    est = Estimate(ability, se, items)
    assert irt.should_stop(est, 0.5, 1.96, 20, 40) is stop
    assert irt.verdict(est, 0.5, 1.96) is verdict


SHARES = {"a": 0.6, "b": 0.4}
POOL = [
    Candidate("a-easy", "a", -2.0),
    Candidate("a-mid", "a", 0.0),
    Candidate("a-hard", "a", 2.0),
    Candidate("b-easy", "b", -2.0),
    Candidate("b-hard", "b", 2.0),
]


@pytest.mark.parametrize(
    ("theta", "asked", "exclude", "expected"),
    [
        (0.0, [], set(), "a-mid"),  # domain a is furthest behind; its closest item to the level
        (2.1, [], set(), "a-hard"),
        (0.0, ["a"], set(), "b-easy"),  # after one a, b is behind (0.8 vs 0.2); -2 and 2 tie: easy or hard
        (0.0, [], {"a-mid"}, "a-easy"),  # excluded: the next closest (ties broken by the seed)
        (1.5, ["a", "a", "a"], set(), "b-hard"),
    ],
)
def test_the_next_item(theta: float, asked: list[str], exclude: set[str], expected: str) -> None:
    rngs = [random.Random(seed) for seed in range(20)]
    chosen = {irt.next_item(POOL, theta, SHARES, asked, exclude, rng) for rng in rngs}
    expected_set = {expected}
    if expected == "b-easy":
        expected_set = {"b-easy", "b-hard"}
    if expected == "a-easy":
        expected_set = {"a-easy", "a-hard"}
    assert {c.id for c in chosen if c} == expected_set


def test_no_item_left() -> None:
    assert irt.next_item(POOL, 0.0, SHARES, [], {c.id for c in POOL}, random.Random(1)) is None


def test_a_domain_pulls_down_when_the_member_misses_more_than_their_level_predicts() -> None:
    responses = [Response(0.0, True, "a")] * 4 + [Response(0.0, False, "b")] * 4 + [Response(0.0, True, "c")]
    theta = irt.estimate(responses).ability
    assert irt.domain_shortfalls(responses, theta, 1.0) == ["b"]
    assert irt.domain_shortfalls(responses, theta, 10.0) == []


def test_blueprint_shares_are_the_midpoints_normalized() -> None:
    shares = irt.blueprint_shares({"a": (19, 23), "b": (37, 41)})
    assert shares == pytest.approx({"a": 21 / 60, "b": 39 / 60})


@settings(max_examples=200, deadline=None)
@given(
    st.floats(min_value=-4, max_value=4),
    st.floats(min_value=0.05, max_value=1.5),
    st.integers(min_value=0, max_value=60),
)
def test_the_stopping_rule_holds_for_any_estimate(ability: float, se: float, items: int) -> None:
    est = Estimate(ability, se, items)
    stop = irt.should_stop(est, 0.5, 1.96, 20, 40)
    if items < 20:
        assert not stop  # never before the minimum
    elif items >= 40:
        assert stop  # always at the maximum
    else:
        low, high = est.interval(1.96)
        assert stop is (low > 0.5 or high < 0.5)  # only when the interval is wholly on one side
