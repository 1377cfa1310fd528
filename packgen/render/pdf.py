"""Placed documents into PDF bytes with ReportLab. Draws; decides nothing.

The only code that writes a PDF, for every kind of document: fixed pages and
paginated stories arrive here alike, as placed pages of items, links, anchors
(bookmarks and outline entries) and form fields.

Output is reproducible (ReportLab's invariant mode: fixed dates and IDs), so
the same inputs give the same bytes. Press output uses CMYK for every colour,
including those inside SVG art (mapped through the campaign palette).
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from functools import lru_cache, partial
from pathlib import Path
from typing import Any

from PIL import Image
from reportlab import rl_config
from reportlab.graphics import renderPDF
from reportlab.graphics.shapes import Drawing, Group
from reportlab.lib.colors import CMYKColor, Color
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas
from svglib.svglib import svg2rlg

from packgen.colour import Colour
from packgen.layout.placed import (
    Placed,
    PlacedDocument,
    PlacedDrawing,
    PlacedField,
    PlacedPage,
    PlacedQr,
    PlacedShape,
    PlacedText,
    Rect,
    ShapeKind,
)
from packgen.render.forms import text_field
from packgen.render.ink import ink
from packgen.render.tags import Tagger, tag
from packgen.render.tounicode import install as install_to_unicode

# Streams are Flate-compressed binary, not ASCII85 too: smaller files, faster writes.
rl_config.useA85 = 0
install_to_unicode()  # shaped glyphs extract as the characters they stand for

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


@lru_cache(maxsize=64)
def _painted_svg(source: bytes) -> Drawing:
    drawing = svg2rlg(io.BytesIO(source))
    if drawing is None:
        raise ValueError("cannot read a painted SVG")
    return drawing


_cmyk_painted: dict[bytes, Drawing] = {}


def _drawing(item: PlacedDrawing, cmyk: bool, palette: dict[str, Colour]) -> Drawing:
    if item.svg is not None:  # art painted from the palette (data-palette)
        if not cmyk:
            return _painted_svg(item.svg)
        if item.svg not in _cmyk_painted:
            drawing = svg2rlg(io.BytesIO(item.svg))
            _convert(drawing, palette)
            drawing.__dict__["initialFillColor"] = CMYKColor(0, 0, 0, 1)
            drawing.__dict__["initialStrokeColor"] = CMYKColor(0, 0, 0, 1)
            if len(_cmyk_painted) >= 64:
                _cmyk_painted.clear()
            _cmyk_painted[item.svg] = drawing
        return _cmyk_painted[item.svg]
    mtime = item.path.stat().st_mtime_ns
    if not cmyk:
        return _svg(item.path, mtime)
    key = (item.path, mtime)
    if key not in _cmyk_drawings:
        drawing = svg2rlg(str(item.path))
        _convert(drawing, palette)
        # renderPDF starts from black in RGB unless the drawing says otherwise
        # (set through __dict__: Drawing refuses attributes it does not declare)
        drawing.__dict__["initialFillColor"] = CMYKColor(0, 0, 0, 1)
        drawing.__dict__["initialStrokeColor"] = CMYKColor(0, 0, 0, 1)
        _cmyk_drawings[key] = drawing
    return _cmyk_drawings[key]


def _raster(path: Path, cmyk: bool) -> ImageReader | str:
    """A raster image for drawing: as it is, or converted to CMYK for press.

    CMYK has no alpha channel, so transparent parts are flattened onto white.
    """
    if not cmyk:
        return str(path)
    with Image.open(path) as opened:
        image: Image.Image = opened.convert("RGBA")
    flat = Image.new("RGB", image.size, (255, 255, 255))
    flat.paste(image, mask=image.getchannel("A"))
    return ImageReader(flat.convert("CMYK"))


_qr_paths: dict[int, tuple[tuple[tuple[int, int, int], ...], str]] = {}


def _qr_path(runs: tuple[tuple[int, int, int], ...]) -> str:
    """PDF path operators for QR runs, in module units with y upwards from the top edge.

    Rows overlap by 2% of a module so no hairline seam shows when rasterised.
    Cached per runs tuple (qr.runs is itself cached per URL), so a batch of
    thousands of packs formats each code once.
    """
    cached = _qr_paths.get(id(runs))
    if cached is not None and cached[0] is runs:
        return cached[1]
    text = "".join(f"{col} {-(row + 1) - 0.02:.2f} {length} 1.02 re\n" for row, col, length in runs)
    _qr_paths[id(runs)] = (runs, text)
    return text


_FONT_STATE = re.compile(r"^BT /F\d+ [\d.]+ Tf [\d.]+ TL ET$")
_operators: dict[int, tuple[Drawing, str | None]] = {}


def _vector_operators(drawing: Drawing) -> str | None:
    """The PDF operators renderPDF writes for ``drawing``, worked out once per drawing.

    Art is drawn thousands of times in a batch; its operators do not change, so
    they are captured from a scratch canvas and replayed with addLiteral. Only
    self-contained art qualifies: after dropping renderPDF's idle font-state
    lines, nothing may refer to a resource (fonts, images, patterns); anything
    else is drawn through renderPDF every time.
    """
    cached = _operators.get(id(drawing))
    if cached is not None and cached[0] is drawing:
        return cached[1]
    scratch = Canvas(io.BytesIO(), invariant=1, initialFontName="Helvetica")
    start = len(scratch._code)
    renderPDF.draw(drawing, scratch, 0, 0)
    lines = [line for line in scratch._code[start:] if not _FONT_STATE.match(line)]
    text: str | None = "\n".join(lines)
    if any("/" in line or "BT" in line for line in lines):
        text = None
    _operators[id(drawing)] = (drawing, text)
    return text


class Painter:
    """Draws placed items on a ReportLab canvas in the output's colour model."""

    def __init__(
        self,
        canvas: Canvas,
        cmyk: bool,
        palette: dict[str, Colour],
        tagger: Tagger | None = None,
    ) -> None:
        self.canvas = canvas
        self.cmyk = cmyk
        self.palette = palette
        self.tagger = tagger  # tagged output: every item in marked content

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
            if item.dash:
                c.setDash(list(item.dash))
            c.line(r.x, r.top, r.right, r.y)
            if item.dash:
                c.setDash()

    def text(self, item: PlacedText) -> None:
        for line in item.lines:
            line.flowable.drawOn(self.canvas, line.x, line.y)

    def drawing(self, item: PlacedDrawing) -> None:
        c, r = self.canvas, item.rect
        if item.kind == "raster":
            c.drawImage(_raster(item.path, self.cmyk), r.x, r.y, r.w, r.h, mask="auto")
            return
        drawing = _drawing(item, self.cmyk, self.palette)
        # SVG renders start from a font state; use the canvas's own, so a document
        # whose initial font is embedded references no other font (set through
        # __dict__: Drawing refuses attributes it does not declare)
        drawing.__dict__["initialFontName"] = c._initialFontName
        c.saveState()
        c.translate(r.x, r.y)
        c.scale(r.w / drawing.width, r.h / drawing.height)
        operators = _vector_operators(drawing)
        if operators is None:
            renderPDF.draw(drawing, c, 0, 0)
        else:
            c.addLiteral(operators)
        c.restoreState()

    def qr(self, item: PlacedQr) -> None:
        c, s = self.canvas, item.symbol
        self.fill(item.light)
        c.rect(item.tile.x, item.tile.y, item.tile.w, item.tile.h, stroke=0, fill=1)
        self.fill(item.dark)
        # the modules as one path in module units, scaled into place by the matrix
        matrix = f"{item.module:.6f} 0 0 {item.module:.6f} {s.x:.4f} {s.top:.4f} cm"
        c.addLiteral(f"q {matrix}\n{_qr_path(item.runs)}f\nQ")

    def field(self, item: PlacedField) -> None:
        text_field(self.canvas, item, self.cmyk)

    def item(self, item: Placed) -> None:
        """Draw ``item`` with the method for its kind; an unknown kind is a bug, not a QR code."""
        draw = _DRAW.get(type(item))
        if draw is None:
            raise TypeError(f"the painter cannot draw {type(item).__name__}")
        draw(self, item)

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


