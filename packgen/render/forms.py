"""Placed form fields into AcroForm text fields whose font is an embedded project font.

ReportLab's form fields take only the standard 14 fonts, which PDF files do
not embed. Here the field's own face (a registered TrueType font) is written
once per document as a complete, embedded TrueType font with WinAnsi
encoding, so that a viewer can show any Latin text typed into the field.
It goes into the AcroForm's default resources (``/DR``), the field's default
appearance (``/DA``) and its appearance stream, in place of Helvetica.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from reportlab.lib.colors import transparent
from reportlab.pdfbase import pdfdoc
from reportlab.pdfbase.pdfmetrics import getFont

from packgen.layout.placed import PlacedField
from packgen.render.ink import ink

FIRST, LAST = 32, 255  # the WinAnsi codes a form font covers


def _width(face: Any, code: int) -> int:
    try:
        char = bytes([code]).decode("cp1252")
    except UnicodeDecodeError:
        return 0
    width: float = face.charWidths.get(ord(char), face.defaultWidth)
    return round(width)


def _font_objects(doc: Any, face_name: str, internal: str) -> str:
    """The font, its descriptor and its file as objects of ``doc``; the font's reference."""
    face = getFont(face_name).face
    data = Path(face.filename).read_bytes()
    base = face.name.decode("latin-1") if isinstance(face.name, bytes) else str(face.name)
    file = pdfdoc.PDFStream()
    file.content = data
    file.dictionary["Length1"] = len(data)
    if doc.compression:
        file.filters = [pdfdoc.PDFZCompress]
    descriptor = pdfdoc.PDFDictionary(
        {
            "Type": pdfdoc.PDFName("FontDescriptor"),
            "FontName": pdfdoc.PDFName(base),
            "Flags": 32,  # nonsymbolic: WinAnsi encoding applies
            "FontBBox": pdfdoc.PDFArray(list(face.bbox)),
            "ItalicAngle": face.italicAngle,
            "Ascent": face.ascent,
            "Descent": face.descent,
            "CapHeight": face.capHeight,
            "StemV": face.stemV,
            "FontFile2": doc.Reference(file, f"formFontFile:{internal}"),
        }
    )
    font = pdfdoc.PDFDictionary(
        {
            "Type": pdfdoc.PDFName("Font"),
            "Subtype": pdfdoc.PDFName("TrueType"),
            "BaseFont": pdfdoc.PDFName(base),
            "Name": pdfdoc.PDFName(internal),
            "FirstChar": FIRST,
            "LastChar": LAST,
            "Widths": pdfdoc.PDFArray([_width(face, code) for code in range(FIRST, LAST + 1)]),
            "Encoding": pdfdoc.PDFName("WinAnsiEncoding"),
            "FontDescriptor": doc.Reference(descriptor, f"formFontDescriptor:{internal}"),
        }
    )
    ref = doc.Reference(font, f"formFont:{internal}").format(doc)
    return ref.decode("ascii") if isinstance(ref, bytes) else str(ref)


class _EmbeddedForm:
    """Makes an AcroForm use embedded faces: replaces its standard-14-only ``makeFont``."""

    def __init__(self, form: Any) -> None:
        self.form = form
        self.made: dict[str, tuple[str, str]] = {}

    def make_font(self, face_name: str | None) -> tuple[str, str]:
        if face_name is None:
            raise ValueError("a form field needs an embedded face")
        found = self.made.get(face_name)
        if found is None:
            internal = f"PGF{len(self.made)}"
            ref = _font_objects(self.form.canv._doc, face_name, internal)
            found = self.made[face_name] = (ref, internal)
            self.form.fonts[internal] = ref
        return found


def text_field(canvas: Any, item: PlacedField, cmyk: bool) -> None:
    """A borderless, transparent fillable field over its printed line, in its own face."""
    form = canvas.acroForm
    if not isinstance(getattr(form, "_packgen", None), _EmbeddedForm):
        form._packgen = _EmbeddedForm(form)
        form.makeFont = form._packgen.make_font
    r = item.rect
    form.textfield(
        name=item.name,
        tooltip=item.tooltip,
        x=r.x,
        y=r.y,
        width=r.w,
        height=r.h,
        relative=False,
        borderWidth=0,
        fillColor=transparent,
        borderColor=transparent,
        textColor=ink(item.colour, cmyk),
        fontName=item.font,
        fontSize=item.size,
        maxlen=item.max_length,
    )
