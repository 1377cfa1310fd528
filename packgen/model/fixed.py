"""The layout document model: page set-up, sizes, styles and pages of elements."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field

from packgen.elements import Element
from packgen.model.common import FoldPanel, Metadata, Model, PageSpec, Rules, Style
from packgen.model.digital import Digital


class SizeVariant(Model):
    """One made size of a design; an optional overlay adjusts it.

    Lengths in an overlay are in design units: they are scaled with the rest.
    """

    styles: dict[str, dict[str, Any]] = {}
    elements: dict[str, dict[str, Any]] = {}


class PageModel(Model):
    """One page of a fixed-page document (a poster, a leaflet side)."""

    id: Annotated[str, Field(pattern=r"^[A-Za-z][A-Za-z0-9_-]*$")]
    background: str | None = None
    panels: list[FoldPanel] = []
    elements: list[Element] = []
    white_space: bool = False  # intentional: the empty-area rule skips this page


class DocumentBase(Model):
    """What every kind of layout file has: page set-up, rules, styles, metadata."""

    schema_: str | None = Field(default=None, alias="$schema")
    extends: str | None = None
    description: str | None = None
    metadata: Metadata
    page: PageSpec
    rules: Rules
    body_styles: list[str] = []
    styles: dict[str, Style]
    # per copy language, adjustments like a size's (longer Welsh: a taller frame)
    languages: dict[str, SizeVariant] = {}
    # a layout that sets two languages at once, the first leading (Welsh first)
    bilingual: list[str] = []


class LayoutDocument(DocumentBase):
    """A fixed-page layout file after ``extends`` and the size's overlay are merged."""

    kind: Literal["poster", "leaflet", "banner", "social"]  # `pack`: PackDocument
    sizes: dict[str, SizeVariant]
    digital: Digital | None = None  # screen kinds (banner, social): alt text, link, posts
    pages: Annotated[list[PageModel], Field(min_length=1)]
    reading_order: list[str] = []  # fold panel ids in the order the folded sheet is read
