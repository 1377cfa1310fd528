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
    annotations: list[str] = field(default_factory=list)
    text: list[TextRun] = field(default_factory=list)
    images: list[ImagePlacement] = field(default_factory=list)


@dataclass
class FontFact:
    name: str
    embedded: bool
    subset: bool


@dataclass
class PdfFacts:
    path: Path
    pages: list[PageFacts]
    fonts: list[FontFact]
    title: str | None
    has_forms: bool


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
_CMYK_OP = re.compile(rb"[\d.]\s+[kK](?=\s|$)")


def _fonts(reader: PdfReader) -> list[FontFact]:
    found: dict[str, FontFact] = {}

    def visit(resources: object, depth: int = 0) -> None:
        if isinstance(resources, IndirectObject):
            resources = resources.get_object()
        if not isinstance(resources, DictionaryObject) or depth > 8:
            return
        fonts = resources.get("/Font")
        fonts = fonts.get_object() if fonts is not None else {}
        for font in fonts.values():
            font = font.get_object()
            name = str(font.get("/BaseFont", "?"))
            descriptor = font.get("/FontDescriptor")
            if descriptor is None and "/DescendantFonts" in font:
                descendant = font["/DescendantFonts"]
                descendant = descendant.get_object() if descendant is not None else None
                if isinstance(descendant, ArrayObject) and descendant:
                    descriptor = descendant[0].get_object().get("/FontDescriptor")
            descriptor = descriptor.get_object() if descriptor is not None else None
            subtype = str(font.get("/Subtype", ""))
            embedded = subtype == "/Type3" or (
                descriptor is not None
                and any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
            )
            found[name] = FontFact(name, embedded, bool(re.match(r"^/[A-Z]{6}\+", name)))
        xobjects = resources.get("/XObject")
        xobjects = xobjects.get_object() if xobjects is not None else {}
        for xobject in xobjects.values():
            xobject = xobject.get_object()
            if xobject.get("/Subtype") == "/Form":
                visit(xobject.get("/Resources"), depth + 1)

    for page in reader.pages:
        visit(page.get("/Resources"))
    return list(found.values())


def _colour_spaces(resources: object) -> list[str]:
    """RGB colour spaces used by images or declared for painting."""
    if isinstance(resources, IndirectObject):
        resources = resources.get_object()
    spaces: list[str] = []
    if not isinstance(resources, DictionaryObject):
        return spaces
    xobjects = resources.get("/XObject")
    for name, xobject in (xobjects.get_object() if xobjects is not None else {}).items():
        xobject = xobject.get_object()
        space = xobject.get("/ColorSpace")
        space = space.get_object() if isinstance(space, IndirectObject) else space
        if xobject.get("/Subtype") == "/Image" and "RGB" in str(space):
            spaces.append(f"image {name} in {space}")
        if xobject.get("/Subtype") == "/Form":
            spaces.extend(_colour_spaces(xobject.get("/Resources")))
    declared = resources.get("/ColorSpace")
    for name, space in (declared.get_object() if declared is not None else {}).items():
        if "RGB" in str(space.get_object() if isinstance(space, IndirectObject) else space):
            spaces.append(f"colour space {name}")
    return spaces


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
    for match in _CMYK_OP.finditer(content):
        values = _operands(content, match.start() + 1, 4)
        if values is not None:
            facts.cmyk_max_ink = max(facts.cmyk_max_ink, sum(values) * 100)


def _pdfium_objects(path: Path, pages: list[PageFacts]) -> None:
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    document = pdfium.PdfDocument(path)
    try:
        for index, page in enumerate(document):
            facts = pages[index]
            textpage = page.get_textpage()
            for obj in page.get_objects(max_depth=8):
                if obj.type == raw.FPDF_PAGEOBJ_TEXT:
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
            textpage.close()
    finally:
        document.close()


def read_facts(path: Path) -> PdfFacts:
    """Everything the checks need from one PDF; raises ValueError if unreadable."""
    try:
        reader = PdfReader(path)
        pages: list[PageFacts] = []
        for number, page in enumerate(reader.pages, start=1):
            media = _box(page.mediabox)
            trim = _box(page["/TrimBox"]) if "/TrimBox" in page else None
            bleed = _box(page["/BleedBox"]) if "/BleedBox" in page else None
            facts = PageFacts(number, media, trim, bleed)
            contents = page.get_contents()
            if contents is not None:
                _stream_ops(contents.get_data(), facts)
            resources = page.get("/Resources")
            resources = resources.get_object() if resources is not None else None
            if isinstance(resources, DictionaryObject):
                xobjects = resources.get("/XObject")
                for xobject in (xobjects.get_object() if xobjects is not None else {}).values():
                    xobject = xobject.get_object()
                    if xobject.get("/Subtype") == "/Form":
                        _stream_ops(xobject.get_data(), facts)
            facts.rgb_spaces = _colour_spaces(resources)
            for annotation in page.get("/Annots", []) or []:
                annotation = annotation.get_object()
                facts.annotations.append(str(annotation.get("/Subtype", "?")))
            pages.append(facts)
        fonts = _fonts(reader)
        title = reader.metadata.title if reader.metadata else None
        has_forms = "/AcroForm" in reader.trailer["/Root"].get_object()  # type: ignore[operator]
    except Exception as exc:  # any parse failure of a foreign file becomes a report
        raise ValueError(f"cannot read the PDF ({type(exc).__name__}: {exc})") from None
    _pdfium_objects(path, pages)
    return PdfFacts(path, pages, fonts, title, has_forms)
