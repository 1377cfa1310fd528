"""``group``: elements placed relative to the group's top-left corner."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from packgen.layout.context import Frame, LayoutContext
from packgen.layout.placed import Placed, Rect
from packgen.model.common import ElementBase

if TYPE_CHECKING:
    from packgen.elements import Element


class GroupElement(ElementBase):
    type: Literal["group"]
    elements: list[Element]


def layout(element: GroupElement, frame: Frame, ctx: LayoutContext) -> list[Placed]:
    from packgen.elements import layout_element

    rect = ctx.place(element.box, frame, element.field_span("box"))
    inner = Frame(Rect(rect.x, rect.y, rect.w, rect.h), Rect(rect.x, rect.y, rect.w, rect.h), None)
    placed: list[Placed] = []
    for child in element.elements:
        placed.extend(layout_element(child, inner, ctx))
    return placed
