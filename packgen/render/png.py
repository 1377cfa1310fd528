"""Placed single-page documents into PNG images (sRGB), through the PDF writer and pdfium.

A PNG holds one page, so a document of several pages is refused, naming the
count; press output (CMYK) is refused too, as PNG is a screen format. The
page is rasterised at :data:`~packgen.units.PX_DPI` (96 dpi), so one ``px``
of the layout is one pixel of the image: a 1080 px wide layout is a 1080
pixel wide image, its text drawn at its final pixel size (a 2× banner is its
layout's 2× size, drawn at twice the pixel density). The file carries an
``sRGB`` chunk and nothing else: no text, time or software metadata, so the
same input gives the same bytes.
"""

from __future__ import annotations

import io

from PIL import Image, PngImagePlugin

from packgen.colour import Colour
from packgen.errors import error
from packgen.layout.placed import PlacedDocument
from packgen.render import pdf
from packgen.render.raster import pages
from packgen.units import PX, PX_DPI

SRGB_PERCEPTUAL = b"\x00"  # the sRGB chunk's rendering intent


def write(document: PlacedDocument, palette: dict[str, Colour]) -> bytes:
    """The document's one page as PNG bytes, one pixel per ``px``."""
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
    media = document.pages[0].media
    size = (round(media.w / PX), round(media.h / PX))
    image = next(pages(pdf.render(document, palette), dpi=PX_DPI))
    if image.size != size:  # pdfium rounds the page up to whole pixels; keep the layout's size
        image = image.crop((0, 0, *size)) if image.width >= size[0] else image.resize(size)
    return encode(image)


def encode(image: Image.Image) -> bytes:
    """``image`` as an RGB PNG with an sRGB chunk and no other metadata."""
    info = PngImagePlugin.PngInfo()
    info.add(b"sRGB", SRGB_PERCEPTUAL)
    clean = Image.new("RGB", image.size)
    clean.paste(image.convert("RGB"))
    buffer = io.BytesIO()
    clean.save(buffer, "PNG", optimize=True, pnginfo=info)
    return buffer.getvalue()
