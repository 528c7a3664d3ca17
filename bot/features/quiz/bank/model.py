"""The question bank's model: domains, questions, the bank, its mix and its problems. No discord import."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Literal

from bot.features.errorlog.model import Bucket
from bot.policy import DATA_DIR

DEFAULT_BANK_DIR = DATA_DIR / "questions"
SCHEMA_PATH = DATA_DIR / "questions.schema.json"


class Domain(StrEnum):
    SCENE_SAFETY = "scene_safety"
    PRIMARY_ASSESSMENT = "primary_assessment"
    SECONDARY_ASSESSMENT = "secondary_assessment"
    TREATMENT_TRANSPORT = "treatment_transport"
    OPERATIONS = "operations"
    PATHWAY = "pathway"  # the certification/scoring set: not an exam domain


EXAM_DOMAINS: tuple[Domain, ...] = (
    Domain.SCENE_SAFETY,
    Domain.PRIMARY_ASSESSMENT,
    Domain.SECONDARY_ASSESSMENT,
    Domain.TREATMENT_TRANSPORT,
    Domain.OPERATIONS,
)

DOMAIN_LABEL: dict[Domain, str] = {
    Domain.SCENE_SAFETY: "Scene Size-Up and Safety",
    Domain.PRIMARY_ASSESSMENT: "Primary Assessment",
    Domain.SECONDARY_ASSESSMENT: "Secondary Assessment",
    Domain.TREATMENT_TRANSPORT: "Patient Treatment and Transport",
    Domain.OPERATIONS: "Operations",
    Domain.PATHWAY: "Certification pathway",
}

LETTERS = ("A", "B", "C", "D")

# The bank's own checks (EMR Study Bot's heuristics, not exam rules). The exam weights themselves come
# from the policy file; a domain's share may sit this many percentage points outside them.
WEIGHT_TOLERANCE_POINTS = 2
PEDIATRIC_SHARE = (10, 20)  # whole percent of exam-domain questions: about one in seven
ANSWER_LETTER_SHARE = (20, 30)  # whole percent of exam-domain questions, for each of A-D
NEAR_DUPLICATE_RATIO = 0.75  # difflib ratio of two normalised stems above which they are near-duplicates
SCOPE_MODEL = "scope of practice"  # a `scope` question must name the model it tests against

Severity = Literal["error", "warning"]


@dataclass(frozen=True, slots=True)
class Question:
    id: str
    domain: Domain
    stem: str
    options: tuple[str, str, str, str]
    answer: int  # index into options, 0-3
    explanation: str
    bucket: Bucket
    pediatric: bool
    basis: str
    source: str  # "file.yaml:LINE" where the question starts

    @property
    def answer_letter(self) -> str:
        return LETTERS[self.answer]


@dataclass(frozen=True, slots=True)
class QuestionBank:
    questions: tuple[Question, ...]
    _by_id: dict[str, Question] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_id", {q.id: q for q in self.questions})

    def get(self, question_id: str) -> Question | None:
        return self._by_id.get(question_id)

    def in_domains(self, domains: Iterable[Domain]) -> tuple[Question, ...]:
        wanted = frozenset(domains)
        return tuple(q for q in self.questions if q.domain in wanted)

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(q.id for q in self.questions)

    def __len__(self) -> int:
        return len(self.questions)


@dataclass(frozen=True, slots=True)
class BankMix:
    """The bank's make-up: every domain's count, and the pediatric and answer-letter counts of the exam set."""

    by_domain: dict[Domain, int]
    exam_total: int  # questions in the five exam domains (the pathway set is separate)
    pediatric: int  # of the exam-domain questions
    by_letter: dict[str, int]  # correct-answer letter -> exam-domain questions

    def share(self, count: int) -> float:
        """``count`` as a percentage of the exam-domain questions."""
        return 100 * count / self.exam_total if self.exam_total else 0.0


def bank_mix(bank: QuestionBank) -> BankMix:
    exam = bank.in_domains(EXAM_DOMAINS)
    domains = Counter(q.domain for q in bank.questions)
    letters = Counter(q.answer_letter for q in exam)
    return BankMix(
        by_domain={d: domains[d] for d in Domain},
        exam_total=len(exam),
        pediatric=sum(q.pediatric for q in exam),
        by_letter={letter: letters[letter] for letter in LETTERS},
    )


@dataclass(frozen=True, slots=True)
class Problem:
    path: str
    line: int | None  # 1-based; None for problems of the bank as a whole
    severity: Severity
    message: str

    def __str__(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        return f"{where}: {self.severity}: {self.message}"


class BankError(ValueError):
    """The question bank has errors; ``problems`` holds them (error severity only)."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = tuple(problems)
        lines = "\n".join(str(p) for p in self.problems)
        super().__init__(f"the question bank has {len(self.problems)} error(s):\n{lines}")
