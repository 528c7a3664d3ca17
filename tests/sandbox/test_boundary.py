"""simcord is young: every call to it stays in bot/sandbox/simcord_adapter/, so a new major version
costs one folder. (Runs without the [preview] extra: it only reads the source.)"""

from __future__ import annotations

import ast
from pathlib import Path

import bot

ADAPTER = Path(bot.__file__).parent / "sandbox" / "simcord_adapter"


def imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    names |= {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    return names


def test_only_the_adapter_imports_simcord() -> None:
    root = Path(bot.__file__).parent
    outside = [
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if ADAPTER not in path.parents
        and any(name == "simcord" or name.startswith("simcord.") for name in imports(path))
    ]
    assert outside == []
    assert any("simcord" in imports(path) for path in ADAPTER.rglob("*.py"))
