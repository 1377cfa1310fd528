"""Page boxes and sizes into what a PDF is for: where it is trimmed, its bleed, its purpose.

A packgen build's manifest says it outright. Any other PDF is read the way a
print shop would: the TrimBox if one is set; else a page that is a standard
paper size plus the same margin on every side (bleed drawn on the page, but
no box says where to cut); else the page itself is the paper.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from packgen.check.facts import Box, PageFacts
from packgen.units import MM

MAX_INFERRED_BLEED_MM = 20.0  # wider margins than this are not bleed
MARGIN_TOLERANCE_MM = 0.6  # margins within this of each other count as equal
SIZE_TOLERANCE_MM = 1.0


@dataclass(frozen=True)
class Intent:
    trim: Box  # of the first page, in PDF points
    bleed_mm: float | None  # smallest bleed around the trim, None when there is none
    source: str  # "manifest", "TrimBox", "standard size with margins" or "page"
    size: str | None  # a named paper size the trim matches ("A3"), if any
    purpose: str  # "press", "office" or "unknown"
    boxes: bool  # TrimBox set in the file

    @property
    def trim_mm(self) -> tuple[float, float]:
        return (round(self.trim.w / MM, 1), round(self.trim.h / MM, 1))

    def describe(self) -> str:
        """One line in plain words: what the file appears to be."""
        w, h = self.trim_mm
        name = f"{self.size} ({w:g} × {h:g} mm)" if self.size else f"{w:g} × {h:g} mm"
        if self.bleed_mm:
            bleed = f"{self.bleed_mm:.1f}".rstrip("0").rstrip(".")
            if self.source == "standard size with margins":
                return f"{name} with {bleed} mm bleed on the page, but no TrimBox says where to cut"
            return f"{name} with {bleed} mm bleed ({self.source})"
        if self.source == "page":
            return f"{name}, no bleed (the page is the paper)"
        return f"{name}, no bleed ({self.source})"

    def as_dict(self) -> dict[str, object]:
        return {
            "source": self.source,
            "purpose": self.purpose,
            "size": self.size,
            "trim_mm": list(self.trim_mm),
            "trim": [round(v, 2) for v in (self.trim.x0, self.trim.y0, self.trim.x1, self.trim.y1)],
            "bleed_mm": None if self.bleed_mm is None else round(self.bleed_mm, 1),
            "boxes": self.boxes,
            "description": self.describe(),
        }


@cache
def paper_sizes() -> tuple[tuple[str, float, float], ...]:
    """Named sizes from the embedded ``layouts/_paper.yaml`` (portrait, in points)."""
    from packgen.resolve.project import Project, embedded_root

    try:
        sizes = Project(embedded_root()).paper_sizes
    except Exception:  # no size table: every page is judged as itself
        return ()
    return tuple((name, float(s.width), float(s.height)) for name, s in sizes.items())


def size_name(width: float, height: float) -> str | None:
    """The named paper size of a ``width`` × ``height`` points box, either orientation."""
    for name, w, h in paper_sizes():
        for a, b in ((w, h), (h, w)):
            if (
                abs(width - a) / MM <= SIZE_TOLERANCE_MM
                and abs(height - b) / MM <= SIZE_TOLERANCE_MM
            ):
                return name
    return None


def standard_with_margins(media: Box) -> tuple[str, Box] | None:
    """A named size centred on ``media`` with an equal margin on every side (the bleed)."""
    best: tuple[float, str, Box] | None = None
    for name, w, h in paper_sizes():
        for a, b in ((w, h), (h, w)):
            dx, dy = (media.w - a) / 2, (media.h - b) / 2
            if dx <= 0.2 * MM or dy <= 0.2 * MM or dx / MM > MAX_INFERRED_BLEED_MM:
                continue
            if abs(dx - dy) / MM > MARGIN_TOLERANCE_MM:
                continue
            trim = Box(media.x0 + dx, media.y0 + dy, media.x1 - dx, media.y1 - dy)
            if best is None or dx < best[0]:
                best = (dx, name, trim)
    return (best[1], best[2]) if best else None


def bleed_around(trim: Box, outer: Box) -> float:
    """The smallest margin of ``outer`` around ``trim``, in points."""
    return min(trim.x0 - outer.x0, trim.y0 - outer.y0, outer.x1 - trim.x1, outer.y1 - trim.y1)


def page_trim(page: PageFacts) -> tuple[Box, str]:
    """Where one page is trimmed, and how that was found."""
    if page.trim is not None and page.trim != page.media:
        return page.trim, "TrimBox"
    inferred = standard_with_margins(page.media)
    if inferred is not None:
        return inferred[1], "standard size with margins"
    return page.trim or page.media, "TrimBox" if page.trim is not None else "page"


def infer(pages: list[PageFacts], profile: str | None) -> Intent:
    """What the file is for; ``profile`` is the manifest's ("press"/"office") if known."""
    first = pages[0]
    trim, source = page_trim(first)
    if source == "TrimBox":
        outer = first.bleed if first.bleed is not None else first.media
    else:
        outer = first.media
    bleed_pt = bleed_around(trim, outer)
    bleed = bleed_pt / MM if bleed_pt > 0.05 * MM else None
    if profile is not None:
        purpose, source = profile, "manifest"
    else:
        purpose = "press" if bleed is not None or trim != first.media else "unknown"
    return Intent(
        trim=trim,
        bleed_mm=bleed,
        source=source,
        size=size_name(trim.w, trim.h),
        purpose=purpose,
        boxes=first.trim is not None and first.trim != first.media,
    )
