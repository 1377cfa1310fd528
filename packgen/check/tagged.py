"""A PDF's tagging into findings: is it read correctly by a screen reader (office files)?

Read with pikepdf, independently of how the file was written, against the
machine-checkable structural failure conditions of PDF/UA-1 (the Matterhorn
Protocol): the catalogue (structure tree, ``/MarkInfo`` marked and not
suspect, ``/Lang``, ``/ViewerPreferences /DisplayDocTitle``, XMP with the
PDF/UA identification), the structure tree (every type standard or
role-mapped to one and a sound role map; every ``Figure`` has ``/Alt``; no
heading is empty and levels go down one at a time from ``H1``; every
``Link`` and ``Form`` references its annotation and a ``Link`` holds its
words too; lists, tables of contents and tables built as the standard says,
see :mod:`packgen.check.containment`; each element's ``/P`` is its parent),
each page's content (everything drawn is in marked content or an artifact,
artifacts and tagged content never inside each other, every MCID has a
structure element), the ParentTree (see :mod:`packgen.check.parenttree`),
annotations (each in a ``Link``, ``Form`` or ``Annot`` element as its kind
asks, ``/Contents`` on all but widgets, a description on form fields,
``/Tabs /S`` on their pages) and the form's fonts (the font a field's
``/DA`` names is in the form's resources and embedded).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

import pikepdf
from pikepdf import Array, Dictionary, Name

from packgen.check.containment import (
    KIDS,
    kid_problem,
    parent_problem,
    role_map_problems,
    standard,
)
from packgen.check.content import (
    FOLLOWED,
    INLINE_IMAGE,
    PAINT,
    TEXT,
    Content,
    Instructions,
    marked,
    parse,
)
from packgen.check.finding import Finding, Level, Subject
from packgen.check.parenttree import Holders, parent_tree_problems

TEXT_OPERATORS = frozenset(TEXT)
# everything else that puts marks on the page: paths, shadings, images, XObjects
PAINT_OPERATORS = frozenset([*PAINT, "sh", "Do", INLINE_IMAGE])
HEADINGS = {"H", "H1", "H2", "H3", "H4", "H5", "H6"}
MAX_LISTED = 5  # problems named one by one; the rest are counted
NONE = Instructions([], [])  # a page without content


@dataclass
class Tree:
    """What a walk of the structure tree found."""

    tags: list[str] = field(default_factory=list)  # structure types in reading order
    mcids: set[tuple[tuple[int, int], int]] = field(default_factory=set)  # (page, MCID)
    annotations: set[tuple[int, int]] = field(default_factory=set)  # referenced by OBJR
    problems: list[str] = field(default_factory=list)
    role_map: dict[str, str] = field(default_factory=dict)
    holders: Holders = field(default_factory=Holders)  # who holds each MCID and annotation
    # annotation -> the (standard) type of the element holding it
    annotation_tags: dict[tuple[int, int], str] = field(default_factory=dict)
    alts: dict[tuple[int, int], str] = field(default_factory=dict)  # element -> its /Alt
    shown: dict[tuple[int, int], list[int]] = field(default_factory=dict)  # page -> its MCIDs


def _page_of(node: pikepdf.Object, inherited: tuple[int, int] | None) -> tuple[int, int] | None:
    page = node.get("/Pg") if isinstance(node, Dictionary) else None
    return page.objgen if page is not None else inherited


class _Owner(NamedTuple):
    """The structure element (or root) whose kids are being walked, read once."""

    is_dict: bool
    objgen: tuple[int, int]  # (0, 0) when direct
    indirect: bool
    kind: str  # its standard type ("" for the root), as ``_type`` gives it

    @classmethod
    def of(cls, owner: pikepdf.Object | None, tree: Tree) -> _Owner:
        if not isinstance(owner, Dictionary):
            return _NO_OWNER
        return cls(True, owner.objgen, owner.is_indirect, _type(owner, tree))


_NO_OWNER = _Owner(False, (0, 0), False, "")
_MCR, _OBJR, _ROOT = Name.MCR, Name.OBJR, Name.StructTreeRoot


def _hold(tree: Tree, page: tuple[int, int] | None, mcid: int, owner: _Owner) -> None:
    if page is None:
        return
    tree.mcids.add((page, mcid))
    if owner.indirect:
        tree.holders.mcids.setdefault((page, mcid), []).append(owner.objgen)


def walk(
    node: pikepdf.Object,
    tree: Tree,
    page: tuple[int, int] | None = None,
    owner: pikepdf.Object | None = None,
) -> None:
    """Collect ``node``'s structure types, marked-content references and object references.

    ``owner`` is the structure element whose kids ``node`` is (None at the root).
    """
    _walk(node, tree, page, _Owner.of(owner, tree))


def _walk(node: pikepdf.Object, tree: Tree, page: tuple[int, int] | None, owner: _Owner) -> None:
    if isinstance(node, int):
        _hold(tree, page, int(node), owner)
        return
    if isinstance(node, Array):
        for kid in node:
            _walk(kid, tree, page, owner)
        return
    if not isinstance(node, Dictionary):
        return
    kind = node.get("/Type")
    page = _page_of(node, page)
    if kind == _MCR:
        _hold(tree, page, int(node.MCID), owner)
        return
    if kind == _OBJR:
        annotation = node.Obj.objgen
        tree.annotations.add(annotation)
        if owner.is_dict:
            tree.holders.annotations.setdefault(annotation, []).append(owner.objgen)
            tree.annotation_tags[annotation] = owner.kind
        return
    raw = str(node.get("/S", "")).lstrip("/")
    tag = standard(raw, tree.role_map)
    if tag is None:
        tree.problems.append(f"structure type {raw} is neither standard nor role-mapped to one")
        tag = raw
    tree.tags.append(tag)
    indirect = node.is_indirect
    objgen = node.objgen
    if indirect and "/Alt" in node:
        tree.alts[objgen] = str(node.Alt)
    if tag == "Figure" and not str(node.get("/Alt", "")).strip():
        tree.problems.append("a Figure has no /Alt text")
    kids = node.get("/K")
    if tag in ("Link", "Form") and not _has_objr(kids):
        tree.problems.append(f"a {tag} element does not reference its annotation")
    if tag == "Link" and not _has_content(kids):
        tree.problems.append("a Link element holds no words (only its annotation)")
    if tag in HEADINGS and not _has_content(kids):
        tree.problems.append(f"a heading ({tag}) is empty")
    if tag in KIDS:  # only grouping types say what their kids may be (``kid_problem``)
        kinds = [_kind(k, tree) for k in _kids(kids)]
        problem = kid_problem(tag, [k for k in kinds if k != "OBJR"])
        if problem is not None:
            tree.problems.append(problem)
    problem = parent_problem(tag, owner.kind)
    if problem is not None:
        tree.problems.append(problem)
    if owner.indirect:
        up = node.get("/P")
        if not isinstance(up, Dictionary) or up.objgen != owner.objgen:
            tree.problems.append("a structure element's /P is not the element holding it")
    if kids is not None:
        _walk(kids, tree, page, _Owner(True, objgen, indirect, "" if kind == _ROOT else tag))


def _type(element: pikepdf.Object, tree: Tree) -> str:
    """An element's standard type (its own name when there is none); "" for the root."""
    if element.get("/Type") == _ROOT:
        return ""
    raw = str(element.get("/S", "")).lstrip("/")
    return standard(raw, tree.role_map) or raw


