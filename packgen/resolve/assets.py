"""Asset files (SVG art, PNG/JPEG images) found safely and checked by content.

A path in a layout or profile is relative to its folder and may not leave it.
The file type is decided by the bytes, not the extension; raster images are
opened lazily by Pillow with a pixel limit (decompression-bomb guard).
"""

from __future__ import annotations

import io
import math
import re
import warnings
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, cast
from xml.etree import ElementTree

from PIL import Image
from svglib.svglib import svg2rlg

from packgen.errors import Span, error

MAX_BYTES = 20 * 1024 * 1024  # any asset file
MAX_PIXELS = 50_000_000  # a campaign's own raster image
MAX_LOGO_PIXELS = 16_000_000  # an organisation's logo (4000 x 4000): read from the header
MAX_SVG_BYTES = 2 * 1024 * 1024
MAX_SVG_ELEMENTS = 20_000
MAX_SVG_DEPTH = 60
MAX_SVG_PATH = 1_000_000  # characters of path data (d, points) in one SVG
MAX_SVG_NUMBER = 1e7  # any coordinate or size in an SVG
MAX_SVG_SIZE = 1e6  # its width, height or viewBox size, in its own units


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
    try:
        base = folder.resolve()
        path = (base / relative).resolve()
    except (OSError, RuntimeError):
        raise error(
            f"{what} path '{relative}' is a symbolic link that loops", span, "replace the link"
        ) from None
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
def _probe(path: Path, mtime_ns: int, max_pixels: int = MAX_PIXELS) -> Asset:
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise ValueError(f"file is {size / 1e6:.1f} MB; the limit is {MAX_BYTES / 1e6:.0f} MB")
    with path.open("rb") as stream:
        head = stream.read(512)
    if head.startswith(b"\x89PNG\r\n\x1a\n") or head.startswith(b"\xff\xd8\xff"):
        width, height = _raster_size(path, max_pixels)
        return Asset(path, "raster", float(width), float(height))
    text_head = head.lstrip(b"\xef\xbb\xbf").lstrip()
    if text_head.startswith(b"<?xml") or text_head.startswith(b"<svg") or b"<svg" in head:
        if size > MAX_SVG_BYTES:
            raise ValueError(
                f"SVG is {size / 1e6:.1f} MB; the limit is {MAX_SVG_BYTES / 1e6:.0f} MB"
            )
        svg_width, svg_height = _svg_size(path)
        return Asset(path, "svg", svg_width, svg_height)
    raise ValueError("not a PNG, JPEG or SVG file (checked by content, not by name)")


