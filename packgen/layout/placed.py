"""The layout stage's output: pages of boxes at absolute positions, each with a role.

Coordinates are PDF points on the media box, origin bottom-left. Both layout
modes (fixed pages and flowing stories) produce these; the PDF writer draws
them and decides nothing; checks read them without a PDF. Every item carries
a :class:`Role` (what it is to a reader: heading, paragraph, list item,
figure with its alt text, link, QR code, form field, or an artifact such as
decoration and running heads), so tagged and non-PDF writers need no guessing.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
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


class RoleKind(str, Enum):
    HEADING = "heading"
    PARAGRAPH = "paragraph"
    LIST = "list"
    LIST_ITEM = "list_item"
    FIGURE = "figure"
    LINK = "link"
    QR = "qr"
    FORM_FIELD = "form_field"
    CONTENTS_ENTRY = "contents_entry"  # a contents title; its level: 1 at the top
    CONTENTS_PAGE = "contents_page"  # the page number printed after a contents title
    ARTIFACT = "artifact"


@dataclass(frozen=True)
class Role:
    """What a placed item is to a reader (tagged PDF, HTML), not how it looks."""

    kind: RoleKind
    level: int = 0  # headings and contents entries: 1 is the top level
    alt: str = ""  # figures and QR codes: the words that stand for them

    @staticmethod
    def heading(level: int) -> Role:
        return Role(RoleKind.HEADING, level=level)

    @staticmethod
    def figure(alt: str) -> Role:
        return Role(RoleKind.FIGURE, alt=alt)


ARTIFACT = Role(RoleKind.ARTIFACT)
PARAGRAPH = Role(RoleKind.PARAGRAPH)
LIST = Role(RoleKind.LIST)
LIST_ITEM = Role(RoleKind.LIST_ITEM)


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
    dash: tuple[float, ...] = ()  # on, off (pt); a round-capped (0, step) line is dots
    role: Role = field(default=ARTIFACT, kw_only=True)  # shapes are decoration


@dataclass(frozen=True)
class TextLine:
    """One typeset paragraph and where it goes; its role comes from the copy's markup."""

    flowable: Any  # a wrapped ReportLab paragraph; only the writer draws it
    x: float
    y: float  # bottom of the flowable, as drawOn expects
    role: Role = field(kw_only=True)


@dataclass(frozen=True)
class TextInk:
    """One style's worth of a text block, as the rules see it."""

    colour: Colour
    size: float  # pt, as set (after any shrinking)
    bold: bool
    body: bool  # body text (held to min_body and to one ink on press)


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
    inks: tuple[TextInk, ...] = ()  # colour, size and kind of each style in it
    role: Role = field(kw_only=True)  # of the whole block; each line has its own too


@dataclass(frozen=True)
class PlacedDrawing:
    """Vector art (SVG) or a raster image, fitted into ``rect``."""

    element_id: str
    rect: Rect
    path: Path
    kind: str  # "svg" | "raster"
    pixel_size: tuple[int, int] | None = None
    svg: bytes | None = None  # the SVG painted from the palette, when it names palette colours
    role: Role = field(kw_only=True)  # a figure with alt text, or an artifact


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
    role: Role = field(kw_only=True)  # QR, with alt text naming where it leads


@dataclass(frozen=True)
class PlacedField:
    """A fillable text field (office output): its box, name and the text it takes."""

    element_id: str
    rect: Rect
    name: str
    tooltip: str
    max_length: int
    font: str  # an embedded face, as registered with ReportLab
    size: float
    colour: Colour
    role: Role = field(default=Role(RoleKind.FORM_FIELD), kw_only=True)


@dataclass(frozen=True)
class PlacedLink:
    """A clickable area: to a web address, or (``anchor``) to a place in the document."""

    rect: Rect
    url: str
    anchor: str = ""


@dataclass(frozen=True)
class PlacedAnchor:
    """A named place (a heading's top): a link target, and an outline entry when titled."""

    name: str
    x: float
    y: float
    title: str
    level: int  # outline depth, 0 at the top


Placed = PlacedShape | PlacedText | PlacedDrawing | PlacedQr | PlacedField


def block_role(lines: tuple[TextLine, ...]) -> Role:
    """The role of a block of lines: a heading or a list when all its lines are, else text."""
    kinds = {line.role.kind for line in lines}
    if kinds == {RoleKind.HEADING}:
        return lines[0].role
    if kinds == {RoleKind.LIST_ITEM}:
        return LIST
    return PARAGRAPH


def moved(item: Placed, dx: float, dy: float) -> Placed:
    """The same item ``dx``, ``dy`` points further (a panel placed where the story put it)."""

    def shift(rect: Rect) -> Rect:
        return Rect(rect.x + dx, rect.y + dy, rect.w, rect.h)

    if isinstance(item, PlacedText):
        lines = tuple(replace(line, x=line.x + dx, y=line.y + dy) for line in item.lines)
        return replace(item, rect=shift(item.rect), used=shift(item.used), lines=lines)
    if isinstance(item, PlacedQr):
        return replace(item, tile=shift(item.tile), symbol=shift(item.symbol))
    return replace(item, rect=shift(item.rect))


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
    anchors: list[PlacedAnchor] = field(default_factory=list)
    marks: bool = False


@dataclass(frozen=True)
class DocumentInfo:
    title: str
    author: str
    subject: str
    keywords: str
    language: str


@dataclass(frozen=True)
class PostText:
    """A post ready to paste: platform, text, its length as the platform counts, limit."""

    platform: str
    key: str
    text: str
    count: int
    limit: int


@dataclass(frozen=True)
class DigitalInfo:
    """What a screen image carries beside its pixels (see :mod:`packgen.layout.digital`)."""

    kind: str  # banner or social
    alt: str
    css: tuple[int, int] = (0, 0)  # the layout's size in CSS px (an image at 2x is twice that)
    link: str | None = None
    posts: list[PostText] = field(default_factory=list)
    max_bytes: int | None = None


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
    palette: dict[str, Colour] = field(default_factory=dict)  # maps SVG colours to inks
    show_outline: bool = False  # open the bookmarks panel (office packs)
    tagged: bool = False  # write a structure tree (office output: read on screen, aloud)
    # fold panels in the order they are read: (page index, panel's area on the trim);
    # empty: each page top to bottom in drawing order
    reading_order: list[tuple[int, Rect]] = field(default_factory=list)
    condition: OutputCondition | None = None  # press: the printing condition (PDF/X intent)
    digital: DigitalInfo | None = None  # screen images: alt text, link, posts


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
