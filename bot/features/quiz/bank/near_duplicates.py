"""Near-duplicate stems: which later stem is too like an earlier one."""

from __future__ import annotations

import difflib
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence

from bot.features.quiz.bank.model import NEAR_DUPLICATE_RATIO


def near_duplicates(stems: Sequence[str]) -> Iterator[tuple[int, int, float]]:
    """(later, earlier, ratio): each stem whose SequenceMatcher ratio to an earlier one is over the limit.

    An earlier stem that was itself a near-duplicate is not compared again. ``ratio()`` is costly (about
    a millisecond a pair), so each pair first meets three cheap upper bounds on it, each counting
    characters that ratio() could at most match: the shorter length (difflib's ``real_quick_ratio``),
    the characters in common (``quick_ratio``, here from counts made once per stem) and the longest
    common subsequence (ratio()'s matches form a common subsequence). On English stems the first two
    prune little; the third leaves almost nothing for ratio().
    """
    counts = [Counter(stem) for stem in stems]
    masks = [_char_masks(stem) for stem in stems]
    compared: list[int] = []
    limit = NEAR_DUPLICATE_RATIO
    for later, stem in enumerate(stems):
        matcher = difflib.SequenceMatcher(None, autojunk=False)
        matcher.set_seq2(stem)
        best: tuple[float, int] | None = None
        for earlier in compared:
            other = stems[earlier]
            most = limit * (len(stem) + len(other)) / 2  # ratio > limit needs more matches than this
            if (
                min(len(stem), len(other)) <= most
                or _common_chars(counts[later], counts[earlier]) <= most
                or _lcs_length(masks[earlier], len(other), stem) <= most
            ):
                continue
            matcher.set_seq1(other)
            ratio = matcher.ratio()
            if ratio > limit and (best is None or ratio > best[0]):
                best = (ratio, earlier)
        if best is None:
            compared.append(later)
        else:
            yield later, best[1], best[0]


def _common_chars(a: Counter[str], b: Counter[str]) -> int:
    return sum(min(n, b[char]) for char, n in a.items())


def _char_masks(text: str) -> dict[str, int]:
    masks: dict[str, int] = {}
    for position, char in enumerate(text):
        masks[char] = masks.get(char, 0) | (1 << position)
    return masks


def _lcs_length(masks: Mapping[str, int], length: int, other: str) -> int:
    """Length of the longest common subsequence of a text (given as its character masks) and ``other``.

    The bit-parallel method (Allison and Dix 1986; Hyyrö 2004): one big-integer step per character.
    """
    full = (1 << length) - 1
    row = full
    for char in other:
        matches = row & masks.get(char, 0)
        row = ((row + matches) | (row - matches)) & full
    return length - row.bit_count()
