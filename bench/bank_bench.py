"""The question bank's checks: the near-duplicate comparison at the shipped size and at larger, synthetic
sizes, and the whole ``questions check``.

Run from the repository root: python -m bench.bank_bench [--scales 1 2] [--repeat 5]
A scale of 2 is the shipped stems plus as many synthetic ones, each a shuffle of a shipped stem's words
(as long as a real stem, with the bank's own words, but not a near-duplicate of it). Prints figures;
asserts nothing.
"""

from __future__ import annotations

import argparse
import random
import time

from bench._common import summary
from bot.features.quiz.bank import DEFAULT_BANK_DIR, check_bank, load_bank, normalize
from bot.features.quiz.bank.near_duplicates import near_duplicates
from bot.policy import load_policy


def synthetic(stems: list[str], count: int, rng: random.Random) -> list[str]:
    """``count`` stems made by shuffling the words of randomly chosen real ones."""
    made = []
    for _ in range(count):
        words = rng.choice(stems).split()
        rng.shuffle(words)
        made.append(" ".join(words))
    return made


def timed_ms(stems: list[str], repeat: int) -> tuple[list[float], int]:
    samples, found = [], 0
    for _ in range(repeat):
        start = time.perf_counter()
        found = len(list(near_duplicates(stems)))
        samples.append((time.perf_counter() - start) * 1000)
    return samples, found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 2], help="bank sizes, in shipped banks")
    parser.add_argument("--repeat", type=int, default=5, help="timed runs per size")
    args = parser.parse_args()
    policy = load_policy()
    rng = random.Random(11)

    shipped = [
        normalize(q.stem) for q in load_bank(DEFAULT_BANK_DIR, policy, near_duplicates=False).questions
    ]
    for scale in args.scales:
        stems = shipped + synthetic(shipped, (scale - 1) * len(shipped), rng)
        samples, found = timed_ms(stems, args.repeat)
        label = "shipped" if scale == 1 else f"{scale}x, synthetic"
        print(summary(f"near-duplicates over {len(stems)} stems ({label}; {found} found)", samples))

    samples = []
    for _ in range(args.repeat):
        start = time.perf_counter()
        bank, problems = check_bank(DEFAULT_BANK_DIR, policy)
        samples.append((time.perf_counter() - start) * 1000)
    print(summary(f"questions check, whole ({len(bank)} questions, {len(problems)} problems)", samples))


if __name__ == "__main__":
    main()
