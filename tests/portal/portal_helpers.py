"""Shared helpers for the portal tests: form data, crafted files, reading pages."""

from __future__ import annotations

import html
import io
import re
import struct
import zlib
from pathlib import Path

from PIL import Image

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples" / "orgs"

GOOD = {
    "name": "Riverside Family Hub",
    "website": "https://riverside.example.org",
    "support_name": "Riverside Parent-Infant Team",
    "support_url": "https://riverside.example.org/parent-infant",
    "support_phone": "0114 496 0000",
}


def svg_logo() -> bytes:
    return (EXAMPLES / "riverside-logo.svg").read_bytes()


def png_logo(width: int = 240, height: int = 80) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (14, 124, 123)).save(buffer, format="PNG")
    return buffer.getvalue()


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def bomb_png(side: int = 30_000) -> bytes:
    """A small PNG whose header claims ``side``×``side`` pixels (a decompression bomb)."""
    header = struct.pack(">IIBBBBB", side, side, 8, 0, 0, 0, 0)  # 8-bit greyscale
    rows = zlib.compress(b"\x00" * (side + 1) * 4, 9)  # a few rows; the rest is implied
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", rows)
        + _chunk(b"IEND", b"")
    )


def files(logo: bytes | None = None, filename: str = "logo.svg", kind: str = "image/svg+xml"):  # type: ignore[no-untyped-def]
    return {"logo": (filename, svg_logo() if logo is None else logo, kind)}


def group(page: str, name: str) -> str:
    """The HTML of one form field's group (label, hint, errors, input)."""
    match = re.search(rf'<div class="field[^"]*" id="group-{name}">(.*?)</div>', page, re.S)
    assert match, f"no field group {name}"
    return match.group(1)


def field_errors(page: str, name: str) -> list[str]:
    found = re.findall(r'<p class="error" id="error-[^"]+">(.*?)</p>', group(page, name), re.S)
    return [html.unescape(re.sub(r"<[^>]+>", "", text)).strip() for text in found]


def fieldset(page: str, name: str) -> str:
    """The HTML of one group of choices (legend, hint, errors, boxes)."""
    match = re.search(rf'<fieldset[^>]* id="group-{name}"[^>]*>(.*?)</fieldset>', page, re.S)
    assert match, f"no fieldset {name}"
    return match.group(1)


def field_errors_of(page: str, name: str) -> list[str]:
    """The error messages inside a group of choices, as text."""
    found = re.findall(r'<p class="error" id="error-[^"]+">(.*?)</p>', fieldset(page, name), re.S)
    return [html.unescape(re.sub(r"<[^>]+>", "", text)).strip() for text in found]
