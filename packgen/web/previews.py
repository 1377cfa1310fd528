"""Pictures of a built pack's products: the ready page's previews, the zip's thumbnails
and the larger picture a preview opens (drawn with pdfium from the first page)."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from packgen.render.write import write_atomic

PREVIEW_WIDTH, LARGE_WIDTH = 640, 1240  # pixels: the ready page's preview, and the one it opens


def first_page(pdf: Path, width: int) -> Any:
    """The first page of ``pdf`` as an RGB image ``width`` pixels wide."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(pdf)
    try:
        page = document[0]
        image = page.render(scale=width / page.get_width()).to_pil().convert("RGB")
        page.close()
        return image
    finally:
        document.close()


def render_previews(
    files: list[Any], folder: Path, suffix: str = ""
) -> tuple[list[dict[str, Any]], dict[str, bytes]]:
    """The first page of each product at a readable size, for the ready page; and the
    zip's thumbnails (PNG bytes by product), drawn from the same image.

    Drawn from the product's first office file as listed (no crop marks), or its
    first print-shop file when no office version was chosen. The larger picture
    each preview opens is only named here: the server draws it the first time it
    is asked for (:func:`render_large`), so a pack is ready sooner.
    """
    import io

    from packgen.distribute.bundle import THUMBNAIL_WIDTH

    chosen: dict[str, Any] = {}
    pdfs = [f for f in files if f.path.suffix == ".pdf"]  # an image is its own preview
    for file in sorted(pdfs, key=lambda f: f.profile != "office"):
        chosen.setdefault(file.product, file)
    found: list[dict[str, Any]] = []
    thumbnails: dict[str, bytes] = {}
    for product, source in chosen.items():
        name = f"{product}{suffix}.png"
        entry: dict[str, Any] = {
            "product": product,
            "pdf": source.path.name,
            "source": source.path.relative_to(folder.parent).as_posix(),
            "large": f"{product}{suffix}-large.jpg",
        }
        # PNG keeps small text crisp; the zip's thumbnail is the same picture, smaller
        image = first_page(source.path, PREVIEW_WIDTH)
        buffer = io.BytesIO()
        image.save(buffer, format="PNG", compress_level=1)
        write_atomic(folder / name, buffer.getvalue())
        entry["file"] = name
        entry["width"], entry["height"] = image.size
        small = image.resize(
            (THUMBNAIL_WIDTH, max(1, round(image.height * THUMBNAIL_WIDTH / image.width)))
        )
        buffer = io.BytesIO()
        small.save(buffer, format="PNG", compress_level=6)
        thumbnails[product] = buffer.getvalue()
        found.append(entry)
    return found, thumbnails


_LARGE_LOCK = threading.Lock()  # pdfium is not thread-safe


def render_large(pdf: Path, out: Path) -> Path:
    """The larger picture of a preview (``LARGE_WIDTH`` pixels, JPEG: ten times faster to
    write than PNG, half the bytes), drawn from ``pdf`` into ``out`` once."""
    import io

    with _LARGE_LOCK:
        if not out.is_file():
            image = first_page(pdf, LARGE_WIDTH)
            buffer = io.BytesIO()
            image.save(buffer, format="JPEG", quality=88)
            write_atomic(out, buffer.getvalue())
    return out
