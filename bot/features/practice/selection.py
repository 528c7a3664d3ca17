"""Which items a practice session holds: chosen once, when it starts. Pure: ids and counts in, refs out."""

from __future__ import annotations

import random
from collections.abc import Collection, Mapping, Sequence

from bot.features.practice.content import PracticeContent
from bot.features.practice.model import ItemKind, ItemRef
from bot.features.quiz.bank import EXAM_DOMAINS, Question, QuestionBank


def single_answer(bank: QuestionBank) -> list[Question]:
    """Exam-domain questions answered with one of four options (what a session's A-D buttons take)."""
    exam = set(EXAM_DOMAINS)
    return [q for q in bank.questions if q.domain in exam and not q.multiple]


def domain_weights(
    weights: Mapping[str, tuple[int, int]], history: Mapping[str, tuple[int, int]]
) -> dict[str, float]:
    """Each exam domain's share of a knowledge drill: its blueprint midpoint times how often the member
    misses it, estimated as 1 - (right + 1) / (answered + 2) so a domain with no answers counts as 1/2."""
    shares: dict[str, float] = {}
    for domain, (low, high) in weights.items():
        answered, right = history.get(domain, (0, 0))
        miss_rate = 1 - (right + 1) / (answered + 2)
        shares[domain] = (low + high) / 2 * miss_rate
    return shares


def _draw(
    pool: Mapping[str, Sequence[str]],
    shares: Mapping[str, float],
    n: int,
    recent: Collection[str],
    rng: random.Random,
) -> list[str]:
    """``n`` distinct ids: domains drawn by share, unseen ids first within a domain."""
    left = {
        d: [i for i in ids if i not in recent] + [i for i in ids if i in recent] for d, ids in pool.items()
    }
    for ids in left.values():
        fresh = [i for i in ids if i not in recent]
        rng.shuffle(fresh)
        ids[: len(fresh)] = fresh
    chosen: list[str] = []
    while len(chosen) < n:
        domains = [d for d in left if left[d] and shares.get(d, 0) > 0] or [d for d in left if left[d]]
        if not domains:
            break
        domain = rng.choices(domains, weights=[max(shares.get(d, 0), 1e-9) for d in domains])[0]
        chosen.append(left[domain].pop(0))
    return chosen


def knowledge_items(
    bank: QuestionBank,
    weights: Mapping[str, tuple[int, int]],
    history: Mapping[str, tuple[int, int]],
    recent: Collection[str],
    n: int,
    rng: random.Random,
) -> list[ItemRef]:
    pool: dict[str, list[str]] = {}
    for q in single_answer(bank):
        pool.setdefault(q.domain.value, []).append(q.id)
    ids = _draw(pool, domain_weights(weights, history), n, recent, rng)
    return [ItemRef(ItemKind.QUESTION, i) for i in ids]


def timed_items(
    bank: QuestionBank,
    weights: Mapping[str, tuple[int, int]],
    domain: str | None,
    recent: Collection[str],
    n: int,
    rng: random.Random,
) -> list[ItemRef]:
    """A block in the blueprint's proportions (or one domain), unseen questions first."""
    pool: dict[str, list[str]] = {}
    for q in single_answer(bank):
        if domain is None or q.domain.value == domain:
            pool.setdefault(q.domain.value, []).append(q.id)
    shares = {d: (low + high) / 2 for d, (low, high) in weights.items()}
    return [ItemRef(ItemKind.QUESTION, i) for i in _draw(pool, shares, n, recent, rng)]


def scope_items(bank: QuestionBank, content: PracticeContent, n: int, rng: random.Random) -> list[ItemRef]:
    """Can / cannot cards mixed with the bank's scope questions, cards first when there are more."""
    cards = [ItemRef(ItemKind.CARD, c.id) for c in content.cards]
    questions = [ItemRef(ItemKind.QUESTION, q.id) for q in single_answer(bank) if q.bucket.value == "scope"]
    rng.shuffle(cards)
    rng.shuffle(questions)
    take_cards = min(len(cards), max(n - len(questions), (n + 1) // 2))
    items = cards[:take_cards] + questions[: n - take_cards]
    rng.shuffle(items)
    return items


def reading_items(
    content: PracticeContent, recent: Collection[str], n: int, rng: random.Random
) -> list[ItemRef]:
    ids = sorted(content.keywords)
    rng.shuffle(ids)
    ids.sort(key=lambda i: i in recent)  # stable: unseen first, shuffled within each group
    return [ItemRef(ItemKind.QUESTION, i, reading=True) for i in ids[:n]]


def sequence_items(content: PracticeContent, n: int, rng: random.Random) -> list[ItemRef]:
    ladders = [ItemRef(ItemKind.LADDER, lad.id) for lad in content.ladders]
    rng.shuffle(ladders)
    return ladders[:n]


def review_items(order: Sequence[str], bank: QuestionBank, content: PracticeContent, n: int) -> list[ItemRef]:
    """The first ``n`` review cards, in ``order``, that a session can still serve: a single-answer bank
    question, a scope card or a ladder that is still in the shipped content (an item a host removed is
    skipped, its card kept)."""
    items: list[ItemRef] = []
    for encoded in order:
        try:
            ref = ItemRef.decode(encoded)
        except ValueError:
            continue
        if ref.kind is ItemKind.QUESTION:
            question = bank.get(ref.id)
            servable = question is not None and not question.multiple and len(question.options) == 4
        elif ref.kind is ItemKind.CARD:
            servable = content.card(ref.id) is not None
        else:
            servable = content.ladder(ref.id) is not None
        if servable:
            items.append(ref)
        if len(items) >= n:
            break
    return items
