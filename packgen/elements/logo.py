"""``logo``: the organisation's logo slot, or the campaign mark without one.

Any aspect ratio fits the slot without distortion, aligned as the layout says.
The organisation's logo is a figure whose alt text is the copy at ``alt``
(``{org.name}`` works there); the campaign mark standing in for it is decoration.
"""

from __future__ import annotations

from typing import Literal

from packgen.elements.image import alt_role, fit, placed_asset
from packgen.errors import Severity, Span
from packgen.layout.context import Frame, LayoutContext
from packgen.layout.placed import ARTIFACT, Placed
from packgen.model.common import Align, BoxAlign, ElementBase, VAlign
from packgen.units import MM


class LogoElement(ElementBase):
    type: Literal["logo"]
    align: BoxAlign = Align.START
    valign: VAlign = VAlign.MIDDLE
    fallback: Literal["campaign", "none"] = "campaign"
    alt: str | None = None


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
    placed = fit(asset, rect, element.align, element.valign, frame.direction)
    if asset.kind == "raster" and asset is ctx.org_logo:
        _check_resolution(asset.width, placed.w, ctx)
    role = alt_role(element.alt, element, ctx) if asset is ctx.org_logo else ARTIFACT
    return [placed_asset(element.id, asset, placed, role, ctx)]


def _check_resolution(pixels: float, width: float, ctx: LayoutContext) -> None:
    """A raster logo must be sharp at its printed size: warn, or fail when far too coarse."""
    ppi = pixels / (width / 72)
    rules = ctx.rules
    if ppi >= rules.logo_warn_ppi:
        return
    failing = ppi < rules.logo_fail_ppi
    limit = rules.logo_fail_ppi if failing else rules.logo_warn_ppi
    ctx.report(
        f"the logo is {int(pixels)} pixels wide and prints {width / MM:.0f} mm wide here: "
        f"{ppi:.0f} ppi, under {limit} ppi, so it "
        + ("would print blurred" if failing else "may look soft"),
        Span(ctx.org_file) if ctx.org_file else None,
        "supply a larger PNG or JPEG, or an SVG",
        "logo",
        Severity.ERROR if failing else Severity.WARNING,
    )
