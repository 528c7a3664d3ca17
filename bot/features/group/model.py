"""The small-number rule: which of the group's counts may be shown. Pure: counts in, shown cells out.

Small numbers identify people, so:

* a count under the policy's threshold (3) is shown as "fewer than 3" (zero too: a count that went from
  "0" to "fewer than 3" the day a member joined would say which category that member is in);
* a breakdown (parts that add up to a total, such as "blocked at each gate") must not let anyone
  recover a small count by subtraction (total minus the shown parts). When any part is held back,
  further parts are held back, smallest first, until the parts held back add up to at least the
  threshold (complementary suppression). A part held back for that reason is "not shown", never
  "fewer than 3" (which would be false);
* a part of a part that is held back is held back too (its parts would add back up to it).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Generic, TypeVar

from bot.core.refusals import Refusal

K = TypeVar("K")


class Hidden(StrEnum):
    FEW = "few"  # under the threshold: "fewer than 3"
    PROTECTED = "protected"  # held back so that a small count cannot be recovered by subtraction


@dataclass(frozen=True, slots=True)
class Shown:
    """One count as the organizer sees it: its value, or why it is held back."""

    value: int | None
    hidden: Hidden | None = None

    @property
    def visible(self) -> bool:
        return self.hidden is None


def mask(count: int, threshold: int) -> Shown:
    """A count on its own: shown if at or above the threshold, else "fewer than <threshold>"."""
    return Shown(count) if count >= threshold else Shown(None, Hidden.FEW)


@dataclass(frozen=True, slots=True)
class Breakdown(Generic[K]):
    """A total and its parts (in their display order), each as shown."""

    total: Shown
    parts: tuple[tuple[K, Shown], ...]

    def part(self, key: K) -> Shown:
        return next(shown for k, shown in self.parts if k == key)


def suppress(counts: Mapping[K, int], threshold: int, *, total: Shown | None = None) -> Breakdown[K]:
    """Show a breakdown without letting a small count be recovered by subtraction (module docstring).

    ``counts`` must add up to the total. Pass ``total`` when the total is itself shown differently (a
    part of a larger breakdown that was held back): then every part is held back as well.
    """
    whole = sum(counts.values())
    shown_total = total if total is not None else mask(whole, threshold)
    if not shown_total.visible:
        hidden = Hidden.FEW if shown_total.hidden is Hidden.FEW else Hidden.PROTECTED
        return Breakdown(
            shown_total,
            tuple(
                (k, Shown(None, Hidden.FEW) if c < threshold else Shown(None, hidden))
                for k, c in counts.items()
            ),
        )
    held: dict[K, Hidden] = {k: Hidden.FEW for k, c in counts.items() if c < threshold}
    if held:
        residue = sum(counts[k] for k in held)
        for key in sorted((k for k in counts if k not in held), key=lambda k: counts[k]):
            if residue >= threshold:
                break
            held[key] = Hidden.PROTECTED
            residue += counts[key]
    return Breakdown(
        shown_total,
        tuple((k, Shown(None, held[k]) if k in held else Shown(c)) for k, c in counts.items()),
    )


def subtotal(breakdown: Breakdown[K], keys: Collection[K]) -> Shown:
    """The sum of some parts, shown only when it holds back none of the held-back parts, or all of them
    (then it is the shown total minus shown parts: no new number). Otherwise it would reveal a partial
    sum of held-back parts."""
    if not breakdown.total.visible:
        return Shown(None, breakdown.total.hidden)
    held = {k for k, shown in breakdown.parts if not shown.visible}
    inside = held.intersection(keys)
    if inside and inside != held:
        return Shown(None, Hidden.PROTECTED)
    if inside:  # every held-back part: the total minus the shown parts outside
        outside = sum(s.value or 0 for k, s in breakdown.parts if k not in keys)
        return Shown((breakdown.total.value or 0) - outside)
    return Shown(sum(s.value or 0 for k, s in breakdown.parts if k in keys))


def funnel(breakdown: Breakdown[K]) -> tuple[tuple[K, Shown], ...]:
    """How many reached each stage (this part and every later one), as may be shown (:func:`subtotal`)."""
    keys = [k for k, _ in breakdown.parts]
    return tuple((key, subtotal(breakdown, keys[index:])) for index, key in enumerate(keys))


def share(part: int, base: int, bases: Sequence[int], threshold: int) -> float | None:
    """``part / base`` when every base it rests on (answers, members) is at or above the threshold."""
    if base <= 0 or any(b < threshold for b in bases):
        return None
    return part / base


# ------------------------------------------------------------------------------------ /group digest


class DigestProblem(StrEnum):
    QUIZ_NOT_SET_UP = "quiz_not_set_up"


class DigestRefusal(Refusal):
    def __init__(self, problem: DigestProblem) -> None:
        super().__init__(problem)
        self.problem = problem
