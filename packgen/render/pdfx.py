"""A ReportLab canvas that writes PDF/X-4 (ISO 15930-7): press output for one printing condition.

``PdfxCanvas`` is a ReportLab ``Canvas`` that adds, when it saves:

- the output intent: ``/OutputIntents [<< /Type /OutputIntent /S /GTS_PDFX
  /OutputConditionIdentifier … /OutputCondition … /RegistryName … /Info …
  /DestOutputProfile <ICC stream, /N 4> >>]`` in the catalog;
- ``/GTS_PDFXVersion (PDF/X-4)`` and ``/Trapped /False`` in the Info dictionary;
- an XMP metadata stream (uncompressed) with ``pdfxid:GTS_PDFXVersion``, the
  same title, author, subject, keywords, producer, creator, dates and trapped
  state as the Info dictionary, and ``xmpMM:DocumentID`` / ``VersionID`` /
  ``RenditionClass``;
- a document ``/ID`` made from the inputs: ReportLab's invariant-mode digest
  (metadata and fixed date) updated with every page's content stream and the
  output profile, so two different files never share an ID and the same
  inputs give the same bytes.

Everything else PDF/X-4 asks of the content (TrimBox and BleedBox, embedded
fonts, CMYK only, no annotations, actions or forms) is the render stage's job;
``packgen check`` (``check.press``) verifies every clause on the written file.
"""

from __future__ import annotations

import hashlib
import re
import uuid
from typing import Any

from reportlab.lib.colors import CMYKColor, CMYKColorSep
from reportlab.pdfbase.pdfdoc import (
    XMP,
    PDFArray,
    PDFCatalog,
    PDFDictionary,
    PDFInfo,
    PDFName,
    PDFString,
)
from reportlab.pdfgen.canvas import Canvas
from reportlab.pdfgen.textobject import PDFTextObject

from packgen.render.serialised import flate_stream
from packgen.resolve.icc import OutputCondition
from packgen.xmltext import escape

PDFX_VERSION = "PDF/X-4"
XMP_NAMESPACES = {
    "dc": "http://purl.org/dc/elements/1.1/",
    "pdf": "http://ns.adobe.com/pdf/1.3/",
    "xmp": "http://ns.adobe.com/xap/1.0/",
    "xmpMM": "http://ns.adobe.com/xap/1.0/mm/",
    "pdfxid": "http://www.npes.org/pdfx/ns/id/",
}


class _PdfxInfo(PDFInfo):  # type: ignore[misc]
    """ReportLab's Info dictionary plus the PDF/X version key."""

    def format(self, document: Any) -> bytes:
        formatted: bytes = super().format(document)
        # the dictionary ends with '>>'; the key goes in just before it
        head, _, _ = formatted.rpartition(b">>")
        key: bytes = PDFString(PDFX_VERSION).format(document)
        return head.rstrip() + b"\n/GTS_PDFXVersion " + key + b"\n>>"


class _PdfxCatalog(PDFCatalog):  # type: ignore[misc]
    """ReportLab's catalog, which may also carry ``/OutputIntents``."""

    __NoDefault__ = [*PDFCatalog.__NoDefault__, "OutputIntents"]
    __Refs__ = PDFCatalog.__Refs__


class _Metadata(XMP):  # type: ignore[misc]
    """The XMP stream, never compressed (so any reader can find the PDF/X identification)."""

    def format(self, document: Any) -> bytes:
        self.filters: list[Any] = []
        self.content = self.makeContent(document)
        self.dictionary["Length"] = len(self.content)
        fd = self.dictionary.format(document)
        return fd + b"\nstream\n" + self.content + b"\nendstream\n"  # type: ignore[no-any-return]


def _date(document: Any) -> str:
    """The document's date (ReportLab's fixed one in invariant mode) as XMP writes it."""
    stamp = document._timeStamp
    y, mo, d, h, mi, s = stamp.YMDhms
    sign = "+" if stamp.dhh >= 0 else "-"
    zone = f"{sign}{abs(stamp.dhh):02d}:{stamp.dmm:02d}"
    return f"{y:04d}-{mo:02d}-{d:02d}T{h:02d}:{mi:02d}:{s:02d}{zone}"


def document_uuid(file_id: bytes) -> str:
    """The XMP document ID that matches the PDF's /ID: the same 16 bytes as a UUID."""
    return f"uuid:{uuid.UUID(bytes=file_id[:16])}"


def _file_id(document: Any) -> bytes:
    """The 16 bytes of the trailer's /ID (ReportLab formats it once and keeps it)."""
    formatted: bytes = document.ID()
    found = re.search(rb"<([0-9A-Fa-f]{32})>", formatted)
    if found is None:  # pragma: no cover - ReportLab always writes a hex string
        raise ValueError("cannot read the document ID ReportLab made")
    return bytes.fromhex(found.group(1).decode())


