"""Placed documents into PDF bytes with ReportLab. Draws; decides nothing.

The only code that writes a PDF, for every kind of document: fixed pages and
paginated stories arrive here alike, as placed pages of items, links, anchors
(bookmarks and outline entries) and form fields.

Output is reproducible (ReportLab's invariant mode: fixed dates and IDs), so
the same inputs give the same bytes. Press output uses CMYK for every colour,
including those inside SVG art (mapped through the campaign palette).
"""

from __future__ import annotations

import copy
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
from reportlab.lib.colors import CMYKColor, CMYKColorSep, Color
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
    backdrop,
)
from packgen.render.forms import text_field
from packgen.render.ink import ink
from packgen.render.outlines import family_of, outline_text
from packgen.render.pdfx import PdfxCanvas
from packgen.render.serialised import packgen_save, page_as_bytes
from packgen.render.subsets import install as install_subsets
from packgen.render.tags import Tagger, tag
from packgen.render.tounicode import install as install_to_unicode
from packgen.resolve.assets import svg_drawing
from packgen.resolve.icc import OutputCondition

# Streams are Flate-compressed binary, not ASCII85 too: smaller files, faster writes.
rl_config.useA85 = 0
install_to_unicode()  # shaped glyphs extract as the characters they stand for
install_subsets()  # a font subset made (and deflated) once per glyph set

MARK_WIDTH = 0.25  # pt, the customary hairline for crop and fold marks
MARK_CLEARANCE = 2.0  # pt between the bleed edge and where a mark begins
# Registration colour: PDF's /All separation prints on every plate (marks only).
REGISTRATION = CMYKColorSep(1, 1, 1, 1, spotName="All")
PRESS_QR_DARK = CMYKColor(0, 0, 0, 1)  # QR modules on press: 100% K only


@lru_cache(maxsize=64)
def _svg(path: Path, mtime_ns: int) -> Drawing:
    drawing = svg_drawing(path.read_bytes())
    if drawing is None:
        raise ValueError(f"cannot read SVG {path}")
    return drawing


def _to_cmyk(colour: object, palette: dict[str, Colour], condition: OutputCondition) -> object:
    """An SVG colour as CMYK: the palette's ink for its exact sRGB, else colour-managed."""
    if isinstance(colour, Color) and not isinstance(colour, CMYKColor):
        channels = (colour.red, colour.green, colour.blue)
        hexed = "#" + "".join(f"{round(v * 255):02X}" for v in channels)
        match = palette.get(hexed)
        if match is not None:
            return CMYKColor(*match.cmyk_fraction)
        return CMYKColor(*_managed(hexed, condition))
    return colour


@lru_cache(maxsize=4096)
def _managed(hexed: str, condition: OutputCondition) -> tuple[float, ...]:
    """An sRGB hex colour in the condition's CMYK (cached: art repeats its colours)."""
    rgb = tuple(int(hexed[i : i + 2], 16) / 255 for i in (1, 3, 5))
    return tuple(round(v, 4) for v in condition.cmyk_of(rgb))  # type: ignore[arg-type]


def _convert(node: object, palette: dict[str, Colour], condition: OutputCondition) -> None:
    for attr in ("fillColor", "strokeColor"):
        if hasattr(node, attr):
            setattr(node, attr, _to_cmyk(getattr(node, attr), palette, condition))
    if isinstance(node, (Group, Drawing)):
        for child in node.contents:
            _convert(child, palette, condition)


_cmyk_drawings: dict[tuple[Path, int, str, int], Drawing] = {}
_outlined: dict[int, Drawing] = {}  # drawings whose text is already outlines


def _painted_svg(source: bytes) -> Drawing:
    drawing = svg_drawing(source)
    if drawing is None:
        raise ValueError("cannot read a painted SVG")
    return drawing


_cmyk_painted: dict[tuple[bytes, str], Drawing] = {}
_text_outlined: dict[int, Drawing] = {}  # shared drawings whose text was outlined in place


