"""Which project a command uses (and says so), and ``packgen init``."""

from __future__ import annotations

from pathlib import Path

import pytest

from packgen.cli import main
from packgen.resolve.project import embedded_root, find_project


def _describe(folder: Path, text: str) -> None:
    """Give poster-speak-up a new description, to see which copy of it a command reads."""
    path = folder / "layouts" / "poster-speak-up.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines = [f"description: {text}" if line.startswith("description:") else line for line in lines]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_the_current_folder_with_layouts_is_the_project(
    project_copy: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _describe(project_copy, "My own edit")
    monkeypatch.chdir(project_copy)
    assert main(["list"]) == 0
    captured = capsys.readouterr()
    assert "poster-speak-up  poster  A4 A3 A2  My own edit" in captured.out
    first = captured.err.splitlines()[0]
    assert first == (
        f"packgen: project {project_copy} (current folder); campaign imhaw-2024, language en-GB"
    )


def test_a_folder_without_layouts_uses_the_embedded_pack(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert find_project(None, tmp_path).root == embedded_root()
    assert main(["list"]) == 0
    captured = capsys.readouterr()
    assert "Awareness poster for the public and stakeholders" in captured.out
    assert captured.err.startswith("packgen: project the embedded default pack (no layouts/ here")
    assert "packgen init DIR" in captured.err


def test_a_packgen_yaml_marks_a_project(tmp_path: Path) -> None:
    (tmp_path / "packgen.yaml").write_text("campaign: imhaw-2024\nlanguage: en-GB\n")
    choice = find_project(None, tmp_path)
    assert (choice.root, choice.how) == (tmp_path, "current folder")


def test_project_option_wins_over_the_current_folder(
    project_copy: Path,
    tmp_path_factory: pytest.TempPathFactory,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    _describe(project_copy, "Chosen with the option")
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    (elsewhere / "layouts").mkdir()  # a project here too, which --project overrides
    monkeypatch.chdir(elsewhere)
    assert main(["list", "--project", str(project_copy)]) == 0
    captured = capsys.readouterr()
    assert "Chosen with the option" in captured.out
    assert f"packgen: project {project_copy} (--project)" in captured.err


def test_init_copies_a_project_that_builds_its_own_edits(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "mine"
    assert main(["init", str(target)]) == 0
    for part in (
        "layouts/_base.yaml",
        "assets/campaigns/imhaw-2024/campaign.yaml",
        "assets/campaigns/imhaw-2024/copy/en-GB",
        "docs/layout.schema.json",
    ):
        assert (target / part).exists(), part
    assert not [p for p in target.rglob("__pycache__")]
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no scratch left
    _describe(target, "Started with init")
    monkeypatch.chdir(target)
    capsys.readouterr()
    assert main(["list"]) == 0
    assert "Started with init" in capsys.readouterr().out


def test_init_refuses_a_folder_that_is_not_empty(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "notes.txt").write_text("mine")
    assert main(["init", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert f"{tmp_path}: error: {tmp_path} is not empty" in err
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]


def test_init_fills_an_empty_folder(tmp_path: Path) -> None:
    target = tmp_path / "empty"
    target.mkdir()
    assert main(["init", str(target)]) == 0
    assert (target / "layouts" / "poster-speak-up.yaml").is_file()
