"""The element registry: every element type, its model and its layout function.

One module per type. Adding a type means a module with a ``*Element`` model
(whose ``type`` literal is its name) and a ``layout`` function, listed once
in :data:`REGISTRY`; the ``Element`` union the validator picks from is made
from that list.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from functools import reduce
from operator import or_
from typing import TYPE_CHECKING, Annotated, Any, get_args

from pydantic import Field

from packgen.elements import group, image, logo, qr, shape, text
from packgen.errors import Diagnostic, PackgenError, Severity
from packgen.layout.context import Frame, LayoutContext
from packgen.layout.placed import Placed
from packgen.model.common import Direction, ElementBase, Shown

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

# a group holds elements: its forward reference to the union, resolved when the models
# are first built (``defer_build``: on the first validation, not at import)
group.Element = Element  # type: ignore[attr-defined]

_LAYOUT_BY_MODEL = {model: layout for model, layout in REGISTRY.values()}


def layout_element(element: ElementBase, frame: Frame, ctx: LayoutContext) -> list[Placed]:
    """Place one element (of any registered type) in ``frame``."""
    if element.show is Shown.WITH_ORG and not ctx.has_org:
        return []
    if element.show is Shown.WITHOUT_ORG and ctx.has_org:
        return []
    if not element.mirror and frame.direction is not Direction.LTR:
        frame = replace(frame, direction=Direction.LTR)  # placed as written, from the left
    layout = _LAYOUT_BY_MODEL[type(element)]
    before = len(ctx.diagnostics)
    if element.language:  # a bilingual layout: this element's copy is in another language
        try:
            ctx = ctx.in_language(element.language)
        except PackgenError as exc:
            for problem in exc.diagnostics:
                span = element.field_span("language") or element.span
                ctx.report(problem.message, span, problem.hint, "language")
            return []
    placed = layout(element, frame, ctx)
    _name_element(ctx.diagnostics, before, element.id, ctx.org_file)
    return placed


def _name_element(
    diagnostics: list[Diagnostic], start: int, element_id: str, org_file: str | None
) -> None:
    """Lead the field of each new diagnostic with the element's id, unless it names one
    (or it is about a field of the organisation profile, which names its own)."""
    for index in range(start, len(diagnostics)):
        found = diagnostics[index]
        if found.severity is Severity.NOTE:
            continue
        if f"'{element_id}'" in found.message or (found.field or "").startswith("element '"):
            continue
        if org_file is not None and found.span is not None and found.span.file == org_file:
            continue
        named = f"element '{element_id}'" + (f", {found.field}" if found.field else "")
        diagnostics[index] = replace(found, field=named)


def children(element: ElementBase) -> list[ElementBase]:
    return list(getattr(element, "elements", []))
