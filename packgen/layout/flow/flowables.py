"""The boxes of a flowing story, as ReportLab Platypus flowables that measure and place.

Platypus measures them (``wrap``) and breaks pages between them (``split``).
Pagination records where each one lands, and :func:`place` turns a landed
flowable into placed items in absolute points: text (with its role), shapes,
link areas, anchors and form fields. Nothing here draws; the PDF writer draws
the placed items. They hold no copy or positions of their own: the story
module builds them from the layout file, already styled and checked.

Geometry is written for a direction: in ``rtl`` text, what starts at the left
(a card's side column, a contents title, the words before a fill-in line)
starts at the right instead.

- :class:`StoryParagraph` — a paragraph that knows what it is (its role, ink
  and whether it is body text), also after Platypus splits it.
- :class:`Heading` — a paragraph that is an anchor and an outline entry and
  never ends a page (it keeps with what follows).
- :class:`Contents` — contents rows with dotted leaders and page numbers,
  linked to the headings in office output.
- :class:`Card` and :class:`CardRow` — boxed groups of paragraphs, optionally
  with a side column (a fact's figure), one or several across.
- :class:`FieldLine` — a line of text with a fill-in line; a form field over
  it in office output.
- :class:`FixedBox` — elements already placed in a box of their own (QR
  codes, art), moved to where the box lands.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import getAscent, getDescent, stringWidth
from reportlab.platypus import Flowable, Paragraph
from reportlab.platypus.paragraph import cleanBlockQuotedText

from packgen.colour import Colour
from packgen.layout.balance import line_words, tie_last
from packgen.layout.placed import (
    Placed,
    PlacedAnchor,
    PlacedField,
    PlacedLink,
    PlacedShape,
    PlacedText,
    Rect,
    Role,
    RoleKind,
    ShapeKind,
    TextInk,
    TextLine,
    moved,
)
from packgen.resolve.fonts import with_fallback

BIG = 1.0e6
LEADER_STEP = 4.0  # pt between the dots of a contents leader
LEADER_DOT = 0.6  # pt, radius of a leader dot

Direction = Literal["ltr", "rtl"]


def start_x(direction: Direction, offset: float, width: float, total: float) -> float:
    """Where a box ``offset`` from the start of a line ``total`` wide begins, from the left."""
    return offset if direction == "ltr" else total - offset - width


@dataclass(frozen=True)
class Meta:
    """What a paragraph is, besides how it looks: for roles, checks and writers."""

    element_id: str
    role: Role
    colour: Colour
    is_body: bool
    bold: bool = False


@dataclass
class Placement:
    """Placed items of one landed flowable."""

    items: list[Placed] = field(default_factory=list)
    links: list[PlacedLink] = field(default_factory=list)
    anchors: list[PlacedAnchor] = field(default_factory=list)

    def add(self, other: Placement) -> None:
        self.items.extend(other.items)
        self.links.extend(other.links)
        self.anchors.extend(other.anchors)


def used_width(paragraph: Any, width: float) -> float:
    """How wide the last line of a paragraph wrapped at ``width`` is."""
    lines = getattr(getattr(paragraph, "blPara", None), "lines", None)
    if not lines:
        return 0.0
    last = lines[-1]
    extra = last[0] if isinstance(last, tuple) else getattr(last, "extraSpace", 0.0)
    return float(width - extra - paragraph.style.leftIndent - paragraph.style.rightIndent)


def line_count(paragraph: Any) -> int:
    lines = getattr(getattr(paragraph, "blPara", None), "lines", None)
    return len(lines) if lines else 1


def last_baseline(paragraph: Any) -> float:
    """Height of a wrapped paragraph's last baseline above its bottom."""
    style = paragraph.style
    return float(paragraph.height - style.fontSize - (line_count(paragraph) - 1) * style.leading)


