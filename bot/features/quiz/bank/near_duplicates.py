"""Near-duplicate stems: which later stem is too like an earlier one, compared word by word.

Two stems are compared by their word shingles (each pair of neighboring words): the similarity is the
Jaccard index of the two sets, the shared pairs over all pairs. Rewording two or three words of a stem
keeps it high; a stock phrase that many questions share ("Under the National EMS Scope of Practice
Model") moves it little, because the rest of each stem differs.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from itertools import pairwise

from bot.features.quiz.bank.model import NEAR_DUPLICATE_SIMILARITY

Shingle = tuple[str, ...]


def shingles(stem: str) -> frozenset[Shingle]:
    """The set of neighboring word pairs of a (normalized) stem; a one-word stem is its own shingle."""
    words = stem.split()
    if len(words) < 2:
        return frozenset({tuple(words)})
    return frozenset(pairwise(words))


def similarity(a: frozenset[Shingle], b: frozenset[Shingle]) -> float:
    """Jaccard index of two shingle sets (1.0 for two empty ones)."""
    union = len(a | b)
    return len(a & b) / union if union else 1.0


def near_duplicates(stems: Sequence[str]) -> Iterator[tuple[int, int, float]]:
    """(later, earlier, similarity): each stem whose similarity to an earlier one is over the limit.

    An earlier stem that was itself a near-duplicate is not compared again. Only stems that share a
    shingle can be similar, so an index from shingle to the stems holding it finds the candidates and
    counts the shared shingles at once; the sizes give the union (``python -m bench.bank_bench`` times it).
    """
    limit = NEAR_DUPLICATE_SIMILARITY
    index: defaultdict[Shingle, list[int]] = defaultdict(list)
    sizes: list[int] = []
    for later, stem in enumerate(stems):
        own = shingles(stem)
        sizes.append(len(own))
        shared: defaultdict[int, int] = defaultdict(int)
        for shingle in own:
            for earlier in index[shingle]:
                shared[earlier] += 1
        best: tuple[float, int] | None = None
        for earlier, common in sorted(shared.items()):  # the earliest wins a tie
            score = common / (len(own) + sizes[earlier] - common)
            if score > limit and (best is None or score > best[0]):
                best = (score, earlier)
        if best is None:
            for shingle in own:
                index[shingle].append(later)
        else:
            yield later, best[1], best[0]
