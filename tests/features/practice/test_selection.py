"""Which items a session holds: weakness weighting, blueprint proportions, unseen first, kinds per bucket."""

from __future__ import annotations

import random
from collections import Counter

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.features.practice import selection
from bot.features.practice.content import PRACTICE_DIR, PracticeContent, check_content
from bot.features.practice.model import ItemKind
from bot.features.quiz.bank import QuestionBank
from bot.policy import Policy


@pytest.fixture(scope="module")
def content(bank: QuestionBank) -> PracticeContent:
    loaded, problems = check_content(PRACTICE_DIR, {q.id: q.stem for q in bank.questions})
    assert problems == []
    return loaded


@pytest.mark.parametrize(
    ("history", "weakest"),
    [
        ({}, "primary_assessment"),  # no answers: the blueprint's biggest domain leads
        ({"primary_assessment": (40, 38), "operations": (10, 2)}, "operations"),  # 20% right beats size
        ({"scene_safety": (20, 2)}, "scene_safety"),
    ],
)
def test_domain_weights_follow_the_members_misses(
    policy: Policy, history: dict[str, tuple[int, int]], weakest: str
) -> None:
    # Domains not named have been answered well: 19 of 20 right.
    history = {d: (20, 19) for d in policy.domain_weights} | history if history else history
    weights = selection.domain_weights(policy.domain_weights, history)
    assert max(weights, key=weights.__getitem__) == weakest
    assert set(weights) == set(policy.domain_weights)


@given(st.integers(0, 50), st.integers(0, 50))
def test_more_right_answers_never_raise_a_domains_weight(answered: int, right: int) -> None:
    right = min(right, answered)
    base = {"d": (20, 22)}
    now = selection.domain_weights(base, {"d": (answered, right)})["d"]
    better = selection.domain_weights(base, {"d": (answered + 1, right + 1)})["d"]
    assert better <= now + 1e-12


def test_a_knowledge_drill_leans_on_the_weak_domain(bank: QuestionBank, policy: Policy) -> None:
    history = {d: (50, 48) for d in policy.domain_weights} | {"operations": (50, 5)}
    items = selection.knowledge_items(bank, policy.domain_weights, history, set(), 30, random.Random(3))
    domains = Counter(bank.get(i.id).domain.value for i in items)  # type: ignore[union-attr]
    assert len(items) == 30 and len({i.id for i in items}) == 30
    assert domains.most_common(1)[0][0] == "operations"


def test_unseen_questions_come_first(bank: QuestionBank, policy: Policy) -> None:
    pool = [q.id for q in selection.single_answer(bank) if q.domain.value == "secondary_assessment"]
    seen = set(pool[:-3])
    items = selection.timed_items(
        bank, policy.domain_weights, "secondary_assessment", seen, 3, random.Random(1)
    )
    assert {i.id for i in items} == set(pool[-3:])


def test_a_timed_block_follows_the_blueprint(bank: QuestionBank, policy: Policy) -> None:
    items = selection.timed_items(bank, policy.domain_weights, None, set(), 100, random.Random(7))
    shares = Counter(bank.get(i.id).domain.value for i in items)  # type: ignore[union-attr]
    assert shares["primary_assessment"] > shares["treatment_transport"] > shares["secondary_assessment"]


def test_each_drill_holds_its_own_kind_of_item(bank: QuestionBank, content: PracticeContent) -> None:
    rng = random.Random(5)
    scope = selection.scope_items(bank, content, 10, rng)
    assert {i.kind for i in scope} == {ItemKind.CARD, ItemKind.QUESTION}
    assert all(bank.get(i.id).bucket.value == "scope" for i in scope if i.kind is ItemKind.QUESTION)  # type: ignore[union-attr]
    reading = selection.reading_items(content, set(), 10, rng)
    assert all(i.reading and i.id in content.keywords for i in reading)
    ladders = selection.sequence_items(content, 10, rng)
    assert len(ladders) == 10 and all(i.kind is ItemKind.LADDER for i in ladders)
