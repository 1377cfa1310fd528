"""SVG text in drawings into glyph outlines, so a logo's wordmark needs no font.

svglib turns an SVG ``<text>`` into a ReportLab ``String`` in one of the PDF
standard fonts (Helvetica, Times …), which are never embedded, so a print
shop's RIP would substitute them and the preflight refuses them. Here each
``String`` becomes a filled ``Path``: the outlines of its glyphs in the
project's own font (the face of the string's weight and style), placed as
the string was (its x, baseline and ``text-anchor``). Outlines are shapes,
not text: nothing to embed, and a wordmark drawn small is art, not copy held
to the layout's minimum text size. The logo keeps its alt text.

The letters are the project's font, not the typeface the logo was drawn
in (packgen cannot ship every typeface): for the exact look, convert the
text to paths in the drawing program before exporting the SVG.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING, Any

from reportlab.graphics.shapes import FILL_NON_ZERO, Drawing, Group, Path, String
from reportlab.pdfbase import pdfmetrics

if TYPE_CHECKING:  # fontTools is imported only when a drawing has text (a cold start's cost)
    from fontTools.ttLib import TTFont

_BOLD = ("bold", "black", "heavy", "semibold", "demi")
_ITALIC = ("italic", "oblique")
_SUFFIXES = ("-BoldItalic", "-Bold", "-Italic")


def family_of(font_name: str) -> str:
    """``sans-Bold`` → ``sans``: the registered family alias of a face."""
    for suffix in _SUFFIXES:
        if font_name.endswith(suffix):
            return font_name[: -len(suffix)]
    return font_name


def face_for(string_font: str, family: str) -> str:
    """The face of ``family`` with the weight and style svglib chose for a string."""
    lowered = string_font.lower()
    bold = any(word in lowered for word in _BOLD)
    italic = any(word in lowered for word in _ITALIC)
    suffix = "-Bold" * bold + "-Italic" * italic
    return family + suffix.replace("-Bold-Italic", "-BoldItalic")


@lru_cache(maxsize=16)
def _font(path: str) -> TTFont:
    from fontTools.ttLib import TTFont

    return TTFont(path, lazy=True)


@lru_cache(maxsize=1)
def _pen_class() -> Any:
    """The pen drawing glyph contours into a ReportLab path (made once, on first use)."""
    from fontTools.pens.basePen import BasePen

    class _PathPen(BasePen):  # type: ignore[misc]
        """Glyph contours (font units, y up) into a ReportLab path at a scale and offset."""

        def __init__(self, glyphs: Any, path: Path, scale: float, x: float, y: float) -> None:
            super().__init__(glyphs)
            self.path, self.scale, self.x, self.y = path, scale, x, y

        def _at(self, point: tuple[float, float]) -> tuple[float, float]:
            return self.x + point[0] * self.scale, self.y + point[1] * self.scale

        def _moveTo(self, point: tuple[float, float]) -> None:
            self.path.moveTo(*self._at(point))

        def _lineTo(self, point: tuple[float, float]) -> None:
            self.path.lineTo(*self._at(point))

        def _curveToOne(
            self, one: tuple[float, float], two: tuple[float, float], three: tuple[float, float]
        ) -> None:
            self.path.curveTo(*self._at(one), *self._at(two), *self._at(three))

        def _closePath(self) -> None:
            self.path.closePath()

    return _PathPen


def outline(string: String, face: str) -> Path:
    """``string`` as the filled outlines of its glyphs in the registered TrueType ``face``."""
    font = _font(pdfmetrics.getFont(face).face.filename)
    cmap = font.getBestCmap() or {}
    glyphs = font.getGlyphSet()
    scale = float(string.fontSize) / font["head"].unitsPerEm
    names = [cmap.get(ord(ch), ".notdef") for ch in str(string.text)]
    width = sum(glyphs[name].width for name in names) * scale
    anchor = getattr(string, "textAnchor", "start")
    x = float(string.x) - {"middle": width / 2, "end": width}.get(anchor, 0.0)
    path = Path(fillColor=string.fillColor, strokeColor=None, strokeWidth=0, fillMode=FILL_NON_ZERO)
    pen = _pen_class()
    for name in names:
        glyphs[name].draw(pen(glyphs, path, scale, x, float(string.y)))
        x += glyphs[name].width * scale
    return path


def outline_text(node: Drawing | Group, family: str) -> int:
    """Replace every ``String`` under ``node`` by its outlines in ``family``; how many."""
    count = 0
    for index, child in enumerate(node.contents):
        if isinstance(child, String):
            node.contents[index] = outline(child, face_for(str(child.fontName), family))
            count += 1
        elif isinstance(child, (Group, Drawing)):
            count += outline_text(child, family)
    return count
