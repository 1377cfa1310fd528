"""A placed document into one accessible web page (HTML5), from the roles of its items.

The page is built from what the layout stage says each item *is*, never from
where it sits: headings keep the levels the layout gives them (the product's
title or headline is the ``<h1>``, as in the tagged PDF; the document's title
stands in when no item is a level-1 heading), list items are lists, figures are images
with their alt text (data: URIs, so the page makes no request), decorative
art is ``alt=""``, a QR code becomes a link to its target with its caption as
the link's words, and artifacts (backgrounds, running heads and footers) are
left out. Reading order: a folded leaflet is read cover, inside flap, inside
spread, back (its panels, each in the layout's order); other documents are
read in the layout stage's order. Colours come from the campaign palette,
darkened to the page's ink when a colour would fall below 4.5:1 on white.
No JavaScript; the CSS is in the page and sized in rem, so it reflows at
320 px and at 200% zoom. A picture printed beside its text (an Easy Read
row) sits beside it on the page too, stacking only on a narrow screen; that
placement is presentation only, the reading order stays the layout's.
"""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass
from html import escape
from html.parser import HTMLParser
from typing import Any

from packgen.colour import Colour, contrast_ratio
from packgen.layout.placed import (
    Placed,
    PlacedDocument,
    PlacedDrawing,
    PlacedField,
    PlacedPage,
    PlacedQr,
    PlacedText,
    Rect,
    RoleKind,
    TextLine,
)
from packgen.model.common import Direction

MIN_CONTRAST = 4.5  # WCAG 2.2 AA, body text on white
WHITE = (1.0, 1.0, 1.0)
INK = "#1A1A1A"  # when the palette has no dark ink that passes

# a roll-fold leaflet printed on two sides of three panels: [page][panel] as read, folded
_ROLL_FOLD_ORDER = ((0, 2), (0, 0), (1, 0), (1, 1), (1, 2), (0, 1))

_CSS = """
:root { --ink: %(ink)s; --accent: %(accent)s; --soft: %(soft)s; }
* { box-sizing: border-box; }
html { font-size: 100%%; }
body { margin: 0 auto; max-width: 44rem; padding: 1rem; font-family: Arial, Helvetica,
  sans-serif; font-size: 1.125rem; line-height: 1.5; color: var(--ink); background: #FFFFFF;
  overflow-wrap: anywhere; }
h1, h2, h3 { line-height: 1.2; color: var(--accent); margin: 1.5em 0 0.5em; }
h1 { font-size: 2rem; margin-top: 0.5em; }
h2 { font-size: 1.5rem; }
h3 { font-size: 1.25rem; }
p, ul { margin: 0 0 0.75em; }
ul { padding-left: 1.5rem; }
a { color: var(--accent); text-decoration: underline; }
a:focus { outline: 0.2rem solid var(--ink); outline-offset: 0.15rem; }
img { max-width: 100%%; height: auto; }
figure { margin: 1rem 0; }
.icon { width: 3rem; height: 3rem; float: left; margin: 0 0.75rem 0.5rem 0; }
.qr { display: block; margin: 1rem 0; padding: 0.75rem 1rem; background: var(--soft);
  border-left: 0.3rem solid var(--accent); }
section { clear: both; }
.row { display: flex; flex-wrap: wrap; align-items: center; gap: 0.5rem 1.25rem;
  margin: 1.25rem 0; }
.row > img { flex: 0 0 7rem; width: 7rem; }
.row > div { flex: 1 1 14rem; min-width: 0; }
.row > div > :last-child { margin-bottom: 0; }
label { display: block; margin: 0.5em 0; }
input { font: inherit; width: 100%%; padding: 0.25rem; border: 0.1rem solid var(--ink); }
"""


def write(placed: PlacedDocument, palette: dict[str, Colour]) -> bytes:
    """The page (UTF-8 bytes) of ``placed``: headings, text, figures and links as read."""
    page = _Page(placed, palette)
    return page.html().encode("utf-8")


