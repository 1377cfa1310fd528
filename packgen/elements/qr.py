"""``qr``: a QR code to a link, drawn as vector modules, with its caption and URL.

The tile (``size``, default the box width) includes the 4-module quiet zone.
The caption (a copy key) and the short URL go below the tile or beside it
(``end``: after it in the copy's direction; ``left``/``right`` are absolute),
inside the element's box. A URL always runs left to right. The symbol must
be at least ``rules.qr_min_symbol`` (scaled with the design), so it scans
from a sensible distance. Its alt text (what a screen reader says for it) is
the copy at ``alt``, else the short URL.
"""

from __future__ import annotations

import math
from typing import Annotated, Literal

from pydantic import Field
from qrcode.exceptions import DataOverflowError

from packgen.elements.image import alt_role
from packgen.elements.text import copy_blocks, report_missing_glyphs
from packgen.errors import Diagnostic, Severity
from packgen.layout.checks import press_style
from packgen.layout.context import Frame, LayoutContext
from packgen.layout.placed import (
    PARAGRAPH,
    Placed,
    PlacedLink,
    PlacedQr,
    PlacedText,
    Rect,
    Role,
    RoleKind,
    TextInk,
    block_role,
)
from packgen.layout.typeset import Typeset, typeset
from packgen.model.common import Align, BoxAlign, Direction, ElementBase, VAlign
from packgen.resolve import qr
from packgen.resolve.fonts import text_width
from packgen.resolve.markup import Block, BlockKind
from packgen.resolve.styles import ResolvedStyle
from packgen.units import MM, NonNegativeLength, PositiveLength
from packgen.xmltext import escape


class QrElement(ElementBase):
    type: Literal["qr"]
    link: str
    size: PositiveLength | None = None
    align: BoxAlign = Align.START
    caption: str | None = None
    caption_side: Literal["below", "start", "end", "left", "right"] = "below"
    caption_gap: NonNegativeLength | None = None
    caption_style: str | None = None
    url_style: str | None = None
    dark: str = "ink"
    light: str = "white"
    alt: str | None = None
    # the smallest QR version: codes in a row given the same one print the same module size
    version: Annotated[int, Field(ge=1, le=40)] | None = None


URL_BREAKS = "/."  # a printed web address breaks only after these


def url_lines(
    display: str, style: ResolvedStyle, size: float, width: float
) -> tuple[list[str], str | None]:
    """Break a displayed URL after '/' or '.' so each line fits ``width``.

    Never at a hyphen or inside a word: a part between breaks that is wider
    than ``width`` is returned as the second value (the caller refuses it).
    """
    pieces: list[str] = []
    current = ""
    for char in display:
        current += char
        if char in URL_BREAKS:
            pieces.append(current)
            current = ""
    if current:
        pieces.append(current)
    lines: list[str] = []
    line = ""
    too_wide: str | None = None
    for piece in pieces:
        if too_wide is None and text_width(piece, style.font, size, style.bold) > width + 0.01:
            too_wide = piece
        if line and text_width(line + piece, style.font, size, style.bold) > width:
            lines.append(line)
            line = piece
        else:
            line += piece
    if line:
        lines.append(line)
    return _no_lone_piece(lines, style, size, width), too_wide


def _no_lone_piece(lines: list[str], style: ResolvedStyle, size: float, width: float) -> list[str]:
    """Bring the last piece of the line before down when the last line is one short piece.

    ``parentinfantfoundation.org.`` / ``uk`` reads worse than
    ``parentinfantfoundation.`` / ``org.uk``.
    """
    if len(lines) < 2:
        return lines
    previous, last = lines[-2], lines[-1]
    cut = max(previous.rstrip(URL_BREAKS).rfind(c) for c in URL_BREAKS) + 1
    if cut <= 0 or len(last) >= len(previous) - cut:
        return lines
    moved = previous[cut:] + last
    if text_width(moved, style.font, size, style.bold) > width:
        return lines
    return [*lines[:-2], previous[:cut], moved]


def _version_for(url: str, level: str, side: float, minimum: float) -> int:
    """The smallest QR version whose symbol fills at least ``minimum`` of a ``side`` tile.

    The quiet zone is 4 modules whatever the version, so a short URL (few
    modules) leaves a smaller symbol in the same tile; one version more fixes it.
    """
    natural = qr.version(url, level)
    for version in range(natural, qr.MAX_VERSION + 1):
        modules = 17 + 4 * version
        if side * modules / (modules + 2 * qr.QUIET_ZONE) >= minimum - 0.01:
            return version
    return natural


