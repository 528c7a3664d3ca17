"""The adaptive check-in, simulated: how often its verdict is right, how many items it uses, and how long
item recalibration takes at scale. Prints figures; asserts nothing.

Run from the repository root:
    python -m bench.checkin_bench [--members 1000] [--calib-members 10000] [--items 600] [--per-member 60]

1. Members of known level (normal, centred on the readiness standard, spread --spread logits) take
   check-ins on the real bank with the real policy. The items' true difficulties are their author
   priors plus noise (--noise logits): the bot only knows the priors, as before any calibration.
   "Right" means "likely ready" for a member truly above the standard or "not yet" for one below;
   "too close to call" is counted apart (it is the honest answer near the line, never a wrong one).
2. Recalibration: --calib-members members each answer --per-member of --items items (sparse, missing at
   random) under the Rasch model; the marginal maximum likelihood fit is timed and its difficulties
   correlated with the true ones.
"""

from __future__ import annotations

import argparse
import math
import random
import statistics
import time

import numpy as np

from bot.features.practice.calibration import fit_rasch
from bot.features.practice.checkin import CheckinEngine, prior_difficulties
from bot.features.practice.irt import Verdict, probability
from bot.features.practice.model import Outcome
from bot.features.quiz.bank import DEFAULT_BANK_DIR, load_bank
from bot.policy import load_policy


def simulate_checkins(members: int, spread: float, noise: float, seed: int) -> None:
    policy = load_policy()
    bank = load_bank(DEFAULT_BANK_DIR, policy)
    engine = CheckinEngine(bank, policy.domain_weights, policy.checkin)
    rng = random.Random(seed)
    known = prior_difficulties(bank, policy.checkin)
    truth = {item: b + rng.gauss(0.0, noise) for item, b in known.items()}
    standard = policy.checkin.readiness_standard
    tally = {"right": 0, "wrong": 0, "close": 0}
    lengths: list[int] = []
    started = time.perf_counter()
    for _ in range(members):
        theta = rng.gauss(standard, spread)
        outcomes: list[Outcome] = []
        item = engine.next(outcomes, known, (), rng)
        while item is not None:
            question = engine.questions[item.id]
            right = rng.random() < probability(theta, truth[item.id])
            outcomes.append(Outcome(len(outcomes), item, question.domain.value, question.bucket, right, None))
            item = engine.next(outcomes, known, (), rng)
        verdict = engine.report(outcomes, known).verdict
        lengths.append(len(outcomes))
        if verdict is Verdict.TOO_CLOSE:
            tally["close"] += 1
        elif (verdict is Verdict.READY) == (theta > standard):
            tally["right"] += 1
        else:
            tally["wrong"] += 1
    seconds = time.perf_counter() - started
    decided = tally["right"] + tally["wrong"]
    print(
        f"check-ins: {members} members (level ~ N(standard, {spread}), item difficulty noise {noise} logits)"
    )
    print(
        f"  verdict right {tally['right']}/{decided} of the clear verdicts "
        f"({tally['right'] / max(decided, 1):.3f}); wrong {tally['wrong']}; too close to call {tally['close']} "
        f"({tally['close'] / members:.3f} of all)"
    )
    print(
        f"  items used: mean {statistics.fmean(lengths):.1f}, min {min(lengths)}, max {max(lengths)} "
        f"(policy {policy.checkin.min_items}-{policy.checkin.max_items}); "
        f"{seconds / members * 1000:.1f} ms of selection and scoring per check-in"
    )


def simulate_calibration(members: int, items: int, per_member: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    truth = rng.normal(0.0, 1.0, items)
    thetas = rng.normal(0.0, 1.0, members)
    rows: list[tuple[int, str, bool]] = []
    names = [f"q{i}" for i in range(items)]
    for member in range(members):
        chosen = rng.choice(items, size=min(per_member, items), replace=False)
        p = 1.0 / (1.0 + np.exp(-(thetas[member] - truth[chosen])))
        for item, ok in zip(chosen, rng.random(len(chosen)) < p, strict=True):
            rows.append((member, names[item], bool(ok)))
    started = time.perf_counter()
    fit = fit_rasch(rows)
    seconds = time.perf_counter() - started
    fitted = {c.item: c.difficulty for c in fit.items}
    estimated = np.array([fitted.get(name, math.nan) for name in names])
    mask = np.isfinite(estimated)
    correlation = float(np.corrcoef(estimated[mask], truth[mask])[0, 1]) if mask.sum() > 2 else math.nan
    print(
        f"recalibration: {members} members x {items} items, {fit.answers} answers "
        f"({fit.answers / (members * items):.3f} of the matrix): {seconds:.2f} s, {fit.iterations} EM "
        f"iterations, r={correlation:.3f} with the true difficulties"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--members", type=int, default=1000, help="simulated members taking a check-in")
    parser.add_argument("--spread", type=float, default=1.0, help="spread of their levels (logits)")
    parser.add_argument(
        "--noise", type=float, default=0.5, help="true difficulty minus prior, spread (logits)"
    )
    parser.add_argument("--calib-members", type=int, default=10_000)
    parser.add_argument("--items", type=int, default=600)
    parser.add_argument("--per-member", type=int, default=60, help="items each member answered")
    parser.add_argument("--seed", type=int, default=12)
    args = parser.parse_args()
    simulate_checkins(args.members, args.spread, args.noise, args.seed)
    simulate_calibration(args.calib_members, args.items, args.per_member, args.seed)


if __name__ == "__main__":
    main()
