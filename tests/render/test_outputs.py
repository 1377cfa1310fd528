"""The output seam: writers by format, names and manifest entries in one place, CLI choices."""

from __future__ import annotations

import io
import json
from dataclasses import replace
from pathlib import Path

import pytest
from PIL import Image

from packgen import cli
from packgen.build import build, make
from packgen.colour import Colour
from packgen.errors import PackgenError
from packgen.layout.placed import PlacedDocument
from packgen.model import profiles
from packgen.model.profiles import OFFICE, PRESS, PROFILES
from packgen.render import writers
from packgen.render.writers import WRITERS, Writer, output_name, writer_for
from packgen.resolve.design import load_design
from packgen.resolve.project import Project
from tests.conftest import ROOT


def test_every_profile_has_a_writer_and_names_its_files_by_it() -> None:
    for profile in PROFILES.values():
        assert writer_for(profile) is WRITERS[profile.format]
    assert output_name("poster-speak-up", "A3", PRESS) == "poster-speak-up-A3-press.pdf"
    assert output_name("leaflet-cues", "A4", OFFICE) == "leaflet-cues-A4-office.pdf"


def test_a_format_without_a_writer_is_an_error_naming_the_known_ones() -> None:
    with pytest.raises(PackgenError) as caught:
        writer_for(replace(OFFICE, format="pfd"))
    message = caught.value.format()
    assert "profile 'office' asks for format 'pfd', which has no writer" in message
    assert "known formats are html, pdf, png" in message


def test_a_new_format_is_one_writer_and_one_registry_entry(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def write(document: PlacedDocument, palette: dict[str, Colour]) -> bytes:
        return f"{document.name} {document.size} {len(document.pages)}\n".encode()

    monkeypatch.setitem(WRITERS, "txt", Writer("txt", ".txt", "text/plain", write))
    monkeypatch.setitem(PROFILES, "notes", replace(OFFICE, format="txt"))
    report = build(Project(ROOT), tmp_path, ["poster-speak-up"], ["notes"])
    assert report.ok, {name: str(error) for name, error in report.failures.items()}
    names = sorted(p.name for p in tmp_path.glob("*.txt"))
    assert names == [f"poster-speak-up-{size}-office.txt" for size in ("A2", "A3", "A4")]
    assert (tmp_path / names[1]).read_text() == "poster-speak-up A3 1\n"
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    assert sorted(e["file"] for e in manifest["files"]) == names
    assert not report.preflight  # the preflight reads PDF only


def test_the_cli_offers_every_profile_and_all() -> None:
    parser = cli.parser()
    build_args = parser.parse_args(["build"])
    assert build_args.profile == profiles.ALL
    assert profiles.profile_names(profiles.ALL) == list(PROFILES)
    assert profiles.choices() == [*PROFILES, "all"]
    assert parser.parse_args(["preview"]).profile == profiles.PREVIEW
    with pytest.raises(SystemExit):
        parser.parse_args(["build", "--profile", "web"])
    assert parser.parse_args(["build", "--profile", "screen"]).profile == "screen"
    help_text = profiles.help_text(default=profiles.ALL)
    assert help_text == (
        "press (bleed, crop marks, CMYK), office (the paper size, sRGB, clickable links),"
        " screen (banners and social images as PNG, sRGB, one pixel per px),"
        " html (an accessible web page, one per product) or all (default)"
    )


def test_writers_module_is_where_names_are_made() -> None:
    source = Path(writers.__file__).read_text(encoding="utf-8")
    build_source = (Path(cli.__file__).parent / "build.py").read_text(encoding="utf-8")
    assert "def output_name" in source
    assert '".pdf"' not in build_source


def test_the_png_writer_makes_one_page_screen_images(tmp_path: Path) -> None:
    screen = replace(OFFICE, format="png")
    project = Project(ROOT)
    design = load_design(project, "poster-speak-up")
    placed, data = make(project, design, "A4", screen)
    assert output_name("poster-speak-up", "A4", screen) == "poster-speak-up-A4-office.png"
    with Image.open(io.BytesIO(data)) as image:
        assert (image.format, image.mode) == ("PNG", "RGB")
        media = placed.pages[0].media  # one pixel per px (96 dpi): A4 is 794 x 1123 px
        assert image.size == (round(media.w / 0.75), round(media.h / 0.75)) == (794, 1123)
    with pytest.raises(PackgenError, match="a PNG holds one page; 'leaflet-cues' has 2"):
        make(project, load_design(project, "leaflet-cues"), "A4", screen)
    with pytest.raises(
        PackgenError, match="a PNG is sRGB; 'poster-speak-up' was laid out for CMYK"
    ):
        make(project, design, "A4", replace(PRESS, format="png"))