class StoryParagraph(Paragraph):  # type: ignore[misc]
    """A paragraph with its :class:`Meta`, which the pieces of a split keep.

    Characters its font lacks are set in the fallback families of
    ``assets/fonts.yaml``, as on fixed pages (the preparer reports any that
    no font has).
    """

    def __init__(self, *args: Any, meta: Meta | None = None, **kwargs: Any) -> None:
        if len(args) >= 2 and isinstance(args[0], str) and hasattr(args[1], "fontName"):
            args = (with_fallback(args[0], args[1].fontName)[0], *args[1:])
        super().__init__(*args, **kwargs)
        self.meta = meta
        self._tied_at: float | None = None  # the width the lone-word rule last looked at
        # the last wrap: its width, the lines it made and its size (see ``wrap``)
        self._wrapped: tuple[float, Any, tuple[float, float]] | None = None

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        """Wrap, with no word alone on the last line when tying the last two costs nothing.

        Platypus wraps a paragraph again at the same width (a kept-together group is
        measured, then each of its flowables as it is added; a card is measured by its
        row, then by the frame); its lines depend on the width alone, so the lines of
        the last wrap stand while they are the paragraph's (a split drops them).
        """
        last = self._wrapped
        if last is not None and last[0] == avail_width and last[1] is self.__dict__.get("blPara"):
            self.width, self.height = last[2]
            return last[2]
        size = self._wrap(avail_width, avail_height)
        self._wrapped = (avail_width, self.blPara, size)
        return size

    def _wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        size: tuple[float, float] = super().wrap(avail_width, avail_height)
        if self._tied_at == avail_width or not isinstance(getattr(self, "text", None), str):
            return size
        self._tied_at = avail_width
        counts = line_words(self)
        if len(counts) < 2 or counts[-1] != 1:
            return size
        tied = tie_last(self.text)
        if tied is None:
            return size
        original = self.text
        self._setup(tied, self.style, self.bulletText, None, cleanBlockQuotedText)
        tied_size: tuple[float, float] = super().wrap(avail_width, avail_height)
        indent = float(self.style.leftIndent + self.style.rightIndent)
        if len(line_words(self)) > len(counts) or self.minWidth() > avail_width - indent + 0.01:
            self._setup(original, self.style, self.bulletText, None, cleanBlockQuotedText)
            return tuple(super().wrap(avail_width, avail_height))
        return tied_size

    def split(self, avail_width: float, avail_height: float) -> list[Any]:
        parts: list[Any] = super().split(avail_width, avail_height)
        for part in parts:
            part.meta = self.meta
        return parts

    def place(self, x: float, y: float) -> Placement:
        return Placement([text_item(self, x, y)])


def text_item(paragraph: StoryParagraph, x: float, y: float, width: float = -1) -> PlacedText:
    """A wrapped paragraph at ``x``, ``y`` (its bottom) as placed text."""
    meta = paragraph.meta
    assert meta is not None, "story paragraphs carry their meta"
    box = Rect(x, y, paragraph.width if width < 0 else width, paragraph.height)
    return PlacedText(
        element_id=meta.element_id,
        rect=box,
        used=box,
        lines=(TextLine(paragraph, x, y, role=meta.role),),
        font_sizes=(paragraph.style.fontSize,),
        colours=(meta.colour,),
        is_body=meta.is_body,
        inks=(TextInk(meta.colour, paragraph.style.fontSize, meta.bold, meta.is_body),),
        role=meta.role,
    )


class Heading(StoryParagraph):
    """A heading paragraph that marks its place: anchor, outline entry, no split."""

    def __init__(
        self,
        markup: str,
        style: Any,
        meta: Meta,
        anchor: str,
        title: str,
        level: int,
        source: Any = None,
    ) -> None:
        super().__init__(markup, style, meta=meta)
        self.anchor = anchor
        self.title = title
        self.level = level
        self.source = source  # where the heading is written, for messages
        self.keepWithNext = 1

    def split(self, avail_width: float, avail_height: float) -> list[Any]:
        return []  # a heading moves to the next frame whole

    def place(self, x: float, y: float) -> Placement:
        placed = super().place(x, y)
        top = PlacedAnchor(self.anchor, x, y + self.height, self.title, self.level)
        placed.anchors.append(top)
        return placed


@dataclass(frozen=True)
class ContentsRow:
    markup: str
    style: Any  # ParagraphStyle
    meta: Meta
    anchor: str
    page: int | None  # None before the first pass has placed the heading


