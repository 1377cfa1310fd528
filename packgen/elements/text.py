"""``text``: a frame of flowing copy (paragraphs, headings, bullets) from a copy key.

Copy that does not fit is an error naming the element and by how much,
unless ``min_size`` allows shrinking and the shrunk text fits.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Literal

from pydantic import Field

from packgen.colour import luminance
from packgen.errors import PackgenError, Span, allowed_hint
from packgen.layout.context import Frame, LayoutContext
from packgen.layout.placed import Placed, PlacedLink, PlacedText, Rect
from packgen.layout.typeset import typeset
from packgen.model.common import ElementBase, VAlign
from packgen.resolve.markup import BlockKind
from packgen.resolve.styles import ResolvedStyle
from packgen.units import MM, LengthField

DARK_TEXT = 0.1  # relative luminance under which body text is "dark" and may print as 100% K


class TextElement(ElementBase):
    type: Literal["text"]
    copy_key: str = Field(alias="copy")
    style: str
    heading_style: str | None = None
    bullet_style: str | None = None
    valign: VAlign = VAlign.TOP
    min_size: LengthField | None = None
    link: str | None = None


def layout(element: TextElement, frame: Frame, ctx: LayoutContext) -> list[Placed]:
    rect = ctx.place(element.box, frame, element.field_span("box"))
    if element.box.h is None:
        ctx.report("a text frame needs a height", element.field_span("box"), "add h: 40mm", "box.h")
        return []
    styles: dict[BlockKind, ResolvedStyle] = {}
    for kind, name, field in (
        (BlockKind.PARAGRAPH, element.style, "style"),
        (BlockKind.HEADING, element.heading_style or element.style, "heading_style"),
        (BlockKind.BULLET, element.bullet_style or element.style, "bullet_style"),
    ):
        style = ctx.style(name, element.field_span(field), field)
        if style is None:
            return []
        styles[kind] = _press_body(style, ctx)
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
    )
    if result.too_wide:
        ctx.report(
            f"text '{element.id}': the word '{result.too_wide}' is wider than its frame",
            element.field_span("box"),
            "widen the frame, or lower the style's size",
        )
    report_missing_glyphs(element.id, result.missing, element.field_span("copy"), ctx)
    if result.overflow > 0.01:
        at = (
            f" even at the minimum size {float(element.min_size or 0):g}pt"
            if element.min_size
            else ""
        )
        ctx.report(
            f"text '{element.id}' overflows its frame by {result.overflow / MM:.1f} mm{at}",
            element.field_span("copy") or element.span,
            "shorten the copy, enlarge the frame (box.h)"
            + ("" if element.min_size else ", or allow shrinking with min_size"),
        )
    ctx.require_safe(element.id, rect, element.field_span("box"))
    width = min(rect.w, result.used_width)
    x = rect.across(0.0, width, ctx.direction).x  # lines begin at the start edge
    used = Rect(x, rect.top - result.height, width, result.height)
    if element.link and ctx.profile.interactive:
        target = ctx.link(element.link, element.field_span("link"), "link")
        if target is not None:
            ctx.links.append(PlacedLink(used, target.url))
    kinds = {b.kind for b in blocks}
    is_body = any(styles[k].name in ctx.body_styles for k in kinds)
    return [
        PlacedText(
            element_id=element.id,
            rect=rect,
            used=used,
            lines=result.lines,
            font_sizes=result.sizes,
            colours=tuple({styles[k].colour_name: styles[k].colour for k in kinds}.values()),
            is_body=is_body,
            scale=result.scale,
            language=base.language,
            direction=base.direction,
        )
    ]


def _press_body(style: ResolvedStyle, ctx: LayoutContext) -> ResolvedStyle:
    """Body text in the press ink the rules name (100% K), so small type registers."""
    ink = ctx.rules.press_body_colour
    if not (ctx.profile.cmyk and ink and style.name in ctx.body_styles):
        return style
    if luminance(style.colour.rgb_fraction) > DARK_TEXT:
        return style  # light text on a dark ground keeps its colour
    colour = ctx.colour(ink, None, "rules.press_body_colour")
    return replace(style, colour=colour, colour_name=ink) if colour else style


def report_missing_glyphs(
    element_id: str, missing: str, span: Span | None, ctx: LayoutContext
) -> None:
    if missing:
        listing = ", ".join(f"'{ch}' (U+{ord(ch):04X})" for ch in missing)
        ctx.report(
            f"text '{element_id}' has characters no font here can print: {listing}",
            span,
            "choose a font family that has them in assets/fonts.yaml (families or fallback)",
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
