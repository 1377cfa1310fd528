"""The layout stage's output: pages of boxes at absolute positions.

Coordinates are PDF points on the media box, origin bottom-left. Rendering
draws these and decides nothing; checks read them without a PDF.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Any

from packgen.colour import Colour
from packgen.errors import Diagnostic
from packgen.model.common import Align, Direction
from packgen.resolve.icc import OutputCondition


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    w: float
    h: float

    @property
    def right(self) -> float:
        return self.x + self.w

    @property
    def top(self) -> float:
        return self.y + self.h

    def start(self, direction: Direction) -> float:
        """x of the edge lines begin at: the left in left-to-right text, else the right."""
        return self.x if direction is Direction.LTR else self.right

    def end(self, direction: Direction) -> float:
        """x of the edge lines end at."""
        return self.right if direction is Direction.LTR else self.x

    def across(self, offset: float, width: float, direction: Direction) -> Rect:
        """The full-height slice ``width`` wide whose start edge is ``offset`` in from ours."""
        x = self.x + offset if direction is Direction.LTR else self.right - offset - width
        return Rect(x, self.y, width, self.h)

    def aligned(self, width: float, align: Align, direction: Direction) -> float:
        """x of something ``width`` wide placed across this rect by ``align``."""
        side = align.physical(direction)
        if side is Align.RIGHT:
            return self.right - width
        if side is Align.CENTER:
            return self.x + (self.w - width) / 2
        return self.x

    def inset(self, d: float) -> Rect:
        return Rect(self.x + d, self.y + d, self.w - 2 * d, self.h - 2 * d)

    def outset(self, d: float) -> Rect:
        return self.inset(-d)

    def contains(self, other: Rect, tolerance: float = 0.01) -> bool:
        return (
            other.x >= self.x - tolerance
            and other.y >= self.y - tolerance
            and other.right <= self.right + tolerance
            and other.top <= self.top + tolerance
        )

    def overshoot(self, other: Rect) -> float:
        """How far (pt) ``other`` reaches outside this rect; 0 when inside."""
        return max(
            0.0,
            self.x - other.x,
            self.y - other.y,
            other.right - self.right,
            other.top - self.top,
        )


class ShapeKind(str, Enum):
    RECT = "rect"
    ROUNDED = "rounded"
    ELLIPSE = "ellipse"
    LINE = "line"


@dataclass(frozen=True)
class PlacedShape:
    element_id: str
    kind: ShapeKind
    rect: Rect
    fill: Colour | None
    stroke: Colour | None
    stroke_width: float
    radius: float = 0.0


@dataclass(frozen=True)
class TextLine:
    """One typeset flowable and where its top-left goes."""

    flowable: Any  # a wrapped ReportLab flowable; only render draws it
    x: float
    y: float  # bottom of the flowable, as drawOn expects


@dataclass(frozen=True)
class PlacedText:
    element_id: str
    rect: Rect  # the frame
    used: Rect  # the area the text actually covers
    lines: tuple[TextLine, ...]
    font_sizes: tuple[float, ...]  # every size used, for legibility checks
    colours: tuple[Colour, ...]
    is_body: bool
    scale: float = 1.0  # < 1 when shrunk to fit
    language: str = ""  # BCP 47 tag of the copy (the PDF's /Lang when empty)
    direction: Direction = Direction.LTR


@dataclass(frozen=True)
class PlacedDrawing:
    """Vector art (SVG) or a raster image, fitted into ``rect``."""

    element_id: str
    rect: Rect
    path: Path
    kind: str  # "svg" | "raster"
    pixel_size: tuple[int, int] | None = None


@dataclass(frozen=True)
class PlacedQr:
    element_id: str
    tile: Rect  # light square including the quiet zone
    symbol: Rect  # the dark-module area
    module: float  # size of one module, pt
    runs: tuple[tuple[int, int, int], ...]  # (row, first column, length) of dark modules
    dark: Colour
    light: Colour
    url: str


@dataclass(frozen=True)
class PlacedLink:
    rect: Rect
    url: str


Placed = PlacedShape | PlacedText | PlacedDrawing | PlacedQr


@dataclass
class PlacedPage:
    media: Rect
    trim: Rect
    bleed: Rect
    safe: Rect
    background: Colour | None
    folds: list[float] = field(default_factory=list)  # x positions of fold lines
    safe_areas: list[Rect] = field(default_factory=list)  # per panel, when folded
    body_regions: list[Rect] = field(default_factory=list)  # where flowing body text runs
    columns: list[Rect] = field(default_factory=list)  # grid columns (per panel, when folded)
    items: list[Placed] = field(default_factory=list)
    links: list[PlacedLink] = field(default_factory=list)
    marks: bool = False


@dataclass(frozen=True)
class DocumentInfo:
    title: str
    author: str
    subject: str
    keywords: str
    language: str


@dataclass
class PlacedDocument:
    name: str
    size: str
    profile: str
    info: DocumentInfo
    pages: list[PlacedPage]
    cmyk: bool
    base_font: str  # a registered font, so no unembedded standard font is referenced
    qr_urls: list[str] = field(default_factory=list)
    warnings: list[Diagnostic] = field(default_factory=list)
    min_text: float = 0.0  # the layout's rules, in points (0: no rule)
    min_body: float = 0.0
    condition: OutputCondition | None = None  # press: the printing condition (PDF/X intent)


def backdrop(page: PlacedPage, index: int) -> Colour | None:
    """The ink behind item ``index`` of ``page``: the last fill drawn before it that covers it.

    A filled rectangle (or rounded rectangle, inside its corners) that holds
    the whole item counts; else the page background; None means bare paper.
    Used to flatten a transparent raster image for press.
    """
    rect = _rect_of(page.items[index])
    for item in reversed(page.items[:index]):
        if not isinstance(item, PlacedShape) or item.fill is None:
            continue
        area = item.rect
        if item.kind is ShapeKind.ROUNDED:
            area = area.inset(item.radius * 0.3)  # clear of the corners' curve
        elif item.kind is not ShapeKind.RECT:
            continue
        if area.contains(rect):
            return item.fill
    return page.background


def _rect_of(item: Placed) -> Rect:
    return item.tile if isinstance(item, PlacedQr) else item.rect
