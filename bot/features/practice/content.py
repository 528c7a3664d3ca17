"""Practice content: scope cards, priority ladders and reading key words, loaded and checked. Pure.

The files live in ``bot/data/practice/`` and are validated against ``content.schema.json``; the
cross-checks here (unique ids, key words that really occur in their question's stem, questions that
exist) run at start-up and in ``python -m bot questions check``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from jsonschema import Draft202012Validator

from bot.features.practice.ladders import Ladder
from bot.policy import DATA_DIR

PRACTICE_DIR = DATA_DIR / "practice"
SCHEMA = PRACTICE_DIR / "content.schema.json"


@dataclass(frozen=True, slots=True)
class ScopeCard:
    id: str
    skill: str
    question: str
    answer: bool  # True: an EMR may, under the national model
    reason: str
    source: str


@dataclass(frozen=True, slots=True)
class KeyWords:
    question_id: str
    words: tuple[str, ...]
    why: str


class ContentError(ValueError):
    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("practice content has errors:\n" + "\n".join(problems))


@dataclass(frozen=True)
class PracticeContent:
    cards: tuple[ScopeCard, ...] = ()
    ladders: tuple[Ladder, ...] = ()
    keywords: Mapping[str, KeyWords] = field(default_factory=dict)

    def card(self, card_id: str) -> ScopeCard | None:
        return next((c for c in self.cards if c.id == card_id), None)

    def ladder(self, ladder_id: str) -> Ladder | None:
        return next((lad for lad in self.ladders if lad.id == ladder_id), None)


def _read(path: Path, validator: Draft202012Validator, problems: list[str]) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    for error in sorted(validator.iter_errors(data), key=lambda e: list(e.path)):
        where = "/".join(str(p) for p in error.path)
        problems.append(f"{path.name}: {where}: {error.message}")
    return data if isinstance(data, dict) else {}


def check_content(folder: Path, stems: Mapping[str, str]) -> tuple[PracticeContent, list[str]]:
    """Read every ``*.yaml`` in ``folder``; ``stems`` maps bank question ids to their stems."""
    validator = Draft202012Validator(json.loads(SCHEMA.read_text(encoding="utf-8")))
    problems: list[str] = []
    cards: list[ScopeCard] = []
    ladders: list[Ladder] = []
    keywords: dict[str, KeyWords] = {}
    for path in sorted(folder.glob("*.yaml")):
        before = len(problems)
        data = _read(path, validator, problems)
        if len(problems) > before:
            continue
        for raw in data.get("cards", []):
            cards.append(
                ScopeCard(
                    raw["id"], raw["skill"], raw["question"], raw["answer"], raw["reason"], raw["source"]
                )
            )
        for raw in data.get("ladders", []):
            try:
                ladders.append(
                    Ladder(
                        raw["id"],
                        raw["domain"],
                        raw["title"],
                        raw["prompt"],
                        tuple(raw["steps"]),
                        raw["why"],
                        raw["pediatric"],
                        raw["difficulty"],
                        raw["basis"],
                    )
                )
            except ValueError as error:
                problems.append(f"{path.name}: {error}")
        for question_id, raw in data.get("keywords", {}).items():
            stem = stems.get(question_id)
            if stem is None:
                problems.append(f"{path.name}: key words for {question_id}, which is not in the bank")
                continue
            missing = [w for w in raw["words"] if w.casefold() not in stem.casefold()]
            if missing:
                problems.append(f"{path.name}: {question_id}: key words not in its stem: {missing}")
                continue
            keywords[question_id] = KeyWords(question_id, tuple(raw["words"]), raw["why"])
    for kind, ids in (("card", [c.id for c in cards]), ("ladder", [lad.id for lad in ladders])):
        duplicates = sorted({i for i in ids if ids.count(i) > 1})
        if duplicates:
            problems.append(f"duplicate {kind} ids: {duplicates}")
    return PracticeContent(tuple(cards), tuple(ladders), keywords), problems


def load_content(stems: Mapping[str, str], folder: Path = PRACTICE_DIR) -> PracticeContent:
    content, problems = check_content(folder, stems)
    if problems:
        raise ContentError(problems)
    return content


def check_main(stems: Mapping[str, str], folder: Path = PRACTICE_DIR) -> int:
    """``questions check``'s second half: the practice content against the bank just checked."""
    content, problems = check_content(folder, stems)
    for problem in problems:
        print(f"{folder}: error: {problem}")
    print(
        f"Practice content ({folder}): {len(content.cards)} scope cards, {len(content.ladders)} priority "
        f"ladders, key words on {len(content.keywords)} questions; {len(problems)} error(s)"
    )
    return 1 if problems else 0
