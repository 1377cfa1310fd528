"""The boxes of a flowing document, as ReportLab Platypus flowables.

Platypus measures them (``wrap``), breaks pages between them (``split``) and
draws them (``draw``). They hold no copy or positions of their own: the story
module builds them from the layout file, already styled and checked.

- :class:`Heading` — a paragraph that is a bookmark and an outline entry and
  never ends a page (it keeps with what follows).
- :class:`Contents` — contents rows with dotted leaders and page numbers,
  linked to the headings in office output.
- :class:`Card` and :class:`CardRow` — boxed groups of paragraphs, optionally
  with a side column (a fact's figure), one or several across.
- :class:`FieldLine` — a line of text with a fill-in line; a PDF form field
  over it in office output.
- :class:`GroupFlowable` — positioned elements (QR codes, art) drawn by the painter.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from reportlab.lib.colors import Color, transparent
from reportlab.platypus import Flowable, Paragraph

from packgen.colour import Colour
from packgen.layout.placed import Placed, PlacedLink
from packgen.render.pdf import Painter

BIG = 1.0e6
LEADER_STEP = 4.0  # pt between the dots of a contents leader
LEADER_DOT = 0.6  # pt, radius of a leader dot


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


class Heading(Paragraph):  # type: ignore[misc]
    """A heading paragraph that marks its place: bookmark, outline entry, no split."""

    def __init__(
        self, markup: str, style: Any, anchor: str, title: str, level: int, source: Any = None
    ) -> None:
        super().__init__(markup, style)
        self.anchor = anchor
        self.title = title
        self.level = level
        self.source = source  # where the heading is written, for messages
        self.keepWithNext = 1

    def split(self, avail_width: float, avail_height: float) -> list[Any]:
        return []  # a heading moves to the next frame whole

    def draw(self) -> None:
        super().draw()
        self.canv.bookmarkHorizontal(self.anchor, 0, self.height)
        self.canv.addOutlineEntry(self.title, self.anchor, self.level, closed=False)


@dataclass(frozen=True)
class ContentsRow:
    markup: str
    style: Any  # ParagraphStyle
    anchor: str
    page: int | None  # None before the first pass has placed the heading


class Contents(Flowable):  # type: ignore[misc]
    """Rows of "title ....... page"; splits between rows."""

    def __init__(
        self,
        rows: Sequence[ContentsRow],
        number_width: float,
        gap: float,
        leader: Color | None,
        links: bool,
    ) -> None:
        super().__init__()
        self.rows = list(rows)
        self.number_width = number_width
        self.gap = gap
        self.leader = leader
        self.links = links
        self._laid: list[tuple[ContentsRow, Any, float]] = []

    def _lay(self, width: float) -> list[tuple[ContentsRow, Any, float]]:
        laid = []
        for row in self.rows:
            paragraph = Paragraph(row.markup, row.style)
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
        return [
            make(self.rows[:count], self.number_width, self.gap, self.leader, self.links),
            make(self.rows[count:], self.number_width, self.gap, self.leader, self.links),
        ]

    def _leader(self, paragraph: Any, style: Any, baseline: float, text_width: float) -> None:
        """Dots from the title to the page number, on a grid so rows line up."""
        step = LEADER_STEP
        end = used_width(paragraph, text_width) + style.leftIndent + step
        first = math.ceil(end / step) * step
        last = math.floor((self.width - self.number_width) / step) * step
        if last <= first:
            return
        canvas = self.canv
        canvas.saveState()
        canvas.setStrokeColor(self.leader)
        canvas.setLineWidth(2 * LEADER_DOT)
        canvas.setLineCap(1)  # round caps turn the dashes into dots
        canvas.setDash([0, step])
        canvas.line(first, baseline + LEADER_DOT, last, baseline + LEADER_DOT)
        canvas.restoreState()

    def draw(self) -> None:
        canvas = self.canv
        y = self.height
        text_width = self.width - self.number_width - self.gap
        for row, paragraph, height in self._laid:
            y -= height
            paragraph.drawOn(canvas, 0, y)
            style = row.style
            baseline = y + height - style.fontSize - (line_count(paragraph) - 1) * style.leading
            number = "" if row.page is None else str(row.page)
            canvas.setFont(style.fontName, style.fontSize)
            canvas.setFillColor(style.textColor)
            canvas.drawRightString(self.width, baseline, number)
            if self.leader is not None:
                self._leader(paragraph, style, baseline, text_width)
            if self.links:
                canvas.linkRect("", row.anchor, (0, y, self.width, y + height), relative=1)
            y -= self.gap


@dataclass(frozen=True)
class Look:
    """A card's box, in the output's colour model."""

    fill: Color | None
    stroke: Color | None
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


def _draw_stack(canvas: Any, flowables: Sequence[Any], x: float, top: float) -> None:
    y = top
    for index, flowable in enumerate(flowables):
        if index:
            y -= flowable.getSpaceBefore()
        y -= flowable.height
        flowable.drawOn(canvas, x, y)
        y -= flowable.getSpaceAfter()


class Card(Flowable):  # type: ignore[misc]
    """Paragraphs in a box, with an optional side column; never split."""

    def __init__(
        self,
        body: Sequence[Any],
        look: Look,
        aside: Sequence[Any] = (),
        aside_width: float = 0.0,
        gap: float = 0.0,
    ) -> None:
        super().__init__()
        self.body = list(body)
        self.look = look
        self.aside = list(aside)
        self.aside_width = aside_width
        self.gap = gap
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

    def draw(self) -> None:
        canvas, look = self.canv, self.look
        height = max(self.height, self.stretch)
        if look.fill is not None or look.stroke is not None:
            canvas.saveState()
            if look.fill is not None:
                canvas.setFillColor(look.fill)
            if look.stroke is not None:
                canvas.setStrokeColor(look.stroke)
                canvas.setLineWidth(look.stroke_width)
            inset = look.stroke_width / 2 if look.stroke is not None else 0.0
            canvas.roundRect(
                inset,
                inset,
                self.width - 2 * inset,
                height - 2 * inset,
                look.radius,
                stroke=int(look.stroke is not None),
                fill=int(look.fill is not None),
            )
            canvas.restoreState()
        top = height - look.padding
        x = look.padding
        if self.aside:
            _draw_stack(canvas, self.aside, x, top)
            x += self.aside_width + self.gap
        _draw_stack(canvas, self.body, x, top)


class CardRow(Flowable):  # type: ignore[misc]
    """Cards side by side, all as tall as the tallest."""

    def __init__(self, cards: Sequence[Card], gap: float) -> None:
        super().__init__()
        self.cards = list(cards)
        self.gap = gap

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

    def draw(self) -> None:
        column = self._column(self.width)
        for index, card in enumerate(self.cards):
            card.drawOn(self.canv, index * (column + self.gap), 0)


@dataclass(frozen=True)
class FieldSpec:
    name: str
    tooltip: str
    max_length: int


class FieldLine(Flowable):  # type: ignore[misc]
    """``before ________ after`` on one line; a fillable text field in office output."""

    def __init__(
        self,
        before: str,
        after: str,
        style: Any,
        field: FieldSpec,
        line: Color,
        interactive: bool,
    ) -> None:
        super().__init__()
        self.before = Paragraph(before, style) if before else None
        self.after = Paragraph(after, style) if after else None
        self.style = style
        self.field = field
        self.line = line
        self.interactive = interactive
        self.spaceBefore = style.spaceBefore
        self.spaceAfter = style.spaceAfter
        self.field_width = 0.0

    @staticmethod
    def _natural(paragraph: Any) -> float:
        if paragraph is None:
            return 0.0
        paragraph.wrap(BIG, BIG)
        return used_width(paragraph, BIG)

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = avail_width
        gap = self.style.fontSize * 0.35
        self.left = self._natural(self.before) + (gap if self.before else 0.0)
        self.right = self._natural(self.after) + (gap if self.after else 0.0)
        self.field_width = avail_width - self.left - self.right
        self.height = self.style.leading + self.style.fontSize * 0.8
        return self.width, self.height

    def split(self, avail_width: float, avail_height: float) -> list[Any]:
        return []

    def draw(self) -> None:
        canvas, size = self.canv, self.style.fontSize
        baseline = size * 0.55
        for paragraph, x in ((self.before, 0.0), (self.after, self.width - self.right)):
            if paragraph is not None:
                _, height = paragraph.wrap(BIG, BIG)
                offset = self.right - used_width(paragraph, BIG) if paragraph is self.after else 0
                paragraph.drawOn(canvas, x + offset, baseline - (height - size))
        x0, x1 = self.left, self.left + self.field_width
        canvas.saveState()
        canvas.setStrokeColor(self.line)
        canvas.setLineWidth(0.75)
        canvas.line(x0, baseline - size * 0.25, x1, baseline - size * 0.25)
        canvas.restoreState()
        if self.interactive:
            canvas.acroForm.textfield(
                name=self.field.name,
                tooltip=self.field.tooltip,
                x=x0,
                y=baseline - size * 0.2,
                width=self.field_width,
                height=size * 1.45,
                relative=True,
                borderWidth=0,
                fillColor=transparent,
                borderColor=transparent,
                textColor=self.style.textColor,
                fontName="Helvetica",
                fontSize=size,
                maxlen=self.field.max_length,
            )


class GroupFlowable(Flowable):  # type: ignore[misc]
    """Elements laid out in a fixed box (origin at its bottom-left), drawn by the painter."""

    def __init__(
        self,
        items: Sequence[Placed],
        links: Sequence[PlacedLink],
        width: float,
        height: float,
        cmyk: bool,
        palette: dict[str, Colour],
    ) -> None:
        super().__init__()
        self.items = list(items)
        self.links = list(links)
        self.width = width
        self.height = height
        self.cmyk = cmyk
        self.palette = palette

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return self.width, self.height

    def split(self, avail_width: float, avail_height: float) -> list[Any]:
        return []

    def draw(self) -> None:
        # press canvases carry their output condition (the PDF/X canvas)
        condition = getattr(self.canv, "condition", None)
        painter = Painter(self.canv, self.cmyk, self.palette, condition)
        for item in self.items:
            painter.item(item)
        for link in self.links:
            r = link.rect
            self.canv.linkURL(link.url, (r.x, r.y, r.right, r.top), relative=1, thickness=0)