def reading_order(placed: PlacedDocument) -> list[Placed]:
    """Every item as a reader meets it: a folded leaflet panel by panel, else as laid out."""
    pages = placed.pages
    if len(pages) == 2 and all(len(p.safe_areas) == 3 for p in pages):
        return [
            item
            for page_index, panel in _ROLL_FOLD_ORDER
            for item in _panel_items(pages[page_index], panel)
        ]
    return [item for page in pages for item in page.items]


def _panel_items(page: PlacedPage, panel: int) -> list[Placed]:
    """The items whose centre lies in fold panel ``panel`` of ``page``, in layout order."""
    edges = [page.media.x, *page.folds, page.media.right + 1]
    low, high = edges[panel], edges[panel + 1]
    return [item for item in page.items if low <= _centre_x(_rect(item)) < high]


def _rect(item: Placed) -> Rect:
    return item.tile if isinstance(item, PlacedQr) else item.rect


def _centre_x(rect: Rect) -> float:
    return rect.x + rect.w / 2


@dataclass
class _Colours:
    ink: str
    accent: str
    soft: str


def _colours(palette: dict[str, Colour]) -> _Colours:
    """Ink, accent and a soft tint from the palette; ink and accent pass 4.5:1 on white."""

    def passes(colour: Colour) -> bool:
        return contrast_ratio(colour.rgb_fraction, WHITE) >= MIN_CONTRAST

    ink = palette.get("ink")
    ink_hex = ink.rgb if ink is not None and passes(ink) else INK
    accent = next(
        (palette[n].rgb for n in ("teal-deep", "plum") if n in palette and passes(palette[n])),
        ink_hex,
    )
    soft = next(
        (
            palette[n].rgb
            for n in ("cream", "sky")
            if n in palette and contrast_ratio(palette[n].rgb_fraction, _fraction(accent)) >= 4.5
        ),
        "#F4F4F4",
    )
    return _Colours(ink_hex, accent, soft)


def _fraction(hex_colour: str) -> tuple[float, float, float]:
    h = hex_colour.lstrip("#")
    return (int(h[0:2], 16) / 255, int(h[2:4], 16) / 255, int(h[4:6], 16) / 255)