def xmp_packet(document: Any) -> bytes:
    """The XMP packet of ``document``, from the same values as its Info dictionary."""
    info = document.info
    when = _date(document)
    doc_id = document_uuid(_file_id(document))
    lang = "x-default"
    fields = [
        "<dc:format>application/pdf</dc:format>",
        f'<dc:title><rdf:Alt><rdf:li xml:lang="{lang}">{escape(info.title)}</rdf:li>'
        "</rdf:Alt></dc:title>",
        f"<dc:creator><rdf:Seq><rdf:li>{escape(info.author)}</rdf:li></rdf:Seq></dc:creator>",
        f'<dc:description><rdf:Alt><rdf:li xml:lang="{lang}">{escape(info.subject)}</rdf:li>'
        "</rdf:Alt></dc:description>",
        f"<pdf:Keywords>{escape(info.keywords)}</pdf:Keywords>",
        f"<pdf:Producer>{escape(info.producer)}</pdf:Producer>",
        f"<pdf:Trapped>{escape(info.trapped)}</pdf:Trapped>",
        f"<xmp:CreatorTool>{escape(info.creator)}</xmp:CreatorTool>",
        f"<xmp:CreateDate>{when}</xmp:CreateDate>",
        f"<xmp:ModifyDate>{when}</xmp:ModifyDate>",
        f"<xmp:MetadataDate>{when}</xmp:MetadataDate>",
        f"<xmpMM:DocumentID>{doc_id}</xmpMM:DocumentID>",
        f"<xmpMM:InstanceID>{doc_id}</xmpMM:InstanceID>",
        "<xmpMM:VersionID>1</xmpMM:VersionID>",
        "<xmpMM:RenditionClass>default</xmpMM:RenditionClass>",
        f"<pdfxid:GTS_PDFXVersion>{PDFX_VERSION}</pdfxid:GTS_PDFXVersion>",
    ]
    namespaces = " ".join(f'xmlns:{k}="{v}"' for k, v in XMP_NAMESPACES.items())
    text = (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/">\n'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n'
        f'<rdf:Description rdf:about="" {namespaces}>\n'
        + "\n".join(fields)
        + "\n</rdf:Description>\n</rdf:RDF>\n</x:xmpmeta>\n"
        + '<?xpacket end="r"?>'
    )
    return text.encode("utf-8")


def output_intent(document: Any, condition: OutputCondition) -> PDFArray:
    """The catalog's /OutputIntents array: one GTS_PDFX intent with the embedded profile."""
    # deflated once per process (the same profile in every press file)
    profile = flate_stream(
        PDFDictionary({"N": 4, "Alternate": PDFName("DeviceCMYK")}), condition.data
    )
    entries: dict[str, object] = {
        "Type": PDFName("OutputIntent"),
        "S": PDFName("GTS_PDFX"),
        "OutputConditionIdentifier": PDFString(condition.identifier),
        "OutputCondition": PDFString(condition.condition),
        "Info": PDFString(condition.description),
        "DestOutputProfile": document.Reference(profile, "PackgenOutputProfile"),
    }
    if condition.registry:
        entries["RegistryName"] = PDFString(condition.registry)
    intent = document.Reference(PDFDictionary(entries), "PackgenOutputIntent")
    return PDFArray([intent])


def is_solid_black(colour: object) -> bool:
    """Exactly 100% K and no other ink: what prepress overprints."""
    return (
        isinstance(colour, CMYKColor)
        and not isinstance(colour, CMYKColorSep)
        and (colour.cyan, colour.magenta, colour.yellow) == (0, 0, 0)
        and colour.black * colour.density >= 1
    )


def _state_name(canvas: Canvas, key: str, value: object) -> str:
    """The page's ExtGState resource name for ``key = value`` (ReportLab's own naming)."""
    states = canvas._extgstate
    shown = str(value).lower() if isinstance(value, bool) else value
    token = (key, shown)
    if token not in states._c:
        states._c[token] = f"gRLs{len(states._c)}"
    states._d[key] = value
    return str(states._c[token])


class _PdfxText(PDFTextObject):  # type: ignore[misc]
    """A text object whose colour changes also set fill overprint, inside BT … ET."""

    def setFillColor(self, aColor: Any, alpha: Any = None) -> None:
        super().setFillColor(aColor, alpha)
        black = is_solid_black(aColor)
        names = [_state_name(self._canvas, "OPM", 1)] if black else []
        names.append(_state_name(self._canvas, "op", black))
        self._code.append(" ".join(f"/{name} gs" for name in names))


class PdfxCanvas(Canvas):  # type: ignore[misc]
    """A ReportLab canvas whose saved file is PDF/X-4 for ``condition``."""

    def __init__(self, *args: Any, condition: OutputCondition, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        document = self._doc
        document.info.__class__ = _PdfxInfo
        document.info.trapped = "False"
        document.Catalog.__class__ = _PdfxCatalog
        document.updateSignature(condition.fingerprint)
        self.condition = condition

    def setFillColor(self, aColor: Any, alpha: Any = None) -> None:
        """Fills in 100% K overprint (ExtGState /op true, /OPM 1); all other fills knock out."""
        super().setFillColor(aColor, alpha)
        black = is_solid_black(aColor)
        if black:
            self._setOverprintMask(1)
        self._setFillOverprint(black)

    def setStrokeColor(self, aColor: Any, alpha: Any = None) -> None:
        """Strokes in 100% K overprint (ExtGState /OP true, /OPM 1)."""
        super().setStrokeColor(aColor, alpha)
        black = is_solid_black(aColor)
        if black:
            self._setOverprintMask(1)
        self._setStrokeOverprint(black)

    def knockout(self) -> None:
        """Overprint off, for what follows without a colour of its own (images, cached art)."""
        self._setFillOverprint(False)
        self._setStrokeOverprint(False)

    def beginText(self, x: float = 0, y: float = 0, direction: Any = None) -> _PdfxText:
        return _PdfxText(self, x, y, direction=direction)

    def showPage(self) -> None:
        # the page's operators (image and font names in them are content digests)
        self._doc.updateSignature(hashlib.sha256("\n".join(self._code).encode()).hexdigest())
        super().showPage()

    def save(self) -> None:
        document = self._doc
        catalog = document.Catalog
        catalog.OutputIntents = output_intent(document, self.condition)
        catalog.Metadata = _Metadata(creator=xmp_packet)
        super().save()
