"""Issue 11's bank: multiple-response questions, difficulty, the answer-clue and coverage checks, the
word-based near-duplicate check, and the shipped bank's targets."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from bot.features.errorlog.model import Bucket
from bot.features.quiz.bank import (
    DEFAULT_BANK_DIR,
    DIFFICULTIES,
    EXAM_DOMAINS,
    Domain,
    Kind,
    Problem,
    Question,
    QuestionBank,
    bank_mix,
    check_bank,
    difficulty_warnings,
    load_bank,
)
from bot.features.quiz.bank import cli as check
from bot.features.quiz.bank.near_duplicates import near_duplicates
from bot.policy import Policy
from tests.features.quiz.test_bank import STEMS, bank_file, errors, line_of, question, write

RULE = "Scored all or nothing: full credit only for choosing exactly A and C. A and C are right; B, D, E are not."
FIVE = ("Alpha", "Bravo", "Charlie", "Delta", "Echo")


def multi(
    qid: str,
    stem: str,
    *,
    answer: object = ("A", "C"),
    options: tuple[str, ...] = FIVE,
    explanation: str = RULE,
    difficulty: int = 3,
) -> str:
    """One multiple-response question as a YAML list item."""
    lines = [
        f"id: {qid}",
        "domain: scene_safety",
        "type: multiple_response",
        f"stem: {json.dumps(stem)}",
        "options:" + "".join(f"\n      {k}: {json.dumps(v)}" for k, v in zip("ABCDE", options, strict=False)),
        f"answer: {json.dumps(list(answer)) if isinstance(answer, tuple) else answer}",
        f"explanation: {json.dumps(explanation)}",
        "bucket: knowledge",
        "pediatric: false",
        f"difficulty: {difficulty}",
        f"basis: {json.dumps('National EMS Education Standards (2021), EMR')}",
    ]
    return "  - " + "\n    ".join(lines) + "\n"


def warnings(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity == "warning" and p.line is not None]


# ------------------------------------------------------------------------------------ multiple response


def test_a_multiple_response_question_reads_back_whole(tmp_path: Path, policy: Policy) -> None:
    text = bank_file(
        question("ss-test-001", STEMS[0]), multi("ss-test-002", STEMS[1], answer=("A", "C", "E"))
    )
    write(tmp_path, {"a.yaml": text})
    bank, problems = check_bank(tmp_path, policy)
    assert errors(problems) == []
    single, many = bank.get("ss-test-001"), bank.get("ss-test-002")
    assert single is not None and many is not None
    assert single.kind is Kind.SINGLE_ANSWER and single.correct == {1} and single.answer_letter == "B"
    assert many.kind is Kind.MULTIPLE_RESPONSE and many.multiple
    assert many.options == FIVE and many.correct == {0, 2, 4} and many.correct_letters == ("A", "C", "E")
    assert many.difficulty == 3 and many.source == f"a.yaml:{line_of(text, '- id: ss-test-002')}"
    with pytest.raises(ValueError):
        _ = many.answer  # a multiple-response question has no single key
    assert bank.single_answer().ids == ("ss-test-001",)


@pytest.mark.parametrize(
    ("choices", "right"),
    [({0, 2, 4}, True), ({0, 2}, False), ({0, 2, 3, 4}, False), (set(), False), ({1}, False)],
)
def test_multiple_response_is_scored_all_or_nothing(choices: set[int], right: bool) -> None:
    question = Question(
        "ss-test-001", Domain.SCENE_SAFETY, "stem", FIVE, frozenset({0, 2, 4}), RULE, Bucket.KNOWLEDGE,
        pediatric=False, basis="test", difficulty=2, source="t.yaml:1", kind=Kind.MULTIPLE_RESPONSE,
    )  # fmt: skip
    assert question.is_right(choices) is right


BROKEN_MULTI = {
    "a missing fifth option": (
        multi("ss-test-002", STEMS[1], options=("Ant", "Bee", "Cat", "Dog")),
        'A: "Ant"',
        "missing field 'options.E'",
    ),
    "one letter, not a list": (multi("ss-test-002", STEMS[1], answer="A"), "answer: A", "answer must be a list"),
    "a single key": (multi("ss-test-002", STEMS[1], answer=("A",)), 'answer: ["A"]', "must list at least 2"),
    "five keys": (multi("ss-test-002", STEMS[1], answer=tuple("ABCDE")), "answer: [", "must list at most 4"),
    "a letter twice": (multi("ss-test-002", STEMS[1], answer=("A", "A")), "answer: [", "must not list a letter twice"),
    "letters out of order": (multi("ss-test-002", STEMS[1], answer=("C", "A")), "answer: [", "in order (A, C)"),
    "no scoring rule": (
        multi("ss-test-002", STEMS[1], explanation="A and C are right because the course says so; B is not."),
        "A and C are right because",
        "must state the scoring rule",
    ),
    "a fifth option on a single answer": (
        question("ss-test-002", STEMS[1]).replace('D: "Delta"', 'D: "Delta"\n      E: "Echo"'),
        'E: "Echo"',
        "unknown field 'options.E'",
    ),
    "no difficulty": (question("ss-test-002", STEMS[1], without="difficulty"), "- id: ss-test-002", "missing field 'difficulty'"),
    "difficulty 6": (question("ss-test-002", STEMS[1], difficulty=6), "difficulty: 6", "difficulty must be at most 5, not 6"),
    "difficulty 0": (question("ss-test-002", STEMS[1], difficulty=0), "difficulty: 0", "difficulty must be at least 1, not 0"),
}  # fmt: skip


@pytest.mark.parametrize("case", list(BROKEN_MULTI))
def test_a_broken_question_of_either_kind_names_file_and_line(
    case: str, tmp_path: Path, policy: Policy
) -> None:
    item, marker, words = BROKEN_MULTI[case]
    text = bank_file(question("ss-test-001", STEMS[0]), item)
    write(tmp_path, {"a.yaml": text})
    bank, problems = check_bank(tmp_path, policy)
    found = errors(problems)
    assert [(p.path, p.line) for p in found] == [(str(tmp_path / "a.yaml"), line_of(text, marker))], found
    assert words in found[0].message and "ss-test-002" in found[0].message
    assert bank.ids == ("ss-test-001",)


def test_the_model_refuses_a_question_of_the_wrong_shape() -> None:
    def make(options: tuple[str, ...], correct: set[int], kind: Kind, difficulty: int = 3) -> Question:
        return Question(
            "ss-test-001", Domain.SCENE_SAFETY, "stem", options, frozenset(correct), RULE, Bucket.KNOWLEDGE,
            pediatric=False, basis="test", difficulty=difficulty, source="t.yaml:1", kind=kind,
        )  # fmt: skip

    assert make(FIVE[:4], {1}, Kind.SINGLE_ANSWER).answer == 1
    for options, correct, kind, difficulty in (
        (FIVE, {1}, Kind.SINGLE_ANSWER, 3),  # five options on a single answer
        (FIVE[:4], {1, 2}, Kind.SINGLE_ANSWER, 3),  # two keys on a single answer
        (FIVE, {1}, Kind.MULTIPLE_RESPONSE, 3),  # one key on multiple response
        (FIVE, {0, 5}, Kind.MULTIPLE_RESPONSE, 3),  # a key past E
        (FIVE[:4], {1}, Kind.SINGLE_ANSWER, 6),  # difficulty out of range
    ):
        with pytest.raises(ValueError):
            make(options, correct, kind, difficulty)


# ---------------------------------------------------------------------------------------- answer clues

CLUES = {
    # op-ops-023 before issue 11: the stem said "oncoming traffic", and so did the key
    "stem echoes the key": (
        question(
            "op-test-001",
            "At a highway crash, an engine parks across the lane on the side that oncoming traffic approaches "
            "from. What is the purpose of this blocking position?",
            domain="operations",
            options=(
                "To give the crew a shorter walk to the patients",
                "To shield the scene and its workers from oncoming traffic",
                "To keep the engine's pump close to the crashed cars",
                "To leave open space for a helicopter to land just behind it",
            ),
        ),
        "the stem repeats the keyed option's distinctive words (oncoming, traffic)",
    ),
    # pa-air-011 before issue 11: the key was much the longest option
    "the key is much the longest": (
        question(
            "pa-test-001",
            "A man is coughing forcefully after a bite of steak and can still speak. What should you do?",
            domain="primary_assessment",
            options=(
                "Give abdominal thrusts right away",
                "Encourage him to keep coughing and watch for signs it becomes severe",
                "Give him water to wash it down",
                "Sweep his mouth with a finger",
            ),
        ),
        "the keyed option B is over 30% longer than every other (a clue)",
    ),
    "a basis members cannot look up": (
        question("pw-test-001", STEMS[8], domain="pathway").replace(
            "National EMS Education Standards (2021), EMR", "Seed text 12.4"
        ),
        "the basis names an internal reference",
    ),
}


@pytest.mark.parametrize("case", list(CLUES))
def test_an_answer_clue_warns_with_file_and_line(case: str, tmp_path: Path, policy: Policy) -> None:
    item, words = CLUES[case]
    text = bank_file(question("ss-test-001", STEMS[0]), item)
    write(tmp_path, {"a.yaml": text})
    bank, problems = check_bank(tmp_path, policy)
    assert errors(problems) == []
    (found,) = warnings(problems)
    assert (found.path, found.line) == (str(tmp_path / "a.yaml"), line_of(text, item.split("\n")[0].strip()))
    assert words in found.message
    assert len(bank) == 2  # a warning keeps the question


def test_clues_leave_a_fair_question_and_multiple_response_alone(tmp_path: Path, policy: Policy) -> None:
    long_option = ("A much longer option than any other one here", "Bravo", "Charlie", "Delta", "Echo")
    write(
        tmp_path,
        {
            "a.yaml": bank_file(
                question("ss-test-001", STEMS[0]), multi("ss-test-002", STEMS[1], options=long_option)
            )
        },
    )
    _, problems = check_bank(tmp_path, policy)
    assert warnings(problems) == []


def test_a_domain_without_every_difficulty_level_warns() -> None:
    def make(n: int, domain: Domain, difficulty: int) -> Question:
        return Question(
            f"ss-test-{n:03}", domain, "stem", FIVE[:4], frozenset({0}), RULE, Bucket.KNOWLEDGE,
            pediatric=False, basis="test", difficulty=difficulty, source=f"t.yaml:{n}",
        )  # fmt: skip

    full = [
        make(n, d, level) for n, (d, level) in enumerate((d, lv) for d in EXAM_DOMAINS for lv in DIFFICULTIES)
    ]
    assert difficulty_warnings(QuestionBank(tuple(full))) == []
    gaps = [q for q in full if not (q.domain is Domain.OPERATIONS and q.difficulty in (1, 5))]
    (warning,) = difficulty_warnings(QuestionBank(tuple(gaps)))
    assert "Operations has no questions at difficulty 1, 5" in warning.message


# ---------------------------------------------------------------------------------------- near-duplicates

#: Pairs of distinct questions in the shipped bank that the character-level check (difflib, 0.75) called
#: near-duplicates: a shared stock phrase, and the same scenario for a child and for an infant.
DISTINCT_PAIRS = [
    (
        "A 60-year-old man has pale, clammy skin after vomiting blood. Under the National EMS Scope of Practice "
        "Model (states may differ), which assessment or care may an EMR provide?",
        "After a fall, a patient has pale, clammy skin and a racing pulse. Under the National EMS Scope of "
        "Practice Model (states may differ), which treatment for his shock may an EMR give?",
    ),
    (
        "A 3-year-old boy is found limp and unresponsive beside a backyard pool, and he is not breathing. "
        "Where should you feel for his pulse?",
        "A 6-month-old is limp and unresponsive in her crib and is not breathing. Where should you feel for "
        "her pulse?",
    ),
]


@pytest.mark.parametrize("pair", DISTINCT_PAIRS)
def test_distinct_questions_with_shared_phrasing_are_not_near_duplicates(
    pair: tuple[str, str], tmp_path: Path, policy: Policy
) -> None:
    items = [question(f"pa-test-{n:03}", s, domain="primary_assessment") for n, s in enumerate(pair, 1)]
    write(tmp_path, {"a.yaml": bank_file(*items)})
    bank, problems = check_bank(tmp_path, policy)
    assert errors(problems) == [] and len(bank) == 2


@pytest.mark.parametrize(
    "twin",
    [
        STEMS[4],  # the same stem
        STEMS[4].replace("correct rate", "right rate"),  # one word changed
        STEMS[4].replace("What is", "Which is").replace("an adult", "a grown"),  # three words changed
    ],
)
def test_a_reworded_stem_is_still_a_near_duplicate(twin: str) -> None:
    assert [(later, earlier) for later, earlier, _ in near_duplicates([STEMS[4], STEMS[5], twin])] == [(2, 0)]


def test_near_duplicates_compare_words_not_characters() -> None:
    # Character-level similarity is high here (the same letters, shuffled words); word pairs are not shared.
    a = "which of these patients needs care first at the scene of the crash"
    b = "at the crash scene, which patient first needs these of care of the"
    assert list(near_duplicates([a, b])) == []


# ---------------------------------------------------------------------------------------- the shipped bank


def test_the_shipped_bank_meets_issue_11s_targets(policy: Policy) -> None:
    bank = load_bank(DEFAULT_BANK_DIR, policy)
    mix = bank_mix(bank)
    assert mix.exam_total >= 600 and mix.multiple >= 30 and mix.by_domain[Domain.PATHWAY] >= 20
    for domain in EXAM_DOMAINS:
        low, high = policy.domain_weights[domain.value]
        assert low - 2 <= mix.share(mix.by_domain[domain]) <= high + 2, domain
        assert all(mix.difficulty_by_domain[domain][level] for level in DIFFICULTIES), domain
    assert 10 <= mix.share(mix.pediatric) <= 20
    assert all(20 <= mix.letter_share(n) <= 30 for n in mix.by_letter.values())
    assert all("all or nothing" in q.explanation.casefold() for q in bank.questions if q.multiple)


def test_a_retired_id_is_never_reused(policy: Policy) -> None:
    bank = load_bank(DEFAULT_BANK_DIR, policy)
    assert bank.get("tt-care-043") is None  # a retired scope item; stored answers and reports still name it
    moved = bank.get("tt-care-136")
    assert moved is not None and "umbilical cord" in moved.options[moved.answer]


def test_check_prints_the_blueprint_and_the_counts(
    capsys: pytest.CaptureFixture[str], policy: Policy
) -> None:
    assert check.main([]) == 0
    out = capsys.readouterr().out
    assert re.search(r"Scene Size-Up and Safety +\d+ +\d+\.\d% +19-23%", out), out
    assert re.search(r"Primary Assessment +\d+ +\d+\.\d% +37-41%", out)
    assert re.search(r"Kinds \(exam domains\): \d+ single answer, \d+ multiple response", out)
    assert re.search(r"Pediatric: \d+ of \d+ exam-domain questions \(\d+\.\d%; aim 10-20%\)", out)
    assert re.search(r"Correct answers: A \d+ \(\d+\.\d%\).* of \d+ single-answer questions", out)
    assert re.search(r"Operations( +\d+){5}\n", out)  # its row of the difficulty table
