"""What the layout knows about each built file, written beside it as ``manifest.json``.

The preflight (``packgen check``) reads a PDF for everything the PDF can tell;
what only the layout knows (which text is body text, where the folds and the
safe area are, which URL each QR code must carry) comes from this manifest,
and only while the file's sha256 still matches.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field, fields, is_dataclass
from pathlib import Path
from typing import Any

from packgen.layout.placed import PlacedDocument, PlacedText, Rect
from packgen.layout.shaping import ShapedParagraph
from packgen.render.indented_json import dumps
from packgen.render.write import write_atomic
from packgen.units import PX

MANIFEST = "manifest.json"
FORMAT = 1


@dataclass(frozen=True)
class TextRunExpect:
    """One text block as the layout set it: what a reader should extract from the PDF."""

    element: str
    rect: tuple[float, float, float, float]  # the text's frame
    language: str
    direction: str  # "ltr" or "rtl"
    logical: str  # the text in reading order, a line per line set
    visual: str  # shaped text: what extraction gives, left to right per line ("" if unshaped)
    shaped: bool  # set with HarfBuzz and the bidirectional algorithm


@dataclass(frozen=True)
class PageExpect:
    trim: tuple[float, float, float, float]  # x, y, w, h in points
    safe_areas: list[tuple[float, float, float, float]]
    folds: list[float]
    body_text: list[tuple[float, float, float, float]]
    text_runs: list[TextRunExpect] = field(default_factory=list)


def text_runs(item: PlacedText, actual_text: bool = False) -> TextRunExpect:
    """What the layout meant ``item`` to read as (logical text, and the shaped visual order).

    ``actual_text``: the file is tagged, so its reordered clusters carry ActualText
    and read as their characters (``render/actualtext.py``).
    """
    logical: list[str] = []
    visual: list[str] = []
    shaped = False
    for line in item.lines:
        flowable = line.flowable
        if isinstance(flowable, ShapedParagraph):
            shaped = True
            for reading, seen in flowable.visual_lines(actual_text):
                logical.append(reading)
                visual.append(seen)
        else:
            plain = flowable.getPlainText()
            bullet = getattr(flowable, "bulletText", None)
            if isinstance(bullet, str) and bullet:
                plain = f"{bullet} {plain}"  # drawn in the start indent, before the text
            logical.append(plain)
            visual.append(plain)  # set left to right, one glyph per character
    return TextRunExpect(
        element=item.element_id,
        rect=_rect(item.rect),
        language=item.language,
        direction=item.direction.value,
        logical="\n".join(logical),
        visual="\n".join(visual),
        shaped=shaped,
    )


@dataclass
class FileEntry:
    file: str
    product: str
    size: str
    profile: str
    pages: int
    bytes: int
    sha256: str
    qr_urls: list[str]
    min_text: float
    min_body: float
    page_expect: list[PageExpect] = field(default_factory=list)
    # the languages of its text, in reading order (two on a bilingual poster)
    languages: list[str] = field(default_factory=list)
    # [page number from 1, element id, BCP 47 tag] of every text placed
    text_languages: list[list[str | int]] = field(default_factory=list)
    digital: dict[str, Any] | None = None  # screen images: see :func:`digital_entry`


def _rect(rect: Rect) -> tuple[float, float, float, float]:
    return (round(rect.x, 3), round(rect.y, 3), round(rect.w, 3), round(rect.h, 3))


def digital_entry(placed: PlacedDocument) -> dict[str, Any] | None:
    """What ``packgen check`` needs of a screen image: its pixel size, byte budget, alt text,
    link and posts, and every text's box (pixels from the top left) with its smallest size."""
    info = placed.digital
    if info is None:
        return None
    page = placed.pages[0]
    px = PX
    texts = [
        {
            "id": item.element_id,
            "box": [
                round((item.used.x - page.media.x) / px, 1),
                round((page.media.top - item.used.top) / px, 1),
                round(item.used.w / px, 1),
                round(item.used.h / px, 1),
            ],
            "size_px": round(min(item.font_sizes) / px, 2),
        }
        for item in page.items
        if isinstance(item, PlacedText) and item.font_sizes
    ]
    return {
        "kind": info.kind,
        "pixels": [round(page.media.w / px), round(page.media.h / px)],
        "max_bytes": info.max_bytes,
        "alt": info.alt,
        "link": info.link,
        "posts": [asdict(post) for post in info.posts],
        "min_text_px": round(placed.min_text / px, 2),
        "safe_px": [
            round((page.safe.x - page.media.x) / px, 1),
            round((page.media.top - page.safe.top) / px, 1),
            round(page.safe.w / px, 1),
            round(page.safe.h / px, 1),
        ],
        "texts": texts,
    }


