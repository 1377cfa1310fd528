"""Previews: guide geometry without rendering, then guide pixels where the mm say."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from PIL import Image

from packgen.build import make
from packgen.cli import main
from packgen.designer.preview import (
    COLOURS,
    GuideKind,
    page_guides,
    preview,
    to_pixels,
)
from packgen.model.profiles import OFFICE, PRESS
from packgen.resolve.design import load_design
from packgen.resolve.project import Project
from packgen.units import MM

DPI = 100


def px(mm: float) -> int:
    """A length on the page image, in whole pixels, from mm."""
    return round(mm * DPI / 25.4)


def test_guides_of_a_press_poster(project: Project) -> None:
    placed, _ = make(project, load_design(project, "poster-speak-up"), "A4", PRESS)
    page = placed.pages[0]
    guides = page_guides(page, {"headline", "qr-video", "band"})
    by_kind: dict[GuideKind, list[object]] = {}
    for guide in guides:
        by_kind.setdefault(guide.kind, []).append(guide)
    (trim,) = [g.rect for g in guides if g.kind is GuideKind.TRIM]
    (bleed,) = [g.rect for g in guides if g.kind is GuideKind.BLEED]
    (safe,) = [g.rect for g in guides if g.kind is GuideKind.SAFE]
    # 10 mm slug + 3 mm bleed around the A4 trim; safe 5 mm inside it
    assert trim.x == pytest.approx(13 * MM) and trim.w == pytest.approx(210 * MM)
    assert bleed.x == pytest.approx(10 * MM) and bleed.h == pytest.approx(303 * MM)
    assert safe.x == pytest.approx(18 * MM) and safe.h == pytest.approx(287 * MM)
    columns = [g.rect for g in guides if g.kind is GuideKind.COLUMN]
    assert len(columns) == 6  # _base.yaml: 6 columns, 5 mm gutter, 15 mm margins
    assert columns[0].x == pytest.approx(28 * MM)
    assert columns[-1].right == pytest.approx((13 + 195) * MM)
    assert columns[1].x - columns[0].right == pytest.approx(5 * MM)
    labels = [g.label for g in guides if g.kind is GuideKind.ELEMENT]
    # only the named elements; a QR code's caption belongs to its element
    assert labels == ["headline", "band", "qr-video", "qr-video.caption"]
    assert not by_kind.get(GuideKind.FOLD)
    # drawing order: grid under outlines under the page guides
    kinds = [g.kind for g in guides]
    assert kinds.index(GuideKind.COLUMN) < kinds.index(GuideKind.ELEMENT)
    assert kinds[-1] is GuideKind.TRIM


def test_guides_of_a_folded_leaflet(project: Project) -> None:
    placed, _ = make(project, load_design(project, "leaflet-cues"), "A4", OFFICE)
    page = placed.pages[0]
    guides = page_guides(page)
    folds = [g.rect.x for g in guides if g.kind is GuideKind.FOLD]
    assert folds == pytest.approx([97 * MM, 197 * MM])  # panels 97 + 100 + 100 mm
    assert len([g for g in guides if g.kind is GuideKind.SAFE]) == 3  # one per panel
    assert len([g for g in guides if g.kind is GuideKind.COLUMN]) == 12  # 4 per panel
    assert not [g for g in guides if g.kind is GuideKind.BLEED]  # office: no bleed


def test_to_pixels_flips_y() -> None:
    from packgen.layout.placed import Rect

    media = Rect(0, 0, 720, 1440)
    assert to_pixels(Rect(72, 72, 144, 72), media, 100) == pytest.approx((100, 1800, 300, 1900))


def size(mm: float) -> int:
    """pdfium renders a page to the next whole pixel."""
    return math.ceil(mm * DPI / 25.4)


def colour_at(image: Image.Image, x: int, y: int) -> tuple[int, int, int]:
    pixel = image.getpixel((x, y))
    assert isinstance(pixel, tuple)
    return (int(pixel[0]), int(pixel[1]), int(pixel[2]))


def test_preview_draws_guides_where_the_mm_say(project: Project, tmp_path: Path) -> None:
    report = preview(project, ["poster-speak-up"], tmp_path, dpi=DPI, sizes=["A4"])
    assert report.ok and [f.path.name for f in report.files] == ["poster-speak-up-A4-press-p1.png"]
    image = Image.open(report.files[0].path).convert("RGB")
    page_h = size(2 * 13 + 297)
    assert image.width == size(2 * 13 + 210)
    assert image.height > page_h  # the legend strip sits under the page
    middle = px(13 + 150)  # half-way down the trim, between elements
    assert colour_at(image, px(10), middle) == COLOURS[GuideKind.BLEED]
    assert colour_at(image, px(13), middle) == COLOURS[GuideKind.TRIM]
    assert colour_at(image, px(18), middle) == COLOURS[GuideKind.SAFE]
    assert colour_at(image, px(13 + 210), middle) == COLOURS[GuideKind.TRIM]
    assert colour_at(image, px(13 + 210 + 3), middle) == COLOURS[GuideKind.BLEED]
    assert colour_at(image, px(200), px(13)) == COLOURS[GuideKind.TRIM]  # top edge
    # the headline's frame (col 1, y 27mm) is outlined in the element colour
    assert colour_at(image, px(13 + 60), px(13 + 27)) == COLOURS[GuideKind.ELEMENT]
    # a grid column (from 28 mm) is tinted; the gutter next to it is not
    column = colour_at(image, px(13 + 15 + 10), px(13 + 130))
    assert column[0] > column[1]  # magenta over the cream page


def test_preview_without_guides_is_the_bare_page(project: Project, tmp_path: Path) -> None:
    report = preview(project, ["poster-speak-up"], tmp_path, dpi=DPI, sizes=["A4"], guides=False)
    image = Image.open(report.files[0].path).convert("RGB")
    assert image.height == size(2 * 13 + 297)
    middle = px(13 + 150)
    for x in (px(10), px(13), px(18)):
        assert colour_at(image, x, middle) not in COLOURS.values()


def test_preview_one_png_per_page_with_folds(project: Project, tmp_path: Path) -> None:
    report = preview(project, ["leaflet-cues"], tmp_path, dpi=DPI, profile=OFFICE)
    assert [f.page for f in report.files] == [1, 2]
    image = Image.open(report.files[0].path).convert("RGB")
    assert image.width == size(297)  # office: the paper itself
    assert colour_at(image, px(97), px(5)) == COLOURS[GuideKind.FOLD]
    assert colour_at(image, px(197), px(200)) == COLOURS[GuideKind.FOLD]
    assert colour_at(image, px(5), px(105)) == COLOURS[GuideKind.SAFE]


def test_preview_command(
    project_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "previews"
    args = ["preview", "poster-know-your-baby", "--project", str(project_copy), "--out", str(out)]
    assert main([*args, "--size", "A3", "--dpi", "30"]) == 0
    assert capsys.readouterr().out.split() == [str(out / "poster-know-your-baby-A3-press-p1.png")]
    assert main([*args, "--size", "A9"]) == 1
    err = capsys.readouterr().err
    assert "is not made in size 'A9'" in err and "poster-know-your-baby: no preview" in err