def _kids(kids: pikepdf.Object | None) -> list[pikepdf.Object]:
    if kids is None:
        return []
    return list(kids) if isinstance(kids, Array) else [kids]


def _kind(kid: pikepdf.Object, tree: Tree | None = None) -> str:
    """A kid's structure type; MCR, OBJR or MCID for content and object references."""
    if isinstance(kid, int):
        return "MCID"
    if not isinstance(kid, Dictionary):
        return ""
    kind = kid.get("/Type")
    if kind in (_MCR, _OBJR):
        return str(kind).lstrip("/")
    return _type(kid, tree) if tree is not None else str(kid.get("/S", "")).lstrip("/")


def _has_objr(kids: pikepdf.Object | None) -> bool:
    return any(_kind(k) == "OBJR" for k in _kids(kids))


def _has_content(kids: pikepdf.Object | None) -> bool:
    """Whether an element holds content besides an annotation: marked content or an element."""
    return any(_kind(k) not in ("OBJR", "") for k in _kids(kids))


def heading_problems(tags: list[str]) -> list[str]:
    """Heading levels that skip one going down (H1 then H3), or a first heading below H1;
    unnumbered ``H`` and numbered headings in one document (Matterhorn 14-006, 14-007)."""
    found, previous = [], 0
    for tag in tags:
        if len(tag) == 2 and tag[0] == "H" and tag[1].isdigit():
            level = int(tag[1])
            if level > previous + 1:
                before = f"H{previous}" if previous else "no heading"
                found.append(f"heading H{level} follows {before}")
            previous = level
    if previous and "H" in tags:
        found.append("the document mixes H and numbered headings (H1–H6)")
    return found