def _own_svg(source: bytes) -> Drawing:
    """A drawing of ``source`` for the caller to change: a copy of the process's parse
    (a quarter of the cost of parsing again), or a new parse once the shared drawing's
    text has been outlined in place (a copy would not be what the bytes parse to)."""
    shared = svg_drawing(source)
    if shared is None or id(shared) in _text_outlined:
        return svg2rlg(io.BytesIO(source))
    own: Drawing = copy.deepcopy(shared)
    # drawing the shared parse sets its start font to that canvas's (``Painter.drawing``):
    # the copy starts as a new parse does, and is given its own canvas's font when drawn
    own.__dict__.pop("initialFontName", None)
    return own


def _drawing(
    item: PlacedDrawing, palette: dict[str, Colour], condition: OutputCondition | None
) -> Drawing:
    """SVG art as a ReportLab drawing: as it is (office), or in CMYK for ``condition`` (press)."""
    if item.svg is not None:  # art painted from the palette (data-palette)
        if condition is None:
            return _painted_svg(item.svg)
        painted = (item.svg, condition.fingerprint)
        if painted not in _cmyk_painted:
            drawing = _own_svg(item.svg)
            _convert(drawing, palette, condition)
            drawing.__dict__["initialFillColor"] = CMYKColor(0, 0, 0, 1)
            drawing.__dict__["initialStrokeColor"] = CMYKColor(0, 0, 0, 1)
            if len(_cmyk_painted) >= 64:
                _cmyk_painted.clear()
            _cmyk_painted[painted] = drawing
        return _cmyk_painted[painted]
    mtime = item.path.stat().st_mtime_ns
    if condition is None:
        return _svg(item.path, mtime)
    key = (item.path, mtime, condition.fingerprint, hash(tuple(sorted(palette))))
    if key not in _cmyk_drawings:
        drawing = _own_svg(item.path.read_bytes())
        _convert(drawing, palette, condition)
        # renderPDF starts from black in RGB unless the drawing says otherwise
        # (set through __dict__: Drawing refuses attributes it does not declare)
        drawing.__dict__["initialFillColor"] = CMYKColor(0, 0, 0, 1)
        drawing.__dict__["initialStrokeColor"] = CMYKColor(0, 0, 0, 1)
        _cmyk_drawings[key] = drawing
    return _cmyk_drawings[key]


def _raster(
    path: Path, condition: OutputCondition | None, backdrop: Colour | None
) -> ImageReader | str:
    """A raster image for drawing: as it is, or in the output condition's CMYK for press.

    sRGB pixels are converted with the output profile (relative colorimetric,
    black-point compensation). CMYK has no alpha channel, so transparency is
    flattened onto ``backdrop``, the ink behind the image (paper without one),
    in CMYK: fully transparent pixels print exactly the backdrop's ink.
    """
    if condition is None:
        return str(path)
    mtime = path.stat().st_mtime_ns
    ink = backdrop.cmyk_fraction if backdrop is not None else (0.0, 0.0, 0.0, 0.0)
    return ImageReader(_press_image(path, mtime, condition.fingerprint, ink, condition))


