"""``logo``: the organisation's logo slot, or the campaign mark without one.

Any aspect ratio fits the slot without distortion, aligned as the layout says.
The organisation's logo is a figure whose alt text is the copy at ``alt``
(``{org.name}`` works there); the campaign mark standing in for it is decoration.

A profile with a ``partner`` puts both logos in the slot with equal weight,
as partnership guidelines ask (NHS identity guidelines, for one): the same
height, the larger that fits, side by side (or one above the other, when
that is larger) with ``partner_gap`` between them (half the logos' height
unless the layout says), the organisation's first in reading order. The
partner's logo is a figure whose alt text is the partner's name.
"""

from __future__ import annotations

from typing import Literal

from packgen.elements.image import alt_role, fit, placed_asset
from packgen.errors import Severity, Span
from packgen.layout.context import Frame, LayoutContext
from packgen.layout.placed import ARTIFACT, Placed, Rect, Role
from packgen.model.common import Align, BoxAlign, Direction, ElementBase, VAlign
from packgen.resolve.assets import Asset
from packgen.units import MM, NonNegativeLength


class LogoElement(ElementBase):
    type: Literal["logo"]
    align: BoxAlign = Align.START
    valign: VAlign = VAlign.MIDDLE
    fallback: Literal["campaign", "none"] = "campaign"
    alt: str | None = None
    partner_gap: NonNegativeLength | None = None  # between the two logos of a partnership


def layout(element: LogoElement, frame: Frame, ctx: LayoutContext) -> list[Placed]:
    rect = ctx.place(element.box, frame, element.field_span("box"))
    if element.box.h is None:
        ctx.report("a logo slot needs a height", element.field_span("box"), "add h: 20mm", "box.h")
        return []
    asset = ctx.org_logo
    if asset is None:
        mark = ctx.content.data.get("campaign.mark")
        if element.fallback == "none" or not mark:
            return []
        asset = ctx.asset(mark, element.span)
        if asset is None:
            return []
    ctx.require_safe(element.id, rect, element.field_span("box"))
    partner = ctx.content.partner_logo if asset is ctx.org_logo else None
    if partner is not None:
        return _partnership(element, rect, asset, partner, frame, ctx)
    placed = fit(asset, rect, element.align, element.valign, frame.direction)
    if asset.kind == "raster" and asset is ctx.org_logo:
        _check_resolution(asset.width, placed.w, ctx)
    role = alt_role(element.alt, element, ctx) if asset is ctx.org_logo else ARTIFACT
    return [placed_asset(element.id, asset, placed, role, ctx)]


GAP = 0.5  # between partnered logos, in the logos' height, unless the layout says


def pair(first: Asset, second: Asset, rect: Rect, gap: float | None) -> tuple[bool, float, float]:
    """Whether two logos sit side by side (else stacked) in ``rect``, their common height,
    and the gap between them (``gap``, or half that height when None)."""
    a, b = first.width / first.height, second.width / second.height
    k = GAP if gap is None else 0.0
    fixed = gap or 0.0
    across = min(rect.h, (rect.w - fixed) / (a + b + k))
    down = min((rect.h - fixed) / (2 + k), rect.w / max(a, b))
    height = max(across, down, 0.0)
    return (across >= down, height, fixed if gap is not None else k * height)


def _partnership(
    element: LogoElement,
    rect: Rect,
    logo: Asset,
    partner: Asset,
    frame: Frame,
    ctx: LayoutContext,
) -> list[Placed]:
    """The organisation's logo and its partner's, equal in height, in one slot."""
    gap = float(element.partner_gap) * ctx.scale if element.partner_gap is not None else None
    side_by_side, height, gap = pair(logo, partner, rect, gap)
    widths = [height * a.width / a.height for a in (logo, partner)]
    rects: list[Rect] = []
    if side_by_side:
        total = widths[0] + gap + widths[1]
        x = rect.aligned(total, element.align, frame.direction)
        dy = {VAlign.BOTTOM: 0.0, VAlign.MIDDLE: (rect.h - height) / 2, VAlign.TOP: rect.h - height}
        y = rect.y + dy[element.valign]
        order = [0, 1] if frame.direction is Direction.LTR else [1, 0]
        for index in order:
            rects.append(Rect(x, y, widths[index], height))
            x += widths[index] + gap
        if order == [1, 0]:
            rects.reverse()
    else:
        total = 2 * height + gap
        dy = {VAlign.BOTTOM: 0.0, VAlign.MIDDLE: (rect.h - total) / 2, VAlign.TOP: rect.h - total}
        top = rect.y + dy[element.valign] + total
        for index in (0, 1):
            x = rect.aligned(widths[index], element.align, frame.direction)
            rects.append(Rect(x, top - height - index * (height + gap), widths[index], height))
    placed: list[Placed] = []
    for asset, box, field in ((logo, rects[0], "logo"), (partner, rects[1], "partner.logo")):
        if asset.kind == "raster":
            _check_resolution(asset.width, box.w, ctx, field)
    placed.append(
        placed_asset(element.id, logo, rects[0], alt_role(element.alt, element, ctx), ctx)
    )
    name = ctx.content.data.get("partner.name", "")
    role = Role.figure(name) if name else ARTIFACT
    placed.append(placed_asset(f"{element.id}.partner", partner, rects[1], role, ctx))
    return placed


def _check_resolution(pixels: float, width: float, ctx: LayoutContext, field: str = "logo") -> None:
    """A raster logo must be sharp at its printed size: warn, or fail when far too coarse."""
    ppi = pixels / (width / 72)
    rules = ctx.rules
    if ppi >= rules.logo_warn_ppi:
        return
    failing = ppi < rules.logo_fail_ppi
    limit = rules.logo_fail_ppi if failing else rules.logo_warn_ppi
    ctx.report(
        f"the {field.replace('.', ' ')} is {int(pixels)} pixels wide and prints "
        f"{width / MM:.0f} mm wide here: "
        f"{ppi:.0f} ppi, under {limit} ppi, so it "
        + ("would print blurred" if failing else "may look soft"),
        Span(ctx.org_file) if ctx.org_file else None,
        "supply a larger PNG or JPEG, or an SVG",
        field,
        Severity.ERROR if failing else Severity.WARNING,
    )
