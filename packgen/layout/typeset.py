"""Blocks of copy into measured, positioned ReportLab paragraphs.

Text fit is a layout decision, and the only faithful measure of how ReportLab
will break lines is ReportLab's own paragraph engine, so this module (with
``fonts`` and ``render``) is allowed to import it. It measures and places; it
never draws. Each style carries the direction of its copy: ``start`` and
``end`` alignment and the indent (from the start edge) follow it, and
copy that needs shaping or runs right to left is set by ``shaping`` (HarfBuzz
and the bidirectional algorithm) instead of ReportLab's paragraph engine.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph

from packgen.layout.balance import (
    BALANCE_FROM,
    balanced_width,
    keep_lines,
    no_lone_word,
    shift,
)
from packgen.layout.memo import Memo
from packgen.layout.placed import LIST_ITEM, PARAGRAPH, Role, TextLine
from packgen.layout.shaping import ShapedParagraph, needs_shaping
from packgen.model.common import Align, Direction, VAlign
from packgen.render.ink import ink
from packgen.resolve.fonts import face_name, generation, with_fallback
from packgen.resolve.markup import Block, BlockKind
from packgen.resolve.styles import ResolvedStyle

_ALIGN = {  # by physical side (Align.physical)
    Align.LEFT: TA_LEFT,
    Align.CENTER: TA_CENTER,
    Align.RIGHT: TA_RIGHT,
    Align.JUSTIFY: TA_JUSTIFY,
}


def role_of(kind: BlockKind, heading_level: int) -> Role:
    """A block of copy's role: markup headings at ``heading_level``, bullets as list items."""
    if kind is BlockKind.HEADING:
        return Role.heading(heading_level)
    return LIST_ITEM if kind is BlockKind.BULLET else PARAGRAPH


@dataclass(frozen=True)
class Typeset:
    lines: tuple[TextLine, ...]
    height: float  # pt the text needs
    scale: float  # 1.0, or less when shrunk to fit
    overflow: float  # pt beyond the frame height at the smallest allowed scale
    too_wide: str | None  # a word wider than the frame, if any
    missing: str  # characters no registered font can print
    sizes: tuple[float, ...]
    used_width: float


def _paragraph_style(style: ResolvedStyle, factor: float, cmyk: bool) -> ParagraphStyle:
    size = style.size * factor
    rtl = style.direction is Direction.RTL
    indent = style.indent * factor  # at the start edge
    return ParagraphStyle(
        name=f"{style.name}@{factor:.3f}",
        fontName=face_name(style.font, style.bold, style.italic),
        fontSize=size,
        leading=size * style.leading,
        textColor=ink(style.colour, cmyk),
        alignment=_ALIGN[style.align.physical(style.direction)],
        leftIndent=0.0 if rtl else indent,
        rightIndent=indent if rtl else 0.0,
        bulletIndent=0,
        bulletFontName=face_name(style.font, True, False),
        bulletFontSize=size,
        bulletColor=ink(style.colour, cmyk),
        spaceBefore=style.space_before * factor,
        spaceAfter=style.space_after * factor,
        allowWidows=0,
        allowOrphans=0,
    )


Built = tuple[list[tuple[Any, float, float, float, float]], float, str | None, float, str]

# blocks set at one scale and width, by everything the setting depends on (see ``memo``)
_SET: Memo[Built] = Memo(2048)  # about 10 KB each: 20 MB at most


def _build(
    items: Sequence[tuple[Block, ResolvedStyle]],
    factor: float,
    width: float,
    cmyk: bool,
) -> Built:
    """Paragraphs with (height, space before, space after, x shift); total height; widest word.

    The same blocks in the same styles at the same scale and width, with the same
    fonts registered, are set once: the paragraphs are wrapped for good here (only
    drawn after), so a document may share them with the next one that sets them.
    """
    key = (generation(), tuple(items), factor, width, cmyk)
    return _SET.get(key, lambda: _set(items, factor, width, cmyk))


