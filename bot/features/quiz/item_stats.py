"""/quiz items: how each bank question performs over every member's answers. Pure: rows in, rows out.

Per item: how many members answered it (each member's first answer counts, as in the calibration),
how many got it right, its point-biserial discrimination (the correlation between getting this item
right and the member's share right on their OTHER items: a good item is got right more often by members
who do well elsewhere), its calibrated Rasch difficulty (once it has enough answers) and how many times
members reported it. An item with negative discrimination or many reports is flagged "check this item":
a wrong key shows up exactly that way. Counts only: no member is named anywhere in the result.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from bot.features.quiz.bank import QuestionBank
from bot.policy import CheckinPolicy


@dataclass(frozen=True, slots=True)
class ItemStat:
    item_id: str
    domain: str
    answers: int
    right: int
    discrimination: float | None  # None with fewer answers than the policy's minimum
    difficulty: float | None  # calibrated logits; None until the item has enough answers
    reports: int
    negative: bool  # discrimination below the flag line
    many_reports: bool

    @property
    def flagged(self) -> bool:
        return self.negative or self.many_reports

    @property
    def share_right(self) -> float | None:
        return self.right / self.answers if self.answers else None


@dataclass(frozen=True, slots=True)
class ItemReport:
    items: tuple[ItemStat, ...]  # flagged first (most reports, lowest discrimination), then most answered
    members: int

    @property
    def flagged(self) -> tuple[ItemStat, ...]:
        return tuple(s for s in self.items if s.flagged)


def point_biserial(pairs: list[tuple[bool, float]]) -> float | None:
    """Pearson correlation of a 0/1 answer with a score; None when either does not vary."""
    n = len(pairs)
    if n < 2:
        return None
    xs = [1.0 if x else 0.0 for x, _ in pairs]
    ys = [y for _, y in pairs]
    mx, my = sum(xs) / n, sum(ys) / n
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True))
    sxx = sum((x - mx) ** 2 for x in xs)
    syy = sum((y - my) ** 2 for y in ys)
    if sxx <= 0 or syy <= 0:
        return None
    return sxy / math.sqrt(sxx * syy)


def item_statistics(
    bank: QuestionBank,
    answers: Iterable[tuple[int, str, object]],
    reports: Mapping[str, int],
    calibrated: Mapping[str, tuple[float, int]],
    policy: CheckinPolicy,
) -> ItemReport:
    """Statistics for every bank question (and any reported or answered id no longer in the bank)."""
    first: dict[tuple[int, str], bool] = {}
    for member, item, correct in answers:
        first.setdefault((member, item), bool(correct))
    totals: dict[int, list[int]] = {}
    by_item: dict[str, list[tuple[int, bool]]] = {}
    for (member, item), correct in first.items():
        total = totals.setdefault(member, [0, 0])
        total[0] += 1
        total[1] += correct
        by_item.setdefault(item, []).append((member, correct))
    ids = list(bank.ids) + sorted((set(by_item) | set(reports)) - set(bank.ids))
    stats = []
    for item_id in ids:
        rows = by_item.get(item_id, [])
        pairs = [(ok, (totals[m][1] - ok) / (totals[m][0] - 1)) for m, ok in rows if totals[m][0] > 1]
        disc = point_biserial(pairs) if len(rows) >= policy.items_min_answers else None
        fitted = calibrated.get(item_id)
        question = bank.get(item_id)
        count = reports.get(item_id, 0)
        stats.append(
            ItemStat(
                item_id,
                question.domain.value if question else "retired",
                len(rows),
                sum(ok for _, ok in rows),
                disc,
                fitted[0] if fitted and fitted[1] >= policy.min_responses else None,
                count,
                disc is not None and disc < policy.flag_discrimination,
                count >= policy.flag_reports,
            )
        )
    stats.sort(
        key=lambda s: (
            not s.flagged,
            -s.reports if s.flagged else 0,
            s.discrimination if s.flagged and s.discrimination is not None else 0.0,
            -s.answers,
            s.item_id,
        )
    )
    return ItemReport(tuple(stats), len(totals))