def _raster_size(path: Path, max_pixels: int) -> tuple[int, int]:
    """Width and height of a PNG or JPEG, refused by its header before any decoding."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(path) as image:
                width, height = image.size
                if width <= 0 or height <= 0:
                    raise ValueError("image has no pixels")
                if width * height > max_pixels:
                    raise ValueError(
                        f"image is {width}×{height} pixels; the limit is "
                        f"{max_pixels / 1_000_000:.0f} megapixels"
                    )
                image.load()  # decode once now: a truncated file fails here, not in a build
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise ValueError("image is too large to open safely (pixel limit)") from None
        except ValueError:
            raise
        except Exception as exc:  # Pillow fails in many ways on a damaged file
            reason = str(exc).replace(str(path), path.name) or type(exc).__name__
            raise ValueError(f"not a readable PNG or JPEG image ({reason})") from None
    return width, height


_NUMBER = re.compile(r"^\s*([0-9.eE+-]+)")
_NUMBERS = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")
_NOT_FINITE = re.compile(r"(?<![a-z])[+-]?(?:nan|inf(?:inity)?)(?![a-z])", re.IGNORECASE)
_NOT_NUMBERS = re.compile(r"url\([^)]*\)|#[0-9A-Za-z_-]+")  # colours and references
_TEXT_ATTRIBUTES = {"id", "class", "href", "font-family", "lang", "title", "target"}
_PATH_ATTRIBUTES = {"d", "points"}
_SVG_NS = "{http://www.w3.org/2000/svg}"


def svg_problem(data: bytes) -> tuple[str, str] | None:
    """What makes an SVG unsafe to draw, as (kind, message); None when it is safe.

    ``kind`` is ``doctype`` (a document type or entity, which could expand),
    ``links`` (a reference to another file, a web address or a ``data:``
    picture: only references inside the SVG itself, ``#id``, are followed),
    or ``limits`` (too many elements, too deep, too much path data, numbers
    that are not finite or absurdly large). The CLI, batch and portal share it.
    """
    lowered = data[:65536].lower()
    if b"<!doctype" in lowered or b"<!entity" in lowered:
        return "doctype", "SVG declares a document type or entities; save it as plain SVG"
    parser = ElementTree.XMLPullParser(events=("start", "end"))  # type: ignore[var-annotated]
    scan = _Scan()
    try:
        for offset in range(0, len(data) + 1, 65536):  # streamed: stops at the first problem
            if offset < len(data):
                parser.feed(data[offset : offset + 65536])
            else:
                parser.close()
            for item in parser.read_events():
                event, element = cast("tuple[str, object]", item)
                if not isinstance(element, ElementTree.Element):
                    continue
                found = scan.start(element) if event == "start" else scan.end(element)
                if found:
                    return found
    except ElementTree.ParseError:
        return None  # malformed XML is reported with its own message
    return None


class _Scan:
    """Counts and checks elements as the parser meets them."""

    def __init__(self) -> None:
        self.count = 0
        self.depth = 0
        self.path_data = 0

    def start(self, element: ElementTree.Element) -> tuple[str, str] | None:
        self.count += 1
        self.depth += 1
        if self.count > MAX_SVG_ELEMENTS:
            return "limits", f"SVG has more than {MAX_SVG_ELEMENTS:,} elements"
        if self.depth > MAX_SVG_DEPTH:
            return "limits", f"SVG nests elements more than {MAX_SVG_DEPTH} levels deep"
        tag = element.tag if isinstance(element.tag, str) else ""
        in_svg = tag.startswith(_SVG_NS) or not tag.startswith("{")
        local = tag.rsplit("}", 1)[-1]
        for name, value in element.attrib.items():
            short = name.rsplit("}", 1)[-1]
            if short == "href" and not value.strip().startswith("#"):
                shown = value.strip()[:60]
                return "links", (
                    f"SVG refers to '{shown}' outside itself; "
                    "only references inside the file (#id) are allowed"
                )
            if not in_svg or "}" in name or short in _TEXT_ATTRIBUTES:
                continue
            if short in _PATH_ATTRIBUTES:
                self.path_data += len(value)
                if self.path_data > MAX_SVG_PATH:
                    return "limits", f"SVG has more than {MAX_SVG_PATH:,} characters of path data"
            if _OUTSIDE_URL.search(value):
                return (
                    "links",
                    f"SVG {local} {short} refers to a file or web address outside itself",
                )
            problem = _number_problem(value, f"{local} {short}")
            if problem:
                return "limits", problem
        return None

    def end(self, element: ElementTree.Element) -> tuple[str, str] | None:
        self.depth -= 1
        tag = element.tag if isinstance(element.tag, str) else ""
        if tag.rsplit("}", 1)[-1] == "style":
            css = element.text or ""
            if "@import" in css or _OUTSIDE_URL.search(css):
                return "links", "SVG style refers to a file or web address outside itself"
            problem = _number_problem(css, "style")
            if problem:
                return "limits", problem
        element.clear()  # nothing is kept: memory stays flat however long the file
        return None


_OUTSIDE_URL = re.compile(r"url\(\s*['\"]?(?!\s*#)")


def _number_problem(value: str, where: str) -> str | None:
    if _NOT_FINITE.search(value):
        return f"SVG has a number that is not finite in {where}: '{value.strip()[:40]}'"
    for match in _NUMBERS.finditer(_NOT_NUMBERS.sub(" ", value)):
        number = float(match.group())
        if not math.isfinite(number) or abs(number) > MAX_SVG_NUMBER:
            return f"SVG has an absurd number in {where}: {match.group()[:40]}"
    return None


def _svg_size(path: Path) -> tuple[float, float]:
    data = path.read_bytes()
    problem = svg_problem(data)  # first: it stops early, before a whole tree is built
    if problem:
        raise ValueError(problem[1])
    try:
        root = ElementTree.fromstring(data)
    except ElementTree.ParseError as exc:
        raise ValueError(f"SVG is not well-formed XML ({exc})") from None
    if not isinstance(root.tag, str) or not root.tag.endswith("svg"):
        raise ValueError("XML file is not an SVG image")
    width, height = _declared_size(root)
    try:
        drawing = svg_drawing(data)
    except Exception as exc:  # svglib fails in many ways on odd files; all mean "unreadable"
        raise ValueError(f"SVG cannot be drawn ({type(exc).__name__}: {exc})") from None
    if drawing is None or not _usable(drawing.width) or not _usable(drawing.height):
        raise ValueError("SVG cannot be drawn (it has no usable size)")
    return width, height


@lru_cache(maxsize=64)
def svg_drawing(data: bytes) -> Any:
    """svglib's drawing of an SVG's bytes (a ReportLab ``Drawing``, or None when svglib
    cannot read them), parsed once per process for the same bytes.

    The check above and the render share it (art painted in the palette it was
    drawn in is its file's bytes). Only references inside the SVG are allowed
    (:func:`svg_problem`), so bytes draw as their file would. The office render
    outlines its text in place; a press render converts a copy of its own.
    """
    return svg2rlg(io.BytesIO(data))


def _usable(value: object) -> bool:
    return isinstance(value, (int, float)) and math.isfinite(value) and 0 < value <= MAX_SVG_SIZE


def _declared_size(root: ElementTree.Element) -> tuple[float, float]:
    """The SVG's size from its viewBox, else width and height: finite and larger than zero."""
    box = root.get("viewBox")
    if box:
        try:
            parts = [float(p) for p in box.replace(",", " ").split()]
        except ValueError:
            raise ValueError(f"SVG viewBox '{box[:60]}' is not four numbers") from None
        finite = all(math.isfinite(p) for p in parts)
        if len(parts) == 4 and finite and _usable(parts[2]) and _usable(parts[3]):
            return parts[2], parts[3]
        raise ValueError(
            f"SVG viewBox '{box[:60]}' needs a width and height larger than zero "
            f"and at most {MAX_SVG_SIZE:g}"
        )
    w, h = _NUMBER.match(root.get("width", "")), _NUMBER.match(root.get("height", ""))
    if w and h:
        try:
            width, height = float(w.group(1)), float(h.group(1))
        except ValueError:
            width = height = 0.0
        if _usable(width) and _usable(height):
            return width, height
        raise ValueError("SVG width and height must be larger than zero (and finite)")
    raise ValueError("SVG has no viewBox or width/height")


def load_asset(folder: Path, relative: str, span: Span | None, what: str = "asset") -> Asset:
    path = inside(folder, relative, span, what)
    if not path.is_file():
        files = _close_files(folder, relative)
        from packgen.errors import suggest

        guess = suggest(relative, files)
        raise error(f"{what} '{relative}' not found", span, hint=guess)
    limit = MAX_LOGO_PIXELS if what == "logo" else MAX_PIXELS
    try:
        return _probe(path, path.stat().st_mtime_ns, limit)
    except ValueError as exc:
        raise error(f"{what} '{relative}': {exc}", span) from None