class Contents(Flowable):  # type: ignore[misc]
    """Rows of "title ....... page"; splits between rows."""

    def __init__(
        self,
        rows: Sequence[ContentsRow],
        number_width: float,
        gap: float,
        leader: Colour | None,
        links: bool,
        direction: Direction = "ltr",
    ) -> None:
        super().__init__()
        self.rows = list(rows)
        self.number_width = number_width
        self.gap = gap
        self.leader = leader
        self.links = links
        self.direction: Direction = direction
        self._laid: list[tuple[ContentsRow, StoryParagraph, float]] = []

    def _lay(self, width: float) -> list[tuple[ContentsRow, StoryParagraph, float]]:
        laid = []
        for row in self.rows:
            paragraph = StoryParagraph(row.markup, row.style, meta=row.meta)
            _, height = paragraph.wrap(width - self.number_width - self.gap, BIG)
            laid.append((row, paragraph, height))
        return laid

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = avail_width
        self._laid = self._lay(avail_width)
        self.height = sum(h for _, _, h in self._laid) + self.gap * max(0, len(self._laid) - 1)
        return self.width, self.height

    def split(self, avail_width: float, avail_height: float) -> list[Any]:
        laid = self._lay(avail_width)
        used, count = 0.0, 0
        for _, _, height in laid:
            step = height + (self.gap if count else 0.0)
            if used + step > avail_height:
                break
            used += step
            count += 1
        if count == 0 or count == len(laid):
            return []
        make = type(self)
        parts = (self.rows[:count], self.rows[count:])
        return [
            make(rows, self.number_width, self.gap, self.leader, self.links, self.direction)
            for rows in parts
        ]

    def _number(self, row: ContentsRow, baseline: float) -> tuple[StoryParagraph, float]:
        """The page number as a paragraph set flush to the end, on the row's last baseline."""
        style = ParagraphStyle(
            f"{row.style.name}-number",
            parent=row.style,
            alignment=TA_RIGHT if self.direction == "ltr" else TA_LEFT,
            leftIndent=0,
            rightIndent=0,
            firstLineIndent=0,
        )
        text = "" if row.page is None else str(row.page)
        meta = replace(row.meta, role=Role(RoleKind.CONTENTS_PAGE))  # read with its entry
        paragraph = StoryParagraph(text, style, meta=meta)
        paragraph.wrap(self.number_width, BIG)
        return paragraph, baseline - last_baseline(paragraph)

    def _leader(self, paragraph: Any, baseline: float, x: float) -> PlacedShape | None:
        """Dots from the title to the page number, on a grid so rows line up."""
        step = LEADER_STEP
        end = used_width(paragraph, paragraph.width) + paragraph.style.leftIndent + step
        first = math.ceil(end / step) * step
        last = math.floor((self.width - self.number_width) / step) * step
        if last <= first or self.leader is None:
            return None
        left = x + start_x(self.direction, first, last - first, self.width)
        return PlacedShape(
            "contents.leader",
            ShapeKind.LINE,
            Rect(left, baseline + LEADER_DOT, last - first, 0.0),
            None,
            self.leader,
            2 * LEADER_DOT,
            dash=(0.0, step),
        )

    def place(self, x: float, y: float) -> Placement:
        placed = Placement()
        top = y + self.height
        text_width = self.width - self.number_width - self.gap
        for row, paragraph, height in self._laid:
            top -= height
            title_x = x + start_x(self.direction, 0.0, text_width, self.width)
            placed.items.append(text_item(paragraph, title_x, top))
            baseline = top + last_baseline(paragraph)
            number, number_y = self._number(row, baseline)
            number_x = x + start_x(
                self.direction, self.width - self.number_width, self.number_width, self.width
            )
            placed.items.append(text_item(number, number_x, number_y))
            dots = self._leader(paragraph, baseline, x)
            if dots is not None:
                placed.items.append(dots)
            if self.links:
                placed.links.append(PlacedLink(Rect(x, top, self.width, height), "", row.anchor))
            top -= self.gap
        return placed


@dataclass(frozen=True)
class Look:
    """A card's box."""

    fill: Colour | None
    stroke: Colour | None
    stroke_width: float
    radius: float
    padding: float


