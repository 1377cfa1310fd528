"""The element registry: every element type, its model and its layout function.

One module per type. Adding a type means a module with a ``*Element`` model
(whose ``type`` literal is its name) and a ``layout`` function, listed once
in :data:`REGISTRY`; the ``Element`` union the validator picks from is made
from that list.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import reduce
from operator import or_
from typing import TYPE_CHECKING, Annotated, Any, get_args

from pydantic import Field

from packgen.elements import group, image, logo, qr, shape, text
from packgen.layout.context import Frame, LayoutContext
from packgen.layout.placed import Placed
from packgen.model.common import ElementBase, Shown

REGISTRY: dict[
    str, tuple[type[ElementBase], Callable[[Any, Frame, LayoutContext], list[Placed]]]
] = {
    "group": (group.GroupElement, group.layout),
    "image": (image.ImageElement, image.layout),
    "logo": (logo.LogoElement, logo.layout),
    "qr": (qr.QrElement, qr.layout),
    "shape": (shape.ShapeElement, shape.layout),
    "text": (text.TextElement, text.layout),
}

for _name, (_model, _) in REGISTRY.items():  # the key is the model's `type:` value
    assert get_args(_model.model_fields["type"].annotation) == (_name,), _name
assert len({model for model, _ in REGISTRY.values()}) == len(REGISTRY), "a model listed twice"

if TYPE_CHECKING:
    Element = ElementBase  # to the type checker, any element is an ElementBase
else:
    Element = Annotated[
        reduce(or_, (model for model, _ in REGISTRY.values())), Field(discriminator="type")
    ]

group.GroupElement.model_rebuild(_types_namespace={"Element": Element})

_LAYOUT_BY_MODEL = {model: layout for model, layout in REGISTRY.values()}


def layout_element(element: ElementBase, frame: Frame, ctx: LayoutContext) -> list[Placed]:
    """Place one element (of any registered type) in ``frame``."""
    if element.show is Shown.WITH_ORG and not ctx.has_org:
        return []
    if element.show is Shown.WITHOUT_ORG and ctx.has_org:
        return []
    layout = _LAYOUT_BY_MODEL[type(element)]
    return layout(element, frame, ctx)


def children(element: ElementBase) -> list[ElementBase]:
    return list(getattr(element, "elements", []))
