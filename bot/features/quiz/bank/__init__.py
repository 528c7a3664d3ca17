"""The question bank: loading ``data/questions/*.yaml`` and checking it, with file and line for every problem.

Pure domain logic: files in, frozen dataclasses out. No discord import.

``check_bank`` never raises for a bad bank: it returns the questions that passed every check and a list of
:class:`Problem` (errors and warnings, each with its file and line). ``load_bank`` is the strict form the
bot starts with: any error raises :class:`BankError`; warnings are accepted.
"""

from __future__ import annotations

import difflib
import json
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any, Literal

import yaml
from jsonschema import Draft202012Validator, ValidationError

from bot.features.errorlog.model import Bucket
from bot.policy import DATA_DIR, Policy, load_policy

try:
    from yaml import CSafeLoader as _Loader
except ImportError:  # PyYAML built without libyaml: the same results, more slowly
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

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


def bank_files(folder: Path) -> list[Path]:
    """The files the bank is read from: every ``*.yaml`` in ``folder``, sorted by name."""
    return sorted(p for p in folder.glob("*.yaml") if p.is_file())


def load_bank(
    folder: Path = DEFAULT_BANK_DIR, policy: Policy | None = None, *, near_duplicates: bool = True
) -> QuestionBank:
    """Load and check the bank; raise :class:`BankError` if it has any error (warnings are fine).

    ``policy`` (for the exam weights) defaults to the shipped policy file. The bot's start-up passes
    ``near_duplicates=False``: comparing every pair of stems is most of the check's second, and a
    near-duplicate is a quality problem for ``questions check`` (and the bank's test), not a reason
    to keep a study group's bot down.
    """
    bank, problems = check_bank(
        folder, policy if policy is not None else load_policy(), near_duplicates=near_duplicates
    )
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise BankError(errors)
    return bank


def check_bank(
    folder: Path, policy: Policy, *, schema_path: Path = SCHEMA_PATH, near_duplicates: bool = True
) -> tuple[QuestionBank, list[Problem]]:
    """Read every question file in ``folder``; return the valid questions and every problem found.

    Questions with an error are left out of the bank; the others are kept.
    """
    if not folder.is_dir():
        return QuestionBank(()), [Problem(str(folder), None, "error", "no such folder")]
    files = bank_files(folder)
    if not files:
        return QuestionBank(()), [Problem(str(folder), None, "error", "no question files (*.yaml) here")]
    validator = Draft202012Validator(json.loads(schema_path.read_text(encoding="utf-8")))
    problems: list[Problem] = [
        Problem(str(p), None, "warning", "ignored: question files must end in .yaml")
        for p in sorted(folder.glob("*.yml"))
    ]
    candidates: list[tuple[Question, str]] = []  # schema-valid questions, with their file's path
    for path in files:
        questions, file_problems = _read_file(path, validator)
        problems.extend(file_problems)
        candidates.extend((q, str(path)) for q in questions)
    kept, question_problems = _check_questions(candidates, near_duplicates=near_duplicates)
    problems.extend(question_problems)
    problems.sort(key=lambda p: (p.path, p.line or 0))
    bank = QuestionBank(tuple(kept))
    problems.extend(mix_warnings(bank, policy, str(folder)))
    return bank, problems


# ---------------------------------------------------------------------------------------- one file


