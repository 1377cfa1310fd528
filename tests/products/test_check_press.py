"""The press rules of ``packgen check`` (check.press): each fails (or warns on) a PDF made to break it."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path

import pikepdf
import pytest
from reportlab.lib.colors import CMYKColor, CMYKColorSep
from reportlab.pdfgen.canvas import Canvas

from packgen.check import check_file
from packgen.check.rules import Level
from packgen.render.manifest import FileEntry
from packgen.render.pdfx import PdfxCanvas
from packgen.resolve.fonts import FontFamily, register
from packgen.resolve.project import Project, embedded_root
from tests.products.test_check import A4, MM, black_text, pdf

EXTRA = 13 * MM  # bleed 3 mm + slug 10 mm, as tests.test_check.pdf makes press files


def _condition():  # type: ignore[no-untyped-def]
    return Project(embedded_root()).output_condition


def pdfx_file(path: Path, draw: Callable[[Canvas], None], pages: int = 1) -> Path:
    """A press PDF written through packgen's PDF/X canvas: a clean PDF/X-4 starting point."""
    register(FontFamily("sans", "Atkinson Hyperlegible"))
    size = (A4[0] + 2 * EXTRA, A4[1] + 2 * EXTRA)
    make = partial(PdfxCanvas, condition=_condition())
    canvas = make(str(path), pagesize=size, invariant=1, initialFontName="sans")
    canvas.setTitle("Fixture")
    for _ in range(pages):
        canvas.setTrimBox((EXTRA, EXTRA, EXTRA + A4[0], EXTRA + A4[1]))
        b = EXTRA - 3 * MM
        canvas.setBleedBox((b, b, size[0] - b, size[1] - b))
        canvas.saveState()
        canvas.translate(EXTRA, EXTRA)
        draw(canvas)
        canvas.restoreState()
        canvas.showPage()
    canvas.save()
    return path


def press_entry(path: Path, pages: int = 1) -> FileEntry:
    """What a packgen build's manifest says of a press file (so missing keys fail)."""
    return FileEntry(path.name, "fixture", "A4", "press", pages, 0, "", [], 8.0, 12.0)


def findings(path: Path, check: str, expect: FileEntry | None = None) -> list[tuple[Level, str]]:
    report = check_file(path, fast=True, expect=expect)
    return [(f.level, f.message) for f in report.findings if f.check == check]


def test_a_pdfx_file_passes_every_press_rule(tmp_path: Path) -> None:
    path = pdfx_file(tmp_path / "ok.pdf", black_text)
    report = check_file(path, fast=True, expect=press_entry(path))
    press = [f for f in report.findings if f.check in ("pdfx", "k-overprint", "qr-ink", "marks")]
    assert press and all(f.level is Level.PASS for f in press), press
    assert ("pdfx", "PDF/X-4, output intent FOGRA39") in [(f.check, f.message) for f in press]


def test_a_foreign_pdf_without_output_intent_is_told_in_plain_words(tmp_path: Path) -> None:
    path = pdf(tmp_path / "foreign.pdf", black_text, press=True)
    found = findings(path, "pdfx")
    assert (
        Level.WARN,
        "no output intent: the file does not say which printing condition (such as FOGRA39)"
        " its CMYK colours were made for, so the print shop has to guess; export it as"
        " PDF/X with your printer's profile",
    ) in found
    assert check_file(path, fast=True).ok  # a warning: the shop may not ask for PDF/X


def test_a_packgen_press_file_without_output_intent_fails(tmp_path: Path) -> None:
    path = pdf(tmp_path / "press.pdf", black_text, press=True)
    found = findings(path, "pdfx", press_entry(path))
    assert {level for level, _ in found} == {Level.FAIL}
    messages = " | ".join(m for _, m in found)
    assert "no output intent" in messages and "no PDF/X identification" in messages


def test_info_and_xmp_disagree_on_the_pdfx_version(tmp_path: Path) -> None:
    path = pdfx_file(tmp_path / "x.pdf", black_text)
    with pikepdf.open(path, allow_overwriting_input=True) as document:
        document.docinfo["/GTS_PDFXVersion"] = "PDF/X-1a:2003"
        document.save(path)
    found = findings(path, "pdfx", press_entry(path))
    assert (Level.FAIL, "the Info dictionary says PDF/X-1a:2003 but the XMP says PDF/X-4") in found


