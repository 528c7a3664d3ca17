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

OPTION_LETTERS = ("A", "B", "C", "D", "E")  # a multiple-response question's options
LETTERS = OPTION_LETTERS[:4]  # a single-answer question's options (and the daily post's buttons)
DIFFICULTIES = (1, 2, 3, 4, 5)  # an author's estimate, 1 (recall) to 5 (subtle discrimination)


class Kind(StrEnum):
    """A question's type: one answer out of A-D, or "select all that apply" out of A-E."""

    SINGLE_ANSWER = "single_answer"
    MULTIPLE_RESPONSE = "multiple_response"


# The bank's own checks (EMR Study Bot's heuristics, not exam rules). The exam weights themselves come
# from the policy file; a domain's share may sit this many percentage points outside them.
WEIGHT_TOLERANCE_POINTS = 2
PEDIATRIC_SHARE = (10, 20)  # whole percent of exam-domain questions: about one in seven
ANSWER_LETTER_SHARE = (20, 30)  # whole percent of exam-domain questions, for each of A-D
# Two stems are near-duplicates when the Jaccard similarity of their sets of word pairs (bigram shingles)
# is above this. The shipped bank's closest pair of distinct questions is about 0.4; a stem with two or
# three words changed stays above 0.5.
NEAR_DUPLICATE_SIMILARITY = 0.5
SCOPE_MODEL = "scope of practice"  # a `scope` question must name the model it tests against
SCORING_RULE = "all or nothing"  # a multiple-response explanation must state it
# Answer clues (single-answer questions): the keyed option longer than every other by more than this
# factor, or at least ECHO_WORDS of the key's distinctive words in the stem. A distinctive word has at least
# ECHO_MIN_LETTERS letters, is in no other option, and is rare in the bank: in the text of at most
# ECHO_MAX_SHARE of all questions (or of two questions, in a small bank).
LONGEST_OPTION_FACTOR = 1.3
ECHO_WORDS = 2
ECHO_MIN_LETTERS = 6
ECHO_MAX_SHARE = 0.05

Severity = Literal["error", "warning"]


@dataclass(frozen=True, slots=True)
class Question:
    id: str
    domain: Domain
    stem: str
    options: tuple[str, ...]  # A-D for a single answer, A-E for multiple response
    correct: frozenset[int]  # indexes into options: one, or 2-4 for multiple response
    explanation: str
    bucket: Bucket
    pediatric: bool
    basis: str
    difficulty: int  # 1-5
    source: str  # "file.yaml:LINE" where the question starts
    kind: Kind = Kind.SINGLE_ANSWER

    def __post_init__(self) -> None:
        single = self.kind is Kind.SINGLE_ANSWER
        options, keys = (len(LETTERS), range(1, 2)) if single else (len(OPTION_LETTERS), range(2, 5))
        if len(self.options) != options or len(self.correct) not in keys:
            raise ValueError(f"question {self.id}: {self.kind} needs {options} options and {keys} keys")
        if not self.correct <= frozenset(range(options)) or self.difficulty not in DIFFICULTIES:
            raise ValueError(f"question {self.id}: a key or the difficulty is out of range")

    @property
    def multiple(self) -> bool:
        return self.kind is Kind.MULTIPLE_RESPONSE

    @property
    def letters(self) -> tuple[str, ...]:
        """The letters of this question's options."""
        return OPTION_LETTERS[: len(self.options)]

    @property
    def answer(self) -> int:
        """A single-answer question's keyed option (its index)."""
        if self.multiple:
            raise ValueError(f"question {self.id} is multiple response: use `correct`")
        return next(iter(self.correct))

    @property
    def answer_letter(self) -> str:
        """A single-answer question's keyed letter."""
        return LETTERS[self.answer]

    @property
    def correct_letters(self) -> tuple[str, ...]:
        """Every keyed letter, in order."""
        return tuple(OPTION_LETTERS[i] for i in sorted(self.correct))

    def is_right(self, choice: int | Iterable[int]) -> bool:
        """All or nothing: right only when the option chosen, or the set chosen, is exactly the key."""
        return (frozenset({choice}) if isinstance(choice, int) else frozenset(choice)) == self.correct


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

    def single_answer(self) -> QuestionBank:
        """The bank without its multiple-response questions (the daily post has four buttons)."""
        return QuestionBank(tuple(q for q in self.questions if not q.multiple))

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(q.id for q in self.questions)

    def __len__(self) -> int:
        return len(self.questions)


@dataclass(frozen=True, slots=True)
class BankMix:
    """The bank's make-up: every domain's count, and the exam set's kinds, pediatric, letter and difficulty counts."""

    by_domain: dict[Domain, int]
    exam_total: int  # questions in the five exam domains (the pathway set is separate)
    multiple: int  # of the exam-domain questions: multiple response
    pediatric: int  # of the exam-domain questions
    by_letter: dict[str, int]  # correct-answer letter -> exam-domain single-answer questions
    by_difficulty: dict[int, int]  # difficulty -> exam-domain questions
    difficulty_by_domain: dict[Domain, dict[int, int]]  # exam domain -> difficulty -> questions

    @property
    def single(self) -> int:
        """Exam-domain single-answer questions (the answer letters' shares are of these)."""
        return self.exam_total - self.multiple

    def share(self, count: int) -> float:
        """``count`` as a percentage of the exam-domain questions."""
        return 100 * count / self.exam_total if self.exam_total else 0.0

    def letter_share(self, count: int) -> float:
        """``count`` as a percentage of the exam-domain single-answer questions."""
        return 100 * count / self.single if self.single else 0.0


def bank_mix(bank: QuestionBank) -> BankMix:
    exam = bank.in_domains(EXAM_DOMAINS)
    domains = Counter(q.domain for q in bank.questions)
    letters = Counter(q.answer_letter for q in exam if not q.multiple)
    levels = Counter((q.domain, q.difficulty) for q in exam)
    return BankMix(
        by_domain={d: domains[d] for d in Domain},
        exam_total=len(exam),
        multiple=sum(q.multiple for q in exam),
        pediatric=sum(q.pediatric for q in exam),
        by_letter={letter: letters[letter] for letter in LETTERS},
        by_difficulty={level: sum(levels[d, level] for d in EXAM_DOMAINS) for level in DIFFICULTIES},
        difficulty_by_domain={d: {level: levels[d, level] for level in DIFFICULTIES} for d in EXAM_DOMAINS},
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