@lru_cache(maxsize=32)
def _press_image(
    path: Path,
    mtime_ns: int,
    fingerprint: str,
    backdrop: tuple[float, float, float, float],
    condition: OutputCondition,
) -> Image.Image:
    with Image.open(path) as opened:
        opened.load()
        if opened.mode == "CMYK":
            return opened.copy()  # already separated: taken as made for the condition
        image: Image.Image = opened.convert("RGBA")
    converted = condition.to_cmyk(image.convert("RGB"))
    alpha = image.getchannel("A")
    if alpha.getextrema() == (255, 255):
        return converted
    behind = Image.new("CMYK", image.size, tuple(round(v * 255) for v in backdrop))
    return Image.composite(converted, behind, alpha)


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
        condition: OutputCondition | None = None,
        tagger: Tagger | None = None,
    ) -> None:
        if cmyk and condition is None:
            raise ValueError("press (CMYK) output needs an output condition")
        self.canvas = canvas
        self.cmyk = cmyk
        self.palette = palette
        self.condition = condition if cmyk else None
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

    def drawing(self, item: PlacedDrawing, backdrop: Colour | None = None) -> None:
        c, r = self.canvas, item.rect
        knockout = getattr(c, "knockout", None)  # the PDF/X canvas: overprint off
        if knockout is not None:
            knockout()
        if item.kind == "raster":
            image = _raster(item.path, self.condition, backdrop)
            c.drawImage(image, r.x, r.y, r.w, r.h, mask=None if self.cmyk else "auto")
            return
        drawing = _drawing(item, self.palette, self.condition)
        if _outlined.get(id(drawing)) is not drawing:  # SVG text: outlines in our font
            if outline_text(drawing, family_of(c._initialFontName)):
                _text_outlined[id(drawing)] = drawing
            _outlined[id(drawing)] = drawing
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
        if self.cmyk:  # one ink, so misregistration cannot blur a module
            c.setFillColor(PRESS_QR_DARK)
        else:
            self.fill(item.dark)
        # the modules as one path in module units, scaled into place by the matrix
        matrix = f"{item.module:.6f} 0 0 {item.module:.6f} {s.x:.4f} {s.top:.4f} cm"
        c.addLiteral(f"q {matrix}\n{_qr_path(item.runs)}f\nQ")

    def field(self, item: PlacedField) -> None:
        text_field(self.canvas, item, self.cmyk)

    def item(self, item: Placed, backdrop: Colour | None = None) -> None:
        """Draw ``item`` with the method for its kind; an unknown kind is a bug, not a QR code.

        ``backdrop`` is the ink behind a raster image (what its transparency flattens onto).
        """
        if isinstance(item, PlacedDrawing):
            self.drawing(item, backdrop)
            return
        draw = _DRAW.get(type(item))
        if draw is None:
            raise TypeError(f"the painter cannot draw {type(item).__name__}")
        draw(self, item)

    def marks(self, page: PlacedPage) -> None:
        """Crop marks in line with the trim, fold marks dashed, all outside the bleed.

        On press they are in registration colour (the /All separation: every plate).
        """
        c, t, b, media = self.canvas, page.trim, page.bleed, page.media
        c.setLineWidth(MARK_WIDTH)
        c.setStrokeColor(REGISTRATION if self.cmyk else Color(0, 0, 0))
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


def render(
    document: PlacedDocument,
    palette: dict[str, Colour] | None = None,
    condition: OutputCondition | None = None,
) -> bytes:
    """The document as PDF bytes (``palette``: the document's own, unless given): PDF/X-4
    when it is press (CMYK) output, for ``condition`` (by default the document's own)."""
    condition = condition or document.condition
    buffer = io.BytesIO()
    first = document.pages[0].media
    make: Any = Canvas
    if document.cmyk:
        if condition is None:
            raise ValueError("press (CMYK) output needs an output condition")
        make = partial(PdfxCanvas, condition=condition)
    canvas = make(
        buffer,
        pagesize=(first.w, first.h),
        invariant=1,
        # a tagged file is rewritten by qpdf, which compresses its streams once: ReportLab
        # compressing them first only had qpdf inflate and deflate them again (same bytes)
        pageCompression=0 if document.tagged else 1,
        lang=document.info.language,
        initialFontName=document.base_font,
        enforceColorSpace="sep_cmyk" if document.cmyk else None,  # CMYK and the /All marks
    )
    canvas.setTitle(document.info.title)
    canvas.setAuthor(document.info.author)
    canvas.setSubject(document.info.subject)
    canvas.setKeywords(document.info.keywords)
    canvas.setCreator("packgen")
    canvas.setViewerPreference("DisplayDocTitle", "true")
    inks = by_rgb(document.palette if palette is None else palette)
    tagger = Tagger(canvas, document.info.language) if document.tagged else None
    painter = Painter(canvas, document.cmyk, inks, condition, tagger)
    if document.show_outline:
        canvas.showOutline()
    for page in document.pages:
        canvas.setPageSize((page.media.w, page.media.h))
        paint_page(painter, page)
        canvas.showPage()
        page_as_bytes(canvas._doc.Pages.pages[-1])
        if tagger is not None:
            tagger.next_page()
    with packgen_save():  # its fonts' subsets made and deflated once per glyph set
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
    for index, item in enumerate(page.items):
        behind = backdrop(page, index) if isinstance(item, PlacedDrawing) else None
        if tagger is None:
            painter.item(item, behind)
        else:
            tagger.item(item, partial(painter.item, item, behind))
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
