"""Every reproduction of issue 21 (hostile input) as a fixture with the message it must give.

See ``fixtures/hostile/README.md`` for the layout of a case. Each must end with
its exit code (never 3, the code of a bug), no traceback, and nothing in the
output folder that looks complete and is not: every PDF is in the manifest
with its sha256, and no zip is left for a failed pack.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import shutil
from pathlib import Path

import pytest

from packgen.cli import main
from tests.conftest import FIXTURES, ROOT

CASES = sorted(p for p in (FIXTURES / "hostile").iterdir() if p.is_dir())


def expectations(case: Path) -> tuple[int, list[tuple[str, str]]]:
    code = 1
    found: list[tuple[str, str]] = []
    for line in (case / "expect.txt").read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        kind, _, value = line.partition(": ")
        if kind == "exit":
            code = int(value)
        else:
            found.append((kind, value))
    return code, found


def lay_out(case: Path, work: Path, project: Path | None) -> None:
    """The case's files in ``work`` (unpacked), and its project files over ``project``."""
    shutil.copytree(case, work / "case")
    for packed in (work / "case").rglob("*.gz"):
        packed.with_suffix("").write_bytes(gzip.decompress(packed.read_bytes()))
        packed.unlink()
    overlay = work / "case" / "project"
    if project is not None and overlay.is_dir():
        for source in sorted(p for p in overlay.rglob("*") if p.is_file()):
            target = project / source.relative_to(overlay)
            if source.suffix == ".patch":
                target = target.with_suffix("")
                text = target.read_text(encoding="utf-8")
                for line in source.read_text(encoding="utf-8").splitlines():
                    old, new = line.split(" -> ")
                    assert old in text, (old, target)
                    text = text.replace(old, new)
                target.write_text(text, encoding="utf-8")
            else:
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy(source, target)


def assert_complete(out: Path) -> None:
    """Every PDF in ``out`` (and its pack folders) is listed in a manifest with its digest."""
    for folder in [out, *(p for p in out.iterdir() if p.is_dir())] if out.is_dir() else []:
        pdfs = {p.name: p for p in folder.glob("*.pdf")}
        if not pdfs:
            continue
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        listed = {entry["file"]: entry["sha256"] for entry in manifest["files"]}
        assert set(pdfs) == set(listed), folder
        for name, path in pdfs.items():
            assert hashlib.sha256(path.read_bytes()).hexdigest() == listed[name]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_hostile_case(
    case: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    request: pytest.FixtureRequest,
) -> None:
    work = tmp_path / "work"
    # only a case with project files needs a copy of the project
    project_copy = request.getfixturevalue("project_copy") if (case / "project").is_dir() else ROOT
    lay_out(case, work, project_copy if project_copy != ROOT else None)
    monkeypatch.chdir(work / "case")
    out = work / "out"
    common = ["--project", str(project_copy), "--out", str(out), "--profile", "office"]
    if (work / "case" / "batch").is_dir():
        args = ["batch", "batch", *common, "--jobs", "2", "--zip", "--no-check"]
    elif (work / "case" / "org").is_dir():
        args = ["build", *common, "--org", "org/profile.yaml", "--only", "poster-speak-up"]
    else:
        args = ["build", *common, "--only", "hostile", "--zip"]
    code = main(args)
    captured = capsys.readouterr()
    expected_code, checks = expectations(case)
    assert code == expected_code, captured.err
    assert "Traceback" not in captured.err and "internal error" not in captured.err
    for kind, value in checks:
        if kind == "stderr":
            assert value in captured.err, captured.err
        elif kind == "stdout":
            assert value in captured.out, captured.out
        elif kind == "absent":
            assert not (out / value).exists()
        elif kind == "folder":
            assert (out / value / "manifest.json").is_file()
        elif kind == "folders":
            assert len([p for p in out.iterdir() if p.is_dir()]) == int(value)
        else:
            raise AssertionError(f"unknown expectation '{kind}' in {case.name}")
    if code != 0 and out.is_dir() and "batch" not in args:
        assert not list(out.glob("*.zip")), "a failed build left a bundle"
    assert_complete(out)
