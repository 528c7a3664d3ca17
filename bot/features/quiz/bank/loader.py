"""Reading ``bot/data/questions/*.yaml``: schema errors with file and line, then the bank-wide checks.

``check_bank`` never raises for a bad bank: it returns the questions that passed every check and a list of
:class:`Problem` (errors and warnings, each with its file and line). ``load_bank`` is the strict form the
bot starts with: any error raises :class:`BankError`; warnings are accepted.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import yaml
from jsonschema import Draft202012Validator

from bot.features.errorlog.model import Bucket

try:
    from yaml import CSafeLoader as _Loader
except ImportError:  # PyYAML built without libyaml: the same results, more slowly
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

from bot.features.quiz.bank.checks import check_questions, difficulty_warnings, mix_warnings
from bot.features.quiz.bank.model import (
    DEFAULT_BANK_DIR,
    LETTERS,
    OPTION_LETTERS,
    SCHEMA_PATH,
    SCORING_RULE,
    BankError,
    Domain,
    Kind,
    Problem,
    Question,
    QuestionBank,
)
from bot.features.quiz.bank.schema_messages import extra_keys, question_and_field, schema_message
from bot.policy import Policy, load_policy


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
    kept, question_problems = check_questions(candidates, near_duplicates=near_duplicates)
    problems.extend(question_problems)
    problems.sort(key=lambda p: (p.path, p.line or 0))
    bank = QuestionBank(tuple(kept))
    problems.extend(mix_warnings(bank, policy, str(folder)))
    problems.extend(difficulty_warnings(bank, str(folder)))
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
            prefix, name = question_and_field(where, data)
            for key in extra_keys(issue):
                field_name = f"{name}.{key}" if name else key
                line = _line_of(root, [*where, key], key_line=True)
                problems.append(error(line, f"{prefix}unknown field {field_name!r}"))
        else:
            problems.append(error(_line_of(root, where), schema_message(issue, data)))

    items = data.get("questions") if isinstance(data, dict) else None
    if not isinstance(items, list):
        return [], problems
    for index, item in enumerate(items):
        if index in bad_items:
            continue
        for field_name, message in _item_rules(item):
            bad_items.add(index)
            problems.append(error(_line_of(root, ["questions", index, field_name]), message))
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


def _item_rules(item: Mapping[str, Any]) -> Iterator[tuple[str, str]]:
    """(field, message) for the rules of a schema-valid question that the schema cannot state."""
    if item.get("type") != Kind.MULTIPLE_RESPONSE:
        return
    answer = item["answer"]
    if answer != sorted(answer):
        yield (
            "answer",
            f"question {item['id']}: answer must list its letters in order ({', '.join(sorted(answer))})",
        )
    if SCORING_RULE not in " ".join(item["explanation"].casefold().split()):
        yield (
            "explanation",
            f"question {item['id']}: a multiple-response explanation must state the scoring rule "
            f'("Scored {SCORING_RULE}: full credit only for choosing exactly ...")',
        )


def _question(item: Mapping[str, Any], source: str) -> Question:
    """Build a question from a schema-valid mapping that passed :func:`_item_rules`."""
    kind = Kind(item.get("type", Kind.SINGLE_ANSWER))
    letters = LETTERS if kind is Kind.SINGLE_ANSWER else OPTION_LETTERS
    answer = item["answer"]
    return Question(
        id=item["id"],
        domain=Domain(item["domain"]),
        stem=item["stem"],
        options=tuple(item["options"][letter] for letter in letters),
        correct=frozenset(letters.index(a) for a in (answer if isinstance(answer, list) else [answer])),
        explanation=item["explanation"],
        bucket=Bucket(item["bucket"]),
        pediatric=item["pediatric"],
        basis=item["basis"],
        difficulty=item["difficulty"],
        source=source,
        kind=kind,
    )