def entry_for(
    path: Path, product: str, placed: PlacedDocument, data: bytes, file: str | None = None
) -> FileEntry:
    texts = _text_languages(placed)
    pages = [
        PageExpect(
            trim=_rect(page.trim),
            safe_areas=[_rect(area) for area in (page.safe_areas or [page.safe])],
            folds=[round(x, 3) for x in page.folds],
            body_text=[
                _rect(item.used)
                for item in page.items
                if isinstance(item, PlacedText) and item.is_body
            ]
            + [_rect(region) for region in page.body_regions],
            text_runs=[
                text_runs(item, placed.tagged)
                for item in page.items
                if isinstance(item, PlacedText)
            ],
        )
        for page in placed.pages
    ]
    return FileEntry(
        file=file or path.name,
        product=product,
        size=placed.size,
        profile=placed.profile,
        pages=len(placed.pages),
        bytes=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        qr_urls=list(placed.qr_urls),
        min_text=placed.min_text,
        min_body=placed.min_body,
        page_expect=pages,
        languages=list(dict.fromkeys(str(t[2]) for t in texts)),
        text_languages=texts,
        digital=digital_entry(placed),
    )


def _text_languages(placed: PlacedDocument) -> list[list[str | int]]:
    """Page, element and language of every placed text run (the PDF's /Lang per run)."""
    found: list[list[str | int]] = []
    for number, page in enumerate(placed.pages, start=1):
        for item in page.items:
            if isinstance(item, PlacedText):
                found.append([number, item.element_id, item.language or placed.info.language])
    return found


def write_manifest(folder: Path, entries: list[FileEntry]) -> None:
    """Merge ``entries`` into the folder's manifest (files not rebuilt are kept)."""
    known = {e.file: e for e in read_manifest(folder).values() if (folder / e.file).exists()}
    known.update({e.file: e for e in entries})
    document = {
        "format": FORMAT,
        "files": [_plain(e) for e in sorted(known.values(), key=lambda e: e.file)],
    }
    write_atomic(folder / MANIFEST, (dumps(document) + "\n").encode("utf-8"))


def _plain(value: Any) -> Any:
    """``value`` as JSON sees it: dataclasses as dicts of their fields, in field order,
    lists and tuples as lists (what ``dataclasses.asdict`` gives the encoder, without
    its deep copy of every value: the manifest holds every text run of the build)."""
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in fields(value)}
    return value


def _entry(raw: dict[str, Any]) -> FileEntry:
    pages = [
        PageExpect(
            trim=tuple(p["trim"]),
            safe_areas=[tuple(a) for a in p["safe_areas"]],
            folds=list(p["folds"]),
            body_text=[tuple(b) for b in p["body_text"]],
            text_runs=[
                TextRunExpect(**{**r, "rect": tuple(r["rect"])}) for r in p.get("text_runs", [])
            ],
        )
        for p in raw.get("page_expect", [])
    ]
    fields = {k: v for k, v in raw.items() if k != "page_expect"}
    return FileEntry(**fields, page_expect=pages)


_READ: dict[Path, tuple[tuple[int, int, int], dict[str, FileEntry]]] = {}  # by file state


def read_manifest(folder: Path) -> dict[str, FileEntry]:
    """The manifest's entries by file name; empty when absent or unreadable.

    Parsed once while the file is unchanged (``packgen check`` asks for it once per PDF).
    """
    path = folder / MANIFEST
    try:
        info = path.stat()
        state = (info.st_mtime_ns, info.st_size, info.st_ino)
        cached = _READ.get(path)
        if cached is not None and cached[0] == state:
            return dict(cached[1])
        document = json.loads(path.read_text(encoding="utf-8"))
        if document.get("format") != FORMAT:
            return {}
        entries = {raw["file"]: _entry(raw) for raw in document["files"]}
    except (OSError, ValueError, KeyError, TypeError):
        return {}
    _READ.clear()  # one manifest at a time: a batch reads a new folder per organisation
    _READ[path] = (state, entries)
    return dict(entries)


def expectation_for(pdf: Path) -> FileEntry | None:
    """The manifest entry for ``pdf`` if one exists and still matches its bytes."""
    entry = read_manifest(pdf.parent).get(pdf.name)
    if entry is None:
        return None
    digest = hashlib.sha256(pdf.read_bytes()).hexdigest()
    return entry if digest == entry.sha256 else None