def page_problems(
    page: pikepdf.Page, number: int, tree: Tree, instructions: Instructions | None = None
) -> list[str]:
    """Content outside marked content, artifacts and tagged content inside each other,
    MCIDs no structure element claims, and the page's annotations, on one page.

    ``instructions`` are the page's content parsed once for every rule (``check.content``);
    without them the page is parsed here.
    """
    found: list[str] = []
    stack: list[str] = []  # per open sequence: "tagged" (MCID), "artifact" or "other"
    loose = drawn = nested = 0
    orphans: list[int] = []
    shown = tree.shown.setdefault(page.obj.objgen, [])
    if instructions is None:
        instructions = parse(page, FOLLOWED["tagging"]) if "/Contents" in page.obj else NONE
    for op, operands in instructions:
        if op in ("BDC", "BMC"):
            tag, mcid = marked(op, operands)
            kind = "artifact" if tag == "Artifact" else "other" if mcid is None else "tagged"
            if mcid is not None:
                shown.append(mcid)
                if (page.obj.objgen, mcid) not in tree.mcids:
                    orphans.append(mcid)
            if kind != "other" and {"artifact", "tagged"} - {kind} <= set(stack):
                nested += 1
            stack.append(kind)
        elif op == "EMC":
            if stack:
                stack.pop()
        elif "tagged" in stack or "artifact" in stack:
            continue
        elif op in TEXT_OPERATORS:
            loose += 1
        elif op in PAINT_OPERATORS:
            drawn += 1
    if loose:
        found.append(
            f"page {number}: {loose} text operator(s) outside marked content and artifacts"
        )
    if drawn:
        found.append(
            f"page {number}: {drawn} drawing operator(s) (paths, images) outside marked"
            " content and artifacts"
        )
    if nested:
        found.append(
            f"page {number}: {nested} artifact(s) and tagged content nested inside each other"
        )
    if orphans:
        found.append(f"page {number}: MCID {orphans[0]} has no structure element")
    annots = page.obj.get("/Annots")
    if annots is not None and len(annots):
        if page.obj.get("/Tabs") != Name.S:
            found.append(f"page {number}: has annotations but no /Tabs /S")
        for annot in annots:
            found.extend(_annotation_problems(annot, number, tree))
    return found


# the structure type each kind of annotation belongs in (any other: Annot)
ANNOTATION_TAGS = {"Link": "Link", "Widget": "Form"}
UNTAGGED_ANNOTATIONS = {"Popup", "PrinterMark"}  # a popup goes with its parent; marks are artifacts


def _annotation_problems(annot: pikepdf.Object, number: int, tree: Tree) -> list[str]:
    kind = str(annot.get("/Subtype", "")).lstrip("/")
    hidden = int(annot.get("/F", 0)) & 2
    if kind in UNTAGGED_ANNOTATIONS or hidden:
        return []
    found: list[str] = []
    holder = tree.annotation_tags.get(annot.objgen)
    expected = ANNOTATION_TAGS.get(kind, "Annot")
    if holder is None:
        found.append(f"page {number}: a {kind} annotation has no structure element")
    elif holder != expected:
        found.append(f"page {number}: a {kind} annotation is in a {holder} element, not {expected}")
    if kind != "Widget" and not str(annot.get("/Contents", "")):
        what = "link" if kind == "Link" else f"{kind} annotation"
        found.append(f"page {number}: a {what} has no /Contents")
    if kind == "Widget" and not _described(annot, tree):
        found.append(f"page {number}: a form field has no description (/TU)")
    return found


def _described(widget: pikepdf.Object, tree: Tree) -> bool:
    """A widget's field has a tooltip (``/TU``, on it or a parent field), or its Form an /Alt."""
    field_: pikepdf.Object | None = widget
    for _ in range(32):  # fields nest; a loop in /Parent ends here
        if not isinstance(field_, Dictionary):
            break
        if str(field_.get("/TU", "")).strip():
            return True
        field_ = field_.get("/Parent")
    held = tree.holders.annotations.get(widget.objgen, [])
    return any(tree.alts.get(objgen, "").strip() for objgen in held)


def form_font_problems(pdf: pikepdf.Pdf) -> list[str]:
    """Fonts a form's fields are set in (``/DA``) missing from its ``/DR``, or not embedded."""
    form = pdf.Root.get("/AcroForm")
    if not isinstance(form, Dictionary):
        return []
    fonts = form.get("/DR", Dictionary()).get("/Font", Dictionary())
    found: set[str] = set()
    appearances = [form.get("/DA")]
    pending = list(form.get("/Fields", Array()))
    for _ in range(10000):
        if not pending:
            break
        item = pending.pop()
        if isinstance(item, Dictionary):
            appearances.append(item.get("/DA"))
            pending.extend(item.get("/Kids", Array()))
    for appearance in appearances:
        name = _da_font(appearance)
        if name is None:
            continue
        font = fonts.get(name)
        if not isinstance(font, Dictionary):
            found.add(f"a form field's font {name} is not in the form's resources (/DR)")
        elif not _embedded(font):
            found.add(f"a form field's font {font.get('/BaseFont', name)} is not embedded")
    return sorted(found)


