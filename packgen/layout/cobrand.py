"""An organisation profile against every layout's co-brand slots, before anything is built.

The elements that print a profile's value (its name, the support service's
name, the support URL under a QR code) are laid out alone, in every size,
with the profile's values. A value that does not fit is an error at the
profile's field, with how many characters the tightest slot fits and at
what size (found by laying the slot out with shorter forms of the value);
a layout with no co-brand element at all is a warning, since it will not
carry the organisation.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace

from packgen.errors import Diagnostic, Severity, Span
from packgen.layout.fixed import layout_document
from packgen.layout.partial import LayoutError
from packgen.layout.placed import PlacedDocument, PlacedText
from packgen.model.campaign import Link
from packgen.model.common import ElementBase, Shown, field_of
from packgen.model.pack import PanelItem
from packgen.model.profiles import OFFICE, Profile
from packgen.resolve.content import Content
from packgen.resolve.design import Design, Resolved, load_design, resolve
from packgen.resolve.org import Organisation
from packgen.resolve.pack import ResolvedPack
from packgen.resolve.project import Project

# A pack is checked by laying it out whole, in the office profile, with the profile's
# values: the very layout the build's office file needs. Such layouts are kept here,
# by (product, size), with the project, design and organisation they were made from,
# so the build can take one instead of laying it out again (see ``take_laid``).
Laid = dict[tuple[str, str], tuple[Project, Design, Organisation, PlacedDocument]]

PLACEHOLDERS = {"org.name": "name", "support.name": "support.name"}
LINK_FIELDS = {"support": "support.url", "org": "website"}
GROUNDS = ("shape", "image")  # laid out with the slots: what their text is printed on


@dataclass(frozen=True)
class Slot:
    """An element that prints profile values, and which fields (dotted profile names)."""

    element: ElementBase  # the page's element (a group, when the slot is inside one)
    slot_id: str
    fields: tuple[str, ...]


@dataclass(frozen=True)
class TooLong(Diagnostic):
    """A profile value too long for a co-brand slot: the diagnostic, with its facts
    (so the portal can say it in the visitor's words)."""

    fits: int = 0
    length: int = 0
    product: str = ""
    kind: str = ""  # the layout's kind: poster, leaflet, pack, banner ...
    slot_id: str = ""


@dataclass(frozen=True)
class Capacity:
    """How long a field's value may be in one slot, and the text size there."""

    field: str
    length: int  # characters of the profile's value (or its printed form)
    fits: int
    product: str
    size: str
    slot_id: str
    points: float
    kind: str = ""


def _copy_fields(key: str | None, content: Content) -> list[str]:
    text = content.copy.get(key or "", "")
    return [field for name, field in PLACEHOLDERS.items() if "{" + name + "}" in text]


def _fields(element: ElementBase, content: Content) -> list[str]:
    found = _copy_fields(field_of(element, "copy_key"), content)
    found += _copy_fields(field_of(element, "caption"), content)
    link = field_of(element, "link")
    if (
        field_of(element, "type", "") == "qr"
        and field_of(element, "url_style")
        and link in LINK_FIELDS
    ):
        found.append(LINK_FIELDS[link])
    return found


def slots(elements: Sequence[ElementBase], content: Content) -> list[Slot]:
    """The elements (shown with an organisation) that print its values."""
    found: list[Slot] = []

    def walk(element: ElementBase, top: ElementBase) -> None:
        if element.show is Shown.WITHOUT_ORG:
            return
        fields = _fields(element, content)
        if fields:
            found.append(Slot(top, element.id, tuple(dict.fromkeys(fields))))
        for child in field_of(element, "elements", []):
            walk(child, top)

    for element in elements:
        walk(element, element)
    return found


def has_cobrand(design: Design) -> bool:
    """Whether a layout has any element for an organisation (``show: with_org``, a logo)."""

    def walk(node: object) -> bool:
        if isinstance(node, dict):
            if node.get("show") == "with_org" or node.get("type") == "logo":
                return True
            return any(walk(value) for value in node.values())
        if isinstance(node, list):
            return any(walk(item) for item in node)
        return False

    return walk(design.raw)


def _only(resolved: Resolved, keep: Iterable[ElementBase]) -> Resolved:
    """``resolved`` with its pages holding only ``keep`` (by identity)."""
    wanted = {id(element) for element in keep}
    pages = [
        page.model_copy(update={"elements": [e for e in page.elements if id(e) in wanted]})
        for page in resolved.document.pages
    ]
    document = resolved.document.model_copy(update={"pages": pages})
    return replace(resolved, document=document)


def _setter(field: str, value: str) -> Callable[[Content], None]:
    def apply(content: Content) -> None:
        if field in LINK_FIELDS.values():
            key = next(k for k, f in LINK_FIELDS.items() if f == field)
            link = content.links[key]
            content.links[key] = Link(url=link.url, label=value or "-")  # "" means the URL
        else:
            placeholder = next(k for k, f in PLACEHOLDERS.items() if f == field)
            content.data[placeholder] = value

    return apply


def _value(field: str, org: Organisation, content: Content) -> str:
    if field in LINK_FIELDS.values():
        key = next(k for k, f in LINK_FIELDS.items() if f == field)
        return content.links[key].display
    placeholder = next(k for k, f in PLACEHOLDERS.items() if f == field)
    return content.data.get(placeholder, "")


class _Trial:
    """Lays out a few elements of one size with the profile's values (or shorter ones)."""

    def __init__(self, project: Project, resolved: Resolved, org: Organisation) -> None:
        self.project, self.resolved, self.org = project, resolved, org
        # what text is printed on (bands, panels, art), so contrast is judged as printed
        self.grounds = [
            e
            for page in resolved.document.pages
            for e in page.elements
            if field_of(e, "type", "") in GROUNDS
        ]

    def content(self) -> Content:
        return self.project.content(self.org, product=self.resolved.design.name)

    def errors(
        self, keep: Iterable[ElementBase], change: Callable[[Content], None] | None = None
    ) -> LayoutError | None:
        content = self.content()
        if change is not None:
            change(content)
        try:
            layout_document(
                _only(self.resolved, keep),
                OFFICE,
                content,
                self.project.assets_dir,
                org_logo=self.org.logo,
                org_file=self.org.file,
            )
        except LayoutError as exc:
            return exc
        return None

    def capacity(self, slot: Slot, field: str, value: str) -> int | None:
        """The most characters of ``value`` the slot fits; None if even none fit."""

        others = [_setter(other, "") for other in slot.fields if other != field]

        def fits(count: int) -> bool:
            shorter = _setter(field, value[:count].rstrip())

            def change(content: Content) -> None:
                for empty in others:  # each field's own limit, whatever the others say
                    empty(content)
                shorter(content)

            return _fails(self.errors([*self.grounds, slot.element], change), slot) is False

        if fits(len(value)):
            return len(value)  # this field is not what overflows
        if not fits(0):
            return None
        low, high = 0, len(value)  # fits(low) holds, fits(high) does not
        while high - low > 1:
            middle = (low + high) // 2
            if fits(middle):
                low = middle
            else:
                high = middle
        return low


def _fails(error: LayoutError | None, slot: Slot) -> bool:
    """Whether ``error`` holds a mistake of the slot's element (not of a ground)."""
    if error is None:
        return False
    return any(f.element_id.split(".")[0] in (slot.element.id, slot.slot_id) for f in error.failed)


def _points(error: LayoutError, slot_id: str) -> float:
    sizes = [
        size
        for page in error.partial.pages
        for item in page.items
        if isinstance(item, PlacedText) and item.element_id.split(".")[0] == slot_id
        for size in item.font_sizes
    ]
    return min(sizes) if sizes else 0.0


def capacities(project: Project, design: Design, org: Organisation) -> list[Capacity]:
    """Every field that is too long for one of this layout's slots, per size."""
    found: list[Capacity] = []
    for size in design.sizes:
        resolved = resolve(project, design, size)
        trial = _Trial(project, resolved, org)
        content = trial.content()
        page_slots = [s for page in resolved.document.pages for s in slots(page.elements, content)]
        if not page_slots:
            return found
        failed = trial.errors([*trial.grounds, *(s.element for s in page_slots)])
        if failed is None:
            continue
        for slot in page_slots:
            if not _fails(failed, slot):
                continue
            for field in slot.fields:
                value = _value(field, org, content)
                fits = trial.capacity(slot, field, value)
                if fits is not None and fits < len(value):
                    points = _points(failed, slot.slot_id)
                    found.append(
                        Capacity(
                            field,
                            len(value),
                            fits,
                            design.name,
                            size,
                            slot.slot_id,
                            points,
                            design.kind,
                        )
                    )
    return found


def _pack_slots(resolved: ResolvedPack, content: Content) -> list[Slot]:
    """The co-brand slots of a pack: its templates' elements and its story's panels."""
    document = resolved.document
    found: list[Slot] = []
    for template in document.templates.values():
        found += slots(template.elements, content)
    for item in document.story:
        if isinstance(item, PanelItem):  # element ids repeat from panel to panel
            found += [
                replace(slot, slot_id=f"{item.id}/{slot.slot_id}")
                for slot in slots(item.elements, content)
            ]
    return found


def _line(slot: Slot) -> int:
    span = getattr(slot.element, "span", None)
    return span.line if span is not None else -1


def _with_value(org: Organisation, field: str, value: str) -> Organisation:
    """``org`` with one printed field (``name``, ``support.name``) set to ``value``."""
    profile = org.profile
    if field == "name":
        return replace(org, profile=profile.model_copy(update={"name": value}))
    support = profile.support.model_copy(update={"name": value})
    return replace(org, profile=profile.model_copy(update={"support": support}))


def _pack_fails(
    project: Project,
    design: Design,
    size: str,
    org: Organisation,
    wanted: Sequence[Slot],
    laid: Laid | None = None,
) -> set[str]:
    """Which of the ``wanted`` slots a layout of the pack with ``org`` reports a mistake of
    (a diagnostic at the slot's line that quotes its element id).

    A layout that succeeds is kept in ``laid``, when given (see :data:`Laid`)."""
    from packgen.errors import PackgenError
    from packgen.layout.flow import lay_out_pack

    try:
        placed = lay_out_pack(project, design, size, OFFICE, org)
    except PackgenError as exc:
        return {
            slot.slot_id
            for slot in wanted
            for d in exc.diagnostics
            if d.span is not None
            and d.span.line == _line(slot)
            and f"'{slot.slot_id.rpartition('/')[2]}'" in d.message
        }
    if laid is not None:
        laid[(design.name, size)] = (project, design, org, placed)
    return set()


def _pack_fit(
    project: Project,
    design: Design,
    size: str,
    org: Organisation,
    slot: Slot,
    field: str,
    value: str,
) -> int | None:
    """The most characters of ``value`` the pack's slot fits; None if all or none fit."""

    def fits(count: int, alone: bool = True) -> bool:
        trial = _with_value(org, field, value[:count].rstrip())
        for other in slot.fields:  # each field's own limit, whatever the others say
            if alone and other != field and other not in LINK_FIELDS.values():
                trial = _with_value(trial, other, "")
        return slot.slot_id not in _pack_fails(project, design, size, trial, [slot])

    if fits(len(value)):
        # fits alone, but not with the other values: the limit beside them
        fits = functools.partial(fits, alone=False)
    if fits(len(value)) or not fits(0):
        return None
    low, high = 0, len(value)
    while high - low > 1:
        middle = (low + high) // 2
        if fits(middle):
            low = middle
        else:
            high = middle
    return low


def pack_capacities(
    project: Project, design: Design, org: Organisation, laid: Laid | None = None
) -> list[Capacity]:
    """As :func:`capacities`, for a flowing pack: the story flows on, but its fixed parts
    (cover and back lines, panels) hold the profile's values in fixed frames.

    The whole pack is laid out (the frames' places depend on the flow); a value
    that makes a slot fail is shortened until it fits. Web addresses are not
    shortened here (their QR codes would change): the fixed layouts' check covers
    the same captions.
    """
    from packgen.resolve.pack import resolve_pack

    found: list[Capacity] = []
    content = project.content(org, product=design.name)
    for size in design.sizes:
        pack_slots = _pack_slots(resolve_pack(project, design, size), content)
        failing = _pack_fails(project, design, size, org, pack_slots, laid)
        for slot in (s for s in pack_slots if s.slot_id in failing):
            for field in slot.fields:
                if field in LINK_FIELDS.values():
                    continue
                value = org.profile.name if field == "name" else org.profile.support.name
                fits = _pack_fit(project, design, size, org, slot, field, value)
                if fits is not None:
                    found.append(
                        Capacity(
                            field,
                            len(value),
                            fits,
                            design.name,
                            size,
                            slot.slot_id,
                            0.0,
                            design.kind,
                        )
                    )
    return found


def check_profile(
    project: Project,
    org: Organisation,
    names: Iterable[str] = (),
    made: Callable[[str], bool] | None = None,
    laid: Laid | None = None,
) -> tuple[list[Diagnostic], list[Diagnostic]]:
    """Errors (at the profile's fields) and warnings (layouts without co-branding).

    ``made(kind)``, when given, says which kinds of layout are made (a build of the
    print profiles makes no banner): the others are not checked. ``laid``, when
    given, receives the office layouts of whole packs made on the way (see :data:`Laid`)."""
    project.register_fonts()
    tight: dict[str, list[Capacity]] = {}
    warnings: list[Diagnostic] = []
    for name in list(names) or project.products():
        try:
            design = load_design(project, name)
            if made is not None and not made(design.kind):
                continue
            if not has_cobrand(design):
                warnings.append(
                    Diagnostic(
                        f"layout '{name}' has no co-brand elements (show: with_org, or a logo "
                        "slot), so it will not carry the organisation's name or logo",
                        Span(design.file),
                        "add the co-brand elements of the other layouts (see layouts/_base.yaml "
                        "and docs/layouts.md)",
                        Severity.WARNING,
                    )
                )
            found = (
                pack_capacities(project, design, org, laid)
                if design.kind == "pack"
                else capacities(project, design, org)
            )
            for capacity in found:
                tight.setdefault(capacity.field, []).append(capacity)
        except Exception:  # the layout's own mistakes (or a bug) are the build's to report
            continue
    errors: list[Diagnostic] = []
    for field, found in tight.items():
        found.sort(key=lambda c: (c.fits, c.product, c.size))
        worst = found[0]
        link = field in LINK_FIELDS.values()
        others = sorted({f"'{c.slot_id}' of {c.product}" for c in found[1:]} - {_where(worst)})
        hint = (
            f"use an address that prints in {worst.fits} characters or fewer (a shorter page, "
            "or a short redirect to it)"
            if link
            else f"shorten it to {worst.fits} characters or fewer"
        )
        if others:
            hint += f"; also too long for {', '.join(others)}"
        errors.append(
            TooLong(
                ("printed without https://, it is " if link else "")
                + f"{worst.length} characters; {_where(worst)} ({worst.size}) fits {worst.fits}"
                + (f" at {worst.points:g} pt" if worst.points else ""),
                org.span(field),
                hint,
                field=field,
                fits=worst.fits,
                length=worst.length,
                product=worst.product,
                kind=worst.kind,
                slot_id=worst.slot_id,
            )
        )
    return errors, warnings


def take_laid(
    laid: Laid,
    project: Project,
    design: Design,
    size: str,
    profile: Profile,
    org: Organisation | None,
) -> PlacedDocument | None:
    """The layout the check made of this size, if it is exactly the one asked for: the same
    project, design (as loaded) and organisation, in the office profile. Taken once."""
    found = laid.get((design.name, size))
    if found is None or profile != OFFICE or org is None:
        return None
    if found[0] is not project or found[1] is not design or found[2] is not org:
        return None
    del laid[(design.name, size)]
    return found[3]


def _where(capacity: Capacity) -> str:
    return f"'{capacity.slot_id}' of {capacity.product}"
