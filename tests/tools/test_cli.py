"""The command line: listing, building, broken products, exit codes, atomic writes."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from packgen.build import BuildReport
from packgen.cli import main
from packgen.render.write import write_atomic
from packgen.resolve.project import Project
from tests.conftest import FIXTURES


def test_every_shipped_layout_is_built(built: BuildReport, project: Project) -> None:
    # build() without profiles makes the print profiles; the screen layouts are built in
    # tests/products/test_digital.py
    screen = {"email-banner", *(name for name in project.products() if name.startswith("social-"))}
    assert {f.product for f in built.files} == set(project.products()) - screen
    assert not built.failures


def test_list_prints_one_product_per_line_name_first(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["list"]) == 0
    lines = [line for line in capsys.readouterr().out.splitlines() if not line.startswith(" ")]
    assert [line.split()[0] for line in lines] == project.products()
    assert any(line.startswith("poster-speak-up  poster  A4 A3 A2") for line in lines)


def test_build_prints_a_line_per_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert (
        main(["build", "--only", "poster-speak-up", "--profile", "office", "--out", str(tmp_path)])
        == 0
    )
    out = capsys.readouterr().out.splitlines()
    files = [line for line in out if line.endswith("KB")]
    assert len(files) == 3
    assert all(" 1 page " in line for line in files)
    assert out[-1] == f"3 files written to {tmp_path}/"


def test_build_size_makes_only_that_size(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["build", "--only", "poster-speak-up", "--size", "A3", "--profile", "office"]
    assert main([*args, "--out", str(tmp_path)]) == 0
    assert sorted(p.name for p in tmp_path.glob("*.pdf")) == ["poster-speak-up-A3-office.pdf"]
    assert capsys.readouterr().out.splitlines()[-1] == f"1 file written to {tmp_path}/"


def test_build_size_no_product_has_is_an_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["build", "--only", "poster-speak-up", "--size", "B9", "--out", str(tmp_path)]
    assert main(args) == 1
    assert "no chosen product has the size B9" in capsys.readouterr().err
    assert not list(tmp_path.glob("*.pdf"))


def test_one_broken_product_does_not_stop_the_others(
    project_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.copy(FIXTURES / "errors" / "overflow.yaml", project_copy / "layouts" / "aaa-broken.yaml")
    code = main(
        ["build", "--project", str(project_copy), "--out", str(tmp_path), "--profile", "office"]
    )
    captured = capsys.readouterr()
    assert code == 1
    assert "aaa-broken: not built" in captured.err
    assert "text 'tiny' overflows its frame" in captured.err
    built = {p.name.split("-A")[0] for p in tmp_path.glob("*.pdf")}
    assert {"poster-speak-up", "poster-know-your-baby"} <= built
    assert not list(tmp_path.glob("aaa-broken*"))


def test_unknown_product_is_a_user_error(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    assert main(["build", "--only", "poster-speek-up", "--out", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert "unknown product 'poster-speek-up'" in err and "did you mean 'poster-speak-up'?" in err


def test_python_dash_m_works_and_shows_no_traceback(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "packgen", "build", "--only", "nope", "--out", str(tmp_path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert "unknown product 'nope'" in result.stderr
    assert "Traceback" not in result.stderr


def test_atomic_write_replaces_whole_files_and_leaves_no_temp(tmp_path: Path) -> None:
    target = tmp_path / "a.pdf"
    write_atomic(target, b"old")
    write_atomic(target, b"new contents")
    assert target.read_bytes() == b"new contents"
    assert [p.name for p in tmp_path.iterdir()] == ["a.pdf"]


def test_atomic_write_failure_keeps_the_old_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "a.pdf"
    write_atomic(target, b"old")

    def broken(*_: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr("packgen.render.write.os.replace", broken)
    with pytest.raises(OSError):
        write_atomic(target, b"new")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["a.pdf"]
