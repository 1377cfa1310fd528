"""Typed, frozen models for layout files (the validate stage's vocabulary).

Geometry in a layout is written in millimetres (or pt/cm/in) on the trim
area, y measured down from the top edge of the trim (or of the element's
panel or group). Element classes live in :mod:`packgen.elements`, one module
per type; this module holds what they share and the document around them.
"""

from __future__ import annotations

from enum import Enum
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, PrivateAttr, model_validator

from packgen.errors import Span
from packgen.units import LengthField, NonNegativeLength, PositiveLength


class Model(BaseModel):
    """Base for every layout model: immutable, unknown keys refused.

    Each model's validator is built when it first validates (``defer_build``),
    so a build reading only posters never builds the pack's models.
    """

    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)


def field_of(model: BaseModel, name: str, default: Any = None) -> Any:
    """A model's field ``name``, or ``default`` when its kind has no such field.

    As ``getattr(model, name, default)``, without the cost of a name a pydantic model
    lacks (``BaseModel.__getattr__`` raising, a few µs): layout asks this of elements
    and story items of every kind, many times a build.
    """
    return getattr(model, name) if name in type(model).model_fields else default


class Direction(str, Enum):
    """Which way a line of text runs, from the language of the copy."""

    LTR = "ltr"
    RTL = "rtl"


class Edge(str, Enum):
    """A side of a box, as written for left-to-right copy (mirrored for right-to-left)."""

    TOP = "top"
    RIGHT = "right"
    BOTTOM = "bottom"
    LEFT = "left"

    def mirrored(self, direction: Direction) -> Edge:
        """The side of the page this edge is on when the layout runs in ``direction``."""
        if direction is Direction.LTR or self in (Edge.TOP, Edge.BOTTOM):
            return self
        return Edge.RIGHT if self is Edge.LEFT else Edge.LEFT


class Align(str, Enum):
    """Where text or a fitted object sits across its box.

    ``start`` and ``end`` follow the text direction (in left-to-right copy,
    left and right); ``left`` and ``right`` are absolute sides of the page.
    ``justify`` is for text only.
    """

    START = "start"
    CENTER = "center"
    END = "end"
    JUSTIFY = "justify"
    LEFT = "left"
    RIGHT = "right"

    def physical(self, direction: Direction) -> Align:
        """``left``, ``center``, ``right`` or ``justify`` for text running in ``direction``."""
        if self is Align.START:
            return Align.LEFT if direction is Direction.LTR else Align.RIGHT
        if self is Align.END:
            return Align.RIGHT if direction is Direction.LTR else Align.LEFT
        return self


def _not_justify(value: Align) -> Align:
    if value is Align.JUSTIFY:
        raise ValueError("justify is for text; use start, center or end")
    return value


BoxAlign = Annotated[Align, AfterValidator(_not_justify)]
"""An :class:`Align` for an object in a box (an image, a logo, a QR tile)."""


class VAlign(str, Enum):
    TOP = "top"
    MIDDLE = "middle"
    BOTTOM = "bottom"


class Box(Model):
    """Where an element sits: x/w in length, or col/span on the page grid."""

    x: LengthField | None = None
    y: LengthField
    w: NonNegativeLength | None = None
    h: NonNegativeLength | None = None
    col: Annotated[int, Field(ge=1)] | None = None
    span: Annotated[int, Field(ge=1)] | None = None

    @model_validator(mode="after")
    def _one_way_across(self) -> Box:
        by_length = self.x is not None or self.w is not None
        by_grid = self.col is not None or self.span is not None
        if by_length and by_grid:
            raise ValueError("give either x and w, or col and span, not both")
        if by_length and (self.x is None or self.w is None):
            raise ValueError("x and w go together: give both")
        if by_grid and self.col is None:
            raise ValueError("span needs col (the first grid column, from 1)")
        if not by_length and not by_grid:
            raise ValueError("give x and w, or col and span (grid columns)")
        return self


class Shown(str, Enum):
    """When an element appears: always, only with an organisation, or only without."""

    ALWAYS = "always"
    WITH_ORG = "with_org"
    WITHOUT_ORG = "without_org"


class Located(Model):
    """A model that remembers where it was written (spans set after validation)."""

    _span: Span | None = PrivateAttr(default=None)
    _field_spans: dict[str, Span] = PrivateAttr(default_factory=dict)

    # Both read pydantic's store of private attributes straight: ``self._span`` goes
    # through ``BaseModel.__getattr__`` (about 4 µs), and layout asks for the span of a
    # field for every element it places, in case it has something to report there.

    @property
    def span(self) -> Span | None:
        """Where the item is written."""
        private = self.__pydantic_private__
        assert private is not None  # a model with private attributes has their store
        span: Span | None = private["_span"]
        return span

    def field_span(self, name: str) -> Span | None:
        """Where one of its fields is written, else where the item is."""
        private = self.__pydantic_private__
        assert private is not None
        span: Span | None = private["_field_spans"].get(name, private["_span"])
        return span


