"""Read what a PDF says about itself: boxes, fonts, colour operators, text, images.

Works on any PDF, not only packgen's. pypdf reads the file structure and
content streams; pdfium (pypdfium2) gives positioned text and image objects
and renders pages for the checks that need pixels.
"""

from __future__ import annotations

import ctypes
import re
from dataclasses import dataclass, field
from pathlib import Path

from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

from packgen.check.resources import appearance_streams, scan, walk


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
    # the pypdf reader these facts came from, for rules that read more (one parse per file)
    reader: PdfReader | None = field(default=None, repr=False, compare=False)


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


# An operator token after a number: cheap to find; operands are read back after.
_RGB_OP = re.compile(rb"[\d.]\s+(?:rg|RG)(?=\s|$)")
_RGB_CS = re.compile(rb"/DeviceRGB\s*(?:cs|CS)(?=\s|$)")
_CMYK_OP = re.compile(rb"[\d.]\s+[kK](?=\s|$)")


def _fonts(reader: PdfReader) -> list[FontFact]:
    found: dict[tuple[str, str], FontFact] = {}
    seen: set[int] = set()

    def visit(resources: object, depth: int = 0, where: str = "page") -> None:
        if isinstance(resources, IndirectObject):
            resources = resources.get_object()
        if not isinstance(resources, DictionaryObject) or depth > 8 or id(resources) in seen:
            return
        seen.add(id(resources))
        fonts = resources.get("/Font")
        fonts = fonts.get_object() if fonts is not None else {}
        for font in fonts.values():
            font = font.get_object()
            if not isinstance(font, DictionaryObject):
                continue
            name = str(font.get("/BaseFont", "?"))
            descriptor = font.get("/FontDescriptor")
            if descriptor is None and "/DescendantFonts" in font:
                descendant = font["/DescendantFonts"].get_object()
                if isinstance(descendant, ArrayObject) and descendant:
                    descriptor = descendant[0].get_object().get("/FontDescriptor")
            descriptor = descriptor.get_object() if descriptor is not None else None
            subtype = str(font.get("/Subtype", ""))
            embedded = subtype == "/Type3" or (
                descriptor is not None
                and any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
            )
            subset = bool(re.match(r"^/[A-Z]{6}\+", name))
            if (name, where) not in found or not embedded:
                found[(name, where)] = FontFact(name, embedded, subset, where)
        xobjects = resources.get("/XObject")
        xobjects = xobjects.get_object() if xobjects is not None else {}
        for xobject in xobjects.values():
            xobject = xobject.get_object()
            if isinstance(xobject, DictionaryObject) and xobject.get("/Subtype") == "/Form":
                visit(xobject.get("/Resources"), depth + 1, where)

    for page in reader.pages:
        visit(page.get("/Resources"))
        for annotation in page.get("/Annots", []) or []:
            annotation = annotation.get_object()
            if isinstance(annotation, DictionaryObject):
                where = "form field" if annotation.get("/Subtype") == "/Widget" else "page"
                for stream in appearance_streams(annotation):
                    visit(stream.get("/Resources"), 1, where)
    form = reader.trailer["/Root"].get_object().get("/AcroForm")  # type: ignore[union-attr]
    form = form.get_object() if form is not None else None
    if isinstance(form, DictionaryObject):
        visit(form.get("/DR"), 0, "form field")
    by_name: dict[str, FontFact] = {}
    for fact in found.values():  # one entry per font; the form's when only the form uses it
        if fact.name not in by_name or not fact.embedded:
            by_name[fact.name] = fact
    return list(by_name.values())


def _operands(content: bytes, end: int, count: int) -> list[float] | None:
    tokens = content[max(0, end - 80) : end].split()[-count:]
    try:
        return [float(t) for t in tokens] if len(tokens) == count else None
    except ValueError:
        return None


def _stream_ops(content: bytes, facts: PageFacts) -> None:
    for match in _RGB_OP.finditer(content):
        if _operands(content, match.start() + 1, 3) is not None:
            facts.rgb_operators += 1
    facts.rgb_operators += len(_RGB_CS.findall(content))
    for match in _CMYK_OP.finditer(content):
        values = _operands(content, match.start() + 1, 4)
        if values is not None:
            facts.cmyk_max_ink = max(facts.cmyk_max_ink, sum(values) * 100)