class _Page:
    """One document's page being written: the body's parts, then the whole."""

    def __init__(self, placed: PlacedDocument, palette: dict[str, Colour]) -> None:
        self.placed = placed
        self.palette = palette
        self.language = placed.info.language or "en"
        self.parts: list[str] = []
        self.list_open = False

    def html(self) -> str:
        items = reading_order(self.placed)
        captions = {
            item.element_id: item
            for item in items
            if isinstance(item, PlacedText) and item.element_id.endswith(".caption")
        }
        used: set[str] = set()
        items = [
            i for i in items if i.role.kind is not RoleKind.ARTIFACT or isinstance(i, PlacedDrawing)
        ]
        beside = _rows(items)
        in_rows = {i for start, end in beside.items() for i in range(start + 1, end + 1)}
        for index, item in enumerate(items):
            if isinstance(item, PlacedText):
                if item.element_id in captions and item.element_id in used:
                    continue
                if index in in_rows:
                    continue  # written in its picture's row
                self._text(item)
            elif isinstance(item, PlacedDrawing) and index in beside:
                self._row(item, _texts(items, index, beside))
            elif isinstance(item, PlacedDrawing):
                self._drawing(item)
            elif isinstance(item, PlacedQr):
                caption = captions.get(f"{item.element_id}.caption")
                if caption is not None:
                    used.add(caption.element_id)
                self._qr(item, caption)
            elif isinstance(item, PlacedField):
                self._field(item)
        self._close_list()
        colours = _colours(self.palette) if self.palette else _Colours(INK, INK, "#F4F4F4")
        css = _CSS % {"ink": colours.ink, "accent": colours.accent, "soft": colours.soft}
        direction = _direction_of(self.placed)
        title = escape(self.placed.info.title)
        return (
            "<!DOCTYPE html>\n"
            f'<html lang="{escape(self.language)}" dir="{direction}">\n'
            "<head>\n"
            '<meta charset="utf-8">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{title}</title>\n"
            f'<meta name="description" content="{escape(self.placed.info.subject)}">\n'
            f"<style>{css}</style>\n"
            "</head>\n"
            "<body>\n<main>\n"
            + ("" if _has_title(items) else f"<h1>{_title_text(self.placed.info.title)}</h1>\n")
            + "".join(self.parts)
            + "</main>\n</body>\n</html>\n"
        )

    # -- parts ---------------------------------------------------------------

    def _attrs(self, text: PlacedText) -> str:
        """``lang``/``dir`` of a run in another language than the page's."""
        out = ""
        if text.language and text.language != self.language:
            out += f' lang="{escape(text.language)}"'
        if text.direction is not _page_direction(self.placed):
            out += f' dir="{"rtl" if text.direction is Direction.RTL else "ltr"}"'
        return out

    def _text(self, text: PlacedText) -> None:
        attrs = self._attrs(text)
        for line in text.lines:
            markup = _markup(line)
            if not markup.strip():
                continue
            kind = line.role.kind
            if kind is RoleKind.CONTENTS_PAGE:
                continue  # a contents entry's page number: the web page has no pages
            if kind in (RoleKind.LIST_ITEM, RoleKind.CONTENTS_ENTRY):
                if not self.list_open:
                    self.parts.append(f"<ul{attrs}>\n")
                    self.list_open = True
                self.parts.append(f"<li>{markup}</li>\n")
                continue
            self._close_list()
            if kind is RoleKind.HEADING:
                level = min(6, max(1, line.role.level))
                markup = re.sub(r"\s*<br>\s*", " ", markup)  # a print line break: the web reflows
                self.parts.append(f"<h{level}{attrs}>{markup}</h{level}>\n")
            else:
                self.parts.append(f"<p{attrs}>{markup}</p>\n")

    def _close_list(self) -> None:
        if self.list_open:
            self.parts.append("</ul>\n")
            self.list_open = False

    def _drawing(self, drawing: PlacedDrawing) -> None:
        self._close_list()
        data, media = _image_data(drawing)
        src = f"data:{media};base64,{base64.b64encode(data).decode('ascii')}"
        if drawing.role.kind is RoleKind.FIGURE and drawing.role.alt:
            self.parts.append(
                f'<figure><img src="{src}" alt="{escape(drawing.role.alt)}"></figure>\n'
            )
        else:
            self.parts.append(f'<img class="icon" src="{src}" alt="" aria-hidden="true">\n')

    def _row(self, drawing: PlacedDrawing, texts: list[PlacedText]) -> None:
        """A picture and the text printed beside it, side by side (stacked when narrow)."""
        self._close_list()
        data, media = _image_data(drawing)
        src = f"data:{media};base64,{base64.b64encode(data).decode('ascii')}"
        alt = drawing.role.alt if drawing.role.kind is RoleKind.FIGURE else ""
        hidden = "" if alt else ' aria-hidden="true"'
        self.parts.append(f'<div class="row"><img src="{src}" alt="{escape(alt)}"{hidden}><div>\n')
        for text in texts:
            self._text(text)
        self._close_list()
        self.parts.append("</div></div>\n")

    def _qr(self, qr: PlacedQr, caption: PlacedText | None) -> None:
        self._close_list()
        words = ""
        if caption is not None and caption.lines:
            words = _plain(_markup(caption.lines[0]))
        words = words or qr.role.alt or qr.url
        self.parts.append(f'<p><a class="qr" href="{escape(qr.url)}">{escape(words)}</a></p>\n')

    def _field(self, field: PlacedField) -> None:
        self._close_list()
        name = escape(field.name)
        self.parts.append(
            f'<label for="{name}">{escape(field.tooltip or field.name)}'
            f'<input type="text" id="{name}" name="{name}" maxlength="{field.max_length}">'
            "</label>\n"
        )