def _da_font(appearance: pikepdf.Object | None) -> str | None:
    """The font resource a ``/DA`` string names ("/Helv 0 Tf 0 g": /Helv)."""
    words = str(appearance or "").split()
    for index, word in enumerate(words):
        if word == "Tf" and index >= 2 and words[index - 2].startswith("/"):
            return words[index - 2]
    return None


def _embedded(font: pikepdf.Object) -> bool:
    if font.get("/Subtype") == Name.Type3:
        return True
    if font.get("/Subtype") == Name.Type0:
        descendants = font.get("/DescendantFonts", Array())
        font = descendants[0] if len(descendants) else Dictionary()
    descriptor = font.get("/FontDescriptor", Dictionary())
    return any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))


def audit(source: Path | Content) -> list[str]:
    """Everything that keeps a PDF from reading correctly aloud; empty when soundly tagged.

    ``source`` is a path, or a file already open with its content parsed (a preflight's).
    """
    if isinstance(source, Content):
        return _audit(source)
    content = Content.open(source)
    try:
        return _audit(content)
    finally:
        content.close()


def _audit(content: Content) -> list[str]:
    pdf = content.pdf
    root = pdf.Root
    if "/StructTreeRoot" not in root:
        return ["not tagged: the PDF has no structure tree"]
    found: list[str] = []
    mark_info = root.get("/MarkInfo")
    if mark_info is None or not bool(mark_info.get("/Marked", False)):
        found.append("/MarkInfo /Marked is not true")
    if mark_info is not None and bool(mark_info.get("/Suspects", False)):
        found.append("/MarkInfo /Suspects is true: the tagging is not to be trusted")
    if not str(root.get("/Lang", "")):
        found.append("the document has no /Lang")
    prefs = root.get("/ViewerPreferences")
    if prefs is None or not bool(prefs.get("/DisplayDocTitle", False)):
        found.append("/ViewerPreferences /DisplayDocTitle is not true")
    metadata = root.get("/Metadata")
    xmp = metadata.read_bytes() if metadata is not None else b""
    if b"pdfuaid:part" not in xmp or b"dc:title" not in xmp:
        found.append("the XMP metadata lacks dc:title or the PDF/UA identification")
    tree = Tree()
    role_map = root.StructTreeRoot.get("/RoleMap", Dictionary())
    tree.role_map = {
        str(k).lstrip("/"): str(v).lstrip("/")
        for k, v in (role_map.items() if isinstance(role_map, Dictionary) else [])
    }
    found.extend(role_map_problems(tree.role_map))
    walk(root.StructTreeRoot.get("/K", Array()), tree, owner=root.StructTreeRoot)
    found.extend(_counted(tree.problems))
    found.extend(heading_problems(tree.tags))
    for number, page in enumerate(content.pages, start=1):
        if "/StructParents" not in page.obj:
            found.append(f"page {number}: no /StructParents")
        instructions = content.page(number - 1, FOLLOWED["tagging"]) or NONE
        found.extend(page_problems(page, number, tree, instructions))
    found.extend(parent_tree_problems(pdf, tree.holders, tree.shown))
    found.extend(form_font_problems(pdf))
    return found


def _counted(problems: list[str]) -> list[str]:
    """Each problem once, with how often it occurs when more than once."""
    counts: dict[str, int] = {}
    for problem in problems:
        counts[problem] = counts.get(problem, 0) + 1
    return [p if n == 1 else f"{p} ({n} times)" for p, n in counts.items()]


def tagged(subject: Subject) -> list[Finding]:
    """Office files only: the tagging audit as one finding (press files need no tags)."""
    if subject.press:
        return []
    problems = audit(subject.facts.content or subject.facts.path)
    if not problems:
        return [
            Finding(
                "tagged",
                Level.PASS,
                "tagged: structure tree, marked content, alt text, headings, links",
            )
        ]
    listed = "; ".join(problems[:MAX_LISTED])
    more = f" (and {len(problems) - MAX_LISTED} more)" if len(problems) > MAX_LISTED else ""
    # packgen's own office files must be tagged; a PDF from elsewhere gets a warning
    level = Level.FAIL if subject.expect is not None else Level.WARN
    return [
        Finding(
            "tagged",
            level,
            f"not read correctly by a screen reader: {listed}{more}",
            advice="Ask for a tagged PDF (PDF/UA) export from the design software.",
        )
    ]
