"""The layout's rules, checked on the source: what may import what, and how big a module may grow."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent / "bot"
MODULES = sorted(ROOT.rglob("*.py"))
#: Pure modules: domain models, repositories and engines. They take ids, dates and dataclasses.
PURE_NAMES = {
    "model.py",
    "repo.py",
    "state.py",
    "daily.py",
    "schedule.py",
    "selection.py",
    "stats.py",
    "chart.py",
}
PURE_CORE = {"outbox.py", "wakeup.py", "refusals.py", "charts.py", "text.py"}
MAX_LINES = 300


def imports(path: Path) -> list[str]:
    found: list[str] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append(node.module)
    return found


def rel(path: Path) -> str:
    return path.relative_to(ROOT.parent).as_posix()


def is_pure(path: Path) -> bool:
    parts = path.relative_to(ROOT).parts
    if parts[0] == "db":
        return True
    if parts[0] == "core":
        return path.name in PURE_CORE
    if parts[0] == "features":
        return path.name in PURE_NAMES or path.name.endswith("_repo.py") or "bank" in parts
    return False


def test_the_rules_see_the_modules_they_are_about() -> None:
    pure = [rel(p) for p in MODULES if is_pure(p)]
    assert "bot/core/outbox.py" in pure and "bot/features/quiz/repo.py" in pure
    assert "bot/features/quiz/bank/__init__.py" in pure and "bot/db/sqlite.py" in pure
    assert len(pure) > 20


@pytest.mark.parametrize("path", [p for p in MODULES if is_pure(p)], ids=rel)
def test_models_repositories_and_engines_import_no_discord(path: Path) -> None:
    assert [m for m in imports(path) if m == "discord" or m.startswith("discord.")] == []


@pytest.mark.parametrize(
    "path", [p for p in MODULES if p.relative_to(ROOT).parts[0] in ("core", "db")], ids=rel
)
def test_core_and_db_import_no_feature(path: Path) -> None:
    assert [m for m in imports(path) if m.startswith("bot.features")] == []


@pytest.mark.parametrize("path", [p for p in MODULES if p.relative_to(ROOT).parts[0] == "features"], ids=rel)
def test_no_feature_imports_another_features_cog(path: Path) -> None:
    parts = path.relative_to(ROOT).parts
    own = parts[1] if len(parts) > 2 else None
    for module in imports(path):
        names = module.split(".")
        if len(names) >= 4 and names[:2] == ["bot", "features"] and names[3].startswith("_"):
            assert names[2] == own, f"{rel(path)} imports {module}, another feature's cog"


@pytest.mark.parametrize("path", [p for p in MODULES if p.relative_to(ROOT).parts[0] != "db"], ids=rel)
def test_only_the_database_seam_touches_the_driver(path: Path) -> None:
    assert [m for m in imports(path) if m.split(".")[0] in ("aiosqlite", "sqlite3")] == []


@pytest.mark.parametrize("path", MODULES, ids=rel)
def test_every_module_is_under_the_size_limit(path: Path) -> None:
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines < MAX_LINES, f"{rel(path)} has {lines} lines: split it"
