"""The check-in's session rules on the real bank and policy: blueprint balance, exclusions, the stop."""

from __future__ import annotations

import random
from collections import Counter

import pytest

from bot.features.practice.checkin import Change, CheckinEngine, change, prior_difficulties
from bot.features.practice.irt import Verdict
from bot.features.practice.model import ItemKind, Outcome
from bot.features.quiz.bank import QuestionBank
from bot.policy import Policy


def run(
    engine: CheckinEngine, bank: QuestionBank, policy: Policy, answer: bool, exclude: set[str]
) -> list[Outcome]:
    diffs = prior_difficulties(bank, policy.checkin)
    rng = random.Random(3)
    outcomes: list[Outcome] = []
    item = engine.next([], diffs, exclude, rng)
    while item is not None:
        question = bank.get(item.id)
        assert question is not None and not question.multiple and item.kind is ItemKind.QUESTION
        outcomes.append(Outcome(len(outcomes), item, question.domain.value, question.bucket, answer, 5.0))
        item = engine.next(outcomes, diffs, exclude, rng)
    return outcomes


@pytest.mark.parametrize(("answer", "verdict"), [(True, Verdict.READY), (False, Verdict.NOT_YET)])
def test_a_clear_member_stops_at_the_minimum_with_a_clear_verdict(
    bank: QuestionBank, policy: Policy, answer: bool, verdict: Verdict
) -> None:
    engine = CheckinEngine(bank, policy.domain_weights, policy.checkin)
    outcomes = run(engine, bank, policy, answer, set())
    assert len(outcomes) == policy.checkin.min_items
    assert len({o.item.id for o in outcomes}) == len(outcomes)
    report = engine.report(outcomes, prior_difficulties(bank, policy.checkin))
    assert report.verdict is verdict


def test_items_follow_the_blueprint_and_skip_the_last_checkin(bank: QuestionBank, policy: Policy) -> None:
    engine = CheckinEngine(bank, policy.domain_weights, policy.checkin)
    first = run(engine, bank, policy, True, set())
    seen = {o.item.id for o in first}
    second = run(engine, bank, policy, True, seen)
    assert not seen & {o.item.id for o in second}
    counts = Counter(o.domain for o in first)
    for domain, (low, high) in policy.domain_weights.items():
        # within one item of the blueprint midpoint's share of 20
        assert abs(counts[domain] - (low + high) / 2 / 100 * len(first)) <= 1.5, counts


def test_an_empty_pool_stops_at_once(bank: QuestionBank, policy: Policy) -> None:
    engine = CheckinEngine(bank, policy.domain_weights, policy.checkin)
    everything = set(engine.questions)
    assert engine.next([], prior_difficulties(bank, policy.checkin), everything, random.Random(1)) is None


@pytest.mark.parametrize(
    ("current", "previous", "expected"),
    [(0.4, None, Change.FIRST), (1.0, 0.5, Change.UP), (0.5, 1.0, Change.DOWN), (0.6, 0.5, Change.SAME)],
)
def test_the_change_since_the_last_checkin(current: float, previous: float | None, expected: Change) -> None:
    assert change(current, previous, 0.3) is expected


def test_priors_follow_the_authors_levels(bank: QuestionBank, policy: Policy) -> None:
    priors = prior_difficulties(bank, policy.checkin)
    for question in bank.questions[:50]:
        assert priors[question.id] == policy.checkin.difficulty_logits[question.difficulty - 1]
