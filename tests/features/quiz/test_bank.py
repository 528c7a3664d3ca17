"""The question bank: the shipped bank is clean, and every kind of broken bank is caught with file and line."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from bot.features.errorlog.model import Bucket
from bot.features.quiz.bank import (
    DEFAULT_BANK_DIR,
    EXAM_DOMAINS,
    BankError,
    Domain,
    Problem,
    Question,
    QuestionBank,
    bank_mix,
    check_bank,
    load_bank,
    mix_warnings,
)
from bot.features.quiz.bank import cli as check
from bot.policy import Policy

SEED_STEMS = (
    "When do EMR results generally post to the National Registry account when all requirements are met?",
    "Which statement correctly describes an unsuccessful EMR score report?",
    "What should a newly certified EMR remember about the right to practice?",
)

#: Distinct stems for the small banks the tests write (none is a near-duplicate of another).
STEMS = (
    "A crew arrives at a highway crash at night with traffic still moving past. What should be done first?",
    "Which finding best shows that an adult patient's airway is open and clear?",
    "An elderly man fell in his kitchen and complains of hip pain. Which question comes first in his history?",
    "During a flood rescue call, which piece of equipment should every rescuer wear near the water?",
    "What is the correct rate of chest compressions for an adult in cardiac arrest?",
    "A toddler swallowed a small toy and cannot cry or cough. Which action is correct?",
    "Which sign suggests that a burn involves deeper layers of the skin?",
    "When handing a patient over to an ambulance crew, which information matters most?",
    "How often should vital signs be reassessed in an unstable patient?",
    "Which hazard should make an EMR wait for the fire department before entering a garage?",
    "A diabetic woman is confused and sweaty after skipping lunch. What do you suspect?",
    "Why should an EMR document the time that a tourniquet was applied?",
)
EXPLANATION = "B is right for the reason the course gives; A is tempting but comes later in the sequence."


def question(
    qid: str,
    stem: str,
    *,
    domain: str = "scene_safety",
    options: tuple[str, str, str, str] = ("Alpha", "Bravo", "Charlie", "Delta"),
    answer: str = "B",
    bucket: str = "knowledge",
    pediatric: bool = False,
    difficulty: int = 3,
    without: str = "",
    extra: str = "",
) -> str:
    """One question as a YAML list item (JSON strings are valid YAML double-quoted scalars)."""
    fields = {
        "id": qid,
        "domain": domain,
        "stem": json.dumps(stem),
        "options": "".join(f"\n      {k}: {json.dumps(v)}" for k, v in zip("ABCD", options, strict=True)),
        "answer": answer,
        "explanation": json.dumps(EXPLANATION),
        "bucket": bucket,
        "pediatric": "true" if pediatric else "false",
        "difficulty": str(difficulty),
        "basis": json.dumps("National EMS Education Standards (2021), EMR"),
    }
    lines = [f"{key}: {value}" for key, value in fields.items() if key != without]
    return "  - " + "\n    ".join(lines) + extra + "\n"


def bank_file(*questions: str) -> str:
    return "# a test question file\nquestions:\n" + "".join(questions)


def line_of(text: str, marker: str) -> int:
    """The 1-based line of the first line of ``text`` containing ``marker``."""
    return next(n for n, line in enumerate(text.splitlines(), start=1) if marker in line)


def write(folder: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")


def errors(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity == "error"]


# ---------------------------------------------------------------------------------------- the shipped bank


@pytest.fixture(scope="module")
def shipped(policy: Policy) -> tuple[QuestionBank, list[Problem]]:
    return check_bank(DEFAULT_BANK_DIR, policy)


def test_shipped_bank_has_no_problems_at_all(shipped: tuple[QuestionBank, list[Problem]]) -> None:
    _, problems = shipped
    assert [str(p) for p in problems] == []


def test_shipped_bank_size_and_seed_questions(shipped: tuple[QuestionBank, list[Problem]]) -> None:
    bank, _ = shipped
    assert len(bank.in_domains(EXAM_DOMAINS)) >= 200
    assert len(bank.in_domains([Domain.PATHWAY])) >= 20
    stems = {q.stem for q in bank.questions}
    for stem in SEED_STEMS:
        assert stem in stems


def test_shipped_bank_loads_with_every_exam_domain(policy: Policy) -> None:
    bank = load_bank(DEFAULT_BANK_DIR, policy)
    mix = bank_mix(bank)
    assert all(mix.by_domain[d] > 0 for d in Domain)
    assert mix.exam_total + mix.by_domain[Domain.PATHWAY] == len(bank)
    assert len(set(bank.ids)) == len(bank)


def test_seed_question_reads_back_whole(shipped: tuple[QuestionBank, list[Problem]]) -> None:
    bank, _ = shipped
    first = bank.get("pw-path-001")
    assert first is not None
    assert first.stem == SEED_STEMS[0]
    assert first.domain is Domain.PATHWAY and first.bucket is Bucket.KNOWLEDGE
    assert first.answer_letter == "B" and first.options[first.answer].startswith("Within about two")
    assert first.source == "pathway.yaml:4"
    assert bank.get("no-such-001") is None


# ---------------------------------------------------------------------------------------- broken banks

GOOD = question("ss-test-001", STEMS[0])
SECOND = question("ss-test-002", STEMS[1])


@dataclass(frozen=True)
class Broken:
    files: dict[str, str]
    file: str  # the file the error must name
    marker: str  # text on the line the error must name ("" for line 1)
    words: str  # words the message must hold
    kept: tuple[str, ...]  # the ids the checked bank still holds


BROKEN: dict[str, Broken] = {
    "bad YAML": Broken(
        {
            "a.yaml": bank_file(GOOD),
            "b.yaml": bank_file(SECOND) + "  - id: ss-test-003\n    stem: one: two\n",
        },
        "b.yaml",
        "stem: one: two",
        "YAML syntax error",
        ("ss-test-001",),
    ),
    "bad indentation": Broken(
        {"a.yaml": bank_file(GOOD), "b.yaml": bank_file(SECOND) + "   - id: ss-test-003\n"},
        "b.yaml",
        "   - id: ss-test-003",
        "YAML syntax error",
        ("ss-test-001",),
    ),
    "missing field": Broken(
        {"a.yaml": bank_file(GOOD, question("ss-test-002", STEMS[1], without="basis"))},
        "a.yaml",
        "- id: ss-test-002",
        "question ss-test-002: missing field 'basis'",
        ("ss-test-001",),
    ),
    "wrong answer letter": Broken(
        {"a.yaml": bank_file(GOOD, question("ss-test-002", STEMS[1], answer="E"))},
        "a.yaml",
        "answer: E",
        "question ss-test-002: answer must be one of A, B, C, D, not 'E'",
        ("ss-test-001",),
    ),
    "not a boolean": Broken(
        {"a.yaml": bank_file(GOOD, SECOND.replace("pediatric: false", "pediatric: maybe"))},
        "a.yaml",
        "pediatric: maybe",
        "pediatric must be true or false",
        ("ss-test-001",),
    ),
    "unknown field": Broken(
        {"a.yaml": bank_file(GOOD, question("ss-test-002", STEMS[1], extra="\n    colour: red"))},
        "a.yaml",
        "colour: red",
        "unknown field 'colour'",
        ("ss-test-001",),
    ),
    "duplicate key": Broken(
        {"a.yaml": bank_file(GOOD, question("ss-test-002", STEMS[1], extra="\n    answer: C"))},
        "a.yaml",
        "answer: C",
        "duplicate key 'answer'",
        ("ss-test-001",),
    ),
    "duplicate id across two files": Broken(
        {"a.yaml": bank_file(GOOD), "b.yaml": bank_file(SECOND, question("ss-test-001", STEMS[2]))},
        "b.yaml",
        "- id: ss-test-001",
        "duplicate id ss-test-001: already used at a.yaml:3",
        ("ss-test-001", "ss-test-002"),
    ),
    "near-duplicate stems": Broken(
        {
            "a.yaml": bank_file(GOOD),
            "b.yaml": bank_file(
                SECOND,
                question("ss-test-003", STEMS[0].replace("at night", "after dark").replace("done", "")),
            ),
        },
        "b.yaml",
        "- id: ss-test-003",
        "question ss-test-003: stem nearly duplicates ss-test-001 at a.yaml:3",
        ("ss-test-001", "ss-test-002"),
    ),
    "scope question without the model": Broken(
        {"a.yaml": bank_file(GOOD, question("ss-test-002", STEMS[1], bucket="scope"))},
        "a.yaml",
        "- id: ss-test-002",
        "question ss-test-002: a scope question's stem must name the model",
        ("ss-test-001",),
    ),
    "identical options": Broken(
        {
            "a.yaml": bank_file(
                GOOD, question("ss-test-002", STEMS[1], options=("Alpha", "Bravo", "alpha ", "Delta"))
            )
        },
        "a.yaml",
        "- id: ss-test-002",
        "question ss-test-002: options A and C are identical",
        ("ss-test-001",),
    ),
    "empty file": Broken({"a.yaml": bank_file(GOOD), "b.yaml": ""}, "b.yaml", "", "empty", ("ss-test-001",)),
}


@pytest.mark.parametrize("case", list(BROKEN))
def test_broken_bank_names_file_and_line(case: str, tmp_path: Path, policy: Policy) -> None:
    broken = BROKEN[case]
    write(tmp_path, broken.files)
    bank, problems = check_bank(tmp_path, policy)
    line = line_of(broken.files[broken.file], broken.marker) if broken.marker else 1
    found = errors(problems)
    assert [(p.path, p.line) for p in found] == [(str(tmp_path / broken.file), line)], [str(p) for p in found]
    assert broken.words in found[0].message
    assert bank.ids == broken.kept  # the broken question is left out; the valid ones are kept
    with pytest.raises(BankError) as raised:
        load_bank(tmp_path, policy)
    assert raised.value.problems == tuple(found)  # errors only: the tiny bank's mix warnings are not errors


def test_scope_question_naming_the_model_is_accepted(tmp_path: Path, policy: Policy) -> None:
    stem = "Under the National EMS scope of practice model, which airway adjunct may an EMR insert?"
    write(tmp_path, {"a.yaml": bank_file(GOOD, question("ss-test-002", stem, bucket="scope"))})
    bank, problems = check_bank(tmp_path, policy)
    assert errors(problems) == []
    assert bank.ids == ("ss-test-001", "ss-test-002")


def test_invalid_questions_left_out_valid_ones_kept(tmp_path: Path, policy: Policy) -> None:
    text = bank_file(
        question("ss-test-001", STEMS[0]),
        question("ss-test-002", STEMS[1], answer="F"),
        question("ss-test-003", STEMS[2], answer="D"),
    )
    write(tmp_path, {"a.yaml": text})
    bank, problems = check_bank(tmp_path, policy)
    assert bank.ids == ("ss-test-001", "ss-test-003")
    assert [p.line for p in errors(problems)] == [line_of(text, "answer: F")]
    third = bank.get("ss-test-003")
    assert third is not None and third.answer == 3 and third.answer_letter == "D"
    assert third.source == f"a.yaml:{line_of(text, '- id: ss-test-003')}"


def test_missing_folder_is_an_error(tmp_path: Path, policy: Policy) -> None:
    bank, problems = check_bank(tmp_path / "nowhere", policy)
    assert len(bank) == 0
    assert [p.severity for p in problems] == ["error"]


# ---------------------------------------------------------------------------------------- the mix


def test_skewed_bank_warns_but_loads(tmp_path: Path, policy: Policy) -> None:
    text = bank_file(*(question(f"ss-test-{n:03}", stem, answer="A") for n, stem in enumerate(STEMS, 1)))
    write(tmp_path, {"a.yaml": text})
    bank, problems = check_bank(tmp_path, policy)
    assert errors(problems) == []
    messages = "\n".join(p.message for p in problems)
    assert all(p.line is None and p.path == str(tmp_path) for p in problems)
    assert "Scene Size-Up and Safety has 12 of 12" in messages
    for label in (
        "Primary Assessment",
        "Secondary Assessment",
        "Patient Treatment and Transport",
        "Operations",
    ):
        assert f"{label} (" in messages and "has no questions" in messages
    assert "0 of 12 exam-domain questions are pediatric" in messages
    assert "A is the correct answer in 12 of 12" in messages
    assert "D is the correct answer in 0 of 12" in messages
    assert len(load_bank(tmp_path, policy)) == len(STEMS) == len(bank)


def fake_bank(counts: dict[Domain, int], letters: str, pediatric: int) -> QuestionBank:
    """An in-memory bank: ``counts`` questions per domain, answers cycling through ``letters``."""
    questions: list[Question] = []
    for domain, count in counts.items():
        for _ in range(count):
            n = len(questions)
            questions.append(
                Question(
                    id=f"{domain.value}-{n:03}",
                    domain=domain,
                    stem=f"stem {n}",
                    options=("a", "b", "c", "d"),
                    correct=frozenset({"ABCD".index(letters[n % len(letters)])}),
                    explanation=EXPLANATION,
                    bucket=Bucket.KNOWLEDGE,
                    pediatric=n < pediatric,
                    basis="test",
                    difficulty=n % 5 + 1,
                    source=f"test.yaml:{n}",
                )
            )
    return QuestionBank(tuple(questions))


#: 100 exam questions, every share exactly on the edge of its allowed range (weights widened by 2 points).
EDGES = {
    Domain.SCENE_SAFETY: 17,  # 19-23 -> 17-25
    Domain.PRIMARY_ASSESSMENT: 43,  # 37-41 -> 35-43
    Domain.SECONDARY_ASSESSMENT: 2,  # 4-8 -> 2-10
    Domain.TREATMENT_TRANSPORT: 26,  # 20-24 -> 18-26
    Domain.OPERATIONS: 12,  # 10-14 -> 8-16
}
LETTERS_ON_EDGE = "A" * 30 + "B" * 20 + "C" * 25 + "D" * 25  # 30%, 20%, 25%, 25%


def test_shares_on_the_edges_do_not_warn(policy: Policy) -> None:
    bank = fake_bank(EDGES, LETTERS_ON_EDGE, pediatric=10)
    assert mix_warnings(bank, policy) == []


def test_pathway_questions_are_left_out_of_every_share(policy: Policy) -> None:
    bank = fake_bank({**EDGES, Domain.PATHWAY: 40}, LETTERS_ON_EDGE, pediatric=10)
    assert bank_mix(bank).exam_total == 100
    assert mix_warnings(bank, policy) == []


@pytest.mark.parametrize(
    ("change", "warned"),
    [
        (
            lambda c: c | {Domain.SCENE_SAFETY: 16, Domain.OPERATIONS: 13},
            "Scene Size-Up and Safety has 16 of 100",
        ),
        (
            lambda c: c | {Domain.PRIMARY_ASSESSMENT: 44, Domain.OPERATIONS: 11},
            "Primary Assessment has 44 of 100",
        ),
        (lambda c: c | {Domain.SECONDARY_ASSESSMENT: 0, Domain.OPERATIONS: 14}, "Secondary Assessment ("),
    ],
)
def test_a_domain_outside_its_range_warns(
    change: Callable[[dict[Domain, int]], dict[Domain, int]], warned: str, policy: Policy
) -> None:
    bank = fake_bank(change(dict(EDGES)), LETTERS_ON_EDGE, pediatric=10)
    warnings = mix_warnings(bank, policy)
    assert len(warnings) == 1 and warned in warnings[0].message, warnings


@pytest.mark.parametrize(("pediatric", "warns"), [(9, True), (10, False), (20, False), (21, True)])
def test_pediatric_share_about_one_in_seven(pediatric: int, warns: bool, policy: Policy) -> None:
    warnings = mix_warnings(fake_bank(EDGES, LETTERS_ON_EDGE, pediatric), policy)
    assert bool(warnings) is warns
    assert all("pediatric" in w.message for w in warnings)


def test_answer_letters_outside_20_to_30_percent_warn(policy: Policy) -> None:
    letters = "A" * 31 + "B" * 19 + "C" * 25 + "D" * 25
    warnings = mix_warnings(fake_bank(EDGES, letters, pediatric=10), policy)
    assert [w.message.split()[0] for w in warnings] == ["A", "B"]


# ---------------------------------------------------------------------------------------- the command


def test_check_command_on_a_broken_bank(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = bank_file(GOOD, question("ss-test-002", STEMS[1], answer="E"))
    write(tmp_path, {"a.yaml": text})
    assert check.main([str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert f"{tmp_path / 'a.yaml'}:{line_of(text, 'answer: E')}: error: question ss-test-002: answer" in out
    assert "1 questions in 1 files: 1 error, " in out


def test_check_command_on_a_bank_with_only_warnings(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(tmp_path, {"a.yaml": bank_file(GOOD)})
    assert check.main([str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert f"{tmp_path}: warning: " in out
    assert "0 errors" in out


def test_check_command_on_the_shipped_bank(capsys: pytest.CaptureFixture[str]) -> None:
    assert check.main([]) == 0
    out = capsys.readouterr().out
    first = out.splitlines()[0]
    assert re.fullmatch(r"\d+ questions in \d+ files: 0 errors, 0 warnings", first), first
    assert "Pediatric: " in out and "Correct answers: A " in out
    assert "Scene Size-Up and Safety" in out and "Certification pathway" in out


def test_check_command_usage(capsys: pytest.CaptureFixture[str]) -> None:
    assert check.main(["one", "two"]) == 2
    assert "usage" in capsys.readouterr().err


def test_start_up_load_skips_only_the_near_duplicate_comparison(tmp_path: Path, policy: Policy) -> None:
    import shutil

    import yaml as _yaml

    for source in DEFAULT_BANK_DIR.glob("*.yaml"):
        shutil.copy(source, tmp_path / source.name)
    pathway = tmp_path / "pathway.yaml"
    data = _yaml.safe_load(pathway.read_text(encoding="utf-8"))
    twin = dict(data["questions"][5], id="pw-path-999")
    twin["stem"] = twin["stem"] + " "  # the same question again, under a new id
    data["questions"].append(twin)
    pathway.write_text(_yaml.safe_dump(data, sort_keys=False), encoding="utf-8")

    with pytest.raises(BankError):
        load_bank(tmp_path, policy)
    assert load_bank(tmp_path, policy, near_duplicates=False).get("pw-path-999") is not None
