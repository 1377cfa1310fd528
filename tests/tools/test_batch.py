"""Batch co-branding in parallel processes, and download bundles."""

from __future__ import annotations

import hashlib
import json
import shutil
import zipfile
from pathlib import Path

import pytest

from packgen.cli import main
from tests.conftest import ROOT

EXAMPLES = ROOT / "docs" / "examples" / "orgs"
CSV = """name,logo,website,support_name,support_url,support_phone
Oakfield Surgery,riverside-logo.svg,https://oak.example.org,Oakfield Health Visitors,https://oak.example.org/hv,0161 496 0123
Bad Row,riverside-logo.svg,javascript:alert(1),X,https://x.example.org,12
"""


@pytest.fixture
def orgs(tmp_path: Path) -> Path:
    folder = tmp_path / "orgs"
    shutil.copytree(EXAMPLES, folder)
    (folder / "broken.yaml").write_text("name: Broken\nlogo: nope.png\nwebsite: ftp://x.org\n")
    (folder / "more.csv").write_text(CSV)
    return folder


def test_batch_builds_the_good_and_reports_the_broken(
    orgs: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    code = main(
        ["batch", str(orgs), "--jobs", "2", "--zip", "--out", str(out), "--profile", "office"]
    )
    captured = capsys.readouterr()
    assert code == 1
    assert "3 of 5 packs built" in captured.out
    assert "[5/5]" in captured.out
    assert (
        "broken:" in captured.err
        and "only http:// and https:// links are allowed, found 'ftp://x.org'" in captured.err
    )
    assert "more:3:" in captured.err and "more.csv:3: error: website:" in captured.err
    assert "more.csv:3: error: support_phone: '12' is not a phone number" in captured.err
    built = sorted(p.name for p in out.iterdir() if p.is_dir())
    assert built == ["oakfield-surgery", "riverside-family-hub", "tom-jerry-s-hub-ysbyty-gwyr-best"]
    for folder in built:
        pdfs = list((out / folder).glob("*.pdf"))
        assert len(pdfs) >= 4, folder
        assert (out / f"{folder}.zip").is_file()


def test_bundle_manifest_matches_the_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    code = main(
        [
            "build",
            "--org",
            str(EXAMPLES / "riverside.yaml"),
            "--zip",
            "--out",
            str(out),
            "--only",
            "poster-speak-up",
            "leaflet-cues",
        ]
    )
    assert code == 0, capsys.readouterr().err
    with zipfile.ZipFile(out / "riverside-family-hub.zip") as archive:
        names = set(archive.namelist())
        manifest = json.loads(archive.read("manifest.json"))
        assert "HOW-TO-PRINT.txt" in names
        note = archive.read("HOW-TO-PRINT.txt").decode()
        assert "How to print this pack" in note and "#IMHAW2024" in note and "{" not in note
        assert {"thumbnails/poster-speak-up.png", "thumbnails/leaflet-cues.png"} <= names
        assert archive.read("thumbnails/poster-speak-up.png").startswith(b"\x89PNG")
        files = manifest["files"]
        assert {f["profile"] for f in files} == {"press", "office", "html"}
        assert len([n for n in names if n.endswith(".pdf")]) == 8
        assert {n for n in names if n.startswith("html/")} == {
            "html/poster-speak-up-A4-html.html",
            "html/leaflet-cues-A4-html.html",
        }  # one web page per product
        assert len(files) == 8 + 2
        for entry in files:
            data = archive.read(entry["file"])
            assert hashlib.sha256(data).hexdigest() == entry["sha256"]
            assert len(data) == entry["bytes"]
            assert entry["pages"] >= 1
            assert "https://riverside.example.org/parent-infant" in entry["qr_targets"]


def test_bundles_are_reproducible(tmp_path: Path) -> None:
    args = [
        "build",
        "--org",
        str(EXAMPLES / "riverside.yaml"),
        "--zip",
        "--only",
        "poster-speak-up",
    ]
    assert main([*args, "--out", str(tmp_path / "a")]) == 0
    assert main([*args, "--out", str(tmp_path / "b")]) == 0
    one = (tmp_path / "a" / "riverside-family-hub.zip").read_bytes()
    two = (tmp_path / "b" / "riverside-family-hub.zip").read_bytes()
    assert one == two


def test_batch_of_nothing_is_an_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["batch", str(tmp_path), "--out", str(tmp_path / "out")]) == 1
    assert "no profiles" in capsys.readouterr().err


def test_batch_builds_in_the_chosen_language(tmp_path: Path) -> None:
    """`batch --language` makes what `build --org --language` makes (it built the default
    language, whatever the option said)."""
    orgs = tmp_path / "orgs"
    orgs.mkdir()
    for name in ("riverside.yaml", "riverside-logo.svg"):
        shutil.copy(EXAMPLES / name, orgs / name)
    chosen = ["--language", "cy", "--profile", "office"]
    assert main(["batch", str(orgs), "--out", str(tmp_path / "batch"), *chosen]) == 0
    profile = str(orgs / "riverside.yaml")
    one = tmp_path / "one"
    assert (
        main(["build", "--org", profile, "--out", str(one), "--only", "poster-speak-up", *chosen])
        == 0
    )
    made = sorted(one.glob("*.pdf"))
    assert made
    for pdf in made:
        assert (tmp_path / "batch" / "riverside-family-hub" / pdf.name).read_bytes() == (
            pdf.read_bytes()
        ), pdf.name