def test_an_rgb_output_profile_is_inconsistent_with_cmyk(tmp_path: Path) -> None:
    from PIL import ImageCms

    path = pdfx_file(tmp_path / "x.pdf", black_text)
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    with pikepdf.open(path, allow_overwriting_input=True) as document:
        intent = document.Root.OutputIntents[0]
        intent.DestOutputProfile = document.make_stream(srgb, N=3)
        document.save(path)
    messages = [m for _, m in findings(path, "pdfx", press_entry(path))]
    assert "the output intent's profile is a 'mntr' profile, not a printer (output) profile" in (
        messages
    )
    assert "the output intent's profile is for RGB, but the press file's colours are CMYK" in (
        messages
    )


def test_trapped_unknown_and_no_id(tmp_path: Path) -> None:
    path = pdfx_file(tmp_path / "x.pdf", black_text)
    with pikepdf.open(path, allow_overwriting_input=True) as document:
        document.docinfo["/Trapped"] = pikepdf.Name("/Unknown")
        document.save(path)
    messages = [m for _, m in findings(path, "pdfx", press_entry(path))]
    assert "Trapped is /Unknown; PDF/X needs True or False" in messages


def _qr_like(canvas: Canvas, colour: CMYKColor) -> None:
    canvas.setFillColor(colour)
    path = canvas.beginPath()
    for row in range(0, 25, 2):
        for col in range(0, 25, 3):
            path.rect(40 * MM + col * MM, 40 * MM + row * MM, MM, MM)
    canvas.drawPath(path, stroke=0, fill=1)


def test_a_qr_code_in_four_colour_navy(tmp_path: Path) -> None:
    navy = CMYKColor(0.88, 0.72, 0.36, 0.38)
    path = pdfx_file(tmp_path / "x.pdf", lambda c: _qr_like(c, navy))
    found = findings(path, "qr-ink", press_entry(path))
    assert found == [
        (
            Level.FAIL,
            "a QR code prints in 88/72/36/38 (C/M/Y/K %), not 100% K alone: any"
            " misregistration between plates blurs its modules",
        )
    ]
    black = pdfx_file(tmp_path / "k.pdf", lambda c: _qr_like(c, CMYKColor(0, 0, 0, 1)))
    assert findings(black, "qr-ink") == [(Level.PASS, "1 codes in 100% K")]


def _marks(colour: object) -> Callable[[Canvas], None]:
    def draw(canvas: Canvas) -> None:
        black_text(canvas)
        canvas.restoreState()  # marks are drawn on the page, outside the bleed
        canvas.setStrokeColor(colour)
        canvas.setLineWidth(0.25)
        canvas.line(0, EXTRA, EXTRA - 5 * MM, EXTRA)
        canvas.line(EXTRA, 0, EXTRA, EXTRA - 5 * MM)
        canvas.saveState()

    return draw


def test_marks_in_black_only(tmp_path: Path) -> None:
    path = pdfx_file(tmp_path / "x.pdf", _marks(CMYKColor(0, 0, 0, 1)))
    assert findings(path, "marks", press_entry(path)) == [
        (
            Level.FAIL,
            "2 crop or fold mark(s) are not in registration colour (the /All separation),"
            " so they do not print on every plate",
        )
    ]
    assert findings(path, "marks")[0][0] is Level.WARN  # a foreign file: a warning


def test_marks_in_registration_colour_pass_and_are_exempt_from_total_ink(tmp_path: Path) -> None:
    path = pdfx_file(tmp_path / "x.pdf", _marks(CMYKColorSep(1, 1, 1, 1, spotName="All")))
    assert findings(path, "marks") == [(Level.PASS, "2 marks in registration colour")]
    # /All is 400% of ink on every plate, but only in hairline marks outside the bleed:
    # the total-ink rule reads CMYK (k/K) colours, so registration colour does not count
    assert findings(path, "ink") == [(Level.PASS, "total ink at most 100%")]


def test_black_text_that_knocks_out(tmp_path: Path) -> None:
    path = pdf(tmp_path / "x.pdf", black_text, press=True)  # plain canvas: no overprint
    found = findings(path, "k-overprint", press_entry(path))
    assert found == [
        (
            Level.FAIL,
            "1 run(s) of 100% K text knock out of what is behind them: set black text to overprint",
        )
    ]


@pytest.mark.parametrize(("pages", "level"), [(13, Level.WARN), (16, Level.PASS), (2, None)])
def test_booklet_page_count(tmp_path: Path, pages: int, level: Level | None) -> None:
    path = pdfx_file(tmp_path / "x.pdf", black_text, pages=pages)
    found = findings(path, "booklet")
    if level is None:
        assert found == []
    elif level is Level.WARN:
        assert found == [
            (
                Level.WARN,
                "13 pages: a saddle-stitched booklet needs a multiple of 4 (16, with 3 more pages)",
            )
        ]
    else:
        assert found == [(Level.PASS, "16 pages, a multiple of 4 for saddle stitching")]