def _read_file(path: Path, validator: Draft202012Validator) -> tuple[list[Question], list[Problem]]:
    def error(line: int | None, message: str) -> Problem:
        return Problem(str(path), line, "error", message)

    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return [], [error(None, f"cannot read the file: {exc}")]
    try:
        root, data = _parse(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        what = " ".join(part for part in (exc.context, exc.problem) if part)
        return [], [error(mark.line + 1 if mark else None, f"YAML syntax error: {what}")]
    except yaml.YAMLError as exc:
        return [], [error(None, f"YAML syntax error: {exc}")]
    if root is None:
        return [], [error(1, "the file is empty: it needs a 'questions:' list")]

    problems = [error(line, f"duplicate key {key!r}") for line, key in _duplicate_keys(root)]
    bad_items: set[int] = {index for index, _ in _duplicate_keys_by_item(root)}
    for issue in validator.iter_errors(data):
        where = list(issue.absolute_path)
        if len(where) >= 2 and where[0] == "questions" and isinstance(where[1], int):
            bad_items.add(where[1])
        if issue.validator == "additionalProperties" and isinstance(issue.instance, dict):
            prefix, name = _subject(where, data)
            for key in _extra_keys(issue):
                field_name = f"{name}.{key}" if name else key
                line = _line_of(root, [*where, key], key_line=True)
                problems.append(error(line, f"{prefix}unknown field {field_name!r}"))
        else:
            problems.append(error(_line_of(root, where), _schema_message(issue, data)))

    items = data.get("questions") if isinstance(data, dict) else None
    if not isinstance(items, list):
        return [], problems
    questions = [
        _question(item, f"{path.name}:{_line_of(root, ['questions', index])}")
        for index, item in enumerate(items)
        if index not in bad_items
    ]
    return questions, problems


def _parse(text: str) -> tuple[yaml.Node | None, Any]:
    """Compose the YAML once, keeping the node tree (for line numbers) and the data built from it."""
    loader = _Loader(text)
    try:
        root = loader.get_single_node()
        data = loader.construct_document(root) if root is not None else None
    finally:
        loader.dispose()
    return root, data


def _child(node: yaml.Node, key: str | int) -> tuple[yaml.Node, yaml.Node] | None:
    """The (key node, value node) of ``key`` in a mapping node, or (item, item) of a sequence index."""
    if isinstance(node, yaml.MappingNode):
        found = None
        for key_node, value_node in node.value:
            if isinstance(key_node, yaml.ScalarNode) and key_node.value == str(key):
                found = (key_node, value_node)  # the last one wins, as when the data is built
        return found
    if isinstance(node, yaml.SequenceNode) and isinstance(key, int) and 0 <= key < len(node.value):
        item: yaml.Node = node.value[key]
        return item, item
    return None


def _line_of(root: yaml.Node, path: Sequence[str | int], *, key_line: bool = False) -> int:
    """The 1-based line of the node at ``path`` (or of the deepest node on the way that exists)."""
    node = root
    line: int = root.start_mark.line + 1
    for key in path:
        found = _child(node, key)
        if found is None:
            break
        key_node, node = found
        line = (key_node if key_line else node).start_mark.line + 1
    return line


def _duplicate_keys(root: yaml.Node) -> Iterator[tuple[int, str]]:
    """(line, key) of every key that repeats within one mapping: YAML keeps only the last."""
    stack = [root]
    while stack:
        node = stack.pop()
        if isinstance(node, yaml.MappingNode):
            seen: set[str] = set()
            for key_node, value_node in node.value:
                if isinstance(key_node, yaml.ScalarNode):
                    if key_node.value in seen:
                        yield key_node.start_mark.line + 1, key_node.value
                    seen.add(key_node.value)
                stack.append(value_node)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)


def _duplicate_keys_by_item(root: yaml.Node) -> Iterator[tuple[int, str]]:
    """(question index, key) for duplicate keys inside a question: that question is left out."""
    found = _child(root, "questions")
    if found is None or not isinstance(found[1], yaml.SequenceNode):
        return
    for index, item in enumerate(found[1].value):
        for _, key in _duplicate_keys(item):
            yield index, key


def _extra_keys(exc: ValidationError) -> list[str]:
    allowed = exc.schema.get("properties", {}) if isinstance(exc.schema, dict) else {}
    instance: Any = exc.instance
    return [str(key) for key in instance if key not in allowed]


_TYPE_WORDS = {
    "string": "text",
    "boolean": "true or false",
    "array": "a list",
    "object": "a mapping of fields",
    "integer": "a whole number",
    "number": "a number",
}


def _subject(path: Sequence[str | int], data: Any) -> tuple[str, str]:
    """("question ID: ", "options.B") for a path into the file's data; ("", "questions") outside a question."""
    if len(path) >= 2 and path[0] == "questions" and isinstance(path[1], int):
        item = data["questions"][path[1]]
        qid = item.get("id") if isinstance(item, dict) else None
        prefix = f"question {qid}: " if isinstance(qid, str) else f"question {path[1] + 1} in the file: "
        return prefix, ".".join(str(part) for part in path[2:])
    return "", ".".join(str(part) for part in path)


def _schema_message(exc: ValidationError, data: Any) -> str:
    """A readable message naming the question and the field, from a JSON-schema error."""
    prefix, name = _subject(list(exc.absolute_path), data)
    value: Any = exc.instance
    kind = exc.validator
    rule: Any = exc.validator_value
    if kind == "required":
        missing = [key for key in rule if not isinstance(value, dict) or key not in value]
        names = ", ".join(repr(f"{name}.{key}" if name else key) for key in missing)
        return f"{prefix}missing field {names}"
    subject = f"{name} " if name else "the file "
    if kind == "type":
        return f"{prefix}{subject}must be {_TYPE_WORDS.get(str(rule), str(rule))}, not {value!r}"
    if kind == "enum":
        return f"{prefix}{subject}must be one of {', '.join(map(str, rule))}, not {value!r}"
    if kind == "minLength":
        return f"{prefix}{subject}is too short ({len(value)} characters; at least {rule})"
    if kind == "maxLength":
        return f"{prefix}{subject}is too long ({len(value)} characters; at most {rule})"
    if kind == "pattern":
        return f"{prefix}{subject}{value!r} does not match the pattern {rule}"
    if kind == "minItems":
        return f"{prefix}{subject}must list at least {rule} item(s)"
    return f"{prefix}{subject}{exc.message}"


