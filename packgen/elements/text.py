"""``text``: a frame of flowing copy (paragraphs, headings, bullets) from a copy key.

Copy that does not fit is an error naming the element and by how much,
unless ``min_size`` allows shrinking and the shrunk text fits.
"""

from __future__ import annotations

import math
from dataclasses import replace
from typing import Annotated, Literal

from pydantic import Field

from packgen.errors import Diagnostic, PackgenError, Severity, Span, allowed_hint
from packgen.layout.checks import press_style
from packgen.layout.context import Frame, LayoutContext
from packgen.layout.placed import (
    PARAGRAPH,
    Placed,
    PlacedLink,
    PlacedText,
    Rect,
    Role,
    RoleKind,
    TextInk,
    TextLine,
    block_role,
)
from packgen.layout.typeset import Typeset, typeset
from packgen.model.common import Align, ElementBase, VAlign
from packgen.resolve.markup import BlockKind
from packgen.resolve.styles import ResolvedStyle
from packgen.units import MM, PositiveLength


class TextElement(ElementBase):
    type: Literal["text"]
    copy_key: str = Field(alias="copy")
    style: str
    heading_style: str | None = None
    bullet_style: str | None = None
    valign: VAlign = VAlign.TOP
    min_size: PositiveLength | None = None
    link: str | None = None
    # what the frame is to a reader (tagged PDF): 1-3, all of it a heading of that level;
    # 0, paragraphs even where the copy marks a heading (a big figure); unset, as marked
    heading: Annotated[int, Field(ge=0, le=3)] | None = None
    # the level of the copy's `# ` headings in the frame: 2 by default, below the product's
    # one level-1 heading (its title or headline, marked with heading: 1)
    heading_level: Annotated[int, Field(ge=1, le=6)] = 2


def _read_as(lines: tuple[TextLine, ...], heading: int | None) -> tuple[TextLine, ...]:
    """The lines with the roles ``heading`` gives them (their own when it is unset)."""
    if heading is None:
        return lines
    if heading > 0:
        return tuple(replace(line, role=Role.heading(heading)) for line in lines)
    return tuple(
        replace(line, role=PARAGRAPH) if line.role.kind is RoleKind.HEADING else line
        for line in lines
    )


def layout(element: TextElement, frame: Frame, ctx: LayoutContext) -> list[Placed]:
    rect = ctx.place(element.box, frame, element.field_span("box"))
    if element.box.h is None:
        ctx.report("a text frame needs a height", element.field_span("box"), "add h: 40mm", "box.h")
        return []
    styles: dict[BlockKind, ResolvedStyle] = {}
    body: dict[BlockKind, bool] = {}
    smallest = 1.0  # the press inks are chosen for the smallest the text may shrink to
    if element.min_size is not None:
        base = ctx.styles.get(element.style)
        if base is not None:
            smallest = min(1.0, float(element.min_size) / base.size)
    for kind, name, field in (
        (BlockKind.PARAGRAPH, element.style, "style"),
        (BlockKind.HEADING, element.heading_style or element.style, "heading_style"),
        (BlockKind.BULLET, element.bullet_style or element.style, "bullet_style"),
    ):
        style = ctx.style(name, element.field_span(field), field)
        if style is None:
            return []
        body[kind] = body_kind(kind, name, element.style, ctx.body_styles)
        size = style.size * ctx.scale * smallest
        styles[kind] = press_style(style, size, body[kind], ctx)[0]
    blocks = copy_blocks(element.copy_key, element, ctx)
    if blocks is None:
        return []
    base = styles[BlockKind.PARAGRAPH]
    min_factor = 1.0
    if element.min_size is not None:
        min_factor = min(1.0, float(element.min_size) / base.size)
    result = typeset(
        [(block, styles[block.kind]) for block in blocks],
        x=rect.x,
        top=rect.top,
        width=rect.w,
        height=rect.h,
        scale=ctx.scale,
        min_factor=min_factor,
        valign=element.valign,
        cmyk=ctx.profile.cmyk,
        heading_level=element.heading_level,
    )
    if result.too_wide:
        ctx.report(
            f"text '{element.id}': the word '{result.too_wide}' is wider than its frame",
            element.field_span("box"),
            "widen the frame, or lower the style's size",
        )
    report_missing_glyphs(
        element.id, result.missing, element.field_span("copy"), ctx, key=element.copy_key
    )
    if result.overflow > 0.01:
        report_overflow(element, rect, result, base.size * base.leading * min_factor, ctx)
    ctx.require_safe(element.id, rect, element.field_span("box"))
    width = min(rect.w, result.used_width)
    side = base.align.physical(ctx.direction)  # where the lines sit across the frame
    if side is Align.RIGHT:
        x = rect.right - width
    elif side is Align.CENTER:
        x = rect.x + (rect.w - width) / 2
    elif side is Align.LEFT:
        x = rect.x
    else:  # justified lines begin at the start edge
        x = rect.across(0.0, width, ctx.direction).x
    spare = max(0.0, rect.h - result.height)  # valign moves the lines down the frame
    drop = {VAlign.TOP: 0.0, VAlign.MIDDLE: spare / 2, VAlign.BOTTOM: spare}[element.valign]
    used = Rect(x, rect.top - drop - result.height, width, result.height)
    if element.link and ctx.profile.interactive:
        target = ctx.link(element.link, element.field_span("link"), "link")
        if target is not None:
            ctx.links.append(PlacedLink(used, target.url))
    kinds = {b.kind for b in blocks}
    is_body = any(body[k] for k in kinds)
    factor = ctx.scale * result.scale
    inks = tuple(
        TextInk(styles[k].colour, styles[k].size * factor, styles[k].bold, body[k])
        for k in sorted(kinds, key=list(BlockKind).index)
    )
    lines = _read_as(result.lines, element.heading)
    return [
        PlacedText(
            element_id=element.id,
            rect=rect,
            used=used,
            lines=lines,
            font_sizes=result.sizes,
            colours=tuple({styles[k].colour_name: styles[k].colour for k in kinds}.values()),
            is_body=is_body,
            scale=result.scale,
            language=base.language,
            direction=base.direction,
            inks=inks,
            role=block_role(lines) if lines else PARAGRAPH,
        )
    ]


