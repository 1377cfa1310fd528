"""PDF pages into images (pypdfium2), and QR codes read back from them (zxing-cpp).

Used by ``packgen check`` and previews, and by the tests: every QR code must
decode to its exact URL from the rasterised page.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from PIL import Image


def pages(pdf: Path | bytes, dpi: float = 150) -> Iterator[Image.Image]:
    """Each page of ``pdf`` as an RGB image at ``dpi``."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(pdf)
    try:
        for page in document:
            bitmap = page.render(scale=dpi / 72)
            yield bitmap.to_pil().convert("RGB")
            page.close()
    finally:
        document.close()


def decode_qr(image: Image.Image) -> list[str]:
    """Texts of every QR code found in ``image``, top to bottom, left to right."""
    import zxingcpp

    found = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)  # type: ignore[arg-type]
    ordered = sorted(found, key=lambda r: (r.position.top_left.y, r.position.top_left.x))
    return [result.text for result in ordered]


def decode_pdf_qr(pdf: Path | bytes, dpi: float = 150) -> list[list[str]]:
    """QR texts per page."""
    return [decode_qr(image) for image in pages(pdf, dpi)]
