"""The code keeps its shape: modules small enough to read, functions short enough to follow.

Layers and import circles are checked by ``lint-imports`` (contracts in
pyproject.toml), which bin/test runs beside ruff; this file checks sizes,
naming every module and function over its limit.
"""

from __future__ import annotations

import ast
from pathlib import Path

from .helpers.app import ROOT

PACKAGE = ROOT / "campaign"
MODULE_LINES = 400
FUNCTION_LINES = 60


def _modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts)


def _relative(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def test_no_module_is_over_the_size_limit():
    too_long = {
        _relative(path): lines
        for path in _modules()
        if (lines := len(path.read_text().splitlines())) > MODULE_LINES
    }
    assert too_long == {}, f"split these modules (over {MODULE_LINES} lines) by what they do"


def test_no_function_is_over_the_size_limit():
    too_long = {}
    for path in _modules():
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                lines = node.end_lineno - node.lineno + 1
                if lines > FUNCTION_LINES:
                    too_long[f"{_relative(path)}:{node.lineno} {node.name}"] = lines
    assert too_long == {}, f"break these functions (over {FUNCTION_LINES} lines) into steps"


def test_the_limits_are_checked_on_the_real_package():
    """A guard on the guards: they would pass on an empty folder."""
    modules = _modules()
    assert len(modules) > 50
    assert PACKAGE / "petitions" / "counters.py" in modules
