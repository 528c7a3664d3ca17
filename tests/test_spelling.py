"""Member-facing text is American English: the audience sits a US exam and works with US agencies.

Every string literal in the bot (docstrings aside) is checked for British spellings: "organizer",
"practice" (also the verb), "color", "behavior", "canceled" and so on. Identifiers are not strings,
so command names and discord.py's own ``discord.Colour`` are untouched.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent / "bot"
BRITISH = re.compile(
    r"\b\w*(organis|practis|colour|behaviour|favour|centre|cancell|labell|licence|judgement|programme"
    r"|recognis|realis|apologis|summaris|prioritis|memoris|minimis|normalis|finalis|utilis|optimis"
    r"|categoris|paediatr|haemorrh|anaesth|oesophag|travell|modell|enrol(?!l)|whilst|amongst)\w*",
    re.IGNORECASE,
)


def string_literals(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    names = {  # __all__ lists identifiers, not words
        id(item)
        for node in ast.walk(tree)
        if isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "__all__" for t in node.targets)
        for item in ast.walk(node.value)
    }
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in docstrings | names
    ]


@pytest.mark.parametrize("path", sorted(ROOT.rglob("*.py")), ids=lambda p: p.relative_to(ROOT).as_posix())
def test_strings_use_american_spelling(path: Path) -> None:
    found = [
        f"{path.name}:{line}: {match.group(0)}"
        for line, text in string_literals(path)
        for match in BRITISH.finditer(text)
    ]
    assert found == []


@pytest.mark.parametrize(
    ("text", "british"),
    [
        ("Only organisers can do that", True),
        ("not the right to practise", True),
        ("pending reminders are cancelled", True),
        ("Only organizers can do that", False),
        ("Practice questions, the daily question", False),
        ("pending reminders are canceled", False),
        ("State licensure or authorization", False),
    ],
)
def test_the_check_sees_british_spelling(text: str, british: bool) -> None:
    assert bool(BRITISH.search(text)) is british
