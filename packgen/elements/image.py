"""``image``: SVG vector art or a PNG/JPEG, fitted into its box without distortion.

With ``alt`` (a copy key) the image is a figure and that copy is its text
alternative; without it, the image is decoration (an artifact to a reader).
"""

from __future__ import annotations

from typing import Literal

from packgen.elements.shape import extend_to_bleed
from packgen.errors import PackgenError, allowed_hint, relative
from packgen.layout.context import Frame, LayoutContext
from packgen.layout.placed import ARTIFACT, Placed, PlacedDrawing, Rect, Role
from packgen.model.common import Align, Bleed, BoxAlign, Direction, ElementBase, VAlign, bleed_edges
from packgen.resolve.assets import Asset
from packgen.resolve.recolour import painted_svg


class ImageElement(ElementBase):
    type: Literal["image"]
    src: str
    align: BoxAlign = Align.CENTER
    valign: VAlign = VAlign.MIDDLE
    bleed: Bleed | None = None
    alt: str | None = None


def alt_role(key: str | None, element: ElementBase, ctx: LayoutContext) -> Role:
    """A figure with the copy at ``key`` as its alt text; without a key, an artifact."""
    if key is None:
        return ARTIFACT
    if not ctx.content.has(key):
        ctx.report(
            f"unknown copy key '{key}' (language {ctx.content.language})",
            element.field_span("alt"),
            allowed_hint(key, ctx.content.keys(), "keys"),
            "alt",
        )
        return ARTIFACT
    return Role.figure(ctx.content.plain(key))


def fit(asset: Asset, rect: Rect, align: Align, valign: VAlign, direction: Direction) -> Rect:
    """The largest rect with the asset's aspect ratio inside ``rect``, aligned."""
    ratio = asset.width / asset.height
    w, h = rect.w, rect.w / ratio
    if h > rect.h:
        w, h = rect.h * ratio, rect.h
    dy = {VAlign.BOTTOM: 0.0, VAlign.MIDDLE: (rect.h - h) / 2, VAlign.TOP: rect.h - h}[valign]
    return Rect(rect.aligned(w, align, direction), rect.y + dy, w, h)


def placed_asset(
    element_id: str, asset: Asset, rect: Rect, role: Role, ctx: LayoutContext | None = None
) -> PlacedDrawing:
    """The asset drawn into ``rect``; SVG art painted from ``ctx``'s palette."""
    pixels = (int(asset.width), int(asset.height)) if asset.kind == "raster" else None
    svg = painted(asset, ctx) if ctx is not None else None
    return PlacedDrawing(element_id, rect, asset.path, asset.kind, pixels, svg, role=role)


def painted(asset: Asset, ctx: LayoutContext) -> bytes | None:
    """SVG art with its ``data-palette`` colours from the palette (None: as drawn)."""
    if asset.kind != "svg":
        return None
    try:
        return painted_svg(asset.path, ctx.palette, relative(asset.path, ctx.assets_dir.parent))
    except PackgenError as exc:
        ctx.diagnostics.extend(exc.diagnostics)
        return None


def layout(element: ImageElement, frame: Frame, ctx: LayoutContext) -> list[Placed]:
    rect = ctx.place(element.box, frame, element.field_span("box"))
    if element.box.h is None:
        ctx.report("an image needs a height", element.field_span("box"), "add h: 60mm", "box.h")
        return []
    asset = ctx.asset(element.src, element.field_span("src"))
    if asset is None:
        return []
    edges = bleed_edges(element.bleed)
    target = (
        extend_to_bleed(rect, edges, ctx)
        if edges
        else fit(asset, rect, element.align, element.valign, frame.direction)
    )
    return [placed_asset(element.id, asset, target, alt_role(element.alt, element, ctx), ctx)]
