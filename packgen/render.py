"""Placed documents into PDF bytes with ReportLab. Draws; decides nothing.

Output is reproducible (ReportLab's invariant mode: fixed dates and IDs), so
the same inputs give the same bytes. Press output uses CMYK for every colour,
including those inside SVG art (mapped through the campaign palette).
"""

from __future__ import annotations

import io
from functools import lru_cache
from pathlib import Path

from reportlab.graphics import renderPDF
from reportlab.graphics.shapes import Drawing, Group
from reportlab.lib.colors import CMYKColor, Color
from reportlab.pdfgen.canvas import Canvas
from svglib.svglib import svg2rlg

from packgen.colour import Colour
from packgen.placed import (
    Placed,
    PlacedDocument,
    PlacedDrawing,
    PlacedPage,
    PlacedQr,
    PlacedShape,
    PlacedText,
    Rect,
    ShapeKind,
)
from packgen.typeset import ink

MARK_WIDTH = 0.25  # pt, the customary hairline for crop and fold marks
MARK_CLEARANCE = 2.0  # pt between the bleed edge and where a mark begins


@lru_cache(maxsize=64)
def _svg(path: Path, mtime_ns: int) -> Drawing:
    drawing = svg2rlg(str(path))
    if drawing is None:
        raise ValueError(f"cannot read SVG {path}")
    return drawing


def _to_cmyk(colour: object, palette: dict[str, Colour]) -> object:
    if isinstance(colour, Color) and not isinstance(colour, CMYKColor):
        channels = (colour.red, colour.green, colour.blue)
        hexed = "#" + "".join(f"{round(v * 255):02X}" for v in channels)
        match = palette.get(hexed)
        if match is not None:
            return CMYKColor(*match.cmyk_fraction)
        r, g, b = colour.red, colour.green, colour.blue
        k = 1 - max(r, g, b)
        if k >= 1:
            return CMYKColor(0, 0, 0, 1)
        return CMYKColor((1 - r - k) / (1 - k), (1 - g - k) / (1 - k), (1 - b - k) / (1 - k), k)
    return colour


def _convert(node: object, palette: dict[str, Colour]) -> None:
    for attr in ("fillColor", "strokeColor"):
        if hasattr(node, attr):
            setattr(node, attr, _to_cmyk(getattr(node, attr), palette))
    if isinstance(node, (Group, Drawing)):
        for child in node.contents:
            _convert(child, palette)


_cmyk_drawings: dict[tuple[Path, int], Drawing] = {}


def _drawing(item: PlacedDrawing, cmyk: bool, palette: dict[str, Colour]) -> Drawing:
    mtime = item.path.stat().st_mtime_ns
    if not cmyk:
        return _svg(item.path, mtime)
    key = (item.path, mtime)
    if key not in _cmyk_drawings:
        drawing = svg2rlg(str(item.path))
        _convert(drawing, palette)
        _cmyk_drawings[key] = drawing
    return _cmyk_drawings[key]


