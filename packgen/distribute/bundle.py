"""Download bundles: a reproducible zip of a pack with thumbnails and a manifest.

The zip holds the press and office PDFs under ``pdf/``, the digital kit
under ``digital/`` (banner and social images, each with its JSON sidecar,
the banner's HTML snippet, and ``HOW-TO-USE.txt`` from the copy files), a
PNG thumbnail of each product, ``manifest.json`` (product, size, profile,
pages, bytes, sha256, QR targets, and alt text for images) and a plain-text
note on how to print the pack (from the copy files).
"""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

from packgen.build import BuiltFile
from packgen.model.profiles import PROFILES
from packgen.render.manifest import FileEntry, read_manifest
from packgen.render.raster import pages
from packgen.render.write import write_atomic
from packgen.resolve.content import Content

THUMBNAIL_WIDTH = 360  # pixels
FIXED_TIME = (2024, 6, 10, 0, 0, 0)  # zip entries carry no wall-clock time
NOTE_KEY = "bundle.how_to_print"
DIGITAL_NOTE_KEY = "digital.how_to_use"


def thumbnail(pdf: Path, width: int = THUMBNAIL_WIDTH) -> bytes:
    """PNG of the PDF's first page (or of a PNG image), ``width`` pixels wide."""
    import pikepdf

    if pdf.suffix == ".png":
        from PIL import Image

        with Image.open(pdf) as source:
            small = source.convert("RGB")
        small = small.resize((width, max(1, round(small.height * width / small.width))))
        out = io.BytesIO()
        small.save(out, format="PNG", optimize=True)
        return out.getvalue()

    with pikepdf.open(pdf) as document:
        left, _, right, _ = (float(v) for v in document.pages[0].mediabox)
    page_width = abs(right - left)
    image = next(pages(pdf, dpi=width / page_width * 72))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def _build_folder(file: BuiltFile) -> Path:
    """The build's output folder (where its manifest is) for a built file."""
    return file.path.parent.parent if folder_of(file) == "digital" else file.path.parent


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
    pdfs = [file for file in files if file.path.suffix != ".html"]  # a page has no picture
    for file in sorted(pdfs, key=lambda f: (cmyk(f), f.bytes)):
        chosen.setdefault(file.product, file)
    return chosen


def folder_of(file: BuiltFile) -> str:
    """Where a built file goes in the bundle: ``digital`` images, ``html`` pages, else ``pdf``."""
    if file.path.suffix == ".html":
        return "html"
    return "digital" if file.path.suffix == ".png" else "pdf"


def _note(content: Content, key: str) -> bytes | None:
    if not content.has(key):
        return None
    note = content.copy[key]
    for name, value in content.data.items():
        note = note.replace("{" + name + "}", value)
    return note.encode("utf-8")


def make_bundle(
    zip_path: Path,
    files: list[BuiltFile],
    content: Content,
    title: str,
    thumbnails: dict[str, bytes] | None = None,
) -> Path:
    """Write ``zip_path`` with the built files, thumbnails, manifest and notes.

    ``thumbnails`` (PNG bytes by product), when given, are used instead of
    drawing them again (the portal has drawn its previews already).
    """
    entries: dict[str, FileEntry] = {}
    for folder in dict.fromkeys(_build_folder(file) for file in files):
        entries.update(read_manifest(folder))

    def entry(file: BuiltFile) -> FileEntry | None:
        name = file.path.name if folder_of(file) == "pdf" else f"digital/{file.path.name}"
        return entries.get(name) or entries.get(file.path.name)

    manifest = {
        "title": title,
        "files": [
            {
                "file": f"{folder_of(file)}/{file.path.name}",
                "product": file.product,
                "size": file.size,
                "profile": file.profile,
                "pages": file.pages,
                "bytes": file.bytes,
                "sha256": found.sha256 if (found := entry(file)) else None,
                "qr_targets": list(file.qr_urls),
                **({"alt": file.alt} if file.alt else {}),
                **(
                    {"with": [f"{folder_of(file)}/{extra.name}" for extra in file.extras]}
                    if file.extras
                    else {}
                ),
            }
            for file in sorted(files, key=lambda f: f.path.name)
        ],
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for file in sorted(files, key=lambda f: f.path.name):
            _add(archive, f"{folder_of(file)}/{file.path.name}", file.path.read_bytes())
            for extra in file.extras:
                _add(archive, f"{folder_of(file)}/{extra.name}", extra.read_bytes())
        for product, source in sorted(_thumbnail_source(files).items()):
            made = (thumbnails or {}).get(product)
            _add(archive, f"thumbnails/{product}.png", made or thumbnail(source.path))
        _add(archive, "manifest.json", (json.dumps(manifest, indent=2) + "\n").encode())
        note = _note(content, NOTE_KEY)
        if note is not None:
            _add(archive, "HOW-TO-PRINT.txt", note)
        digital_note = _note(content, DIGITAL_NOTE_KEY)
        if digital_note is not None and any(folder_of(f) == "digital" for f in files):
            _add(archive, "digital/HOW-TO-USE.txt", digital_note)
    write_atomic(zip_path, buffer.getvalue())
    return zip_path
