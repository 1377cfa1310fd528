"""Placed items' roles into a tagged PDF: marked content while drawing, a structure tree after.

While the painter draws an office document, :class:`Tagger` wraps each item
in marked content: a tagged sequence with an MCID (headings, paragraphs, list
items, figures and QR codes) or an ``/Artifact`` (backgrounds, decoration,
running heads and footers, crop marks). ReportLab has no structure-tree API,
so :func:`tag` then adds the tree with pikepdf: ``Document`` holding ``H1``–``H6``,
``P``, ``L``/``LI``/``LBody``, ``TOC``/``TOCI`` (a contents entry's words and page
number in one ``Reference`` > ``Link``), ``Figure`` (with ``/Alt``), ``Link`` and ``Form``
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
from typing import Any

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
from packgen.layout.shaping import Run, ShapedParagraph
from packgen.render.actualtext import Spans, text_string
from packgen.render.textops import split
from packgen.xmltext import escape


@dataclass
class Mark:
    """One tagged marked-content sequence: its MCID, where it is, and the elements holding it.

    ``path`` is the chain of structure elements from the top-level one down to
    the one the MCID belongs to, as (key, type) pairs: ``((4, "P"),)`` for a
    paragraph, ``((4, "P"), (5, "Link"))`` for a link's words inside it,
    ``((6, "LI"), (7, "Lbl"))`` for a bullet. Marks that share a key share
    that element.
    """

    path: tuple[tuple[int, str], ...]
    page: int
    mcid: int
    rect: Rect  # the placed item's frame (reading order)
    block: int  # the placed item it belongs to (list items of one block form one list)
    alt: str = ""
    lang: str = ""
    used: Rect | None = None  # the area a text block covers (a link over the whole block)
    annotation: tuple[float, ...] = ()  # a Link's words: its annotation's /Rect

    @property
    def tag(self) -> str:
        """The type of the element the MCID belongs to (H1…H6, P, Lbl, LBody, Link, Figure)."""
        return self.path[-1][1]

    @property
    def top(self) -> str:
        """The type of the top-level element (LI for a bullet's parts)."""
        return self.path[0][1]


@dataclass
class Tagger:
    """Collects marks while a canvas is drawn; writes the BDC/BMC … EMC operators."""

    canvas: Any
    language: str
    marks: list[Mark] = field(default_factory=list)
    page: int = 0
    mcid: int = 0
    block: int = 0
    keys: int = 0  # structure elements handed out
    # the contents being drawn: its TOCs (entry level, path to the TOC) from the outermost,
    # the last entry's TOCI and the path to its words (its Link), which its page number joins
    tocs: list[tuple[int, tuple[tuple[int, str], ...]]] = field(default_factory=list)
    toc_item: tuple[tuple[int, str], ...] = ()
    toc_entry: tuple[tuple[int, str], ...] = ()

    def _code(self, text: str) -> None:
        self.canvas._code.append(text)

    def next_page(self) -> None:
        self.page += 1
        self.mcid = 0

    def key(self) -> int:
        self.keys += 1
        return self.keys

    def _mark(
        self,
        path: tuple[tuple[int, str], ...],
        rect: Rect,
        alt: str = "",
        lang: str = "",
        used: Rect | None = None,
    ) -> Mark:
        mark = Mark(path, self.page, self.mcid, rect, self.block, alt, lang, used)
        self.marks.append(mark)
        self.mcid += 1
        return mark

    def _bdc(self, mark: Mark) -> str:
        return f"/{mark.tag} <</MCID {mark.mcid}>> BDC"

    def open(self, tag: str, rect: Rect, alt: str = "", lang: str = "") -> None:
        self._end_toc()
        self._code(self._bdc(self._mark(((self.key(), tag),), rect, alt, lang)))

    def _end_toc(self) -> None:
        """Something else is read after the contents: the next entry starts a new TOC."""
        self.tocs, self.toc_item, self.toc_entry = [], (), ()

    def _toc_path(self, role: Role) -> tuple[tuple[int, str], ...]:
        """TOC > TOCI > Reference > Link for a contents entry's words, nested by its level.

        An entry one level below the one before opens a TOC inside that entry's
        TOCI; its page number (``CONTENTS_PAGE``) goes into the same Link, so a
        reader hears "About the week 3" as one link.
        """
        if role.kind is RoleKind.CONTENTS_PAGE and self.toc_entry:
            return self.toc_entry
        level = max(role.level, 1)
        while len(self.tocs) > 1 and self.tocs[-1][0] > level:
            self.tocs.pop()
        if not self.tocs:
            self.tocs = [(level, ((self.key(), "TOC"),))]
        elif level > self.tocs[-1][0] and self.toc_item:
            self.tocs.append((level, (*self.toc_item, (self.key(), "TOC"))))
        self.toc_item = (*self.tocs[-1][1], (self.key(), "TOCI"))
        self.toc_entry = (*self.toc_item, (self.key(), "Reference"), (self.key(), "Link"))
        return self.toc_entry

    def artifact(self) -> None:
        self._code("/Artifact BMC")

    def close(self) -> None:
        self._code("EMC")

    def line(self, line: TextLine, item: PlacedText) -> None:
        # a block that is an artifact (a running head) is one whatever its lines' markup says
        tag = None if item.role.kind is RoleKind.ARTIFACT else _tag(line.role)
        if tag is None:
            self.artifact()
            line.flowable.drawOn(self.canvas, line.x, line.y)
            self.close()
            return
        lang = item.language if item.language and item.language != self.language else ""
        rect, used = item.rect, item.used
        label: Mark | None = None
        if tag != "TOCI":
            self._end_toc()
        if tag == "TOCI":  # a contents entry, or its page number
            first = body = self._mark(self._toc_path(line.role), rect, lang=lang, used=used)
        elif tag == "LI":  # L > LI > Lbl (the bullet) + LBody (the words)
            li = self.key()
            if _bullet(line.flowable):
                label = self._mark(((li, "LI"), (self.key(), "Lbl")), rect, lang=lang, used=used)
            body = self._mark(((li, "LI"), (self.key(), "LBody")), rect, lang=lang, used=used)
            first = label or body
        else:
            first = body = self._mark(((self.key(), tag),), rect, lang=lang, used=used)
        start = len(self.canvas._code)
        self._code(self._bdc(first))
        lines = _line_count(line.flowable)
        if line.role.kind is RoleKind.CONTENTS_ENTRY and lines:
            lines += 1  # its last line too: its page number follows in the same Link
        spans: TaggedSpans | None = None
        with _LinkWords(self, body, first, start, lines) as words:
            if isinstance(line.flowable, ShapedParagraph):
                # reordered clusters carry their characters as ActualText
                spans = TaggedSpans(self, body)
                line.flowable.drawOn(self.canvas, line.x, line.y, actual=spans)
            else:
                line.flowable.drawOn(self.canvas, line.x, line.y)
        code = self.canvas._code
        closed = spans.finish() if spans is not None else False
        if words.after is not None and not _paints(code[words.after_at + 1 :]):
            # nothing drawn after the text object: no (empty) sequence for it
            self.marks.remove(words.after)
            del code[words.after_at]
            closed = True
        if label is not None:
            shown = next(
                (i for i in range(start + 1, len(code)) if _shows_text(str(code[i]))), None
            )
            if shown is None:  # no bullet was drawn after all: the LI is its body alone
                self.marks.remove(label)
                code[start] = self._bdc(body)
            else:
                code[shown + 1 : shown + 1] = ["EMC", self._bdc(body)]
        if not closed:
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


class TaggedSpans(Spans):
    """ActualText spans of a tagged item: each its own sequence of the item's element.

    Poppler's structure reader (``pdfinfo -struct-text``) takes the first EMC
    after an MCID as that sequence's end, nested or not, so a nested ``/Span``
    would cut the item's words short there. Instead the item's sequence is
    closed, the span opened as a sequence of the same element with an MCID and
    ``/ActualText`` in its property list, and the item's sequence reopened
    after it. Inside a run's text object every piece is a sequence of its own,
    so each sequence begins and ends on the same side of ``BT``/``ET`` (as
    :class:`_LinkWords` does for a link's words).
    """

    def __init__(self, tagger: Tagger, owner: Mark) -> None:
        self.tagger = tagger
        self.owner = owner
        self.resumed: tuple[int, Mark] | None = None  # the item's sequence reopened, where

    def _again(self) -> Mark:
        owner, tagger = self.owner, self.tagger
        return tagger._mark(owner.path, owner.rect, owner.alt, owner.lang, owner.used)

    def _opening(self, mark: Mark, text: str | None) -> str:
        if text is None:
            return self.tagger._bdc(mark)
        # poppler reads ActualText only on a /Span sequence; the element keeps its own type
        return f"/Span <</MCID {mark.mcid} /ActualText {text_string(text)}>> BDC"

    def _leave(self, code: list[str]) -> None:
        """Close the item's open sequence, or drop it if it was reopened for nothing."""
        if self.resumed is not None and not _paints(code[self.resumed[0] + 1 :]):
            del code[self.resumed[0]]
            self.tagger.marks.remove(self.resumed[1])
        else:
            code.append("EMC")
        self.resumed = None

    def _resume(self, code: list[str]) -> None:
        mark = self._again()
        self.resumed = (len(code), mark)
        code.append(self.tagger._bdc(mark))

    def begin(self, canvas: Any, text: str) -> None:
        self._leave(canvas._code)
        canvas._code.append(self._opening(self._again(), text))

    def end(self, canvas: Any) -> None:
        canvas._code.append("EMC")
        self._resume(canvas._code)

    def show(self, canvas: Any, x: float, y: float, run: Run) -> None:
        if not any(p.actual is not None for p in run.pieces):
            canvas.drawString(x, y, run.glyphs)
            return
        self._leave(canvas._code)
        text = canvas.beginText(x, y)
        parts = split(text._formatText(run.glyphs), [p.start for p in run.pieces[1:]])
        for piece, part in zip(run.pieces, parts, strict=True):
            text._code.extend([self._opening(self._again(), piece.actual), part, "EMC"])
        text._code.append("T*")  # as drawString's textLine ends
        canvas.drawText(text)
        self._resume(canvas._code)

    def finish(self) -> bool:
        """Drop the item's last reopened sequence if it holds nothing; whether it was."""
        code = self.tagger.canvas._code
        if self.resumed is None or _paints(code[self.resumed[0] + 1 :]):
            return False
        del code[self.resumed[0]]
        self.tagger.marks.remove(self.resumed[1])
        self.resumed = None
        return True


def _bullet(flowable: Any) -> bool:
    """Whether a paragraph draws a bullet (ReportLab's or a shaped paragraph's)."""
    return bool(getattr(flowable, "bulletText", None) or getattr(flowable, "bullet", None))


_PAINTS = {"Tj", "TJ", "'", '"', "S", "s", "f", "F", "f*", "B", "B*", "b", "b*", "sh", "Do"}


def _paints(code: list[str]) -> bool:
    """Whether content-stream code draws anything (text, a path, an image), not just state."""
    return any(token in _PAINTS for entry in code for token in str(entry).split())


def _shows_text(code: str) -> bool:
    return code.startswith("BT") and ("Tj" in code or "TJ" in code)


class _LinkWords:
    """While a paragraph draws: its inline links' words in marked content of their own.

    ReportLab tells a text object where each link's words start and end
    (``_linkRecord``); at those points the paragraph's sequence is closed and
    a ``Link`` one opened (and back), all inside the text object, which is
    itself drawn between a closed and a reopened sequence of the paragraph, so
    every sequence begins and ends on the same side of ``BT``/``ET``. Each
    stretch of link words is matched, in order, to the link annotation the
    paragraph adds for it.
    """

    def __init__(
        self, tagger: Tagger, owner: Mark, first: Mark, start: int, lines: int = 0
    ) -> None:
        self.tagger = tagger
        self.lines = lines  # the paragraph's set lines: all but the last end in a space
        self.owner = owner  # the mark whose element the words belong to (P, H1, LBody)
        self.first = first  # the mark whose sequence is open when drawing starts
        self.start = start  # where the owner's sequence opens in the canvas's code
        self.after: Mark | None = None  # the owner's sequence reopened after the text object
        self.after_at = 0
        self.links: list[Mark] = []
        self.annotations: list[tuple[float, ...]] = []

    def __enter__(self) -> _LinkWords:
        canvas = self.tagger.canvas
        begin, draw, annotate = canvas.beginText, canvas.drawText, canvas._addAnnotation

        def begin_text(*args: Any, **kwargs: Any) -> Any:
            text = begin(*args, **kwargs)
            records: list[tuple[int, str]] = []
            text._linkRecord = lambda _link, what: records.append(
                (len(text._code) - 1 if what == "start" else len(text._code), what)
            )
            text._packgen_links = records
            _end_lines_with_spaces(text, self.lines)
            return text

        def draw_text(text: Any) -> None:
            records = getattr(text, "_packgen_links", None)
            if records:
                self._split(text, records, draw)
            else:
                draw(text)

        def add_annotation(annotation: Any, *args: Any, **kwargs: Any) -> None:
            if str(annotation.dict.get("Subtype", "")).endswith("Link"):
                rect = annotation.dict.get("Rect")
                self.annotations.append(tuple(float(v) for v in getattr(rect, "sequence", ())))
            annotate(annotation, *args, **kwargs)

        canvas.beginText, canvas.drawText = begin_text, draw_text
        canvas._addAnnotation = add_annotation
        return self

    def _split(
        self, text: Any, records: list[tuple[int, str]], draw: Callable[[Any], None]
    ) -> None:
        tagger, owner = self.tagger, self.owner
        code: list[str] = text._code
        canvas_code = tagger.canvas._code
        resume = tagger._mark(owner.path, owner.rect, owner.alt, owner.lang, owner.used)
        inserts: list[tuple[int, list[str]]] = [(1, [tagger._bdc(resume)])]
        for index, what in records:
            if what == "start":
                link = tagger._mark(
                    (*owner.path, (tagger.key(), "Link")), owner.rect, lang=owner.lang
                )
                self.links.append(link)
                inserts.append((index, ["EMC", tagger._bdc(link)]))
            elif index >= len(code):  # the link ends the text: nothing of the owner follows
                inserts.append((index, ["EMC"]))
            else:
                back = tagger._mark(owner.path, owner.rect, owner.alt, owner.lang, owner.used)
                inserts.append((index, ["EMC", tagger._bdc(back)]))
        ends_in_link = inserts[-1][1] == ["EMC"]
        # from the end, so earlier indices stay true; at one index, in the order recorded
        for _, (index, ops) in sorted(enumerate(inserts), key=lambda p: (p[1][0], p[0]))[::-1]:
            code[index:index] = ops
        if not ends_in_link:
            code.append("EMC")
        if self.start == len(canvas_code) - 1 or not _paints(canvas_code[self.start + 1 :]):
            # the owner's sequence before the text object holds nothing: drop it
            del canvas_code[self.start]
            tagger.marks.remove(self.first)
        else:
            tagger.close()
        draw(text)
        self.after = tagger._mark(owner.path, owner.rect, owner.alt, owner.lang, owner.used)
        self.after_at = len(canvas_code)
        tagger._code(tagger._bdc(self.after))

    def __exit__(self, *exc: object) -> None:
        canvas = self.tagger.canvas
        for name in ("beginText", "drawText", "_addAnnotation"):
            canvas.__dict__.pop(name, None)
        for link, rect in zip(self.links, self.annotations, strict=False):
            link.annotation = rect


# a line that breaks after one of these goes on with the same word: no space
_HYPHENS = ("-", "\u00ad", "\u2010", "\u2011", "/")


def _line_count(flowable: Any) -> int:
    """How many lines a ReportLab paragraph is set in (0 when it is not one)."""
    lines = getattr(getattr(flowable, "blPara", None), "lines", None)
    return len(lines) if isinstance(lines, list) else 0


def _end_lines_with_spaces(text: Any, lines: int) -> None:
    """Make a paragraph's text object end each wrapped line with a space.

    ReportLab shows a paragraph's lines one after another, moving to the next
    with ``T*``: a reader joining them (a screen reader, copying from the
    structure) runs the last word of a line into the first of the next. The
    space is shown after the line's last glyph, where it draws nothing, so the
    page looks the same; the last line, and a line that broke at a hyphen, get
    none.
    """
    if lines < 2:
        return
    show = text._textOut
    ended, last = 0, ""

    def text_out(words: str, t_star: int = 0) -> None:
        nonlocal ended, last
        if words:
            last = words
        if t_star:
            ended += 1
            if ended < lines and last and not last[-1].isspace() and not last.endswith(_HYPHENS):
                words += " "
            last = ""
        show(words, t_star)

    text._textOut = text_out


def _tag(role: Role) -> str | None:
    """The structure type for a role; None for an artifact."""
    kind = role.kind
    if kind is RoleKind.ARTIFACT:
        return None
    if kind is RoleKind.HEADING:
        return f"H{min(max(role.level, 1), 6)}"
    if kind is RoleKind.LIST_ITEM:
        return "LI"
    if kind in (RoleKind.CONTENTS_ENTRY, RoleKind.CONTENTS_PAGE):
        return "TOCI"
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


def _li(text: str, attributes: str = "") -> str:
    """An ``rdf:li`` as lxml writes it: escaped text, an empty one self-closed."""
    if not text:
        return f"<rdf:li{attributes}/>"
    return f"<rdf:li{attributes}>{escape(text, {chr(13): '&#13;'})}</rdf:li>"


def _xmp(document: PlacedDocument) -> bytes:
    title = _li(document.info.title, ' xml:lang="x-default"')
    lang = _li(document.info.language or "x-default")
    author = _li(document.info.author)
    # exactly as pikepdf serialises it (attributes in its order, its xpacket ends), so
    # saving needs no round trip through its XMP parser to keep the same bytes
    return f"""<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/" \
xmlns:pdf="http://ns.adobe.com/pdf/1.3/" \
xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/" rdf:about="">
<dc:title><rdf:Alt>{title}</rdf:Alt></dc:title>
<dc:creator><rdf:Seq>{author}</rdf:Seq></dc:creator>
<dc:language><rdf:Bag>{lang}</rdf:Bag></dc:language>
<pdf:Producer>packgen</pdf:Producer>
<pdfuaid:part>1</pdfuaid:part>
</rdf:Description>
</rdf:RDF>
</x:xmpmeta>

<?xpacket end="w"?>
""".encode()


def _build_tree(
    out: pikepdf.Pdf,
    top: pikepdf.Object,
    pages: list[pikepdf.Object],
    ordered: list[Mark],
    by_page: dict[int, dict[int, pikepdf.Object]],
) -> tuple[list[tuple[Mark, pikepdf.Object]], list[tuple[Mark, pikepdf.Object]]]:
    """The structure elements of ``ordered`` marks under ``top``: (top-level, inline links)."""
    elems: dict[int, pikepdf.Object] = {}
    current_list: pikepdf.Object | None = None
    list_block = -1
    placed: list[tuple[Mark, pikepdf.Object]] = []
    links: list[tuple[Mark, pikepdf.Object]] = []
    for mark in ordered:
        parent: pikepdf.Object = top
        elem: pikepdf.Object = top
        for depth, (key, kind) in enumerate(mark.path):
            found = elems.get(key)
            if found is None:
                if depth == 0 and kind == "LI":
                    if current_list is None or list_block != mark.block:
                        current_list = out.make_indirect(
                            Dictionary(Type=Name.StructElem, S=Name.L, P=top, K=Array())
                        )
                        top.K.append(current_list)
                        list_block = mark.block
                    parent = current_list
                elif depth == 0:
                    current_list = None
                found = out.make_indirect(
                    Dictionary(
                        Type=Name.StructElem,
                        S=Name("/" + kind),
                        P=parent,
                        Pg=pages[mark.page],
                        K=Array(),
                    )
                )
                if depth == 0:
                    if mark.alt:
                        found.Alt = String(mark.alt)
                    if mark.lang:
                        found.Lang = String(mark.lang)
                    placed.append((mark, found))
                if kind == "Link":
                    links.append((mark, found))
                parent.K.append(found)
                elems[key] = found
            parent = elem = found
        elem.K.append(Dictionary(Type=Name.MCR, Pg=pages[mark.page], MCID=mark.mcid))
        by_page[mark.page][mark.mcid] = elem
    return placed, links


def _same_rect(a: tuple[float, ...], b: list[float]) -> bool:
    return len(a) == 4 and all(abs(x - y) < 0.5 for x, y in zip(a, b, strict=True))


def _words_of_block(
    owner: Mark, placed: list[tuple[Mark, pikepdf.Object]]
) -> list[pikepdf.Object] | None:
    """The paragraphs of ``owner``'s text block, when they hold only their words (no links)."""
    elems = [e for m, e in placed if m.block == owner.block and m.page == owner.page]
    if not elems or any(str(e.S) != "/P" for e in elems):
        return None
    if any(k.get("/Type") != Name.MCR for e in elems for k in e.K):
        return None
    return elems


def _wrap_in_link(
    link: pikepdf.Object,
    objr: pikepdf.Object,
    paragraphs: list[pikepdf.Object],
    top: pikepdf.Object,
    found: dict[int, pikepdf.Object],
) -> None:
    """A link over a whole text block: one P holding a Link with all the block's words."""
    first = paragraphs[0]
    words = [k for p in paragraphs for k in p.K]
    link.K = Array([*words, objr])
    link.P = first
    first.K = Array([link])
    gone = {p.objgen for p in paragraphs[1:]}
    top.K = Array([k for k in top.K if k.objgen not in gone])
    held = {p.objgen for p in paragraphs}
    for mcid, elem in list(found.items()):
        if elem.objgen in held:
            found[mcid] = link


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
        pages: list[pikepdf.Object] = [page.obj for page in out.pages]
        by_page: dict[int, dict[int, pikepdf.Object]] = {i: {} for i in range(len(pages))}
        ordered = sorted(tagger.marks, key=lambda m: reading_key(m, document.reading_order))
        placed, inline = _build_tree(out, top, pages, ordered, by_page)
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
                objr = Dictionary(Type=Name.OBJR, Obj=annot, Pg=page)
                words = next(
                    (
                        e
                        for m, e in inline
                        if m.page == index
                        and (
                            _same_rect(m.annotation, rect)
                            # a contents entry's Link: the row's annotation over its words
                            or (m.top == "TOC" and _centre_in(m.rect, area))
                        )
                    ),
                    None,
                )
                if kind == Name.Link and words is not None:
                    # a link inside a paragraph or a contents entry: its Link holds its
                    # words and its annotation
                    words.K.append(objr)
                    inline = [(m, e) for m, e in inline if e.objgen != words.objgen]
                    annot.StructParent = key
                    annotation_nums.extend([key, words])
                    key += 1
                    continue
                parent: pikepdf.Object = top
                owner: Mark | None = None
                for mark, candidate in placed:
                    if (
                        mark.page == index
                        and mark.tag != "Figure"
                        and _centre_in(area, mark.used or mark.rect)
                    ):
                        parent, owner = candidate, mark
                        break
                elem = out.make_indirect(
                    Dictionary(Type=Name.StructElem, S=kind, P=parent, Pg=page, K=Array([objr]))
                )
                if kind == Name.Form and "/TU" in annot:
                    elem.Alt = annot.TU
                figure = _figure_under(area, index, placed) if parent is top else None
                block = (
                    _words_of_block(owner, placed)
                    if kind == Name.Link and owner is not None and owner.top != "LI"
                    else None
                )
                if kind == Name.Link and figure is not None:
                    # a QR code that is a link: the Link holds the Figure (and its alt text)
                    kids = list(top.K)
                    kids[[k.objgen for k in kids].index(figure.objgen)] = elem
                    top.K = Array(kids)
                    figure.P = elem
                    elem.K = Array([figure, objr])
                elif (
                    block is not None
                    and owner is not None
                    and _covers(area, owner.used or owner.rect)
                ):
                    # the link is the whole block: its words belong inside the Link element
                    _wrap_in_link(elem, objr, block, top, by_page[index])
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
            # indexed by MCID (an MCID dropped as empty leaves a null)
            held = [found.get(i) for i in range(max(found) + 1)] if found else []
            nums.append(out.make_indirect(Array(held)))
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
        out.save(buffer, deterministic_id=True, fix_metadata_version=False)
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
