"""``group``: elements placed relative to the group's top corner at its start edge."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from packgen.layout.context import Frame, LayoutContext
from packgen.layout.placed import Placed
from packgen.model.common import ElementBase

if TYPE_CHECKING:
    from packgen.elements import Element


class GroupElement(ElementBase):
    type: Literal["group"]
    elements: list[Element]


def layout(element: GroupElement, frame: Frame, ctx: LayoutContext) -> list[Placed]:
    from packgen.elements import layout_element

    rect = ctx.place(element.box, frame, element.field_span("box"))
    inner = Frame(rect, rect, None, frame.direction)  # children run the page's way
    placed: list[Placed] = []
    for child in element.elements:
        placed.extend(layout_element(child, inner, ctx))
    return placed