def report_overflow(
    element: TextElement, rect: Rect, result: Typeset, leading: float, ctx: LayoutContext
) -> None:
    """Overflow, with how much to cut or the frame height that fits, and where the copy is."""
    at = f" even at the minimum size {float(element.min_size or 0):g}pt" if element.min_size else ""
    needed = rect.h + result.overflow
    lines = max(1, math.ceil(result.overflow / (leading * ctx.scale) - 0.05))
    length = len(ctx.content.plain(element.copy_key))
    total = max(lines, round(needed / (leading * ctx.scale)))  # lines the copy takes
    cut = min(length, math.ceil(length * lines / total))  # as many lines' worth of characters
    fits = math.ceil(needed / ctx.scale / MM * 2 - 1e-6) / 2  # half millimetres, up
    ctx.report(
        f"text '{element.id}' overflows its frame by {result.overflow / MM:.1f} mm{at}: "
        f"about {lines} line{'s' * (lines != 1)} too many",
        element.field_span("copy") or element.span,
        f"cut about {cut} of its {length} characters from copy '{element.copy_key}', "
        f"or make the frame box.h: {fits:g}mm"
        + ("" if element.min_size else ", or allow shrinking with min_size"),
    )
    copy_span = ctx.content.copy_spans.get(element.copy_key)
    if copy_span is not None:
        ctx.diagnostics.append(
            Diagnostic(f"copy '{element.copy_key}' is here", copy_span, severity=Severity.NOTE)
        )


def body_kind(kind: BlockKind, name: str, paragraph: str, body_styles: frozenset[str]) -> bool:
    """Body text: a body style, or the bullets of body paragraphs (list items are body text)."""
    if name in body_styles:
        return True
    return kind is BlockKind.BULLET and paragraph in body_styles


def report_missing_glyphs(
    element_id: str,
    missing: str,
    span: Span | None,
    ctx: LayoutContext,
    key: str | None = None,
) -> None:
    if missing:
        listing = ", ".join(f"'{ch}' (U+{ord(ch):04X})" for ch in missing)
        where = ""
        source = ctx.content.copy_spans.get(key) if key else None
        if key:
            where = f" (copy '{key}'" + (f" in {source}" if source else "") + ")"
        ctx.report(
            f"text '{element_id}'{where} has characters no font here can print: {listing}",
            span,
            "add a font family that has them to assets/fonts.yaml (`fallbacks:`),"
            " or take them out of the copy",
        )


def copy_blocks(key: str, element: ElementBase, ctx: LayoutContext) -> list | None:  # type: ignore[type-arg]
    """The copy at ``key`` as blocks, or None after reporting why not."""
    if not ctx.content.has(key):
        ctx.report(
            f"unknown copy key '{key}' (language {ctx.content.language})",
            element.field_span("copy") or element.span,
            allowed_hint(key, ctx.content.keys(), "keys"),
        )
        return None
    try:
        return ctx.content.blocks(key)
    except PackgenError as exc:
        ctx.diagnostics.extend(exc.diagnostics)
        return None
