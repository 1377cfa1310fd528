"""A build's problem in a visitor's terms: which form field it comes from, in plain words.

The engine's messages name layout elements and copy keys; the portal shows
each problem next to the field the visitor can change (a QR code's problem
belongs to the field its link comes from) and words a co-brand value that is
too long in the portal's own copy.
"""

from __future__ import annotations

import re
from typing import Any

_QR_ELEMENT = re.compile(r"QR code '([^']+)'")
_QUOTED = re.compile(r"'(.*?)'(?=\W|$)")

LINK_FIELDS = {"support": "support_url", "org": "website"}


def attribute(
    message: str, values: dict[str, str], project: Any, product: str
) -> tuple[str | None, str | None]:
    """The form field a build problem most likely comes from, and its kind; or Nones.

    A QR code's problem belongs to the field its link comes from (found in the
    layout); any other belongs to the field whose words the message quotes.
    """
    match = _QR_ELEMENT.search(message)
    if match and product:
        from packgen.resolve.design import load_design

        link = element_link(load_design(project, product).raw, match.group(1))
        name = LINK_FIELDS.get(link or "")
        return name, "qr" if name else None
    quoted = " ".join(_QUOTED.findall(message))
    for name, value in values.items():
        words = [w for w in value.split() if len(w) >= 4] or ([value] if value else [])
        if any(word in quoted for word in words):
            return name, "text"
    return None, None


def cobrand_message(diagnostic: Any, copy: Any) -> str | None:
    """A co-brand value refused as too long (:class:`~packgen.layout.cobrand.TooLong`), in
    the portal's words: which of the visitor's fields, where it prints, and the limit;
    None for any other diagnostic."""
    from packgen.layout.cobrand import TooLong
    from packgen.web.upload import BY_PATH

    if not isinstance(diagnostic, TooLong) or diagnostic.field not in BY_PATH:
        return None
    name = BY_PATH[diagnostic.field]
    what = copy.text(f"cobrand_fields.{name}")
    slot, kind = f"cobrand_slots.{diagnostic.slot_id}", f"cobrand_kinds.{diagnostic.kind}"
    link = name.endswith("url") or name == "website"
    if not copy.has(slot):  # a slot in a panel (``panel/element``): the panel
        slot = f"cobrand_slots.{diagnostic.slot_id.partition('/')[0]}"
    if link or not copy.has(slot):
        slot = kind if copy.has(kind) else "cobrand_kinds.any"
    where = copy.text(slot)
    key = "errors.cobrand_too_long_link" if link else "errors.cobrand_too_long"
    return str(copy.text(key, what=what, where=where, fits=diagnostic.fits))


def element_link(node: Any, element_id: str) -> str | None:
    """The ``link:`` of the element ``element_id`` anywhere in a layout."""
    children: list[Any]
    if isinstance(node, dict):
        if node.get("id") == element_id and "link" in node:
            return str(node["link"])
        children = list(node.values())
    elif isinstance(node, list):
        children = node
    else:
        return None
    for child in children:
        found = element_link(child, element_id)
        if found:
            return found
    return None
