"""PDFs made by other engines, each with the faults a print shop finds in partners' posters.

Every fixture is the same A3 poster with 3 mm bleed, written at test time by a
generator from the ``[test]`` extra (Typst, fpdf2, WeasyPrint, ReportLab), so
nothing binary is committed. Run ``python -m tests.products.foreign DIR`` to write them
all to DIR and look at them.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path

import fontpkg
from PIL import Image

MM = 72 / 25.4
A3 = (297.0, 420.0)  # mm
BLEED = 3.0  # mm


def _font() -> Path:
    return Path(fontpkg.path("Atkinson Hyperlegible", 400, "normal"))


def typst_no_trimbox(path: Path) -> Path:
    """Typst: A3 plus 3 mm bleed on the page (303 × 426 mm), no TrimBox, RGB colours."""
    import typst

    width, height = A3[0] + 2 * BLEED, A3[1] + 2 * BLEED
    source = path.with_suffix(".typ")
    source.write_text(
        f'#set page(width: {width}mm, height: {height}mm, margin: 0mm, fill: rgb("#1d4e89"))\n'
        "#set text(fill: white, size: 60pt)\n"
        "#place(top + left, dx: 23mm, dy: 40mm)[Speak up for babies]\n"
        "#place(top + left, dx: 23mm, dy: 80mm, text(size: 24pt)"
        "[Infant Mental Health Awareness Week, 10–16 June])\n",
        encoding="utf-8",
    )
    typst.compile(str(source), output=str(path))
    source.unlink()
    return path


def fpdf2_low_ppi(path: Path) -> Path:
    """fpdf2: 303 × 426 mm page without boxes, RGB, a photo placed at 120 ppi."""
    from fpdf import FPDF

    width, height = A3[0] + 2 * BLEED, A3[1] + 2 * BLEED
    document = FPDF(unit="mm", format=(width, height))
    document.set_creation_date(datetime(2024, 6, 10, tzinfo=timezone.utc))
    document.add_page()
    document.set_fill_color(240, 200, 60)
    document.rect(0, 0, width, height, style="F")
    photo_mm = 200.0
    pixels = round(120 * photo_mm / 25.4)  # 120 ppi at its placed size
    photo = Image.new("RGB", (pixels, pixels), (90, 120, 160))
    for x in range(0, pixels, 40):
        photo.paste((200, 80, 60), (x, 0, x + 20, pixels))
    document.image(photo, x=BLEED + 48.5, y=BLEED + 150, w=photo_mm)
    document.add_font("Atkinson", "", str(_font()))
    document.set_font("Atkinson", size=48)
    document.set_text_color(30, 30, 30)
    document.text(BLEED + 25, BLEED + 60, "Get to know your baby")
    document.output(str(path))
    return path


def weasyprint_rgb_text_near_trim(path: Path) -> Path:
    """WeasyPrint: A3 with TrimBox and BleedBox (CSS bleed and crop marks), RGB, text 1.5 mm from the trim."""
    import weasyprint

    html = f"""<!doctype html><html lang="en"><head><style>
      @page {{ size: A3; margin: 0; bleed: {BLEED}mm; marks: crop; background: #c8e6f0 }}
      body {{ margin: 0; font-family: "DejaVu Sans", sans-serif; color: #203040 }}
      h1 {{ position: absolute; top: 40mm; left: 25mm; font-size: 54pt; margin: 0 }}
      .edge {{ position: absolute; top: 1.5mm; left: 60mm; font-size: 14pt; margin: 0 }}
    </style></head><body>
      <p class="edge">Printed for the local family hub</p>
      <h1>Speak up for babies</h1>
    </body></html>"""
    weasyprint.HTML(string=html).write_pdf(str(path))
    return path


def _press_canvas(path: Path) -> object:
    from reportlab.pdfgen.canvas import Canvas

    from packgen.resolve.fonts import FontFamily, register

    register(FontFamily("sans", "Atkinson Hyperlegible"))
    marks = 10 * MM
    trim = (A3[0] * MM, A3[1] * MM)
    canvas = Canvas(
        str(path),
        pagesize=(trim[0] + 2 * marks, trim[1] + 2 * marks),
        invariant=1,
        initialFontName="sans",
    )
    canvas.setTrimBox((marks, marks, marks + trim[0], marks + trim[1]))
    bleed = marks - BLEED * MM
    canvas.setBleedBox((bleed, bleed, marks + trim[0] + BLEED * MM, marks + trim[1] + BLEED * MM))
    canvas.translate(marks, marks)
    return canvas


def _background(canvas: object) -> None:
    from reportlab.lib.colors import CMYKColor

    canvas.setFillColor(CMYKColor(0.1, 0, 0.05, 0))  # type: ignore[attr-defined]
    canvas.rect(  # type: ignore[attr-defined]
        -BLEED * MM, -BLEED * MM, (A3[0] + 2 * BLEED) * MM, (A3[1] + 2 * BLEED) * MM, 0, 1
    )


def reportlab_clean(path: Path) -> Path:
    """ReportLab: what a print shop wants (CMYK, boxes, bleed, embedded subset font)."""
    from reportlab.lib.colors import CMYKColor

    canvas = _press_canvas(path)
    _background(canvas)
    canvas.setFillColor(CMYKColor(0, 0, 0, 1))  # type: ignore[attr-defined]
    canvas.setFont("sans", 54)  # type: ignore[attr-defined]
    canvas.drawString(25 * MM, 330 * MM, "Speak up for babies")  # type: ignore[attr-defined]
    canvas.showPage()  # type: ignore[attr-defined]
    canvas.save()  # type: ignore[attr-defined]
    return path


def reportlab_spot_helvetica(path: Path) -> Path:
    """ReportLab: boxes and CMYK, but standard Helvetica (not embedded), a spot colour,
    a half-transparent panel and white text set to overprint."""
    from reportlab.lib.colors import CMYKColor, CMYKColorSep

    canvas = _press_canvas(path)
    _background(canvas)
    canvas.setFillColor(CMYKColorSep(1, 0.44, 0, 0, spotName="PANTONE 300 C"))  # type: ignore[attr-defined]
    canvas.rect(20 * MM, 250 * MM, 257 * MM, 120 * MM, 0, 1)  # type: ignore[attr-defined]
    canvas.saveState()  # type: ignore[attr-defined]
    canvas.setFillAlpha(0.5)  # type: ignore[attr-defined]
    canvas.setFillColor(CMYKColor(0, 0.6, 0.2, 0))  # type: ignore[attr-defined]
    canvas.rect(20 * MM, 60 * MM, 257 * MM, 120 * MM, 0, 1)  # type: ignore[attr-defined]
    canvas.restoreState()  # type: ignore[attr-defined]
    canvas.setFillOverprint(True)  # type: ignore[attr-defined]
    canvas.setFillColor(CMYKColor(0, 0, 0, 0))  # type: ignore[attr-defined]
    canvas.setFont("Helvetica-Bold", 54)  # type: ignore[attr-defined]
    canvas.drawString(30 * MM, 300 * MM, "Speak up for babies")  # type: ignore[attr-defined]
    canvas.showPage()  # type: ignore[attr-defined]
    canvas.save()  # type: ignore[attr-defined]
    return path


def reportlab_form_font(path: Path) -> Path:
    """ReportLab: an A4 letter in CMYK with embedded text and a form field in standard
    Helvetica, which ReportLab does not embed (only the form's /DR and the widget use it)."""
    from reportlab.lib.colors import CMYKColor
    from reportlab.pdfgen.canvas import Canvas

    from packgen.resolve.fonts import FontFamily, register

    register(FontFamily("sans", "Atkinson Hyperlegible"))
    canvas = Canvas(str(path), pagesize=(210 * MM, 297 * MM), invariant=1, initialFontName="sans")
    canvas.setFillColor(CMYKColor(0, 0, 0, 1))
    canvas.setFont("sans", 12)
    canvas.drawString(25 * MM, 260 * MM, "Dear candidate,")
    canvas.acroForm.textfield(
        name="candidate",
        tooltip="Candidate's name",
        x=25 * MM,
        y=240 * MM,
        width=100 * MM,
        height=10 * MM,
        fontName="Helvetica",
        fontSize=12,
        value="Name",
    )
    canvas.showPage()
    canvas.save()
    return path


FIXTURES: dict[str, Callable[[Path], Path]] = {
    "typst-no-trimbox.pdf": typst_no_trimbox,
    "fpdf2-low-ppi.pdf": fpdf2_low_ppi,
    "weasyprint-rgb-near-trim.pdf": weasyprint_rgb_text_near_trim,
    "reportlab-clean.pdf": reportlab_clean,
    "reportlab-spot-helvetica.pdf": reportlab_spot_helvetica,
    "reportlab-form-font.pdf": reportlab_form_font,
}


def write_all(folder: Path) -> dict[str, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    return {name: make(folder / name) for name, make in FIXTURES.items()}


if __name__ == "__main__":
    for written in write_all(Path(sys.argv[1] if len(sys.argv) > 1 else "foreign")).values():
        sys.stdout.write(f"{written}\n")