def _stack_height(flowables: Sequence[Any], width: float) -> float:
    total = 0.0
    for index, flowable in enumerate(flowables):
        _, height = flowable.wrap(width, BIG)
        if index:
            total += flowable.getSpaceBefore()
        total += height
        if index < len(flowables) - 1:
            total += flowable.getSpaceAfter()
    return total


def _place_stack(flowables: Sequence[Any], x: float, top: float) -> Placement:
    placed = Placement()
    y = top
    for index, flowable in enumerate(flowables):
        if index:
            y -= flowable.getSpaceBefore()
        y -= flowable.height
        placed.add(place(flowable, x, y))
        y -= flowable.getSpaceAfter()
    return placed


class Card(Flowable):  # type: ignore[misc]
    """Paragraphs in a box, with an optional side column at the start; never split."""

    def __init__(
        self,
        body: Sequence[Any],
        look: Look,
        aside: Sequence[Any] = (),
        aside_width: float = 0.0,
        gap: float = 0.0,
        direction: Direction = "ltr",
    ) -> None:
        super().__init__()
        self.body = list(body)
        self.look = look
        self.aside = list(aside)
        self.aside_width = aside_width
        self.gap = gap
        self.direction: Direction = direction
        self.stretch = 0.0  # a taller height to fill, when set by a row of cards

    def _body_width(self, width: float) -> float:
        inner = width - 2 * self.look.padding
        return inner - self.aside_width - self.gap if self.aside else inner

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = avail_width
        body = _stack_height(self.body, self._body_width(avail_width))
        aside = _stack_height(self.aside, self.aside_width) if self.aside else 0.0
        self.height = max(body, aside) + 2 * self.look.padding
        return self.width, max(self.height, self.stretch)

    def split(self, avail_width: float, avail_height: float) -> list[Any]:
        return []

    def place(self, x: float, y: float) -> Placement:
        look = self.look
        height = max(self.height, self.stretch)
        placed = Placement()
        if look.fill is not None or look.stroke is not None:
            inset = look.stroke_width / 2 if look.stroke is not None else 0.0
            box = Rect(x + inset, y + inset, self.width - 2 * inset, height - 2 * inset)
            width = look.stroke_width if look.stroke is not None else 0.0
            placed.items.append(
                PlacedShape(
                    "card", ShapeKind.ROUNDED, box, look.fill, look.stroke, width, look.radius
                )
            )
        top = y + height - look.padding
        inner = self.width - 2 * look.padding
        offset = 0.0
        if self.aside:
            aside_x = start_x(self.direction, offset, self.aside_width, inner)
            placed.add(_place_stack(self.aside, x + look.padding + aside_x, top))
            offset += self.aside_width + self.gap
        body_width = self._body_width(self.width)
        body_x = start_x(self.direction, offset, body_width, inner)
        placed.add(_place_stack(self.body, x + look.padding + body_x, top))
        return placed


class CardRow(Flowable):  # type: ignore[misc]
    """Cards side by side from the start, all as tall as the tallest."""

    def __init__(self, cards: Sequence[Card], gap: float, direction: Direction = "ltr") -> None:
        super().__init__()
        self.cards = list(cards)
        self.gap = gap
        self.direction: Direction = direction

    def _column(self, width: float) -> float:
        return (width - self.gap * (len(self.cards) - 1)) / len(self.cards)

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = avail_width
        column = self._column(avail_width)
        for card in self.cards:
            card.stretch = 0.0
        self.height = max(card.wrap(column, avail_height)[1] for card in self.cards)
        for card in self.cards:
            card.stretch = self.height
        return self.width, self.height

    def split(self, avail_width: float, avail_height: float) -> list[Any]:
        return []

    def place(self, x: float, y: float) -> Placement:
        column = self._column(self.width)
        placed = Placement()
        for index, card in enumerate(self.cards):
            offset = start_x(self.direction, index * (column + self.gap), column, self.width)
            placed.add(card.place(x + offset, y))
        return placed


@dataclass(frozen=True)
class FieldSpec:
    name: str
    tooltip: str
    max_length: int


