"""Every kind of user error: message, position and hint, from fixture files.

Each ``fixtures/errors/*.yaml`` starts with ``# expect:`` lines; each must
appear in what ``packgen build`` prints, prefixed by the layout's path where it
starts with a line number. The build must exit 1 without a traceback.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from packgen.cli import main
from tests.conftest import FIXTURES

CASES = sorted((FIXTURES / "errors").glob("*.yaml"))


def expectations(path: Path) -> list[str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [line.removeprefix("# expect: ") for line in lines if line.startswith("# expect: ")]


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_error_fixture(
    case: Path, project_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.copy(case, project_copy / "layouts" / case.name)
    code = main(
        [
            "build",
            "--project",
            str(project_copy),
            "--only",
            case.stem,
            "--out",
            str(tmp_path / "out"),
        ]
    )
    captured = capsys.readouterr()
    assert code == 1
    assert "Traceback" not in captured.err
    for expected in expectations(case):
        if expected[0].isdigit():
            expected = f"layouts/{case.name}:{expected}"
        assert expected in captured.err, captured.err
    assert not list((tmp_path / "out").glob("*.pdf")) if (tmp_path / "out").exists() else True