def _pdfium_objects(path: Path, pages: list[PageFacts], read_text: bool = True) -> None:
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    document = pdfium.PdfDocument(path)
    try:
        for index, page in enumerate(document):
            facts = pages[index]
            textpage = page.get_textpage() if read_text else None
            kinds = None if read_text else [raw.FPDF_PAGEOBJ_IMAGE]
            for obj in page.get_objects(kinds, max_depth=8):
                if obj.type == raw.FPDF_PAGEOBJ_TEXT and len(facts.text) >= MAX_TEXT_RUNS:
                    facts.text_skipped += 1
                elif obj.type == raw.FPDF_PAGEOBJ_TEXT and textpage is not None:
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
                elif obj.type == raw.FPDF_PAGEOBJ_IMAGE:
                    left, bottom, right, top = obj.get_bounds()
                    try:
                        width, height = obj.get_px_size()
                    except Exception:  # an image pdfium cannot measure: skip it
                        continue
                    facts.images.append(
                        ImagePlacement(Box(left, bottom, right, top), (int(width), int(height)))
                    )
            if textpage is not None:
                textpage.close()
    finally:
        document.close()


def _page_facts(number: int, page: DictionaryObject) -> PageFacts:
    media = _box(page.mediabox)  # type: ignore[attr-defined]
    if max(media.w, media.h) > MAX_PAGE_PT:
        raise TooBig(
            f"page {number} is {media.w / 72:.0f} × {media.h / 72:.0f} inches;"
            f" the largest page a PDF can hold is {MAX_PAGE_PT / 72:.0f} inches"
        )
    trim = _box(page["/TrimBox"]) if "/TrimBox" in page else None
    bleed = _box(page["/BleedBox"]) if "/BleedBox" in page else None
    facts = PageFacts(number, media, trim, bleed)
    resources = walk(page.get("/Resources"))
    contents = page.get_contents()  # type: ignore[attr-defined]
    streams = [contents.get_data()] if contents is not None else []
    streams += resources.streams
    for data in streams:
        _stream_ops(data, facts)
        painted = scan(data, resources)
        facts.white_overprint += painted.white_overprints
        facts.cmyk_max_ink = max(facts.cmyk_max_ink, painted.max_ink)
    facts.rgb_spaces = list(dict.fromkeys(resources.rgb))
    facts.spots = sorted(resources.spots)
    facts.transparency = list(dict.fromkeys(resources.transparency))
    for annotation in page.get("/Annots", []) or []:
        annotation = annotation.get_object()
        if isinstance(annotation, DictionaryObject):
            facts.annotations.append(str(annotation.get("/Subtype", "?")))
    return facts


def _object_count(reader: PdfReader) -> int:
    try:
        return int(reader.trailer.get("/Size", 0))
    except (TypeError, ValueError):
        return 0


def read_facts(path: Path, text: bool = True) -> PdfFacts:
    """Everything the checks need from one PDF; raises ValueError if unreadable or too big.

    Without ``text``, the positioned text runs are not read (a build's preflight: the
    layout has placed and checked every run).
    """
    try:
        reader = PdfReader(path)
        if _object_count(reader) > MAX_OBJECTS:
            raise TooBig(f"the PDF has over {MAX_OBJECTS:,} objects; it is not checked")
        count = len(reader.pages)
        if count > MAX_PAGES:
            raise TooBig(f"the PDF has {count} pages; the preflight reads at most {MAX_PAGES}")
        pages = [_page_facts(n, page) for n, page in enumerate(reader.pages, start=1)]
        fonts = _fonts(reader)
        title = reader.metadata.title if reader.metadata else None
        has_forms = "/AcroForm" in reader.trailer["/Root"].get_object()  # type: ignore[operator]
    except (TooBig, MemoryError):
        raise
    except Exception as exc:  # any parse failure of a foreign file becomes a report
        raise ValueError(f"cannot read the PDF ({type(exc).__name__}: {exc})") from None
    if pages:
        try:
            _pdfium_objects(path, pages, text)
        except MemoryError:
            raise
        except Exception as exc:  # pdfium refuses what pypdf read: still a report
            raise ValueError(f"cannot read the PDF ({type(exc).__name__}: {exc})") from None
    return PdfFacts(path, pages, fonts, title, has_forms, reader)
