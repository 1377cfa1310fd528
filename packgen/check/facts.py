"""Read what a PDF says about itself: boxes, fonts, colour operators, text, images.

Works on any PDF, not only packgen's. pikepdf (qpdf) reads the file
structure, and each content stream once (``check.content``): the colour
operators, the press inks, the image placements and the tagging audit all use
the same parse. pdfium (pypdfium2) is opened only for positioned text runs
(font size, bounds, colour: what a text engine knows) and, in ``check.pixels``,
for the checks that need a raster.
"""

from __future__ import annotations

import ctypes
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pikepdf
from pikepdf import Array, Dictionary, Stream

from packgen.check import placed
from packgen.check.content import (
    EVERYTHING,
    FOLLOWED,
    Content,
    Instructions,
    count,
    only_numbers,
    string,
)
from packgen.check.resources import appearance_streams, key_of, scan, walk


@dataclass(frozen=True)
class Box:
    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def w(self) -> float:
        return self.x1 - self.x0

    @property
    def h(self) -> float:
        return self.y1 - self.y0

    def contains(self, other: Box, tolerance: float = 0.5) -> bool:
        return (
            other.x0 >= self.x0 - tolerance
            and other.y0 >= self.y0 - tolerance
            and other.x1 <= self.x1 + tolerance
            and other.y1 <= self.y1 + tolerance
        )


@dataclass(frozen=True)
class TextRun:
    text: str
    size: float  # effective size in points (font size × matrix scale)
    bounds: Box
    rgb: tuple[int, int, int]
    bold: bool


@dataclass(frozen=True)
class ImagePlacement:
    bounds: Box
    pixels: tuple[int, int]

    @property
    def ppi(self) -> float:
        if self.bounds.w <= 0 or self.bounds.h <= 0:
            return 0.0
        return min(self.pixels[0] / (self.bounds.w / 72), self.pixels[1] / (self.bounds.h / 72))


@dataclass
class PageFacts:
    number: int
    media: Box
    trim: Box | None
    bleed: Box | None
    rgb_operators: int = 0
    cmyk_max_ink: float = 0.0  # highest C+M+Y+K seen in a fill or stroke, in percent
    rgb_spaces: list[str] = field(default_factory=list)
    spots: list[str] = field(default_factory=list)  # spot colour (Separation/DeviceN) names
    transparency: list[str] = field(default_factory=list)  # what makes the page transparent
    white_overprint: int = 0  # white painted with overprint on
    annotations: list[str] = field(default_factory=list)
    text: list[TextRun] = field(default_factory=list)
    images: list[ImagePlacement] = field(default_factory=list)
    text_skipped: int = 0  # text objects beyond MAX_TEXT_RUNS, not read


@dataclass
class FontFact:
    name: str
    embedded: bool
    subset: bool
    where: str = "page"  # "page" or "form field"


@dataclass
class PdfFacts:
    path: Path
    pages: list[PageFacts]
    fonts: list[FontFact]
    title: str | None
    has_forms: bool
    # the open file and its parsed content streams, for rules that read more (one parse
    # per file); closed by ``close`` when the rules are done
    content: Content | None = field(default=None, repr=False, compare=False)

    def close(self) -> None:
        if self.content is not None:
            self.content.close()
            self.content = None


class TooBig(ValueError):
    """A PDF beyond what the preflight reads (bytes, objects, pages, page size)."""


MAX_BYTES = 512 * 1024 * 1024
MAX_OBJECTS = 2_000_000
MAX_PAGES = 2000
MAX_PAGE_PT = 200 * 72  # the PDF limit without UserUnit: 200 inches
MAX_TEXT_RUNS = 20_000  # per page; beyond, text is counted, not read


def _box(value: object) -> Box:
    numbers = [float(v) for v in value]  # type: ignore[attr-defined]
    return Box(
        min(numbers[0], numbers[2]),
        min(numbers[1], numbers[3]),
        max(numbers[0], numbers[2]),
        max(numbers[1], numbers[3]),
    )


_SUBSET = re.compile(r"^/[A-Z]{6}\+")  # a subset font's name: six capitals and a plus


def _font(font: Dictionary) -> tuple[str, bool, bool]:
    """A font dictionary's name, and whether it is embedded and subset."""
    name = str(font.get("/BaseFont", "?"))
    descriptor = font.get("/FontDescriptor")
    if descriptor is None and "/DescendantFonts" in font:
        descendant = font["/DescendantFonts"]
        if isinstance(descendant, Array) and len(descendant):
            first = descendant[0]
            descriptor = first.get("/FontDescriptor") if isinstance(first, Dictionary) else None
    subtype = str(font.get("/Subtype", ""))
    embedded = subtype == "/Type3" or (
        isinstance(descriptor, Dictionary)
        and any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
    )
    return name, embedded, bool(_SUBSET.match(name))


