"""Placed single-page documents into PNG images (sRGB), through the PDF writer and pdfium.

A PNG holds one page, so a document of several pages is refused, naming the
count; press output (CMYK) is refused too, as PNG is a screen format. The
image is drawn at ``DPI``: the page's size in points sets its pixel size.
"""

from __future__ import annotations

import io

from packgen.colour import Colour
from packgen.errors import error
from packgen.layout.placed import PlacedDocument
from packgen.render import pdf
from packgen.render.raster import pages

DPI = 150


def write(document: PlacedDocument, palette: dict[str, Colour]) -> bytes:
    """The document's one page as PNG bytes."""
    if len(document.pages) != 1:
        raise error(
            f"a PNG holds one page; '{document.name}' has {len(document.pages)}",
            hint="write this product as PDF, or make a one-page layout for the image",
        )
    if document.cmyk:
        raise error(
            f"a PNG is sRGB; '{document.name}' was laid out for CMYK (press)",
            hint="use a profile with cmyk off for PNG output",
        )
    image = next(pages(pdf.render(document, palette), dpi=DPI))
    buffer = io.BytesIO()
    image.save(buffer, "PNG", optimize=True)
    return buffer.getvalue()
