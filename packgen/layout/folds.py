"""Colour and folds: no colour change on or near a fold of a folded sheet.

A fold is never exactly where it was meant to be, so a colour that changes on
the fold line shows a sliver of the wrong colour on one panel. With
``page.fold_colour_clearance`` set:

- a panel's ``background`` stops that far short of a fold beside a panel of
  another colour (:func:`clear_of_folds`), so the change sits inside the
  coloured panel, not on the fold;
- any other filled shape with a side nearer a fold than that is an error at
  the element's line (:func:`check_fold_colour`).
"""

from __future__ import annotations

from collections.abc import Sequence

from packgen.colour import Colour
from packgen.layout.checks import by_id
from packgen.layout.context import LayoutContext
from packgen.layout.placed import PlacedPage, PlacedShape, Rect
from packgen.model.common import ElementBase, PageSpec
from packgen.units import MM


def clear_of_folds(
    area: Rect,
    panel: Rect,
    other_colour: tuple[bool, bool],
    spec: PageSpec,
    scale: float,
) -> Rect:
    """A panel background's area, short of each fold beside a panel of another colour.

    ``other_colour`` says, for the panel's left and right sides, whether that
    side is a fold with a panel of another colour (or none) beyond it.
    """
    if spec.fold_colour_clearance is None:
        return area
    gap = float(spec.fold_colour_clearance) * scale
    left = panel.x + gap if other_colour[0] else area.x
    right = panel.right - gap if other_colour[1] else area.right
    return Rect(left, area.y, right - left, area.h)


def check_fold_colour(
    page: PlacedPage, spec: PageSpec, ctx: LayoutContext, elements: Sequence[ElementBase]
) -> None:
    """Every filled shape's sides at least ``page.fold_colour_clearance`` from the folds."""
    if spec.fold_colour_clearance is None or not page.folds:
        return
    gap = float(spec.fold_colour_clearance) * ctx.scale
    known = by_id(elements)
    ground = page.background
    for item in page.items:
        if not isinstance(item, PlacedShape) or item.fill is None:
            continue
        if ground is not None and _same(item.fill, ground):
            continue  # an edge in the page's own colour changes nothing
        for fold in page.folds:
            for edge in (item.rect.x, item.rect.right):
                distance = abs(edge - fold)
                if distance + 0.01 < gap:
                    element = known.get(item.element_id)
                    ctx.report(
                        f"shape '{item.element_id}' changes colour {distance / MM:.1f} mm from "
                        f"a fold; colour changes must be at least "
                        f"{float(spec.fold_colour_clearance) / MM:g} mm from folds",
                        element.field_span("box") if element else None,
                        "move its side away from the fold, or run the colour across it "
                        "(a panel background stops short of the fold by itself)",
                    )
                    break
            else:
                continue
            break


def _same(a: Colour, b: Colour) -> bool:
    return a.rgb == b.rgb and a.cmyk == b.cmyk
