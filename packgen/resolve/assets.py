"""Asset files (SVG art, PNG/JPEG images) found safely and checked by content.

A path in a layout or profile is relative to its folder and may not leave it.
The file type is decided by the bytes, not the extension; raster images are
opened lazily by Pillow with a pixel limit (decompression-bomb guard).
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from xml.etree import ElementTree

from PIL import Image

from packgen.errors import Span, error

MAX_BYTES = 20 * 1024 * 1024
MAX_PIXELS = 50_000_000


@dataclass(frozen=True)
class Asset:
    path: Path
    kind: str  # "svg" or "raster"
    width: float  # intrinsic width: SVG user units, or pixels
    height: float


def inside(folder: Path, relative: str, span: Span | None, what: str = "asset") -> Path:
    """``folder/relative``, refusing absolute paths and any that leave ``folder``."""
    if not relative or Path(relative).is_absolute() or "\\" in relative:
        raise error(f"{what} path must be relative to its folder, found '{relative}'", span)
    base = folder.resolve()
    path = (base / relative).resolve()
    if not path.is_relative_to(base):
        raise error(
            f"{what} path '{relative}' leaves its folder", span, hint="remove the '..' parts"
        )
    return path


def _close_files(folder: Path, name: str) -> list[str]:
    if not folder.is_dir():
        return []
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())


@lru_cache(maxsize=256)
def _probe(path: Path, mtime_ns: int) -> Asset:
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise ValueError(f"file is {size / 1e6:.1f} MB; the limit is {MAX_BYTES / 1e6:.0f} MB")
    with path.open("rb") as stream:
        head = stream.read(512)
    if head.startswith(b"\x89PNG\r\n\x1a\n") or head.startswith(b"\xff\xd8\xff"):
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            try:
                with Image.open(path) as image:
                    width, height = image.size
                    if width * height > MAX_PIXELS:
                        raise ValueError(
                            f"image is {width}×{height} pixels; the limit is "
                            f"{MAX_PIXELS // 1_000_000} megapixels"
                        )
                    image.verify()
            except (Image.DecompressionBombError, Image.DecompressionBombWarning):
                raise ValueError("image is too large to open safely (pixel limit)") from None
            except (OSError, SyntaxError) as exc:
                raise ValueError(f"not a readable PNG or JPEG image ({exc})") from None
        return Asset(path, "raster", float(width), float(height))
    text_head = head.lstrip(b"\xef\xbb\xbf").lstrip()
    if text_head.startswith(b"<?xml") or text_head.startswith(b"<svg") or b"<svg" in head:
        svg_width, svg_height = _svg_size(path)
        return Asset(path, "svg", svg_width, svg_height)
    raise ValueError("not a PNG, JPEG or SVG file (checked by content, not by name)")


_NUMBER = re.compile(r"^\s*([0-9.]+)")


def _svg_size(path: Path) -> tuple[float, float]:
    try:
        root = ElementTree.parse(path).getroot()
    except ElementTree.ParseError as exc:
        raise ValueError(f"SVG is not well-formed XML ({exc})") from None
    if not root.tag.endswith("svg"):
        raise ValueError("XML file is not an SVG image")
    box = root.get("viewBox")
    if box:
        parts = [float(p) for p in box.replace(",", " ").split()]
        if len(parts) == 4 and parts[2] > 0 and parts[3] > 0:
            return parts[2], parts[3]
    w, h = _NUMBER.match(root.get("width", "")), _NUMBER.match(root.get("height", ""))
    if w and h:
        return float(w.group(1)), float(h.group(1))
    raise ValueError("SVG has no viewBox or width/height")


def load_asset(folder: Path, relative: str, span: Span | None, what: str = "asset") -> Asset:
    path = inside(folder, relative, span, what)
    if not path.is_file():
        files = _close_files(folder, relative)
        from packgen.errors import suggest

        guess = suggest(relative, files)
        raise error(f"{what} '{relative}' not found", span, hint=guess)
    try:
        return _probe(path, path.stat().st_mtime_ns)
    except ValueError as exc:
        raise error(f"{what} '{relative}': {exc}", span) from None
