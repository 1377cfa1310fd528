"""The baseline: the A4 'Speak up for babies' poster drawn by hand with ReportLab.

What a developer would write without packgen: the same page, fonts, art, text
frames and vector QR codes, with positions typed in (which is exactly what
packgen exists to avoid). Used by ``bench/run.py`` to measure the engine's
overhead per page; the numbers mirror layouts/poster-speak-up.yaml at A4.
"""

from __future__ import annotations

import io
from functools import lru_cache

import fontpkg
import qrcode
from reportlab.graphics import renderPDF
from reportlab.lib.colors import Color
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph
from svglib.svglib import svg2rlg

MM = 72 / 25.4
W, H = 210 * MM, 297 * MM
INK, TEAL, DEEP, CREAM, WHITE = (
    Color(0.122, 0.165, 0.267),
    Color(0.055, 0.486, 0.482),
    Color(0.043, 0.373, 0.369),
    Color(1, 0.965, 0.925),
    Color(1, 1, 1),
)
VIDEO = "https://www.aaimh.org.au/events-and-training/2024-infant-mental-health-awareness-week/"
SUPPORT = "https://parentinfantfoundation.org.uk/"


def register_fonts() -> None:
    for suffix, weight in (("", 400), ("-Bold", 700)):
        path = fontpkg.path("Atkinson Hyperlegible", weight, "normal")
        pdfmetrics.registerFont(TTFont(f"hand{suffix}", str(path)))
    pdfmetrics.registerFontFamily("hand", normal="hand", bold="hand-Bold")


def _text(
    canvas: Canvas, markup: str, style: ParagraphStyle, x: float, top: float, w: float
) -> None:
    paragraph = Paragraph(markup, style)
    _, h = paragraph.wrap(w, 1000)
    paragraph.drawOn(canvas, x, top - h)


@lru_cache(maxsize=8)
def _matrix(url: str) -> list[list[bool]]:
    """Encoded once per URL: the baseline gets the same caching packgen has."""
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=0)
    code.add_data(url)
    code.make(fit=True)
    return code.get_matrix()  # type: ignore[no-any-return]


@lru_cache(maxsize=8)
def _art(path: str):  # type: ignore[no-untyped-def]
    """Parsed once per file, as packgen does."""
    return svg2rlg(path)


def _qr(canvas: Canvas, url: str, x: float, top: float, size: float) -> None:
    matrix = _matrix(url)
    module = size / (len(matrix) + 8)
    canvas.setFillColor(WHITE)
    canvas.rect(x, top - size, size, size, stroke=0, fill=1)
    canvas.setFillColor(INK)
    path = canvas.beginPath()
    left, upper = x + 4 * module, top - 4 * module
    for r, row in enumerate(matrix):  # one rectangle per horizontal run of dark modules
        c = 0
        while c < len(row):
            if row[c]:
                start = c
                while c < len(row) and row[c]:
                    c += 1
                path.rect(
                    left + start * module, upper - (r + 1) * module, (c - start) * module, module
                )
            else:
                c += 1
    canvas.drawPath(path, stroke=0, fill=1)


def draw_poster(art_path: str) -> bytes:
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(W, H), invariant=1, initialFontName="hand")
    canvas.setTitle("Speak up for babies (poster)")
    canvas.setFillColor(CREAM)
    canvas.rect(0, 0, W, H, stroke=0, fill=1)
    kicker = ParagraphStyle("k", fontName="hand-Bold", fontSize=12, leading=15.6, textColor=DEEP)
    headline = ParagraphStyle("h", fontName="hand-Bold", fontSize=60, leading=61.2, textColor=INK)
    fact = ParagraphStyle("f", fontName="hand", fontSize=18, leading=22.5, textColor=DEEP)
    body = ParagraphStyle("b", fontName="hand", fontSize=13, leading=16.9, textColor=INK)
    caption = ParagraphStyle("c", fontName="hand-Bold", fontSize=13, leading=15.6, textColor=WHITE)
    url = ParagraphStyle("u", fontName="hand", fontSize=9, leading=11.25, textColor=WHITE)
    small = ParagraphStyle("s", fontName="hand-Bold", fontSize=11, leading=14.3, textColor=WHITE)
    _text(
        canvas,
        "Infant Mental Health Awareness Week 2024<br/>10\u201316 June 2024",
        kicker,
        15 * MM,
        H - 13 * MM,
        118 * MM,
    )
    _text(canvas, "Speak up<br/>for babies", headline, 15 * MM, H - 27 * MM, 180 * MM)
    drawing = _art(art_path)
    side = 108 * MM
    canvas.saveState()
    canvas.translate((W - side) / 2, H - 184 * MM)
    canvas.scale(side / drawing.width, side / drawing.height)
    renderPDF.draw(drawing, canvas, 0, 0)
    canvas.restoreState()
    _text(
        canvas,
        "In the first two years, a baby's brain makes about <b>one million new "
        "connections every second</b>.",
        fact,
        15 * MM,
        H - 188 * MM,
        180 * MM,
    )
    _text(
        canvas,
        "The love and care babies get shape how that brain grows. Talk about babies at "
        "work, at home and with the people who make decisions, so every baby gets the start "
        "they deserve.",
        body,
        15 * MM,
        H - 210 * MM,
        180 * MM,
    )
    canvas.setFillColor(TEAL)
    canvas.rect(0, 0, W, 59 * MM, stroke=0, fill=1)
    for x, link, label, shown in (
        (
            15,
            VIDEO,
            "Watch the 3-minute film",
            "aaimh.org.au/events-and-training/2024-<br/>infant-mental-health-awareness-week",
        ),
        (107.5, SUPPORT, "Find support for you and your baby", "parentinfantfoundation.org.uk"),
    ):
        _qr(canvas, link, x * MM, H - 244 * MM, 27 * MM)
        _text(canvas, label, caption, (x + 30) * MM, H - 248 * MM, 57 * MM)
        _text(canvas, shown, url, (x + 30) * MM, H - 262 * MM, 57 * MM)
    _text(
        canvas,
        "#IMHAW2024 \u00b7 Coordinated in the UK by Parent-Infant Foundation",
        small,
        15 * MM,
        H - 280 * MM,
        180 * MM,
    )
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


if __name__ == "__main__":  # one cold process drawing the poster once (bench/run.py times it)
    import sys
    from pathlib import Path

    register_fonts()
    here = Path(__file__).resolve().parent.parent
    art = here / "assets" / "illustrations" / "speak-up.svg"
    Path(sys.argv[1] if len(sys.argv) > 1 else "handwritten-poster.pdf").write_bytes(
        draw_poster(str(art))
    )