def _set(
    items: Sequence[tuple[Block, ResolvedStyle]],
    factor: float,
    width: float,
    cmyk: bool,
) -> Built:
    built: list[tuple[Any, float, float, float, float]] = []
    missing = ""
    total = 0.0
    too_wide: str | None = None
    used = 0.0
    cache: dict[str, ParagraphStyle] = {}
    for index, (block, style) in enumerate(items):
        pstyle = cache.get(style.name)
        if pstyle is None:
            pstyle = cache[style.name] = _paragraph_style(style, factor, cmyk)
        bullet = style.bullet if block.kind is BlockKind.BULLET else None
        markup, lacking = with_fallback(block.markup, pstyle.fontName)
        missing += lacking
        rtl = style.direction is Direction.RTL
        make = _maker(pstyle, bullet, rtl, rtl or needs_shaping(markup))
        paragraph, markup = keep_lines(make, markup, width)
        paragraph = no_lone_word(paragraph, markup, make, width)
        align = style.align.physical(style.direction)
        offset = 0.0
        if align is not Align.JUSTIFY and (
            block.kind is BlockKind.HEADING or pstyle.fontSize + 0.01 >= BALANCE_FROM
        ):
            offset = shift(align, width - balanced_width(paragraph, width))
        height = paragraph.height
        indent = pstyle.leftIndent + pstyle.rightIndent  # one of them: the start indent
        if paragraph.minWidth() > width - indent + 0.01 and too_wide is None:
            too_wide = _widest_word(block.markup)
        used = max(used, _line_width(paragraph) + indent)
        before = pstyle.spaceBefore if index > 0 else 0.0
        after = pstyle.spaceAfter if index < len(items) - 1 else 0.0
        built.append((paragraph, height, before, after, offset))
        total += before + height + after
    return built, total, too_wide, used, missing


def _maker(
    pstyle: ParagraphStyle, bullet: str | None, rtl: bool, shaped: bool
) -> Callable[[str], Any]:
    """Markup into an unwrapped paragraph of this style (shaped when the copy needs it)."""

    def make(text: str) -> Any:
        if shaped:
            return ShapedParagraph(text, pstyle, rtl, bullet)
        return Paragraph(text, pstyle, bulletText=bullet)

    return make


def _line_width(paragraph: Paragraph | ShapedParagraph) -> float:
    if isinstance(paragraph, ShapedParagraph):
        return max(paragraph.line_widths(), default=0.0)
    lines = getattr(paragraph, "blPara", None)
    if lines is None:
        return 0.0
    widths = [
        (paragraph.width - getattr(line, "extraSpace", 0))
        if not isinstance(line, tuple)
        else paragraph.width - line[0]
        for line in lines.lines
    ]
    return max(widths, default=0.0)


def _widest_word(markup: str) -> str:
    import re

    words = re.sub(r"<[^>]+>", "", markup).split()
    return max(words, key=len) if words else ""


def typeset(
    items: Sequence[tuple[Block, ResolvedStyle]],
    *,
    x: float,
    top: float,
    width: float,
    height: float,
    scale: float,
    min_factor: float,
    valign: VAlign,
    cmyk: bool,
    heading_level: int = 1,
) -> Typeset:
    """Lay styled blocks into the frame, shrinking no further than ``min_factor``."""
    built, total, too_wide, used, missing = _build(items, scale, width, cmyk)
    factor = 1.0
    if total > height + 0.01 and min_factor < 1.0:
        low, high = min_factor, 1.0
        fitted: tuple[float, tuple] | None = None  # type: ignore[type-arg]
        trial = _build(items, scale * low, width, cmyk)
        if trial[1] <= height + 0.01:
            fitted = (low, trial)
            for _ in range(10):
                middle = round((low + high) / 2, 4)
                trial = _build(items, scale * middle, width, cmyk)
                if trial[1] <= height + 0.01:
                    low, fitted = middle, (middle, trial)
                else:
                    high = middle
            factor, (built, total, too_wide, used, missing) = fitted
        else:
            factor = min_factor
            built, total, too_wide, used, missing = trial
    offset = {VAlign.TOP: 0.0, VAlign.MIDDLE: (height - total) / 2, VAlign.BOTTOM: height - total}
    cursor = top - max(0.0, offset[valign])
    lines: list[TextLine] = []
    sizes: list[float] = []
    for (block, _), (paragraph, para_height, before, after, shifted) in zip(
        items, built, strict=True
    ):
        cursor -= before
        role = role_of(block.kind, heading_level)
        lines.append(TextLine(paragraph, x + shifted, cursor - para_height, role=role))
        sizes.append(paragraph.style.fontSize)
        cursor -= para_height + after
    return Typeset(
        lines=tuple(lines),
        height=total,
        scale=factor,
        overflow=max(0.0, total - height),
        too_wide=too_wide,
        missing="".join(sorted(set(missing))),
        sizes=tuple(sizes),
        used_width=used,
    )


def paragraph_style(style: ResolvedStyle, cmyk: bool, factor: float = 1.0) -> ParagraphStyle:
    """The ReportLab style of a resolved style (no widows or orphans), for flowing text."""
    return _paragraph_style(style, factor, cmyk)