_DRAW: dict[type, Callable[[Painter, Any], None]] = {
    PlacedShape: Painter.shape,
    PlacedText: Painter.text,
    PlacedDrawing: Painter.drawing,
    PlacedQr: Painter.qr,
    PlacedField: Painter.field,
}


def render(document: PlacedDocument, palette: dict[str, Colour] | None = None) -> bytes:
    """The document as PDF bytes (``palette``: the document's own, unless given)."""
    buffer = io.BytesIO()
    first = document.pages[0].media
    canvas = Canvas(
        buffer,
        pagesize=(first.w, first.h),
        invariant=1,
        pageCompression=1,
        lang=document.info.language,
        initialFontName=document.base_font,
        enforceColorSpace="cmyk" if document.cmyk else None,
    )
    canvas.setTitle(document.info.title)
    canvas.setAuthor(document.info.author)
    canvas.setSubject(document.info.subject)
    canvas.setKeywords(document.info.keywords)
    canvas.setCreator("packgen")
    canvas.setViewerPreference("DisplayDocTitle", "true")
    inks = by_rgb(document.palette if palette is None else palette)
    tagger = Tagger(canvas, document.info.language) if document.tagged else None
    painter = Painter(canvas, document.cmyk, inks, tagger)
    if document.show_outline:
        canvas.showOutline()
    for page in document.pages:
        canvas.setPageSize((page.media.w, page.media.h))
        paint_page(painter, page)
        canvas.showPage()
        if tagger is not None:
            tagger.next_page()
    canvas.save()
    if tagger is not None:
        return tag(buffer.getvalue(), tagger, document)
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
    tagger = painter.tagger
    if page.background is not None:
        if tagger is not None:
            tagger.artifact()
        painter.fill(page.background)
        b = page.bleed
        canvas.rect(b.x, b.y, b.w, b.h, stroke=0, fill=1)
        if tagger is not None:
            tagger.close()
    for item in page.items:
        if tagger is None:
            painter.item(item)
        else:
            tagger.item(item, partial(painter.item, item))
    if page.marks:
        if tagger is not None:
            tagger.artifact()
        painter.marks(page)
        if tagger is not None:
            tagger.close()
    for anchor in page.anchors:
        canvas.bookmarkHorizontal(anchor.name, anchor.x, anchor.y)
        if anchor.title:
            canvas.addOutlineEntry(anchor.title, anchor.name, anchor.level, closed=False)
    for link in page.links:
        r = link.rect
        if link.anchor:
            canvas.linkRect("", link.anchor, _box(r), relative=0)
        else:
            canvas.linkURL(link.url, _box(r), relative=0, thickness=0)


def _box(rect: Rect) -> tuple[float, float, float, float]:
    return (rect.x, rect.y, rect.right, rect.top)