class FieldLine(Flowable):  # type: ignore[misc]
    """``before ________ after`` on one line; a fillable text field in office output.

    The geometry comes from the style and its font: a word space either side
    of the line, the line one descent below the baseline (under descenders),
    and the field as tall as the style's leading, standing on the line.
    """

    def __init__(
        self,
        before: StoryParagraph | None,
        after: StoryParagraph | None,
        style: Any,
        meta: Meta,
        spec: FieldSpec,
        line: Colour,
        line_width: float,
        interactive: bool,
        direction: Direction = "ltr",
    ) -> None:
        super().__init__()
        self.before = before
        self.after = after
        self.style = style
        self.meta = meta
        self.spec = spec
        self.line = line
        self.line_width = line_width
        self.interactive = interactive
        self.direction: Direction = direction
        self.spaceBefore = style.spaceBefore
        self.spaceAfter = style.spaceAfter
        self.field_width = 0.0
        size = style.fontSize
        self.descent = -getDescent(style.fontName, size)
        self.ascent = getAscent(style.fontName, size)
        self.space = stringWidth(" ", style.fontName, size)
        self.baseline = 2 * self.descent  # room for the line under the descenders

    @staticmethod
    def _natural(paragraph: Any) -> float:
        if paragraph is None:
            return 0.0
        paragraph.wrap(BIG, BIG)
        return used_width(paragraph, BIG)

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = avail_width
        self.start = self._natural(self.before) + (self.space if self.before else 0.0)
        self.end = self._natural(self.after) + (self.space if self.after else 0.0)
        self.field_width = avail_width - self.start - self.end
        self.height = self.baseline + self.descent + self.style.leading
        return self.width, self.height

    def split(self, avail_width: float, avail_height: float) -> list[Any]:
        return []

    def place(self, x: float, y: float) -> Placement:
        placed = Placement()
        baseline = y + self.baseline
        for paragraph, offset in ((self.before, 0.0), (self.after, self.width - self.end)):
            if paragraph is None:
                continue
            paragraph.wrap(BIG, BIG)
            natural = used_width(paragraph, BIG)
            if paragraph is self.after:
                offset += self.end - natural
            left = x + start_x(self.direction, offset, natural, self.width)
            placed.items.append(
                text_item(paragraph, left, baseline - last_baseline(paragraph), natural)
            )
        under = baseline - self.descent
        left = x + start_x(self.direction, self.start, self.field_width, self.width)
        placed.items.append(
            PlacedShape(
                f"field.{self.spec.name}.line",
                ShapeKind.LINE,
                Rect(left, under, self.field_width, 0.0),
                None,
                self.line,
                self.line_width,
            )
        )
        if self.interactive:
            placed.items.append(
                PlacedField(
                    element_id=f"field.{self.spec.name}",
                    rect=Rect(left, under, self.field_width, self.style.leading),
                    name=self.spec.name,
                    tooltip=self.spec.tooltip,
                    max_length=self.spec.max_length,
                    font=self.style.fontName,
                    size=self.style.fontSize,
                    colour=self.meta.colour,
                    role=Role(RoleKind.FORM_FIELD, alt=self.spec.tooltip),
                )
            )
        return placed


class FixedBox(Flowable):  # type: ignore[misc]
    """Elements laid out in a box of their own (origin at its bottom-left)."""

    def __init__(
        self,
        items: Sequence[Placed],
        links: Sequence[PlacedLink],
        width: float,
        height: float,
    ) -> None:
        super().__init__()
        self.items = list(items)
        self.links = list(links)
        self.width = width
        self.height = height

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return self.width, self.height

    def split(self, avail_width: float, avail_height: float) -> list[Any]:
        return []

    def place(self, x: float, y: float) -> Placement:
        links = [
            PlacedLink(Rect(k.rect.x + x, k.rect.y + y, k.rect.w, k.rect.h), k.url, k.anchor)
            for k in self.links
        ]
        return Placement([moved(item, x, y) for item in self.items], links)


def place(flowable: Any, x: float, y: float) -> Placement:
    """The placed items of a flowable that landed at ``x``, ``y``; spacers place nothing."""
    placer = getattr(flowable, "place", None)
    if placer is None:
        return Placement()
    result: Placement = placer(x, y)
    return result