def _has_title(items: list[Placed]) -> bool:
    """Whether an item is a level-1 heading (then it, not the document's title, is the h1)."""
    return any(
        line.role.kind is RoleKind.HEADING and line.role.level == 1
        for item in items
        if isinstance(item, PlacedText)
        for line in item.lines
    )


def _beside(picture: Rect, text: Rect) -> bool:
    """Whether ``text`` was printed beside ``picture`` (after it across, overlapping down)."""
    across = text.x >= picture.right - 0.5 or text.right <= picture.x + 0.5
    overlap = min(picture.top, text.top) - max(picture.y, text.y)
    return across and overlap >= 0.5 * min(picture.h, text.h)


def _rows(items: list[Placed]) -> dict[int, int]:
    """Pictures with text printed beside them: picture's index to the last such text's."""
    rows: dict[int, int] = {}
    for index, item in enumerate(items):
        if not isinstance(item, PlacedDrawing) or item.role.kind is not RoleKind.FIGURE:
            continue
        last = index
        for following in items[index + 1 :]:
            if not isinstance(following, PlacedText) or not _beside(item.rect, following.rect):
                break
            last += 1
        if last > index:
            rows[index] = last
    return rows


def _texts(items: list[Placed], index: int, rows: dict[int, int]) -> list[PlacedText]:
    return [i for i in items[index + 1 : rows[index] + 1] if isinstance(i, PlacedText)]


def _page_direction(placed: PlacedDocument) -> Direction:
    texts = [i for p in placed.pages for i in p.items if isinstance(i, PlacedText)]
    rtl = sum(1 for t in texts if t.direction is Direction.RTL)
    return Direction.RTL if texts and rtl * 2 > len(texts) else Direction.LTR


def _direction_of(placed: PlacedDocument) -> str:
    return "rtl" if _page_direction(placed) is Direction.RTL else "ltr"


def _title_text(title: str) -> str:
    """The document's title without the product kind in brackets: the page's heading."""
    return escape(re.sub(r"\s*\([^)]*\)\s*$", "", title))


def _image_data(drawing: PlacedDrawing) -> tuple[bytes, str]:
    if drawing.kind == "svg":
        return drawing.svg or drawing.path.read_bytes(), "image/svg+xml"
    suffix = drawing.path.suffix.lower().lstrip(".")
    media = {"jpg": "image/jpeg", "jpeg": "image/jpeg"}.get(suffix, f"image/{suffix}")
    return drawing.path.read_bytes(), media


def _markup(line: TextLine) -> str:
    """The line's ReportLab markup as HTML: bold, italic, breaks and links kept, the rest text."""
    paragraph: Any = line.flowable
    text = getattr(paragraph, "text", None)
    if text is None:  # a split piece keeps its fragments, not its markup
        frags = getattr(paragraph, "frags", None) or []
        text = "".join(escape(getattr(f, "text", "")) for f in frags)
    converter = _Converter()
    converter.feed(str(text))
    converter.close()
    return re.sub(r"<(strong|em)>\s*</\1>", "", "".join(converter.out)).strip()


def _plain(markup: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", markup)).strip()


class _Converter(HTMLParser):
    """ReportLab paragraph markup into HTML phrasing content."""

    _KEEP = {"b": "strong", "strong": "strong", "i": "em", "em": "em"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.stack: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br":
            self.out.append("<br>")
            return
        if tag in self._KEEP:
            self.out.append(f"<{self._KEEP[tag]}>")
            self.stack.append(self._KEEP[tag])
        elif tag == "a" and dict(attrs).get("href"):
            self.out.append(f'<a href="{escape(dict(attrs)["href"] or "")}">')
            self.stack.append("a")
        else:
            self.stack.append("")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br":
            self.out.append("<br>")

    def handle_endtag(self, tag: str) -> None:
        if tag == "br" or not self.stack:
            return
        closing = self.stack.pop()
        if closing:
            self.out.append(f"</{closing}>")

    def handle_data(self, data: str) -> None:
        self.out.append(escape(data, quote=False))
