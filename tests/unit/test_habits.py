"""The test suite's own habits, read from its source: every test asserts, none on the clock."""

from __future__ import annotations

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]
CHECKS = ("raises", "fail", "warns")  # pytest.raises / pytest.fail / pytest.warns assert too
CLOCKS = ("time", "monotonic", "perf_counter", "process_time")


def _tests() -> list[tuple[Path, ast.FunctionDef]]:
    found = []
    for path in sorted(TESTS.rglob("test_*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef) and node.name.startswith("test_"):
                found.append((path, node))
    return found


def _where(path: Path, node: ast.AST) -> str:
    return f"{path.relative_to(TESTS)}:{getattr(node, 'lineno', 0)}"


def test_every_test_asserts_something() -> None:
    silent = [
        f"{_where(path, test)} {test.name}"
        for path, test in _tests()
        if not any(
            isinstance(node, ast.Assert)
            or (isinstance(node, ast.Attribute) and node.attr in CHECKS)
            for node in ast.walk(test)
        )
    ]
    assert len(_tests()) > 200  # test functions (parametrised ones count once)
    assert not silent, "tests without an assertion:\n" + "\n".join(silent)


def test_no_test_asserts_on_the_wall_clock() -> None:
    timed = [
        _where(path, node)
        for path, test in _tests()
        for node in ast.walk(test)
        if isinstance(node, ast.Assert)
        and any(
            isinstance(call, ast.Call)
            and isinstance(call.func, ast.Attribute)
            and call.func.attr in CLOCKS
            for call in ast.walk(node.test)
        )
    ]
    assert not timed, "assertions on the clock (speed is bench/'s job):\n" + "\n".join(timed)
