"""Checks across the whole bank: duplicate ids, identical options, scope wording, answer clues, internal
references, near-duplicates, the mix and the difficulty levels."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from bot.features.errorlog.model import Bucket
from bot.features.quiz.bank.clues import common_words, key_is_longest_by_far, stem_echo
from bot.features.quiz.bank.model import (
    ANSWER_LETTER_SHARE,
    DIFFICULTIES,
    DOMAIN_LABEL,
    EXAM_DOMAINS,
    LETTERS,
    LONGEST_OPTION_FACTOR,
    NEAR_DUPLICATE_SIMILARITY,
    OPTION_LETTERS,
    PEDIATRIC_SHARE,
    SCOPE_MODEL,
    WEIGHT_TOLERANCE_POINTS,
    Problem,
    Question,
    QuestionBank,
    bank_mix,
)
from bot.features.quiz.bank.near_duplicates import near_duplicates as find_near_duplicates
from bot.policy import Policy


def normalize(text: str) -> str:
    """Text for comparison: case, punctuation and spacing ignored."""
    text = unicodedata.normalize("NFKC", text).casefold()
    return " ".join(re.sub(r"[^\w\s]", " ", text).split())


def check_questions(
    candidates: Sequence[tuple[Question, str]], *, near_duplicates: bool = True
) -> tuple[list[Question], list[Problem]]:
    """Question-level checks over the whole bank, in file order. Returns the questions kept."""
    problems: list[Problem] = []
    first_of: dict[str, Question] = {}
    kept: list[tuple[Question, str]] = []
    for question, path in candidates:
        line = _source_line(question)

        def error(message: str, path: str = path, line: int = line) -> None:
            problems.append(Problem(path, line, "error", message))

        first = first_of.get(question.id)
        if first is not None:
            error(f"duplicate id {question.id}: already used at {first.source}")
            continue
        first_of[question.id] = question
        options = [normalize(option) for option in question.options]
        same = [
            (OPTION_LETTERS[i], OPTION_LETTERS[j])
            for i in range(len(options))
            for j in range(i + 1, len(options))
            if options[i] == options[j]
        ]
        if same:
            pairs = ", ".join(f"{a} and {b}" for a, b in same)
            error(f"question {question.id}: options {pairs} are identical")
            continue
        if question.bucket is Bucket.SCOPE and SCOPE_MODEL not in " ".join(question.stem.casefold().split()):
            error(
                f"question {question.id}: a scope question's stem must name the model it tests against "
                f'("Scope of Practice", e.g. "the National EMS Scope of Practice Model")'
            )
            continue
        kept.append((question, path))
    problems.extend(_clue_warnings(kept))
    stems = [normalize(q.stem) for q, _ in kept]
    dropped: set[int] = set()
    for later, earlier, ratio in find_near_duplicates(stems) if near_duplicates else ():
        question, path = kept[later]
        other = kept[earlier][0]
        dropped.add(later)
        problems.append(
            Problem(
                path,
                _source_line(question),
                "error",
                f"question {question.id}: stem nearly duplicates {other.id} at {other.source} "
                f"(similarity {ratio:.2f}, above {NEAR_DUPLICATE_SIMILARITY})",
            )
        )
    survivors = [q for index, (q, _) in enumerate(kept) if index not in dropped]
    return survivors, problems


def _source_line(question: Question) -> int:
    return int(question.source.rpartition(":")[2])


_INTERNAL_REFERENCE = re.compile(r"\bseed\b", re.IGNORECASE)


def _clue_warnings(questions: Sequence[tuple[Question, str]]) -> list[Problem]:
    """Warnings, with file and line: answer clues, and a basis a member cannot look up."""
    common = common_words(q for q, _ in questions)
    problems: list[Problem] = []
    for question, path in questions:

        def warn(message: str, path: str = path, question: Question = question) -> None:
            problems.append(
                Problem(path, _source_line(question), "warning", f"question {question.id}: {message}")
            )

        if key_is_longest_by_far(question):
            percent = round(100 * (LONGEST_OPTION_FACTOR - 1))
            warn(
                f"the keyed option {question.answer_letter} is over {percent}% longer than every other (a clue)"
            )
        if echoed := stem_echo(question, common):
            warn(f"the stem repeats the keyed option's distinctive words ({', '.join(echoed)}): a clue")
        if _INTERNAL_REFERENCE.search(question.basis):
            warn("the basis names an internal reference (the seed text): give a source a member can look up")
    return problems


def mix_warnings(bank: QuestionBank, policy: Policy, where: str = "") -> list[Problem]:
    """Warnings about the exam-domain questions' mix (the pathway set is left out of every share)."""
    mix = bank_mix(bank)
    problems: list[Problem] = []

    def warn(message: str) -> None:
        problems.append(Problem(where, None, "warning", message))

    def outside(count: int, low: int, high: int) -> bool:
        return not low * mix.exam_total <= 100 * count <= high * mix.exam_total

    total = mix.exam_total
    for domain in EXAM_DOMAINS:
        count = mix.by_domain[domain]
        if count == 0:
            warn(f"{DOMAIN_LABEL[domain]} ({domain}) has no questions")
            continue
        weight = policy.domain_weights.get(domain.value)
        if weight is None:
            continue
        low, high = weight[0] - WEIGHT_TOLERANCE_POINTS, weight[1] + WEIGHT_TOLERANCE_POINTS
        if outside(count, low, high):
            warn(
                f"{DOMAIN_LABEL[domain]} has {count} of {total} exam-domain questions "
                f"({mix.share(count):.1f}%); the exam weight is {weight[0]}-{weight[1]}%, "
                f"so the bank should hold {max(low, 0)}-{high}%"
            )
    if total == 0:
        return problems
    low, high = PEDIATRIC_SHARE
    if outside(mix.pediatric, low, high):
        warn(
            f"{mix.pediatric} of {total} exam-domain questions are pediatric ({mix.share(mix.pediatric):.1f}%); "
            f"aim for about one in seven ({low}-{high}%)"
        )
    low, high = ANSWER_LETTER_SHARE
    single = mix.single
    for letter in LETTERS:
        count = mix.by_letter[letter]
        if not low * single <= 100 * count <= high * single:
            warn(
                f"{letter} is the correct answer in {count} of {single} single-answer exam-domain questions "
                f"({mix.letter_share(count):.1f}%); each letter should be {low}-{high}%"
            )
    return problems


def difficulty_warnings(bank: QuestionBank, where: str = "") -> list[Problem]:
    """A warning for each exam domain that lacks a difficulty level (the adaptive check-in needs them all)."""
    mix = bank_mix(bank)
    problems: list[Problem] = []
    for domain in EXAM_DOMAINS:
        missing = [str(level) for level in DIFFICULTIES if not mix.difficulty_by_domain[domain][level]]
        if missing and mix.by_domain[domain]:
            problems.append(
                Problem(
                    where,
                    None,
                    "warning",
                    f"{DOMAIN_LABEL[domain]} has no questions at difficulty {', '.join(missing)}; "
                    f"every exam domain needs every level {DIFFICULTIES[0]}-{DIFFICULTIES[-1]}",
                )
            )
    return problems