def smallest_tile(url: str, level: str, minimum: float, scale: float) -> float:
    """The smallest tile in design mm (half-mm steps, quiet zone included) that passes.

    Tries sizes as :func:`layout` would lay them out (a larger version where a
    short URL leaves the symbol small), so the size it names passes.
    """
    halves = math.floor(minimum / scale / MM * 2)
    while True:
        side = halves / 2 * MM * scale
        version = _version_for(url, level, side, minimum)
        modules = len(qr.encode(url, level, version))
        if side * modules / (modules + 2 * qr.QUIET_ZONE) >= minimum - 0.01:
            return halves / 2
        halves += 1


def _mm(value: float, down: bool = False) -> str:
    """A length in mm rounded to half a millimetre (up, unless ``down``), as YAML."""
    halves = math.floor(value * 2 + 1e-6) if down else math.ceil(value * 2 - 1e-6)
    return f"{halves / 2:g}mm"


def _size_hint(element: QrElement, tile_mm: float) -> str:
    """Which field to change, and the smallest value that passes."""
    what = "the tile, quiet zone included"
    if element.size is not None:
        return f"set size: {_mm(tile_mm)} or more ({what}; box.w and box.h at least that)"
    return (
        f"set box.w: {_mm(tile_mm)} or more (without size:, the tile is the box width, "
        "quiet zone included)"
    )


def layout(element: QrElement, frame: Frame, ctx: LayoutContext) -> list[Placed]:
    box = ctx.place(element.box, frame, element.field_span("box"), square=True)
    link = ctx.link(element.link, element.field_span("link"), "link")
    dark = ctx.colour(element.dark, element.field_span("dark"), "dark")
    light = ctx.colour(element.light, element.field_span("light"), "light")
    if link is None or dark is None or light is None:
        return []
    url = ctx.content.tracked(link.url)
    level = ctx.rules.qr_error_correction
    side = float(element.size) * ctx.scale if element.size is not None else box.w
    if side > box.w + 0.01 or side > box.h + 0.01:
        fits = min(box.w, box.h) / ctx.scale / MM
        ctx.report(
            f"QR code '{element.id}': its tile ({side / MM:.1f} mm) is larger than its box "
            f"({box.w / MM:.1f} × {box.h / MM:.1f} mm)",
            element.field_span("size"),
            f"make box.w and box.h at least size, or size at most {_mm(fits, down=True)}",
        )
    tile = Rect(box.aligned(side, element.align, ctx.direction), box.top - side, side, side)
    minimum = float(ctx.rules.qr_min_symbol) * ctx.scale
    try:
        version = max(_version_for(url, level, side, minimum), element.version or 1)
        matrix = qr.encode(url, level, version)
    except (ValueError, DataOverflowError):
        ctx.report(
            f"the link of QR code '{element.id}' is {len(url)} characters, "
            "too long for any QR code",
            element.field_span("link"),
            "use a shorter address (a short link that redirects)",
        )
        return []
    count = len(matrix)
    module = side / (count + 2 * qr.QUIET_ZONE)
    symbol = tile.inset(module * qr.QUIET_ZONE)
    if symbol.w + 0.01 < minimum:
        ctx.report(
            f"QR code '{element.id}' is {symbol.w / MM:.1f} mm across without its quiet zone "
            f"({side / MM:.1f} mm with it); the minimum here is {minimum / MM:.1f} mm "
            "without it",
            element.field_span("size") or element.field_span("box"),
            _size_hint(element, smallest_tile(url, level, minimum, ctx.scale)),
        )
    ctx.require_safe(element.id, tile, element.field_span("box"))
    ctx.qr_urls.append(url)
    alt = link.display
    if element.alt is not None:
        figure = alt_role(element.alt, element, ctx)
        alt = figure.alt or alt
    role = Role(RoleKind.QR, alt=alt)
    runs = qr.runs(url, level, version)
    placed: list[Placed] = [
        PlacedQr(element.id, tile, symbol, module, runs, dark, light, url, role=role)
    ]
    if ctx.profile.interactive:
        ctx.links.append(PlacedLink(tile, url))
    caption = _caption(element, box, tile, link.display, ctx)
    if caption is not None:
        placed.append(caption)
        if ctx.profile.interactive:
            ctx.links.append(PlacedLink(caption.used, url))
    return placed


def _printed(style: ResolvedStyle, ctx: LayoutContext) -> ResolvedStyle:
    """The style as this output prints it (small dark text in 100% K on press)."""
    return press_style(style, style.size * ctx.scale, style.name in ctx.body_styles, ctx)[0]


