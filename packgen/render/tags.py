"""Placed items' roles into a tagged PDF: marked content while drawing, a structure tree after.

While the painter draws an office document, :class:`Tagger` wraps each item
in marked content: a tagged sequence with an MCID (headings, paragraphs, list
items, figures and QR codes) or an ``/Artifact`` (backgrounds, decoration,
running heads and footers, crop marks). ReportLab has no structure-tree API,
so :func:`tag` then adds the tree with pikepdf: ``Document`` holding ``H1``–``H6``,
``P``, ``L``/``LI``/``LBody``, ``Figure`` (with ``/Alt``), ``Link`` and ``Form``
(each with an object reference to its annotation), in reading order (fold
panels in the layout's ``reading_order``); the ParentTree, ``/StructParents``,
``/MarkInfo``, ``/Tabs /S``, ``/Contents`` on links, ``/Lang`` where a block's
language differs from the document's, and XMP metadata with the title and
the PDF/UA identification. Saved with a content-derived ID, so the same
inputs still give the same bytes.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

import pikepdf
from pikepdf import Array, Dictionary, Name, String

from packgen.layout.placed import (
    Placed,
    PlacedDocument,
    PlacedDrawing,
    PlacedField,
    PlacedQr,
    PlacedShape,
    PlacedText,
    Rect,
    Role,
    RoleKind,
    TextLine,
)


@dataclass
class Mark:
    """One tagged marked-content sequence: its tag, MCID and where it is."""

    tag: str  # H1…H6, P, LI, Figure
    page: int
    mcid: int
    rect: Rect
    block: int  # the placed item it belongs to (list items of one block form one list)
    alt: str = ""
    lang: str = ""


@dataclass
class Tagger:
    """Collects marks while a canvas is drawn; writes the BDC/BMC … EMC operators."""

    canvas: object
    language: str
    marks: list[Mark] = field(default_factory=list)
    page: int = 0
    mcid: int = 0
    block: int = 0

    def _code(self, text: str) -> None:
        self.canvas._code.append(text)  # type: ignore[attr-defined]

    def next_page(self) -> None:
        self.page += 1
        self.mcid = 0

    def open(self, tag: str, rect: Rect, alt: str = "", lang: str = "") -> None:
        self._code(f"/{tag} <</MCID {self.mcid}>> BDC")
        self.marks.append(Mark(tag, self.page, self.mcid, rect, self.block, alt, lang))
        self.mcid += 1

    def artifact(self) -> None:
        self._code("/Artifact BMC")

    def close(self) -> None:
        self._code("EMC")

    def line(self, line: TextLine, item: PlacedText) -> None:
        tag = _tag(line.role)
        lang = item.language if item.language and item.language != self.language else ""
        if tag is None:
            self.artifact()
        else:
            self.open(tag, item.rect, lang=lang)
        line.flowable.drawOn(self.canvas, line.x, line.y)
        self.close()

    def item(self, item: Placed, draw: Callable[[], None]) -> None:
        """Draw ``item`` (``draw()``) inside the marked content its role calls for."""
        self.block += 1
        if isinstance(item, PlacedText):
            for line in item.lines:
                self.line(line, item)
            return
        if isinstance(item, PlacedField):  # an annotation only: tagged as Form from its widget
            draw()
            return
        rect = item.tile if isinstance(item, PlacedQr) else item.rect
        tag = _tag(item.role)
        if isinstance(item, (PlacedDrawing, PlacedQr, PlacedShape)) and tag == "Figure":
            self.open("Figure", rect, alt=item.role.alt)
        elif tag is not None and not isinstance(item, PlacedShape):
            self.open(tag, rect)
        else:
            self.artifact()
        draw()
        self.close()


def _tag(role: Role) -> str | None:
    """The structure type for a role; None for an artifact."""
    kind = role.kind
    if kind is RoleKind.ARTIFACT:
        return None
    if kind is RoleKind.HEADING:
        return f"H{min(max(role.level, 1), 6)}"
    if kind is RoleKind.LIST_ITEM:
        return "LI"
    if kind in (RoleKind.FIGURE, RoleKind.QR):
        return "Figure"
    return "P"


def _centre_in(rect: Rect, area: Rect) -> bool:
    cx, cy = rect.x + rect.w / 2, rect.y + rect.h / 2
    return area.x <= cx <= area.right and area.y <= cy <= area.top


def reading_key(mark: Mark, order: list[tuple[int, Rect]]) -> tuple[int, int]:
    """Where a mark comes in reading order: its panel's place, else its page's; then as drawn."""
    for index, (page, area) in enumerate(order):
        if page == mark.page and _centre_in(mark.rect, area):
            return (index, 0)
    return (len(order) + mark.page, 0)


def _figure_under(
    area: Rect, page: int, placed: list[tuple[Mark, pikepdf.Object]]
) -> pikepdf.Object | None:
    """The top-level Figure a link annotation on ``page`` covers, if any."""
    for mark, elem in placed:
        if mark.page == page and mark.tag == "Figure" and _covers(area, mark.rect):
            return elem
    return None


def _covers(area: Rect, rect: Rect) -> bool:
    """Whether ``area`` covers most (half or more) of ``rect``."""
    w = min(area.right, rect.right) - max(area.x, rect.x)
    h = min(area.top, rect.top) - max(area.y, rect.y)
    return w > 0 and h > 0 and w * h >= 0.5 * rect.w * rect.h


def _xmp(document: PlacedDocument) -> bytes:
    title = escape(document.info.title)
    lang = escape(document.info.language or "x-default")
    author = escape(document.info.author)
    return f"""<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about=""
 xmlns:dc="http://purl.org/dc/elements/1.1/"
 xmlns:pdf="http://ns.adobe.com/pdf/1.3/"
 xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/">
