"""Every kind of user error: message, position and hint, from fixture files.

Each ``fixtures/errors/NAME.yaml`` is a layout that starts with ``# expect:``
lines; each must appear in what ``packgen build`` prints, prefixed by the
layout's path where it starts with a line number. The build must exit 1
without a traceback. Beside a layout, ``NAME.copy.yaml`` is added to the
copy, ``NAME.campaign.yaml`` replaces the campaign file and ``NAME.org.yaml``
is the organisation profile (``--org``); their ``# expect:`` lines are
prefixed by their own path.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from packgen.cli import main
from tests.conftest import FIXTURES, ROOT

CASES = sorted(p for p in (FIXTURES / "errors").glob("*.yaml") if p.name.count(".") == 1)
CAMPAIGN = Path("assets/campaigns/imhaw-2024")


def expectations(path: Path) -> list[str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [line.removeprefix("# expect: ") for line in lines if line.startswith("# expect: ")]


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_error_fixture(
    case: Path, project_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.copy(case, project_copy / "layouts" / case.name)
    files = {case: f"layouts/{case.name}"}
    extra: list[str] = []
    copy, campaign, org = (
        case.with_suffix(f".{kind}.yaml") for kind in ("copy", "campaign", "org")
    )
    if copy.exists():
        files[copy] = str(CAMPAIGN / "copy" / "en-GB" / case.name)
    if campaign.exists():
        files[campaign] = str(CAMPAIGN / "campaign.yaml")
    for source, target in files.items():
        shutil.copy(source, project_copy / target)
    if org.exists():
        folder = tmp_path / "org"
        shutil.copytree(ROOT / "docs" / "examples" / "orgs", folder)
        shutil.copy(org, folder / org.name)
        files[org] = str(folder / org.name)
        extra = ["--org", files[org]]
    code = main(
        [
            "build",
            "--project",
            str(project_copy),
            "--only",
            case.stem,
            "--out",
            str(tmp_path / "out"),
            *extra,
        ]
    )
    captured = capsys.readouterr()
    assert code == 1
    assert "Traceback" not in captured.err
    for source, shown in files.items():
        for expected in expectations(source):
            if expected[0].isdigit():
                expected = f"{shown}:{expected}"
            assert expected in captured.err, captured.err
    assert not list((tmp_path / "out").glob("*.pdf")) if (tmp_path / "out").exists() else True
