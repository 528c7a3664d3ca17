"""``python -m bot questions check [PATH]``: check a question bank folder and print its problems and mix.

Works on any folder (an organiser's edited copy, for instance). Exit status 1 if there is any error,
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
    errors = sum(p.severity == "error" for p in problems)
    warnings = len(problems) - errors
    mix = bank_mix(bank)
    lines = [
        f"{len(bank)} questions in {files} files: {_count(errors, 'error')}, {_count(warnings, 'warning')}",
        f"Exam domains ({mix.exam_total} questions):",
    ]
    width = max(len(DOMAIN_LABEL[d]) for d in Domain)
    for domain in EXAM_DOMAINS:
        count = mix.by_domain[domain]
        weight = policy.domain_weights.get(domain.value)
        target = f"  (exam weight {weight[0]}-{weight[1]}%)" if weight else ""
        lines.append(f"  {DOMAIN_LABEL[domain]:<{width}} {count:>4} {mix.share(count):5.1f}%{target}")
    pathway = mix.by_domain[Domain.PATHWAY]
    lines.append(f"  {DOMAIN_LABEL[Domain.PATHWAY]:<{width}} {pathway:>4}  (separate set, not in the shares)")
    lines.append(
        f"Pediatric: {mix.pediatric} of {mix.exam_total} exam-domain questions ({mix.share(mix.pediatric):.1f}%)"
    )
    letters = ", ".join(
        f"{letter} {mix.by_letter[letter]} ({mix.share(mix.by_letter[letter]):.1f}%)" for letter in LETTERS
    )
    lines.append(f"Correct answers: {letters}")
    return "\n".join(lines)


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"
