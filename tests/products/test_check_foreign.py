"""Preflight of other engines' PDFs: what the file is for, two verdicts, plain words, pictures."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfWriter
from pypdf.generic import RectangleObject
from reportlab.lib.colors import CMYKColor
from reportlab.pdfgen.canvas import Canvas

from packgen.build import BuildReport
from packgen.check import FileReport, check_file
from packgen.check.finding import Level
from packgen.check.pixels import MAX_PIXELS, bounded_scale
from packgen.cli import main
from packgen.resolve.fonts import FontFamily, register
from tests.products.foreign import write_all

MM = 72 / 25.4


@pytest.fixture(scope="module")
def foreign(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return write_all(tmp_path_factory.mktemp("foreign"))


@pytest.fixture(scope="module")
def reports(foreign: dict[str, Path]) -> dict[str, FileReport]:
    return {name: check_file(path) for name, path in foreign.items()}


def flagged(report: FileReport, audience: str, level: Level = Level.FAIL) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for f in report.findings:
        if f.level_for(audience) is level:
            found.setdefault(f.check, []).append(f.message)
    return found


def test_no_trimbox_but_bleed_on_the_page_is_read_as_a3_with_bleed(
    reports: dict[str, FileReport],
) -> None:
    report = reports["typst-no-trimbox.pdf"]
    assert report.intent is not None
    assert report.intent.source == "standard size with margins"
    assert report.intent.size == "A3" and report.intent.trim_mm == (297.0, 420.0)
    assert report.intent.bleed_mm == pytest.approx(3.0, abs=0.05)
    assert report.intent.describe() == (
        "A3 (297 × 420 mm) with 3 mm bleed on the page, but no TrimBox says where to cut"
    )
    assert report.profile == "press" and not report.ok
    (boxes,) = [f for f in report.findings if f.check == "boxes"]
    assert boxes.level is Level.WARN and "no TrimBox says where to cut" in boxes.message
    assert "trim to A3" in boxes.advice


def test_rgb_is_fine_for_the_office_and_a_fault_for_the_print_shop(
    reports: dict[str, FileReport],
) -> None:
    for name in ("typst-no-trimbox.pdf", "weasyprint-rgb-near-trim.pdf", "fpdf2-low-ppi.pdf"):
        report = reports[name]
        (colour,) = [f for f in report.findings if f.check == "colour"]
        assert colour.message.startswith("the colours are RGB (screen colours)"), name
        assert colour.advice == "Ask for a CMYK or PDF/X export."
        assert colour.level_for("shop") is Level.FAIL
        assert colour.level_for("office") is Level.PASS
    typst = reports["typst-no-trimbox.pdf"]
    assert typst.verdict("office").sentence() == "For an office printer: ready, 1 to check"
    assert typst.verdict("shop").sentence() == (
        "For a print shop: not ready — 1 thing to fix (2 to check)"  # and: no output intent
    )


def test_text_near_the_trim(reports: dict[str, FileReport]) -> None:
    report = reports["weasyprint-rgb-near-trim.pdf"]
    assert report.intent is not None and report.intent.source == "TrimBox"
    assert report.intent.bleed_mm == pytest.approx(3.0, abs=0.05)
    (near,) = [f for f in report.findings if f.check == "safe-area"]
    assert near.message == "text 'Printed for the local family hub' lies outside the safe area"
    assert near.level_for("shop") is Level.FAIL and near.level_for("office") is Level.FAIL
    assert near.box is not None and near.box.y1 > report.intent.trim.y1 - 3 * MM
    assert "3 mm inside the trim" in near.advice
    assert report.verdict("shop").to_fix == 2  # RGB and the text


def test_a_120_ppi_image(reports: dict[str, FileReport]) -> None:
    report = reports["fpdf2-low-ppi.pdf"]
    (image,) = [f for f in report.findings if f.check == "images"]
    assert image.level is Level.FAIL
    assert image.message == "an image prints at 120 ppi (minimum 150)"
    assert image.box is not None and image.box.w / MM == pytest.approx(200, abs=0.5)


def test_unembedded_font_spot_colour_transparency_and_white_overprint(
    reports: dict[str, FileReport],
) -> None:
    report = reports["reportlab-spot-helvetica.pdf"]
    shop_fail = flagged(report, "shop")
    assert shop_fail["fonts"] == ["font Helvetica-Bold is not embedded"]
    assert shop_fail["overprint"] == ["white is set to overprint in 1 place: it vanishes in print"]
    warn = flagged(report, "shop", Level.WARN)
    assert warn["spot"][0].startswith("uses spot colour PANTONE 300 C")
    assert warn["transparency"][0].startswith("transparency (see-through colour (50% opacity))")
    office = flagged(report, "office")
    assert set(office) == {"fonts"}  # spot, transparency and overprint do not matter there
    assert report.verdict("shop").sentence() == (
        "For a print shop: not ready — 2 things to fix (3 to check)"  # and: no output intent
    )


def test_an_unembedded_form_field_font_fails(reports: dict[str, FileReport]) -> None:
    report = reports["reportlab-form-font.pdf"]
    assert not report.ok
    assert flagged(report, "office")["fonts"] == [
        "font Helvetica (in a form field) is not embedded"
    ]
    (font,) = [f for f in report.findings if f.check == "fonts"]
    assert "form" in font.advice


def test_a_clean_press_file_is_ready_for_both(reports: dict[str, FileReport]) -> None:
    report = reports["reportlab-clean.pdf"]
    assert report.ok, [f for f in report.findings if f.level is not Level.PASS]
    # ready, with two things to ask about: no output intent, and black text that knocks out
    assert report.verdict("shop").sentence() == "For a print shop: ready, 2 to check"
    (intent,) = [f for f in report.findings if f.check == "pdfx"]
    assert intent.level_for("shop") is Level.WARN and intent.level_for("office") is Level.PASS
    assert intent.message.startswith("no output intent: the file does not say which printing")
    assert intent.advice.startswith("Ask for a PDF/X export")
    assert report.verdict("office").ready
    (paper,) = [f for f in report.findings if f.check == "paper"]
    assert paper.level_for("office") is Level.WARN and "fit to page" in paper.advice


def _full_colour(path: Path, press: bool, bleed: float) -> Path:
    """A4 with a colour background: to the bleed, or stopping at the trim."""
    register(FontFamily("sans", "Atkinson Hyperlegible"))
    margin = 10 * MM if press else 0
    a4 = (210 * MM, 297 * MM)
    canvas = Canvas(
        str(path),
        pagesize=(a4[0] + 2 * margin, a4[1] + 2 * margin),
        invariant=1,
        initialFontName="sans",
    )
    if press:
        canvas.setTrimBox((margin, margin, margin + a4[0], margin + a4[1]))
        b = margin - 3 * MM
        canvas.setBleedBox((b, b, margin + a4[0] + 3 * MM, margin + a4[1] + 3 * MM))
    canvas.translate(margin, margin)
    canvas.setFillColor(CMYKColor(0.6, 0.2, 0, 0))
    canvas.rect(-bleed, -bleed, a4[0] + 2 * bleed, a4[1] + 2 * bleed, fill=1, stroke=0)
    canvas.showPage()
    canvas.save()
    return path


def test_artwork_to_the_edge_without_bleed(tmp_path: Path) -> None:
    report = check_file(_full_colour(tmp_path / "edge.pdf", press=False, bleed=0))
    (bleed,) = [f for f in report.findings if f.check == "bleed"]
    assert bleed.level_for("shop") is Level.FAIL and bleed.level_for("office") is Level.PASS
    assert bleed.message.startswith("artwork runs to the left, right, bottom, top edge")
    assert "3 mm bleed" in bleed.advice
    assert report.ok  # an A4 without bleed is for the office printer


def test_artwork_that_stops_at_the_trim(tmp_path: Path) -> None:
    short = check_file(_full_colour(tmp_path / "short.pdf", press=True, bleed=0))
    assert [f.message for f in short.findings if f.check == "bleed"] == [
        "artwork stops at the trim on the left, right, bottom, top edge instead of running"
        " into the bleed"
    ]
    full = check_file(_full_colour(tmp_path / "full.pdf", press=True, bleed=3 * MM))
    assert not [f for f in full.findings if f.check == "bleed"]
    assert full.ok


def test_pictures_mark_the_problems(foreign: dict[str, Path], tmp_path: Path) -> None:
    out = tmp_path / "pictures"
    assert main(["check", str(foreign["fpdf2-low-ppi.pdf"]), "--pictures", str(out)]) == 1
    (picture,) = sorted(out.glob("*.png"))
    image = Image.open(picture).convert("RGB")
    report = check_file(foreign["fpdf2-low-ppi.pdf"])
    (low,) = [f for f in report.findings if f.check == "images"]
    assert low.box is not None
    # the page is drawn at 60 dpi from the top-left; the image's top edge is boxed in red
    scale = 60 / 72
    x = int((low.box.x0 + low.box.x1) / 2 * scale)
    y = int((report.facts.pages[0].media.y1 - low.box.y1) * scale)  # type: ignore[union-attr]
    reds = [image.getpixel((x, y + d)) for d in range(-4, 5)]
    assert any(r > 180 and g < 40 and b < 40 for r, g, b in reds), reds  # type: ignore[misc]
    assert image.height > 426 * MM * scale  # the legend is under the page


def test_pictures_of_text_outside_the_safe_area(foreign: dict[str, Path], tmp_path: Path) -> None:
    out = tmp_path / "pictures"
    main(["check", str(foreign["weasyprint-rgb-near-trim.pdf"]), "--pictures", str(out)])
    (picture,) = sorted(out.glob("*.png"))
    image = Image.open(picture).convert("RGB")
    report = check_file(foreign["weasyprint-rgb-near-trim.pdf"])
    (near,) = [f for f in report.findings if f.check == "safe-area"]
    assert near.box is not None
    scale, left, top = 60 / 72, -8.504, 1199.055
    x = int((near.box.x0 - left) * scale) - 2
    ys = range(int((top - near.box.y1) * scale), int((top - near.box.y0) * scale))
    column = [image.getpixel((x + dx, y)) for y in ys for dx in range(-2, 3)]
    assert any(r > 180 and g < 40 and b < 40 for r, g, b in column)  # type: ignore[misc]


def test_json_carries_intent_verdicts_and_boxes(
    foreign: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check", str(foreign["weasyprint-rgb-near-trim.pdf"]), "--json"]) == 1
    (report,) = json.loads(capsys.readouterr().out)
    assert report["intent"]["source"] == "TrimBox"
    assert report["intent"]["size"] == "A3" and report["intent"]["bleed_mm"] == 3.0
    assert report["verdicts"]["office"]["ready"] is False
    assert report["verdicts"]["shop"]["summary"] == (
        "For a print shop: not ready — 2 things to fix (1 to check)"  # 1: no output intent
    )
    near = next(f for f in report["findings"] if f["check"] == "safe-area")
    assert near["page"] == 1 and len(near["box"]) == 4
    assert {"level", "office", "shop", "message", "advice"} <= set(near)
    colour = next(f for f in report["findings"] if f["check"] == "colour")
    assert (colour["office"], colour["shop"]) == ("pass", "fail")


def test_text_report_gives_both_verdicts(
    foreign: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    main(["check", str(foreign["typst-no-trimbox.pdf"]), "--fast"])
    out = capsys.readouterr().out
    assert "For an office printer: ready" in out
    assert "For a print shop: not ready — 1 thing to fix" in out
    assert "→ Ask for a CMYK or PDF/X export." in out


# Hostile files: a report, never a hang, a crash or a full-resolution giant render.


def test_a_fifo_is_not_read(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.pdf"
    os.mkfifo(fifo)
    report = check_file(fifo)
    assert not report.ok and "not a regular file" in report.findings[0].message


def test_a_symlink_to_dev_zero_is_not_read(tmp_path: Path) -> None:
    link = tmp_path / "zero.pdf"
    link.symlink_to("/dev/zero")
    report = check_file(link)
    assert not report.ok and "not a regular file" in report.findings[0].message


def test_a_pdf_without_pages_gets_a_report(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    empty = tmp_path / "empty.pdf"
    with empty.open("wb") as handle:
        PdfWriter().write(handle)
    assert main(["check", str(empty)]) == 1
    assert "the PDF has no pages" in capsys.readouterr().out


def test_a_page_beyond_200_inches_is_refused(tmp_path: Path) -> None:
    writer = PdfWriter()
    page = writer.add_blank_page(72, 72)
    page.mediabox = RectangleObject([0, 0, 300 * 72, 300 * 72])
    path = tmp_path / "huge.pdf"
    with path.open("wb") as handle:
        writer.write(handle)
    report = check_file(path)
    assert not report.ok
    assert report.findings[0].message.startswith("page 1 is 300 × 300 inches")


def test_large_pages_render_coarser() -> None:
    scale = bounded_scale(199 * 72, 199 * 72, 150)
    assert (199 * 72 * scale) ** 2 <= MAX_PIXELS * 1.001
    assert bounded_scale(595, 842, 150) == pytest.approx(150 / 72)


def test_a_file_that_no_longer_matches_its_manifest(tmp_path: Path) -> None:
    path = _full_colour(tmp_path / "poster.pdf", press=True, bleed=3 * MM)
    entry = {
        "file": path.name,
        "product": "p",
        "size": "A4",
        "profile": "press",
        "pages": 1,
        "bytes": 1,
        "sha256": "0" * 64,
        "qr_urls": [],
        "min_text": 8,
        "min_body": 12,
    }
    (tmp_path / "manifest.json").write_text(json.dumps({"format": 1, "files": [entry]}))
    report = check_file(path, fast=True)
    (stale,) = [f for f in report.findings if f.check == "manifest"]
    assert stale.level is Level.WARN and "not the one packgen build recorded" in stale.message


def test_packgen_office_files_point_the_print_shop_to_the_press_version(built: BuildReport) -> None:
    office = next(
        f for f in built.files if f.profile == "office" and f.product == "poster-speak-up"
    )
    report = check_file(office.path, fast=True)
    assert report.ok
    (version,) = [f for f in report.findings if f.check == "version"]
    assert version.level_for("office") is Level.PASS and version.level_for("shop") is Level.WARN
    assert version.advice.endswith(office.path.name.replace("-office.", "-press.") + ", instead.")


def test_pictures_highlight_low_contrast_text(tmp_path: Path) -> None:
    from reportlab.lib.colors import Color

    register(FontFamily("sans", "Atkinson Hyperlegible"))
    path = tmp_path / "pale.pdf"
    canvas = Canvas(str(path), pagesize=(210 * MM, 297 * MM), invariant=1, initialFontName="sans")
    canvas.setFillColor(Color(0.8, 0.8, 0.8))
    canvas.setFont("sans", 24)
    canvas.drawString(30 * MM, 200 * MM, "Pale words")
    canvas.showPage()
    canvas.save()
    out = tmp_path / "pictures"
    assert main(["check", str(path), "--pictures", str(out)]) == 1
    (picture,) = sorted(out.glob("*.png"))
    image = Image.open(picture).convert("RGB")
    report = check_file(path)
    (pale,) = [f for f in report.findings if f.check == "contrast"]
    assert pale.box is not None
    scale = 60 / 72
    left = (image.width - round(210 * MM * scale)) // 2  # narrow pages are centred over the legend
    x0, x1 = left + int(pale.box.x0 * scale), left + int(pale.box.x1 * scale)
    y0, y1 = int((297 * MM - pale.box.y1) * scale), int((297 * MM - pale.box.y0) * scale)
    inside = [image.getpixel((x, y)) for x in range(x0 + 2, x1 - 2) for y in range(y0 + 2, y1 - 2)]
    yellow = [p for p in inside if p[0] > 240 and p[1] > 215 and p[2] < 190]  # type: ignore[index]
    assert len(yellow) > len(inside) / 3  # the run is highlighted, not only outlined


def test_total_ink_set_through_an_icc_cmyk_space(tmp_path: Path) -> None:
    """Typst paints CMYK with ``/c0 cs … scn`` in an ICC space, not with ``k``."""
    import typst

    source = tmp_path / "ink.typ"
    source.write_text(
        "#set page(width: 210mm, height: 297mm, margin: 0mm, fill: cmyk(100%, 100%, 100%, 100%))\n",
        encoding="utf-8",
    )
    typst.compile(str(source), output=str(tmp_path / "ink.pdf"))
    report = check_file(tmp_path / "ink.pdf", fast=True)
    assert [f.message for f in report.findings if f.check == "ink"] == [
        "total ink reaches 400% (limit 300%)"
    ]
    assert not [f for f in report.findings if f.check == "colour" and f.level is Level.FAIL]