class ElementBase(Located):
    """Fields every element has."""

    id: Annotated[str, Field(pattern=r"^[A-Za-z][A-Za-z0-9_-]*$")]
    box: Box
    panel: str | None = None
    show: Shown = Shown.ALWAYS
    language: str | None = None  # copy in another language than the document's (bilingual)
    # false: stays where it is written (from the left) in right-to-left copy too,
    # e.g. a photograph whose subject must not swap sides, or the campaign mark
    mirror: bool = True


Bleed = list[Edge] | Literal["all"]


def bleed_edges(value: Bleed | None) -> frozenset[Edge]:
    if value is None:
        return frozenset()
    if value == "all":
        return frozenset(Edge)
    return frozenset(value)


class Weight(str, Enum):
    REGULAR = "regular"
    BOLD = "bold"


class Style(Model):
    """A named text style; unset fields come from ``parent``."""

    parent: str | None = None
    font: str | None = None
    size: PositiveLength | None = None
    leading: Annotated[float, Field(gt=0.8, le=3.0)] | None = None
    colour: str | None = None
    align: Align | None = None
    weight: Weight | None = None
    italic: bool | None = None
    space_before: NonNegativeLength | None = None
    space_after: NonNegativeLength | None = None
    indent: LengthField | None = None
    bullet: str | None = None


class Margins(Model):
    top: NonNegativeLength
    right: NonNegativeLength
    bottom: NonNegativeLength
    left: NonNegativeLength


class Grid(Model):
    columns: Annotated[int, Field(ge=1, le=24)]
    gutter: NonNegativeLength


class FoldPanel(Model):
    """A fold panel of a page, in reading order (left to right for left-to-right copy).

    ``background`` fills the panel: to the bleed on trim edges, to the fold on others.
    """

    id: Annotated[str, Field(pattern=r"^[A-Za-z][A-Za-z0-9_-]*$")]
    width: PositiveLength
    background: str | None = None
    white_space: bool = False  # intentional: the empty-area rule skips this panel


class PageSpec(Model):
    size: str | None = None
    width: PositiveLength | None = None
    height: PositiveLength | None = None
    orientation: Literal["portrait", "landscape"] = "portrait"
    bleed: NonNegativeLength
    slug: NonNegativeLength
    margins: Margins | NonNegativeLength
    safe: NonNegativeLength
    fold_clearance: NonNegativeLength | None = None
    fold_colour_clearance: NonNegativeLength | None = None  # colour changes this far from folds
    grid: Grid | None = None
    clear: Margins | None = None  # bands kept free of text, logos, QR (a story's buttons)

    @model_validator(mode="after")
    def _size_or_measure(self) -> PageSpec:
        if self.size is None and (self.width is None or self.height is None):
            raise ValueError("give a size by name (A4, A3, …) or both width and height")
        if self.size is not None and (self.width is not None or self.height is not None):
            raise ValueError("give a size by name or width and height, not both")
        return self


class Rules(Model):
    """Print and legibility limits the layout stage enforces (base-size units)."""

    min_text: NonNegativeLength
    min_text_width: PositiveLength | None = None  # min_text holds at this width; scales with it
    min_body: NonNegativeLength
    qr_min_symbol: NonNegativeLength
    qr_error_correction: Literal["M", "Q", "H"] = "M"
    press_body_colour: str | None = None  # body styles print in this ink on press output
    press_one_ink_under: LengthField | None = None  # smaller text prints in one ink on press
    # reversed text (lighter than its ground, e.g. white on a tint): at least this size, bold ...
    reversed_min: LengthField | None = None
    reversed_regular_min: LengthField | None = None  # ... or regular weight from this size
    measure: tuple[int, int] | None = None  # flowing body text: characters a line, on average
    max_empty: Annotated[float, Field(gt=0, le=1)] | None = None  # an empty band: share of height
    logo_warn_ppi: Annotated[int, Field(ge=72)] = 300  # a raster logo under this: warning
    logo_fail_ppi: Annotated[int, Field(ge=72)] = 150  # ... under this: error


class Metadata(Model):
    """Copy keys for the PDF's document information."""

    title: str
    subject: str
    keywords: str
