"""``python -m bot questions check [PATH]``: check a question bank folder and print its problems and mix.

Works on any folder (an organizer's edited copy, for instance). Exit status 1 if there is any error,
0 otherwise (warnings alone do not fail the check), 2 for a usage mistake or an unreadable policy file.
"""

from __future__ import annotations

import sys
from pathlib import Path

from bot.features.quiz.bank import (
    DEFAULT_BANK_DIR,
    DOMAIN_LABEL,
    EXAM_DOMAINS,
    LETTERS,
    Domain,
    Problem,
    QuestionBank,
    bank_files,
    bank_mix,
    check_bank,
)
from bot.features.quiz.bank.model import (
    ANSWER_LETTER_SHARE,
    DIFFICULTIES,
    PEDIATRIC_SHARE,
    WEIGHT_TOLERANCE_POINTS,
)
from bot.policy import Policy, PolicyError, load_policy

USAGE = "usage: python -m bot questions check [PATH]   (PATH: a question bank folder; default data/questions)"


def main(argv: list[str]) -> int:
    """``argv`` is what follows ``questions check`` on the command line."""
    if argv and argv[0] in ("-h", "--help"):
        print(USAGE)
        return 0
    if len(argv) > 1 or (argv and argv[0].startswith("-")):
        print(USAGE, file=sys.stderr)
        return 2
    folder = Path(argv[0]) if argv else DEFAULT_BANK_DIR
    try:
        policy = load_policy()
    except PolicyError as error:
        print(f"Cannot check the questions: {error}", file=sys.stderr)
        return 2
    bank, problems = check_bank(folder, policy)
    for problem in problems:
        print(problem)
    files = len(bank_files(folder)) if folder.is_dir() else 0
    print(summary(bank, problems, files, policy))
    return 1 if any(p.severity == "error" for p in problems) else 0


def summary(bank: QuestionBank, problems: list[Problem], files: int, policy: Policy) -> str:
    """The counts, the blueprint table (each domain against the exam's weights) and the difficulty table."""
    errors = sum(p.severity == "error" for p in problems)
    warnings = len(problems) - errors
    mix = bank_mix(bank)
    width = max(len(DOMAIN_LABEL[d]) for d in Domain)
    points = WEIGHT_TOLERANCE_POINTS
    lines = [
        f"{len(bank)} questions in {files} files: {_count(errors, 'error')}, {_count(warnings, 'warning')}",
        f"Blueprint: {mix.exam_total} exam-domain questions against the 2025 EMR exam's weights (+-{points} points)",
        f"  {'domain':<{width}} {'count':>5} {'share':>6}  exam weight",
    ]
    for domain in EXAM_DOMAINS:
        count = mix.by_domain[domain]
        weight = policy.domain_weights.get(domain.value)
        target = f"  {weight[0]}-{weight[1]}%" if weight else ""
        lines.append(f"  {DOMAIN_LABEL[domain]:<{width}} {count:>5} {mix.share(count):5.1f}%{target}")
    pathway = mix.by_domain[Domain.PATHWAY]
    lines.append(
        f"  {DOMAIN_LABEL[Domain.PATHWAY]:<{width}} {pathway:>5}   (separate set, not in the shares)"
    )
    low, high = PEDIATRIC_SHARE
    lines += [
        f"Kinds (exam domains): {mix.single} single answer, {mix.multiple} multiple response",
        f"Pediatric: {mix.pediatric} of {mix.exam_total} exam-domain questions "
        f"({mix.share(mix.pediatric):.1f}%; aim {low}-{high}%)",
    ]
    low, high = ANSWER_LETTER_SHARE
    letters = ", ".join(
        f"{letter} {mix.by_letter[letter]} ({mix.letter_share(mix.by_letter[letter]):.1f}%)"
        for letter in LETTERS
    )
    lines.append(
        f"Correct answers: {letters} of {mix.single} single-answer questions (aim {low}-{high}% each)"
    )
    levels = "".join(f"{level:>5}" for level in DIFFICULTIES)
    lines += ["Difficulty (exam domains): questions at each level", f"  {'domain':<{width}}{levels}"]
    for domain in EXAM_DOMAINS:
        row = "".join(f"{mix.difficulty_by_domain[domain][level]:>5}" for level in DIFFICULTIES)
        lines.append(f"  {DOMAIN_LABEL[domain]:<{width}}{row}")
    total = "".join(f"{mix.by_difficulty[level]:>5}" for level in DIFFICULTIES)
    lines.append(f"  {'all exam domains':<{width}}{total}")
    return "\n".join(lines)


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"