<dc:title><rdf:Alt><rdf:li xml:lang="x-default">{title}</rdf:li></rdf:Alt></dc:title>
<dc:creator><rdf:Seq><rdf:li>{author}</rdf:li></rdf:Seq></dc:creator>
<dc:language><rdf:Bag><rdf:li>{lang}</rdf:li></rdf:Bag></dc:language>
<pdf:Producer>packgen</pdf:Producer>
<pdfuaid:part>1</pdfuaid:part>
</rdf:Description>
</rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>""".encode()


def tag(pdf: bytes, tagger: Tagger, document: PlacedDocument) -> bytes:
    """``pdf`` with its structure tree, ParentTree and accessibility metadata added."""
    with pikepdf.open(io.BytesIO(pdf)) as out:
        root = out.Root
        tree = out.make_indirect(Dictionary(Type=Name.StructTreeRoot))
        top = out.make_indirect(
            Dictionary(Type=Name.StructElem, S=Name.Document, P=tree, K=Array())
        )
        if document.info.language:
            top.Lang = String(document.info.language)
        tree.K = top
        pages = [page.obj for page in out.pages]
        by_page: dict[int, dict[int, pikepdf.Object]] = {i: {} for i in range(len(pages))}
        ordered = sorted(tagger.marks, key=lambda m: reading_key(m, document.reading_order))
        current_list: pikepdf.Object | None = None
        list_block = -1
        placed: list[tuple[Mark, pikepdf.Object]] = []
        for mark in ordered:
            parent: pikepdf.Object = top
            if mark.tag == "LI":
                if current_list is None or list_block != mark.block:
                    current_list = out.make_indirect(
                        Dictionary(Type=Name.StructElem, S=Name.L, P=top, K=Array())
                    )
                    top.K.append(current_list)
                    list_block = mark.block
                parent = current_list
            else:
                current_list = None
            elem = out.make_indirect(
                Dictionary(
                    Type=Name.StructElem, S=Name("/" + mark.tag), P=parent, Pg=pages[mark.page]
                )
            )
            content = Dictionary(Type=Name.MCR, Pg=pages[mark.page], MCID=mark.mcid)
            if mark.tag == "LI":
                body = out.make_indirect(
                    Dictionary(Type=Name.StructElem, S=Name.LBody, P=elem, K=Array([content]))
                )
                elem.K = Array([body])
                by_page[mark.page][mark.mcid] = body
            else:
                elem.K = Array([content])
                by_page[mark.page][mark.mcid] = elem
            if mark.alt:
                elem.Alt = String(mark.alt)
            if mark.lang:
                elem.Lang = String(mark.lang)
            parent.K.append(elem)
            placed.append((mark, elem))
        key = len(pages)
        titles = {
            (pages[i].objgen, round(a.y, 1)): a.title
            for i, p in enumerate(document.pages)
            for a in p.anchors
        }
        annotation_nums: list[object] = []
        for index, page in enumerate(pages):
            annots = page.get("/Annots")
            if annots is None:
                continue
            page.Tabs = Name.S
            for annot in annots:
                subtype = annot.get("/Subtype")
                if subtype == Name.Link:
                    kind = Name.Link
                    if not str(annot.get("/Contents", "")):
                        annot.Contents = String(_link_words(annot, titles))
                elif subtype == Name.Widget:
                    kind = Name.Form
                else:
                    continue
                rect = [float(v) for v in annot.Rect]
                area = Rect(rect[0], rect[1], rect[2] - rect[0], rect[3] - rect[1])
                parent = top
                owner: Mark | None = None
                for mark, candidate in placed:
                    if mark.page == index and mark.tag != "Figure" and _centre_in(area, mark.rect):
                        parent, owner = candidate, mark
                        break
                objr = Dictionary(Type=Name.OBJR, Obj=annot, Pg=page)
                elem = out.make_indirect(
                    Dictionary(Type=Name.StructElem, S=kind, P=parent, Pg=page, K=Array([objr]))
                )
                if kind == Name.Form and "/TU" in annot:
                    elem.Alt = annot.TU
                figure = _figure_under(area, index, placed) if parent is top else None
                if kind == Name.Link and figure is not None:
                    # a QR code that is a link: the Link holds the Figure (and its alt text)
                    kids = list(top.K)
                    kids[[k.objgen for k in kids].index(figure.objgen)] = elem
                    top.K = Array(kids)
                    figure.P = elem
                    elem.K = Array([figure, objr])
                elif (
                    kind == Name.Link
                    and owner is not None
                    and owner.tag != "LI"
                    and _covers(area, owner.rect)
                    and len(parent.K) == 1
                ):
                    # the link is the whole block: its words belong inside the Link element
                    elem.K = Array([parent.K[0], objr])
                    parent.K = Array([elem])
                    by_page[index][owner.mcid] = elem
                else:
                    parent.K.append(elem)
                annot.StructParent = key
                annotation_nums.extend([key, elem])
                key += 1
        nums = Array()
        for index, page in enumerate(pages):
            page.StructParents = index
            found = by_page[index]
            nums.append(index)
            nums.append(out.make_indirect(Array([found[i] for i in sorted(found)])))
        for value in annotation_nums:
            nums.append(value)
        tree.ParentTree = out.make_indirect(Dictionary(Nums=nums))
        tree.ParentTreeNextKey = key
        root.MarkInfo = Dictionary(Marked=True)
        prefs = root.get("/ViewerPreferences")
        if prefs is None:
            root.ViewerPreferences = Dictionary(DisplayDocTitle=True)
        else:
            prefs.DisplayDocTitle = True
        root.StructTreeRoot = tree
        metadata = out.make_stream(_xmp(document))
        metadata.Type = Name.Metadata
        metadata.Subtype = Name.XML
        root.Metadata = metadata
        buffer = io.BytesIO()
        out.save(buffer, deterministic_id=True)
    return buffer.getvalue()


def _link_words(annot: pikepdf.Object, titles: dict[tuple[tuple[int, int], float], str]) -> str:
    """What a link annotation says it does: its web address or the heading it goes to."""
    action = annot.get("/A")
    if action is not None and "/URI" in action:
        return str(action.URI)
    dest = annot.get("/Dest")
    if isinstance(dest, Array) and len(dest) >= 4:  # [page /XYZ left top zoom]
        return titles.get((dest[0].objgen, round(float(dest[3]), 1)), "")
    return ""
