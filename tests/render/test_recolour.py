"""SVG art follows the palette: ``data-palette`` names repainted at build time."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pypdf
import pytest

from packgen.build import build
from packgen.cli import main
from packgen.colour import Colour
from packgen.render import raster
from packgen.resolve.project import Project
from packgen.resolve.recolour import painted_svg, references, tag
from tests.conftest import FIXTURES, ROOT

SWATCH = FIXTURES / "art" / "swatch.svg"
CAMPAIGN = Path("assets/campaigns/imhaw-2024/campaign.yaml")
LAYOUT = """\
extends: _base.yaml
kind: poster
metadata: {title: speak_up.meta.title, subject: speak_up.meta.subject, keywords: speak_up.meta.keywords}
sizes: {A4: {}}
styles: {}
pages:
  - id: front
    background: white
    elements:
      - {type: image, id: art, box: {x: 50mm, y: 50mm, w: 100mm, h: 100mm}, src: illustrations/swatch.svg}
"""
PLUM = Colour(cmyk=(0, 80, 20, 10), rgb="#C0306A")


def test_references() -> None:
    assert references("teal") == [("fill", "teal")]
    assert references("fill: sun; stroke: ink;") == [("fill", "sun"), ("stroke", "ink")]
    assert references("stop-color:blush") == [("stop-color", "blush")]


def test_painted_svg_sets_attributes_and_styles(tmp_path: Path) -> None:
    palette = {
        "teal": PLUM,
        "sun": Colour(cmyk=(0, 0, 0, 0), rgb="#FFFFFF"),
        "ink": Colour(cmyk=(0, 0, 0, 100), rgb="#000000"),
    }
    svg = painted_svg(SWATCH, palette, "swatch.svg")
    assert svg is not None
    text = svg.decode()
    assert 'fill="#C0306A" data-palette="teal"' in text
    assert 'style="fill:#FFFFFF;stroke:#000000"' in text
    assert 'stroke="#000000"' in text  # added as an attribute as well
    assert 'fill="#E8604C"/>' in text  # untagged art is left as drawn
    plain = tmp_path / "plain.svg"
    plain.write_text('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"/>')
    assert painted_svg(plain, palette, "plain.svg") is None


def test_tag_marks_exact_palette_values(project: Project) -> None:
    palette = dict(project.campaign.palette)
    svg = '<svg><path d="M0 0" fill="#0e7c7b"/><path stroke="#1F2A44" fill="none"/><g fill="#123456"/></svg>'
    tagged = tag(svg, palette)
    assert '<path d="M0 0" fill="#0e7c7b" data-palette="teal"/>' in tagged  # first name wins
    assert '<path stroke="#1F2A44" fill="none" data-palette="stroke: ink"/>' in tagged
    assert '<g fill="#123456"/>' in tagged
    assert tag(tagged, palette) == tagged


@pytest.fixture
def swatch_project(project_copy: Path) -> Path:
    shutil.copy(SWATCH, project_copy / "assets" / "illustrations" / "swatch.svg")
    (project_copy / "layouts" / "swatch.yaml").write_text(LAYOUT, encoding="utf-8")
    campaign = project_copy / CAMPAIGN
    text = campaign.read_text(encoding="utf-8")
    old = 'teal:     {cmyk: [88, 22, 50, 12], rgb: "#0E7C7B"}'
    assert old in text
    campaign.write_text(text.replace(old, 'teal: {cmyk: [0, 80, 20, 10], rgb: "#C0306A"}'))
    return project_copy


def _pixel(pdf: Path, x_mm: float, y_mm: float, margin_mm: float = 0) -> tuple[int, int, int]:
    (image,) = raster.pages(pdf.read_bytes(), 50)
    k = 50 / 25.4
    pixel = image.convert("RGB").getpixel(
        (round((margin_mm + x_mm) * k), round((margin_mm + y_mm) * k))
    )
    assert isinstance(pixel, tuple)
    return (int(pixel[0]), int(pixel[1]), int(pixel[2]))


def test_a_palette_change_recolours_the_art_in_office_and_press(
    swatch_project: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    report = build(Project(swatch_project), out, ["swatch"])
    assert report.ok, {k: str(v) for k, v in report.failures.items()}
    # office: the left half of the art (x 50–100 mm) in the new teal, exactly
    assert _pixel(out / "swatch-A4-office.pdf", 75, 80) == (0xC0, 0x30, 0x6A)
    # ... while untagged art keeps the colour it was drawn in (coral)
    red, green, blue = _pixel(out / "swatch-A4-office.pdf", 75, 135)
    assert (red, green, blue) == (0xE8, 0x60, 0x4C)
    # press: the new teal's own CMYK ink, not a conversion of its RGB
    press = out / "swatch-A4-press.pdf"
    content = pypdf.PdfReader(press).pages[0].get_contents()
    assert content is not None
    operators = content.get_data().decode("latin-1")
    assert re.search(r"(^|\s)0 \.8 \.2 \.1 k", operators), operators[:2000]
    assert " .88 .22 .5 .12 k" not in operators  # the old teal is gone
    cyan_free = _pixel(press, 75, 80, margin_mm=13)
    assert cyan_free[0] > 150 and cyan_free[1] < 100  # rendered: a magenta-red, not teal


def test_an_unknown_palette_name_in_art_is_an_error_at_its_svg_line(
    project_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    art = project_copy / "assets" / "illustrations" / "swatch.svg"
    art.write_text(SWATCH.read_text().replace('data-palette="teal"', 'data-palette="tael"'))
    (project_copy / "layouts" / "swatch.yaml").write_text(LAYOUT, encoding="utf-8")
    args = ["build", "--project", str(project_copy), "--only", "swatch", "--out", str(tmp_path)]
    assert main(args) == 1
    err = capsys.readouterr().err
    assert (
        "assets/illustrations/swatch.svg:3: error: element 'art': data-palette names colour "
        "'tael', which is not in the palette"
    ) in err
    assert "hint: did you mean 'teal'?" in err


ART = sorted((ROOT / "assets" / "illustrations").rglob("*.svg"))
MARK_LAYOUT = LAYOUT.replace("illustrations/swatch.svg", "illustrations/mark.svg")


@pytest.mark.parametrize("path", ART, ids=lambda p: p.name)
def test_shipped_art_is_tagged_with_the_palette(path: Path, project: Project) -> None:
    text = path.read_text(encoding="utf-8")
    assert "data-palette=" in text
    assert tag(text, dict(project.campaign.palette)) == text  # nothing left untagged


def test_a_palette_change_recolours_a_shipped_illustration(
    project_copy: Path, tmp_path: Path
) -> None:
    # the campaign mark, as shipped: its speech bubble is coral
    (project_copy / "layouts" / "mark.yaml").write_text(MARK_LAYOUT, encoding="utf-8")
    campaign = project_copy / CAMPAIGN
    text = campaign.read_text(encoding="utf-8")
    old = 'coral:    {cmyk: [0, 72, 68, 0], rgb: "#E8604C"}'
    assert old in text
    campaign.write_text(text.replace(old, 'coral: {cmyk: [0, 80, 20, 10], rgb: "#C0306A"}'))
    out = tmp_path / "out"
    report = build(Project(project_copy), out, ["mark"])
    assert report.ok, {k: str(v) for k, v in report.failures.items()}
    # the bubble at (15, 30) of its 100-unit view box, printed 100 mm wide at (50, 50) mm
    assert _pixel(out / "mark-A4-office.pdf", 65, 80) == (0xC0, 0x30, 0x6A)
    assert _pixel(out / "mark-A4-office.pdf", 100, 90) == (255, 255, 255)  # the white heart
    content = pypdf.PdfReader(out / "mark-A4-press.pdf").pages[0].get_contents()
    assert content is not None
    operators = content.get_data().decode("latin-1")
    assert re.search(r"(^|\s)0 \.8 \.2 \.1 k", operators), operators[:2000]
    assert " 0 .72 .68 0 k" not in operators  # the old coral ink is gone
    red, green, _ = _pixel(out / "mark-A4-press.pdf", 65, 80, margin_mm=13)
    assert red > 150 and green < 100


def test_tagged_art_prints_as_drawn(project: Project) -> None:
    """Tagging changed no output: each attribute repaints the value already there."""
    art = ROOT / "assets" / "illustrations" / "speak-up.svg"
    painted = painted_svg(art, dict(project.campaign.palette), "speak-up.svg")
    assert painted is not None
    drawn = re.sub(r' data-palette="[^"]*"', "", painted.decode())
    plain = re.sub(r' data-palette="[^"]*"', "", art.read_text(encoding="utf-8"))
    assert drawn == plain


def test_tag_art_command_tags_in_place_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    art = tmp_path / "mark.svg"
    shipped = (ROOT / "assets" / "illustrations" / "mark.svg").read_text(encoding="utf-8")
    art.write_text(re.sub(r' data-palette="[^"]*"', "", shipped), encoding="utf-8")
    assert main(["tag-art", str(art)]) == 0
    assert capsys.readouterr().out == f"{art}: 3 element(s) tagged with data-palette\n"
    assert 'fill="#E8604C" data-palette="coral"' in art.read_text(encoding="utf-8")
    assert main(["tag-art", str(art)]) == 0
    assert capsys.readouterr().out == f"{art}: 0 element(s) tagged with data-palette\n"
    assert main(["tag-art", str(tmp_path / "missing.svg")]) == 1
    assert "missing.svg: error: no such SVG file" in capsys.readouterr().err
