"""``shape``: rectangle, rounded rectangle, ellipse or line, filled and/or stroked."""

from __future__ import annotations

from typing import Literal

from packgen.layout.context import Frame, LayoutContext
from packgen.layout.placed import Placed, PlacedShape, Rect, ShapeKind
from packgen.model.common import Bleed, Edge, ElementBase, bleed_edges
from packgen.units import NonNegativeLength


class ShapeElement(ElementBase):
    type: Literal["shape"]
    shape: ShapeKind = ShapeKind.RECT
    fill: str | None = None
    stroke: str | None = None
    stroke_width: NonNegativeLength | None = None
    radius: NonNegativeLength | None = None
    bleed: Bleed | None = None


def extend_to_bleed(rect: Rect, edges: frozenset[Edge], ctx: LayoutContext) -> Rect:
    """Push the named edges of ``rect`` out to the edge of the bleed.

    Edges are named as for left-to-right copy: right-to-left copy mirrors them.
    """
    if not edges:
        return rect
    edges = frozenset(edge.mirrored(ctx.direction) for edge in edges)
    b = ctx.bleed_rect
    x0 = b.x if Edge.LEFT in edges else rect.x
    y0 = b.y if Edge.BOTTOM in edges else rect.y
    x1 = b.right if Edge.RIGHT in edges else rect.right
    y1 = b.top if Edge.TOP in edges else rect.top
    return Rect(x0, y0, x1 - x0, y1 - y0)


def layout(element: ShapeElement, frame: Frame, ctx: LayoutContext) -> list[Placed]:
    rect = extend_to_bleed(
        ctx.place(element.box, frame, element.field_span("box")), bleed_edges(element.bleed), ctx
    )
    fill = ctx.colour(element.fill, element.field_span("fill"), "fill") if element.fill else None
    stroke = (
        ctx.colour(element.stroke, element.field_span("stroke"), "stroke")
        if element.stroke
        else None
    )
    if fill is None and stroke is None:
        if element.fill is None and element.stroke is None:
            ctx.report(
                f"shape '{element.id}' has neither fill nor stroke", element.span, "add fill: NAME"
            )
        return []
    width = float(element.stroke_width or 0) * ctx.scale
    if stroke is not None and width <= 0:
        width = 1.0 * ctx.scale
    radius = float(element.radius or 0) * ctx.scale
    if element.shape is ShapeKind.ROUNDED and radius <= 0:
        ctx.report("a rounded shape needs a radius", element.span, "add radius: 4mm", "radius")
    return [PlacedShape(element.id, element.shape, rect, fill, stroke, width, radius)]