def _fonts(pdf: pikepdf.Pdf, pages: list[pikepdf.Page]) -> list[FontFact]:
    found: dict[tuple[str, str], FontFact] = {}
    seen: set[tuple[Any, ...]] = set()
    read: dict[tuple[int, int], tuple[str, bool, bool]] = {}  # font object: name, embedded, subset

    def visit(
        resources: object, owner: tuple[Any, ...], depth: int = 0, where: str = "page"
    ) -> None:
        key = key_of(resources, owner)
        if not isinstance(resources, Dictionary) or depth > 8 or key in seen:
            return
        seen.add(key)
        fonts = resources.get("/Font")
        for font in fonts.values() if isinstance(fonts, Dictionary) else []:
            if not isinstance(font, Dictionary):
                continue
            objgen = font.objgen  # a font used on every page is read once
            known = read.get(objgen) if objgen != (0, 0) else None
            if known is None:
                known = _font(font)
                if objgen != (0, 0):
                    read[objgen] = known
            name, embedded, subset = known
            if (name, where) not in found or not embedded:
                found[(name, where)] = FontFact(name, embedded, subset, where)
        xobjects = resources.get("/XObject")
        for label, xobject in xobjects.items() if isinstance(xobjects, Dictionary) else []:
            if isinstance(xobject, Stream) and xobject.get("/Subtype") == "/Form":
                inner = (*key_of(xobject, (*key, "form", label)), "r")
                visit(xobject.get("/Resources"), inner, depth + 1, where)

    for number, page in enumerate(pages):
        visit(page.obj.get("/Resources"), ("page", number))
        annotations = page.obj.get("/Annots")
        for annotation in annotations if isinstance(annotations, Array) else []:
            if isinstance(annotation, Dictionary):
                where = "form field" if annotation.get("/Subtype") == "/Widget" else "page"
                for stream in appearance_streams(annotation):
                    visit(stream.get("/Resources"), (*key_of(stream, ("ap",)), "r"), 1, where)
    form = pdf.Root.get("/AcroForm")
    if isinstance(form, Dictionary):
        visit(form.get("/DR"), ("acroform",), 0, "form field")
    by_name: dict[str, FontFact] = {}
    for fact in found.values():  # one entry per font; the form's when only the form uses it
        if fact.name not in by_name or not fact.embedded:
            by_name[fact.name] = fact
    return list(by_name.values())


_STREAM_OPS = frozenset(["rg", "RG", "cs", "CS", "k", "K"])


def _stream_ops(instructions: Instructions, facts: PageFacts) -> None:
    """RGB colour operators (``rg``/``RG``, ``/DeviceRGB cs``) and the highest ``k`` ink."""
    for operator, operands in instructions:
        if operator not in _STREAM_OPS:  # most instructions: nothing this pass follows
            continue
        if operator in ("rg", "RG"):
            if (found := only_numbers(operands)) is not None and len(found) == 3:
                facts.rgb_operators += 1
        elif operator in ("cs", "CS"):
            if count(operands) and string(operands, -1) == "/DeviceRGB":
                facts.rgb_operators += 1
        elif (values := only_numbers(operands)) is not None and len(values) == 4:  # k, K
            facts.cmyk_max_ink = max(facts.cmyk_max_ink, sum(values) * 100)


