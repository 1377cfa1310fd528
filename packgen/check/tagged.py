"""A PDF's tagging into findings: is it read correctly by a screen reader (office files)?

Read with pikepdf, independently of how the file was written: the catalogue
(structure tree, ``/MarkInfo``, ``/Lang``, ``/ViewerPreferences``, XMP with
the PDF/UA identification), the structure tree (every ``Figure`` has
``/Alt``, heading levels go down one at a time from ``H1``, every ``Link``
and ``Form`` references its annotation and a ``Link`` holds its words too,
a list ``L`` holds list items ``LI`` and each is a label ``Lbl`` and a body
``LBody``), and each page's content (every text-showing
operator is in marked content or an artifact, every MCID has a structure
element; pages with annotations have ``/Tabs /S``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pikepdf
from pikepdf import Array, Dictionary, Name

from packgen.check.content import Content, Instruction, parse
from packgen.check.finding import Finding, Level, Subject

TEXT_OPERATORS = {"Tj", "TJ", "'", '"'}
MAX_LISTED = 5  # problems named one by one; the rest are counted


@dataclass
class Tree:
    """What a walk of the structure tree found."""

    tags: list[str] = field(default_factory=list)  # structure types in reading order
    mcids: set[tuple[tuple[int, int], int]] = field(default_factory=set)  # (page, MCID)
    annotations: set[tuple[int, int]] = field(default_factory=set)  # referenced by OBJR
    problems: list[str] = field(default_factory=list)


def _page_of(node: pikepdf.Object, inherited: tuple[int, int] | None) -> tuple[int, int] | None:
    page = node.get("/Pg") if isinstance(node, Dictionary) else None
    return page.objgen if page is not None else inherited


def walk(node: pikepdf.Object, tree: Tree, page: tuple[int, int] | None = None) -> None:
    """Collect ``node``'s structure types, marked-content references and object references."""
    if isinstance(node, int):
        if page is not None:
            tree.mcids.add((page, int(node)))
        return
    if isinstance(node, Array):
        for kid in node:
            walk(kid, tree, page)
        return
    if not isinstance(node, Dictionary):
        return
    kind = node.get("/Type")
    page = _page_of(node, page)
    if kind == Name.MCR:
        if page is not None:
            tree.mcids.add((page, int(node.MCID)))
        return
    if kind == Name.OBJR:
        tree.annotations.add(node.Obj.objgen)
        return
    tag = str(node.get("/S", "")).lstrip("/")
    tree.tags.append(tag)
    if tag == "Figure" and not str(node.get("/Alt", "")).strip():
        tree.problems.append("a Figure has no /Alt text")
    kids = node.get("/K")
    if tag in ("Link", "Form") and not _has_objr(kids):
        tree.problems.append(f"a {tag} element does not reference its annotation")
    if tag == "Link" and not _has_content(kids):
        tree.problems.append("a Link element holds no words (only its annotation)")
    if tag == "L" and any(_kind(k) not in ("LI", "Caption") for k in _kids(kids)):
        tree.problems.append("a list (L) holds something other than list items (LI)")
    if tag == "LI":
        kinds = [_kind(k) for k in _kids(kids)]
        if "LBody" not in kinds or any(k not in ("Lbl", "LBody") for k in kinds):
            tree.problems.append("a list item (LI) is not a label (Lbl) and a body (LBody)")
    if kids is not None:
        walk(kids, tree, page)


def _kids(kids: pikepdf.Object | None) -> list[pikepdf.Object]:
    if kids is None:
        return []
    return list(kids) if isinstance(kids, Array) else [kids]


def _kind(kid: pikepdf.Object) -> str:
    """A kid's structure type; MCR, OBJR or MCID for content and object references."""
    if isinstance(kid, int):
        return "MCID"
    if not isinstance(kid, Dictionary):
        return ""
    kind = kid.get("/Type")
    if kind in (Name.MCR, Name.OBJR):
        return str(kind).lstrip("/")
    return str(kid.get("/S", "")).lstrip("/")


def _has_objr(kids: pikepdf.Object | None) -> bool:
    return any(_kind(k) == "OBJR" for k in _kids(kids))


def _has_content(kids: pikepdf.Object | None) -> bool:
    """Whether a Link holds content besides its annotation: marked content or an element."""
    return any(_kind(k) not in ("OBJR", "") for k in _kids(kids))


def heading_problems(tags: list[str]) -> list[str]:
    """Heading levels that skip one going down (H1 then H3), or a first heading below H1."""
    found, previous = [], 0
    for tag in tags:
        if len(tag) == 2 and tag[0] == "H" and tag[1].isdigit():
            level = int(tag[1])
            if level > previous + 1:
                before = f"H{previous}" if previous else "no heading"
                found.append(f"heading H{level} follows {before}")
            previous = level
    return found


def page_problems(
    page: pikepdf.Page, number: int, tree: Tree, instructions: list[Instruction] | None = None
) -> list[str]:
    """Text outside marked content, and MCIDs no structure element claims, on one page.

    ``instructions`` are the page's content parsed once for every rule (``check.content``);
    without them the page is parsed here.
    """
    found: list[str] = []
    stack: list[bool] = []  # per open sequence: tagged (MCID) or artifact
    loose = 0
    orphans: list[int] = []
    if instructions is None:
        instructions = parse(page) if "/Contents" in page.obj else []
    for op, operands in instructions:
        if op in ("BDC", "BMC"):
            tag = str(operands[0]).lstrip("/")
            props = operands[1] if op == "BDC" and len(operands) > 1 else None
            mcid = props.get("/MCID") if isinstance(props, Dictionary) else None
            if mcid is not None and (page.obj.objgen, int(mcid)) not in tree.mcids:
                orphans.append(int(mcid))
            stack.append(tag == "Artifact" or mcid is not None)
        elif op == "EMC":
            if stack:
                stack.pop()
        elif op in TEXT_OPERATORS and not any(stack):
            loose += 1
    if loose:
        found.append(
            f"page {number}: {loose} text operator(s) outside marked content and artifacts"
        )
    if orphans:
        found.append(f"page {number}: MCID {orphans[0]} has no structure element")
    annots = page.obj.get("/Annots")
    if annots is not None and len(annots):
        if page.obj.get("/Tabs") != Name.S:
            found.append(f"page {number}: has annotations but no /Tabs /S")
        for annot in annots:
            if annot.get("/Subtype") in (Name.Link, Name.Widget):
                if annot.objgen not in tree.annotations:
                    kind = str(annot.Subtype).lstrip("/")
                    found.append(f"page {number}: a {kind} annotation has no structure element")
                if annot.get("/Subtype") == Name.Link and not str(annot.get("/Contents", "")):
                    found.append(f"page {number}: a link has no /Contents")
    return found


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
    walk(root.StructTreeRoot.get("/K", Array()), tree)
    found.extend(_counted(tree.problems))
    found.extend(heading_problems(tree.tags))
    for number, page in enumerate(content.pages, start=1):
        if "/StructParents" not in page.obj:
            found.append(f"page {number}: no /StructParents")
        found.extend(page_problems(page, number, tree, content.page(number - 1) or []))
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
