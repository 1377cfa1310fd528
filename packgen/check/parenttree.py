"""The ParentTree against the structure tree: does each MCID and annotation lead back?

A screen reader starts from what is on the page and asks the ParentTree which
structure element it belongs to (ISO 32000-1 14.7.4.4). So every page with
marked content needs its entry (the page's ``/StructParents``), entry *n* of
that array must be the element that holds MCID *n*, every tagged annotation's
``/StructParent`` must lead to the element holding its object reference, an
MCID is shown once and belongs to one element, and ``/ParentTreeNextKey``
(when present) lies above every key.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pikepdf
from pikepdf import Array, Dictionary

ObjGen = tuple[int, int]


@dataclass
class Holders:
    """Who holds what, as the structure tree says (filled by the tree's walk)."""

    mcids: dict[tuple[ObjGen, int], list[ObjGen]] = field(default_factory=dict)
    annotations: dict[ObjGen, list[ObjGen]] = field(default_factory=dict)


def number_tree(
    node: pikepdf.Object | None, found: dict[int, pikepdf.Object] | None = None
) -> dict[int, pikepdf.Object]:
    """A number tree's keys and values (``/Nums``, and ``/Kids`` below it)."""
    found = {} if found is None else found
    if not isinstance(node, Dictionary):
        return found
    nums = node.get("/Nums")
    if isinstance(nums, Array):
        for index in range(0, len(nums) - 1, 2):
            found[int(nums[index])] = nums[index + 1]
    kids = node.get("/Kids")
    if isinstance(kids, Array):
        for kid in kids:
            number_tree(kid, found)
    return found


def _objgen(value: pikepdf.Object | None) -> ObjGen | None:
    return value.objgen if isinstance(value, Dictionary) and value.is_indirect else None


def parent_tree_problems(
    pdf: pikepdf.Pdf, holders: Holders, shown: dict[ObjGen, list[int]]
) -> list[str]:
    """What keeps the ParentTree from leading each MCID and annotation to its element.

    ``shown`` is the MCIDs each page's content uses, in order (a page by its objgen).
    """
    tree = pdf.Root.StructTreeRoot
    entries = number_tree(tree.get("/ParentTree"))
    found: list[str] = []
    if not entries and (any(shown.values()) or holders.annotations):
        return ["the structure tree has no ParentTree"]
    for number, page in enumerate(pdf.pages, start=1):
        mcids = shown.get(page.obj.objgen, [])
        twice = sorted({m for m in mcids if mcids.count(m) > 1})
        if twice:
            found.append(f"page {number}: MCID {twice[0]} is used more than once")
        key = page.obj.get("/StructParents")
        array = entries.get(int(key)) if key is not None else None
        if mcids and not isinstance(array, Array):
            found.append(f"page {number}: the ParentTree has no entry for the page")
        wrong = []
        for mcid in sorted(set(mcids)):
            held = holders.mcids.get((page.obj.objgen, mcid), [])
            if len(held) > 1:
                found.append(f"page {number}: MCID {mcid} belongs to {len(held)} elements")
            if not isinstance(array, Array):
                continue
            entry = _objgen(array[mcid]) if mcid < len(array) else None
            if held and entry not in held:
                wrong.append(mcid)
        if wrong:
            found.append(
                f"page {number}: the ParentTree does not lead MCID {wrong[0]} to its element"
                + (f" ({len(wrong)} MCIDs)" if len(wrong) > 1 else "")
            )
        for annot in page.obj.get("/Annots", Array()):
            held = holders.annotations.get(annot.objgen, [])
            if not held:
                continue  # untagged annotations are the page check's
            kind = str(annot.get("/Subtype", "")).lstrip("/")
            parent = annot.get("/StructParent")
            if parent is None:
                found.append(f"page {number}: a tagged {kind} annotation has no /StructParent")
            elif _objgen(entries.get(int(parent))) not in held:
                found.append(
                    f"page {number}: the ParentTree does not lead a {kind} annotation"
                    " to its element"
                )
    next_key = tree.get("/ParentTreeNextKey")
    if next_key is not None and entries and int(next_key) <= max(entries):
        found.append("/ParentTreeNextKey is not above every ParentTree key")
    return found