def _question(item: Mapping[str, Any], source: str) -> Question:
    """Build a question from a schema-valid mapping."""
    options = item["options"]
    return Question(
        id=item["id"],
        domain=Domain(item["domain"]),
        stem=item["stem"],
        options=(options["A"], options["B"], options["C"], options["D"]),
        answer=LETTERS.index(item["answer"]),
        explanation=item["explanation"],
        bucket=Bucket(item["bucket"]),
        pediatric=item["pediatric"],
        basis=item["basis"],
        source=source,
    )


# ---------------------------------------------------------------------------------------- across the bank


def normalise(text: str) -> str:
    """Text for comparison: case, punctuation and spacing ignored."""
    text = unicodedata.normalize("NFKC", text).casefold()
    return " ".join(re.sub(r"[^\w\s]", " ", text).split())


def _check_questions(
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
        options = [normalise(option) for option in question.options]
        same = [
            (LETTERS[i], LETTERS[j])
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
    stems = [normalise(q.stem) for q, _ in kept]
    dropped: set[int] = set()
    for later, earlier, ratio in _near_duplicates(stems) if near_duplicates else ():
        question, path = kept[later]
        other = kept[earlier][0]
        dropped.add(later)
        problems.append(
            Problem(
                path,
                _source_line(question),
                "error",
                f"question {question.id}: stem nearly duplicates {other.id} at {other.source} "
                f"(similarity {ratio:.2f}, above {NEAR_DUPLICATE_RATIO})",
            )
        )
    survivors = [q for index, (q, _) in enumerate(kept) if index not in dropped]
    return survivors, problems


def _source_line(question: Question) -> int:
    return int(question.source.rpartition(":")[2])


def _near_duplicates(stems: Sequence[str]) -> Iterator[tuple[int, int, float]]:
    """(later, earlier, ratio): each stem whose SequenceMatcher ratio to an earlier one is over the limit.

    An earlier stem that was itself a near-duplicate is not compared again. ``ratio()`` is costly (about
    a millisecond a pair), so each pair first meets three cheap upper bounds on it, each counting
    characters that ratio() could at most match: the shorter length (difflib's ``real_quick_ratio``),
    the characters in common (``quick_ratio``, here from counts made once per stem) and the longest
    common subsequence (ratio()'s matches form a common subsequence). On English stems the first two
    prune little; the third leaves almost nothing for ratio().
    """
    counts = [Counter(stem) for stem in stems]
    masks = [_char_masks(stem) for stem in stems]
    compared: list[int] = []
    limit = NEAR_DUPLICATE_RATIO
    for later, stem in enumerate(stems):
        matcher = difflib.SequenceMatcher(None, autojunk=False)
        matcher.set_seq2(stem)
        best: tuple[float, int] | None = None
        for earlier in compared:
            other = stems[earlier]
            most = limit * (len(stem) + len(other)) / 2  # ratio > limit needs more matches than this
            if (
                min(len(stem), len(other)) <= most
                or _common_chars(counts[later], counts[earlier]) <= most
                or _lcs_length(masks[earlier], len(other), stem) <= most
            ):
                continue
            matcher.set_seq1(other)
            ratio = matcher.ratio()
            if ratio > limit and (best is None or ratio > best[0]):
                best = (ratio, earlier)
        if best is None:
            compared.append(later)
        else:
            yield later, best[1], best[0]


def _common_chars(a: Counter[str], b: Counter[str]) -> int:
    return sum(min(n, b[char]) for char, n in a.items())


def _char_masks(text: str) -> dict[str, int]:
    masks: dict[str, int] = {}
    for position, char in enumerate(text):
        masks[char] = masks.get(char, 0) | (1 << position)
    return masks


def _lcs_length(masks: Mapping[str, int], length: int, other: str) -> int:
    """Length of the longest common subsequence of a text (given as its character masks) and ``other``.

    The bit-parallel method (Allison and Dix 1986; Hyyrö 2004): one big-integer step per character.
    """
    full = (1 << length) - 1
    row = full
    for char in other:
        matches = row & masks.get(char, 0)
        row = ((row + matches) | (row - matches)) & full
    return length - row.bit_count()


# ---------------------------------------------------------------------------------------- the mix


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
    for letter in LETTERS:
        count = mix.by_letter[letter]
        if outside(count, low, high):
            warn(
                f"{letter} is the correct answer in {count} of {total} exam-domain questions "
                f"({mix.share(count):.1f}%); each letter should be {low}-{high}%"
            )
    return problems
