"""Download bundles: a reproducible zip of a pack with thumbnails and a manifest.

The zip holds the press and office PDFs, a PNG thumbnail of each product,
``manifest.json`` (product, size, profile, pages, bytes, sha256, QR targets)
and a plain-text note on how to print the pack (from the copy files).
"""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

from packgen.build import BuiltFile
from packgen.model.profiles import PROFILES
from packgen.render.manifest import read_manifest
from packgen.render.raster import pages
from packgen.render.write import write_atomic
from packgen.resolve.content import Content

THUMBNAIL_WIDTH = 360  # pixels
FIXED_TIME = (2024, 6, 10, 0, 0, 0)  # zip entries carry no wall-clock time
NOTE_KEY = "bundle.how_to_print"


def thumbnail(pdf: Path, width: int = THUMBNAIL_WIDTH) -> bytes:
    """PNG of the PDF's first page, ``width`` pixels wide."""
    from pypdf import PdfReader

    page_width = float(PdfReader(pdf).pages[0].mediabox.width)
    image = next(pages(pdf, dpi=width / page_width * 72))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def _add(archive: zipfile.ZipFile, name: str, data: bytes) -> None:
    info = zipfile.ZipInfo(name, FIXED_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    archive.writestr(info, data)


def _thumbnail_source(files: list[BuiltFile]) -> dict[str, BuiltFile]:
    """Per product, the smallest sRGB (office) file, or any file, to draw a thumbnail from."""

    def cmyk(file: BuiltFile) -> bool:
        profile = PROFILES.get(file.profile)
        return profile is None or profile.cmyk

    chosen: dict[str, BuiltFile] = {}
    pdfs = [file for file in files if file.path.suffix == ".pdf"]
    for file in sorted(pdfs, key=lambda f: (cmyk(f), f.bytes)):
        chosen.setdefault(file.product, file)
    return chosen


def _folder(file: BuiltFile) -> str:
    """``pdf/`` for PDFs, ``html/`` for the web pages: each format in its own folder."""
    return file.path.suffix.lstrip(".") + "/"


def make_bundle(
    zip_path: Path,
    files: list[BuiltFile],
    content: Content,
    title: str,
    thumbnails: dict[str, bytes] | None = None,
) -> Path:
    """Write ``zip_path`` with the built files, thumbnails, manifest and print note.

    ``thumbnails`` (PNG bytes by product), when given, are used instead of
    drawing them again (the portal has drawn its previews already).
    """
    entries = read_manifest(files[0].path.parent) if files else {}
    manifest = {
        "title": title,
        "files": [
            {
                "file": _folder(file) + file.path.name,
                "product": file.product,
                "size": file.size,
                "profile": file.profile,
                "pages": file.pages,
                "bytes": file.bytes,
                "sha256": entries[file.path.name].sha256 if file.path.name in entries else None,
                "qr_targets": list(file.qr_urls),
            }
            for file in sorted(files, key=lambda f: f.path.name)
        ],
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for file in sorted(files, key=lambda f: f.path.name):
            _add(archive, _folder(file) + file.path.name, file.path.read_bytes())
        for product, source in sorted(_thumbnail_source(files).items()):
            made = (thumbnails or {}).get(product)
            _add(archive, f"thumbnails/{product}.png", made or thumbnail(source.path))
        _add(archive, "manifest.json", (json.dumps(manifest, indent=2) + "\n").encode())
        if content.has(NOTE_KEY):
            note = content.copy[NOTE_KEY]
            for key, value in content.data.items():
                note = note.replace("{" + key + "}", value)
            _add(archive, "HOW-TO-PRINT.txt", note.encode("utf-8"))
    write_atomic(zip_path, buffer.getvalue())
    return zip_path