def _pdfium_text(path: Path, pages: list[PageFacts]) -> None:
    """Each page's positioned text runs, as pdfium (a text engine) places them."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    document = pdfium.PdfDocument(path)
    try:
        for index, page in enumerate(document):
            facts = pages[index]
            textpage = page.get_textpage()
            for obj in page.get_objects([raw.FPDF_PAGEOBJ_TEXT], max_depth=8):
                if len(facts.text) >= MAX_TEXT_RUNS:
                    facts.text_skipped += 1
                else:
                    size = ctypes.c_float()
                    raw.FPDFTextObj_GetFontSize(obj.raw, ctypes.byref(size))
                    a, b, c, d, _, _ = obj.get_matrix().get()
                    scale = abs(a * d - b * c) ** 0.5
                    r, g, bl, alpha = (ctypes.c_uint() for _ in range(4))
                    raw.FPDFPageObj_GetFillColor(
                        obj.raw, *(ctypes.byref(v) for v in (r, g, bl, alpha))
                    )
                    left, bottom, right, top = obj.get_bounds()
                    length = raw.FPDFTextObj_GetText(obj.raw, textpage.raw, None, 0)  # bytes
                    buffer = ctypes.create_string_buffer(length + 2)
                    pointer = ctypes.cast(buffer, ctypes.POINTER(ctypes.c_ushort))
                    raw.FPDFTextObj_GetText(obj.raw, textpage.raw, pointer, length)
                    text = buffer.raw[:length].decode("utf-16-le", "replace").rstrip("\x00")
                    font = raw.FPDFTextObj_GetFont(obj.raw)
                    name_length = raw.FPDFFont_GetBaseFontName(font, None, 0) if font else 0
                    name_buffer = ctypes.create_string_buffer(max(1, name_length))
                    if font:
                        raw.FPDFFont_GetBaseFontName(font, name_buffer, name_length)
                    font_name = name_buffer.value.decode("latin-1", "replace")
                    facts.text.append(
                        TextRun(
                            text=text,
                            size=size.value * scale,
                            bounds=Box(left, bottom, right, top),
                            rgb=(r.value, g.value, bl.value),
                            bold="Bold" in font_name,
                        )
                    )
            textpage.close()
    finally:
        document.close()


def _page_facts(number: int, page: pikepdf.Page, content: Content) -> PageFacts:
    media = _box(page.mediabox)
    if max(media.w, media.h) > MAX_PAGE_PT:
        raise TooBig(
            f"page {number} is {media.w / 72:.0f} × {media.h / 72:.0f} inches;"
            f" the largest page a PDF can hold is {MAX_PAGE_PT / 72:.0f} inches"
        )
    trim = _box(page.obj["/TrimBox"]) if "/TrimBox" in page.obj else None
    bleed = _box(page.obj["/BleedBox"]) if "/BleedBox" in page.obj else None
    facts = PageFacts(number, media, trim, bleed)
    resources = walk(page.obj.get("/Resources"))
    own = content.page(number - 1, FOLLOWED["colour"])
    streams = [own] if own is not None else []
    streams += [content.form(form, FOLLOWED["colour"]) for form in resources.forms]
    for instructions in streams:
        _stream_ops(instructions, facts)
        painted = scan(instructions, resources)
        facts.white_overprint += painted.white_overprints
        facts.cmyk_max_ink = max(facts.cmyk_max_ink, painted.max_ink)
    facts.rgb_spaces = list(dict.fromkeys(resources.rgb))
    facts.spots = sorted(resources.spots)
    facts.transparency = list(dict.fromkeys(resources.transparency))
    annotations = page.obj.get("/Annots")
    for annotation in annotations if isinstance(annotations, Array) else []:
        if isinstance(annotation, Dictionary):
            facts.annotations.append(str(annotation.get("/Subtype", "?")))
    facts.images = [
        ImagePlacement(Box(*bounds), pixels)
        for bounds, pixels in placed.images(content, number - 1)
    ]
    return facts


def _object_count(pdf: pikepdf.Pdf) -> int:
    try:
        return int(pdf.trailer.get("/Size", 0))
    except (TypeError, ValueError):
        return 0


def _title(pdf: pikepdf.Pdf) -> str | None:
    info = pdf.trailer.get("/Info")
    title = info.get("/Title") if isinstance(info, Dictionary) else None
    return str(title) if title is not None else None


def read_facts(path: Path, text: bool = True, keep: frozenset[str] = EVERYTHING) -> PdfFacts:
    """Everything the checks need from one PDF; raises ValueError if unreadable or too big.

    Without ``text``, the positioned text runs are not read and pdfium is not opened
    (a build's preflight: the layout has placed and checked every run). The file stays
    open in ``content`` for the rules; ``PdfFacts.close`` closes it. ``keep`` is what its
    content streams are first parsed with (``check.content.operators_for``).
    """
    content: Content | None = None
    try:
        content = Content.open(path, keep)
        pdf = content.pdf
        if _object_count(pdf) > MAX_OBJECTS:
            raise TooBig(f"the PDF has over {MAX_OBJECTS:,} objects; it is not checked")
        count = len(content.pages)
        if count > MAX_PAGES:
            raise TooBig(f"the PDF has {count} pages; the preflight reads at most {MAX_PAGES}")
        pages = [_page_facts(n, page, content) for n, page in enumerate(content.pages, start=1)]
        fonts = _fonts(pdf, content.pages)
        title = _title(pdf)
        has_forms = "/AcroForm" in pdf.Root
    except (TooBig, MemoryError):
        if content is not None:
            content.close()
        raise
    except Exception as exc:  # any parse failure of a foreign file becomes a report
        if content is not None:
            content.close()
        raise ValueError(f"cannot read the PDF ({type(exc).__name__}: {exc})") from None
    facts = PdfFacts(path, pages, fonts, title, has_forms, content)
    if pages and text:
        try:
            _pdfium_text(path, pages)
        except MemoryError:
            facts.close()
            raise
        except Exception as exc:  # pdfium refuses what qpdf read: still a report
            facts.close()
            raise ValueError(f"cannot read the PDF ({type(exc).__name__}: {exc})") from None
    return facts