class Painter:
    """Draws placed items on a ReportLab canvas in the output's colour model."""

    def __init__(self, canvas: Canvas, cmyk: bool, palette: dict[str, Colour]) -> None:
        self.canvas = canvas
        self.cmyk = cmyk
        self.palette = palette

    def fill(self, colour: Colour) -> None:
        self.canvas.setFillColor(ink(colour, self.cmyk))

    def stroke(self, colour: Colour) -> None:
        self.canvas.setStrokeColor(ink(colour, self.cmyk))

    def shape(self, item: PlacedShape) -> None:
        c, r = self.canvas, item.rect
        if item.fill is not None:
            self.fill(item.fill)
        if item.stroke is not None:
            self.stroke(item.stroke)
            c.setLineWidth(item.stroke_width)
        fill, stroke = int(item.fill is not None), int(item.stroke is not None)
        if item.kind is ShapeKind.RECT:
            c.rect(r.x, r.y, r.w, r.h, stroke=stroke, fill=fill)
        elif item.kind is ShapeKind.ROUNDED:
            c.roundRect(r.x, r.y, r.w, r.h, item.radius, stroke=stroke, fill=fill)
        elif item.kind is ShapeKind.ELLIPSE:
            c.ellipse(r.x, r.y, r.right, r.top, stroke=stroke, fill=fill)
        else:
            c.setLineCap(1)
            c.line(r.x, r.top, r.right, r.y)

    def text(self, item: PlacedText) -> None:
        for line in item.lines:
            line.flowable.drawOn(self.canvas, line.x, line.y)

    def drawing(self, item: PlacedDrawing) -> None:
        c, r = self.canvas, item.rect
        if item.kind == "raster":
            c.drawImage(str(item.path), r.x, r.y, r.w, r.h, mask="auto")
            return
        drawing = _drawing(item, self.cmyk, self.palette)
        # SVG renders start from a font state; use the canvas's own, so a
        # document whose initial font is embedded references no other font
        drawing.initialFontName = c._initialFontName
        c.saveState()
        c.translate(r.x, r.y)
        c.scale(r.w / drawing.width, r.h / drawing.height)
        renderPDF.draw(drawing, c, 0, 0)
        c.restoreState()

    def qr(self, item: PlacedQr) -> None:
        c, m, s = self.canvas, item.module, item.symbol
        self.fill(item.light)
        c.rect(item.tile.x, item.tile.y, item.tile.w, item.tile.h, stroke=0, fill=1)
        self.fill(item.dark)
        path = c.beginPath()
        overlap = m * 0.02  # rows overlap a hair so no seam shows when rasterised
        for row, column, length in item.runs:
            path.rect(s.x + column * m, s.top - (row + 1) * m - overlap, length * m, m + overlap)
        c.drawPath(path, stroke=0, fill=1)

    def item(self, item: Placed) -> None:
        if isinstance(item, PlacedShape):
            self.shape(item)
        elif isinstance(item, PlacedText):
            self.text(item)
        elif isinstance(item, PlacedDrawing):
            self.drawing(item)
        else:
            self.qr(item)

    def marks(self, page: PlacedPage) -> None:
        """Crop marks in line with the trim, fold marks dashed, all outside the bleed."""
        c, t, b, media = self.canvas, page.trim, page.bleed, page.media
        c.setLineWidth(MARK_WIDTH)
        c.setStrokeColor(CMYKColor(0, 0, 0, 1) if self.cmyk else Color(0, 0, 0))
        clear = MARK_CLEARANCE
        for y in (t.y, t.top):
            c.line(media.x, y, b.x - clear, y)
            c.line(b.right + clear, y, media.right, y)
        for x in (t.x, t.right):
            c.line(x, media.y, x, b.y - clear)
            c.line(x, b.top + clear, x, media.top)
        c.setDash(2, 2)
        for x in page.folds:
            c.line(x, media.y, x, b.y - clear)
            c.line(x, b.top + clear, x, media.top)
        c.setDash()


def render(document: PlacedDocument, palette: dict[str, Colour]) -> bytes:
    """The document as PDF bytes."""
    buffer = io.BytesIO()
    first = document.pages[0].media
    canvas = Canvas(
        buffer,
        pagesize=(first.w, first.h),
        invariant=1,
        pageCompression=1,
        lang=document.info.language,
        initialFontName="Helvetica",
    )
    canvas.setTitle(document.info.title)
    canvas.setAuthor(document.info.author)
    canvas.setSubject(document.info.subject)
    canvas.setKeywords(document.info.keywords)
    canvas.setCreator("packgen")
    canvas.setViewerPreference("DisplayDocTitle", "true")
    painter = Painter(canvas, document.cmyk, by_rgb(palette))
    for page in document.pages:
        canvas.setPageSize((page.media.w, page.media.h))
        paint_page(painter, page)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def by_rgb(palette: dict[str, Colour]) -> dict[str, Colour]:
    """The palette keyed by sRGB hex, as the painter maps SVG colours to inks."""
    return {c.rgb: c for c in palette.values()}


def paint_page(painter: Painter, page: PlacedPage) -> None:
    """One placed page: page boxes, background to the bleed, items, marks, links."""
    canvas = painter.canvas
    if page.media != page.trim:
        canvas.setTrimBox(_box(page.trim))
        canvas.setBleedBox(_box(page.bleed))
    if page.background is not None:
        painter.fill(page.background)
        b = page.bleed
        canvas.rect(b.x, b.y, b.w, b.h, stroke=0, fill=1)
    for item in page.items:
        painter.item(item)
    if page.marks:
        painter.marks(page)
    for link in page.links:
        r = link.rect
        canvas.linkURL(link.url, (r.x, r.y, r.right, r.top), relative=0, thickness=0)


def _box(rect: Rect) -> tuple[float, float, float, float]:
    return (rect.x, rect.y, rect.right, rect.top)