def _caption(
    element: QrElement, box: Rect, tile: Rect, display: str, ctx: LayoutContext
) -> PlacedText | None:
    styled: list[tuple[Block, ResolvedStyle]] = []
    gap = float(element.caption_gap or 0) * ctx.scale
    beside = element.caption_side != "below"
    if beside:
        side = Align(element.caption_side).physical(ctx.direction)
        if side is Align.RIGHT:
            area = Rect(tile.right + gap, box.y, box.right - tile.right - gap, box.h)
        else:
            area = Rect(box.x, box.y, tile.x - gap - box.x, box.h)
    else:
        area = Rect(box.x, box.y, box.w, tile.y - gap - box.y)
    if element.caption:
        style = ctx.style(
            element.caption_style or "", element.field_span("caption_style"), "caption_style"
        )
        blocks = copy_blocks(element.caption, element, ctx)
        if style is None or blocks is None:
            return None
        style = _printed(style, ctx)
        styled.extend((block, style) for block in blocks)
    if element.url_style:
        style = ctx.style(element.url_style, element.field_span("url_style"), "url_style")
        if style is None:
            return None
        style = _printed(style, ctx).for_copy(style.language, Direction.LTR)  # URLs run LTR
        lines, too_wide = url_lines(display, style, style.size * ctx.scale, area.w)
        if too_wide is not None:
            ctx.report(
                f"QR code '{element.id}': the web address '{display}' cannot break to fit "
                f"its caption ({area.w / MM:.1f} mm): '{too_wide}' is wider, and an address "
                "breaks only after '/' or '.'",
                element.field_span("url_style"),
                f"give the campaign's link '{element.link}' a shorter label: (the address "
                "people type; the QR code keeps the full one), or widen the caption",
            )
        markup = "<br/>".join(escape(line) for line in lines)
        styled.append((Block(BlockKind.PARAGRAPH, markup), style))
    if not styled:
        return None
    if area.h <= 0 or area.w <= 0:
        ctx.report(
            f"QR code '{element.id}' has a caption but no room for it in its box",
            element.field_span("box"),
            "make box.h taller than the tile (caption below) or box.w wider (right)",
        )
        return None

    def set_caption(top: float) -> Typeset:
        return typeset(
            styled,
            x=area.x,
            top=top,
            width=area.w,
            height=area.h - (area.top - top),
            scale=ctx.scale,
            min_factor=1.0,
            valign=VAlign.TOP,
            cmyk=ctx.profile.cmyk,
        )

    top = area.top
    result = set_caption(top)
    if beside and result.height < tile.h:
        # beside the code, the caption is centred on the tile, not on the whole box
        top = area.top - (tile.h - result.height) / 2
        result = set_caption(top)
    report_missing_glyphs(element.id, result.missing, element.field_span("caption"), ctx)
    if result.overflow > 0.01:
        grow = "box.w" if element.caption_side == "right" else "box.h"
        taller = _mm((box.h + result.overflow) / ctx.scale / MM)
        ctx.report(
            f"the caption of QR code '{element.id}' overflows its box by "
            f"{result.overflow / MM:.1f} mm",
            element.field_span("box"),
            f"make the box box.h: {taller} or more"
            + (f" (or widen it, {grow})" if grow == "box.w" else "")
            + (f", or shorten copy '{element.caption}'" if element.caption else ""),
        )
        copy_span = ctx.content.copy_spans.get(element.caption or "")
        if copy_span is not None:
            ctx.diagnostics.append(
                Diagnostic(f"copy '{element.caption}' is here", copy_span, severity=Severity.NOTE)
            )
    ctx.require_safe(element.id, area, element.field_span("box"))
    width = min(area.w, result.used_width)
    x = area.across(0.0, width, ctx.direction).x  # lines begin at the start edge
    used = Rect(x, top - result.height, width, result.height)
    names = {style.name: style for _, style in styled}
    first = styled[0][1]
    return PlacedText(
        element_id=f"{element.id}.caption",
        rect=area,
        used=used,
        lines=result.lines,
        font_sizes=result.sizes,
        colours=tuple(style.colour for style in names.values()),
        is_body=False,
        language=first.language,
        direction=first.direction,
        inks=tuple(
            TextInk(s.colour, s.size * ctx.scale, s.bold, s.name in ctx.body_styles)
            for s in names.values()
        ),
        role=block_role(result.lines) if result.lines else PARAGRAPH,
    )
