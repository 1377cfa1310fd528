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
    ERROR,
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


BROKEN = """\
extends: _base.yaml
kind: poster
metadata: {title: speak_up.meta.title, subject: speak_up.meta.subject, keywords: speak_up.meta.keywords}
sizes: {A4: {}, A3: {}}
styles: {}
pages:
  - id: front
    elements:
      - {type: shape, id: card, box: {x: 20mm, y: 100mm, w: 50mm, h: 30mm}, fill: teal}
      - {type: text, id: tiny, box: {x: 20mm, y: 20mm, w: 60mm, h: 10mm}, copy: speak_up.body, style: body}
      - {type: shape, id: blob, box: {x: 100mm, y: 100mm, w: 50mm, h: 30mm}, fill: tael}
"""


def test_preview_of_a_broken_layout_outlines_each_mistake_in_red(
    project_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project_copy / "layouts" / "broken.yaml").write_text(BROKEN, encoding="utf-8")
    out = tmp_path / "png"
    code = main(["preview", "broken", "--project", str(project_copy), "--out", str(out)])
    err = capsys.readouterr().err
    assert code == 1
    assert "text 'tiny' overflows its frame by" in err and "unknown colour 'tael'" in err
    assert "broken: has errors; its preview outlines them in red" in err
    # every size, each with its mistakes; the messages once, for the first
    assert sorted(p.name for p in out.iterdir()) == [
        "broken-A3-press-p1.png",
        "broken-A4-press-p1.png",
    ]
    assert err.count("unknown colour 'tael'") == 1
    assert ERROR in {
        c for _, c in Image.open(out / "broken-A3-press-p1.png").convert("RGB").getcolors(1 << 20)
    }
    image = Image.open(out / "broken-A4-press-p1.png").convert("RGB")
    # what laid out is drawn: the teal card
    red, green, blue = colour_at(image, px(13 + 45), px(13 + 115))
    assert red < 40 and green > 100 and blue > 100  # teal ink, rendered from CMYK
    # the overflowing frame (x 20 mm, y 20–30 mm) and the unknown-colour shape in red
    assert colour_at(image, px(13 + 20), px(13 + 25)) == ERROR
    assert colour_at(image, px(13 + 100), px(13 + 115)) == ERROR
    assert colour_at(image, px(13 + 150), px(13 + 115)) == ERROR
    # the message sits on a red tab under the frame, in white letters
    row = [colour_at(image, x, px(13 + 30) + 6) for x in range(px(13 + 20), px(13 + 70))]
    assert row.count(ERROR) > len(row) // 2 and any(g > 200 for _, g, _ in row)
    # a good element keeps its violet outline
    assert colour_at(image, px(13 + 20), px(13 + 115)) == COLOURS[GuideKind.ELEMENT]


def test_a_broken_layout_keeps_what_laid_out(project_copy: Path) -> None:
    from packgen.layout.partial import LayoutError

    (project_copy / "layouts" / "broken.yaml").write_text(BROKEN, encoding="utf-8")
    project = Project(project_copy)
    with pytest.raises(LayoutError) as caught:
        make(project, load_design(project, "broken"), "A4", OFFICE, draft=True)
    error = caught.value
    assert [i.element_id for i in error.partial.pages[0].items] == ["card", "tiny"]
    assert [(f.element_id, f.page) for f in error.failed] == [("tiny", 0), ("blob", 0)]
    assert error.failed[1].rect.w == pytest.approx(50 * MM)
    assert error.pdf is not None and error.pdf.startswith(b"%PDF")
    assert error.unplaced() == []


def test_the_legend_wraps_on_a_narrow_page() -> None:
    from packgen.designer.preview import with_legend

    kinds = set(GuideKind)
    wide = with_legend(Image.new("RGB", (2000, 100), "white"), "p A4 press p1", kinds, 100, True)
    narrow = with_legend(Image.new("RGB", (300, 100), "white"), "p A4 press p1", kinds, 100, True)
    one_row = wide.height - 100
    assert narrow.height - 100 > 1.5 * one_row  # more rows, nothing cut off at the right
    strip = narrow.crop((0, 100, 300, narrow.height)).convert("RGB")
    assert ERROR in {strip.getpixel((x, y)) for x in range(300) for y in range(strip.height)}
