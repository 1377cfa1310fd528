"""Typed, frozen models of a ``kind: pack`` layout: page templates and a story.

A pack is a multi-page document whose text flows from page to page. Its
layout file names **templates** (what every page of a kind carries: a
background, decoration elements, and the frames text flows into) and a
**story** (what flows, in order: headings, copy, cards, QR panels, forms …).
Decoration elements are the ordinary element models; their text may use
``{page}``, ``{pages}`` and ``{section}``.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from packgen.elements import Element
from packgen.model.common import Box, Located, Model, Style
from packgen.model.fixed import DocumentBase
from packgen.units import NonNegativeLength

Name = Annotated[str, Field(pattern=r"^[A-Za-z][A-Za-z0-9_-]*$")]


class FlowFrame(Located):
    """An area of a page that the story flows into, in reading order."""

    id: Name
    box: Box


class Template(Located):
    """What every page made from this template carries."""

    background: str | None = None
    elements: list[Element] = []
    frames: list[FlowFrame] = []
    next: str | None = None  # the template of the page after this one; default: itself
    once: bool = False  # a single page: text that runs past it is an error


class CardLook(Model):
    """The box drawn around a card: fill, outline, corner radius, inner padding."""

    fill: str | None = None
    stroke: str | None = None
    stroke_width: NonNegativeLength | None = None
    radius: NonNegativeLength | None = None
    padding: NonNegativeLength | None = None
    gap: NonNegativeLength | None = None  # between cards, across and down


class ItemBase(Located):
    """What every story item has."""

    keep_with_next: bool = False


class HeadingItem(ItemBase):
    """A heading: a bookmark, a contents entry, and (level 0) the running section."""

    type: Literal["heading"]
    copy_key: str = Field(alias="copy")
    style: str
    level: Annotated[int, Field(ge=0, le=3)] = 0
    id: Name | None = None  # the link target; default: from the copy key
    contents: bool = True
    # what it is to a reader (tagged PDF, web page): H1-H6; default level + 1
    heading: Annotated[int, Field(ge=1, le=6)] | None = None


class TextItem(ItemBase):
    """Flowing copy from one key: paragraphs, headings and bullets."""

    type: Literal["text"]
    copy_key: str = Field(alias="copy")
    style: str
    heading_style: str | None = None
    bullet_style: str | None = None
    # the level of the copy's `# ` headings; default one below the last heading item
    heading_level: Annotated[int, Field(ge=1, le=6)] | None = None


class ContentsItem(ItemBase):
    """The table of contents: every listed heading with the page it lands on."""

    type: Literal["contents"]
    style: str
    sub_style: str | None = None  # entries of level 1 and deeper
    levels: Annotated[int, Field(ge=1, le=4)] = 1
    leader: str | None = None  # colour of the dotted line to the page number
    gap: NonNegativeLength | None = None  # space between entries


class BreakItem(ItemBase):
    """A new page, optionally made from another template."""

    type: Literal["break"]
    template: str | None = None


class SpaceItem(ItemBase):
    """Empty vertical space."""

    type: Literal["space"]
    h: NonNegativeLength


class PanelItem(ItemBase):
    """A fixed-height box in the flow holding positioned elements (QR codes, art …).

    Element boxes are measured from the panel's top-left corner.
    """

    type: Literal["panel"]
    id: Name
    h: NonNegativeLength
    elements: list[Element]


class CardsItem(ItemBase):
    """One card per copy key, in one or more columns."""

    type: Literal["cards"]
    items: Annotated[list[str], Field(min_length=1)]
    style: str
    heading_style: str | None = None
    bullet_style: str | None = None
    columns: Annotated[int, Field(ge=1, le=3)] = 1
    card: CardLook = CardLook()


class FactsItem(ItemBase):
    """Facts with their sources: each key has ``.figure``, ``.text`` and ``.source``."""

    type: Literal["facts"]
    items: Annotated[list[str], Field(min_length=1)]
    figure_style: str
    style: str
    source_style: str
    figure_width: NonNegativeLength
    card: CardLook = CardLook()


class PostsItem(ItemBase):
    """Ready-to-post social media copy, one card per post, checked against a limit.

    ``label`` is a copy key that may use ``{post.count}`` and ``{post.limit}``.
    ``counting: x`` counts every web address as 23 characters, as X does.
    """

    type: Literal["posts"]
    items: Annotated[list[str], Field(min_length=1)]
    limit: Annotated[int, Field(ge=1)]
    counting: Literal["plain", "x"] = "plain"
    label: str
    label_style: str
    style: str
    card: CardLook = CardLook()


class FormField(Model):
    """A fill-in field: ``label`` is a copy key (the field's tooltip)."""

    label: str
    max_length: Annotated[int, Field(ge=1, le=1000)] = 120


class FormItem(ItemBase):
    """Copy with fill-in lines: ``{field.NAME}`` in the copy marks a field.

    Office output makes each a fillable PDF text field over a printed line;
    press output prints the line only. One field per paragraph.
    """

    type: Literal["form"]
    copy_key: str = Field(alias="copy")
    style: str
    heading_style: str | None = None
    bullet_style: str | None = None
    fields: dict[Name, FormField]
    line: str  # colour of the fill-in line
    line_width: NonNegativeLength | None = None  # its width (default 1pt)
    min_field: NonNegativeLength  # the narrowest a field may be


StoryItem = Annotated[
    HeadingItem
    | TextItem
    | ContentsItem
    | BreakItem
    | SpaceItem
    | PanelItem
    | CardsItem
    | FactsItem
    | PostsItem
    | FormItem,
    Field(discriminator="type"),
]


class PackSize(Model):
    """A made size of a pack; an overlay may adjust styles only."""

    styles: dict[str, Style] = {}


class PackDocument(DocumentBase):
    """A ``kind: pack`` layout file after ``extends`` and the size's overlay are merged."""

    kind: Literal["pack"]
    sizes: dict[str, PackSize]
    start: str  # the template of the first page
    templates: Annotated[dict[Name, Template], Field(min_length=1)]
    story: Annotated[list[StoryItem], Field(min_length=1)]
