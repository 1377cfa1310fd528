"""Preflight rules: each turns the facts of one PDF into findings.

Rules read the PDF; where one needs what only the layout knows (body text,
folds, the URL each QR code must carry) it uses the build manifest entry when
there is one, and a general rule otherwise (so any PDF can be checked).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum

from packgen.check.facts import Box, PageFacts, PdfFacts, TextRun
from packgen.colour import contrast_ratio
from packgen.render.manifest import FileEntry
from packgen.units import MM

MIN_BLEED_MM = 3.0
SAFE_MM = 3.0  # any PDF: text and codes this far inside the trim
OFFICE_SAFE_MM = 5.0  # office output: nothing important this close to the paper edge
FAIL_PPI, WARN_PPI = 150, 300
MIN_TEXT_PT = 8.0
MAX_INK = 300.0
MIN_MODULE_MM = 0.4
CONTRAST, CONTRAST_LARGE = 4.5, 3.0


class Level(str, Enum):
    PASS = "pass"
    WARN = "warn"
    FAIL = "fail"


@dataclass(frozen=True)
class Finding:
    check: str
    level: Level
    message: str
    page: int | None = None


@dataclass
class Subject:
    """One PDF under check: its facts, its profile and the layout's expectations."""

    facts: PdfFacts
    press: bool
    expect: FileEntry | None


Rule = Callable[[Subject], list[Finding]]


def _fail(check: str, message: str, page: int | None = None) -> Finding:
    return Finding(check, Level.FAIL, message, page)


def _mm(points: float) -> str:
    return f"{points / MM:.1f} mm"


def boxes(subject: Subject) -> list[Finding]:
    if not subject.press:
        media = subject.facts.pages[0].media
        return [
            Finding("boxes", Level.PASS, f"page is the paper ({_mm(media.w)} × {_mm(media.h)})")
        ]
    found: list[Finding] = []
    smallest = float("inf")
    for page in subject.facts.pages:
        if page.trim is None or page.bleed is None:
            missing = " and ".join(
                n for n, b in (("TrimBox", page.trim), ("BleedBox", page.bleed)) if b is None
            )
            found.append(_fail("boxes", f"{missing} not set", page.number))
            continue
        if not page.bleed.contains(page.trim, 0.01) or not page.media.contains(page.bleed, 0.01):
            found.append(_fail("boxes", "TrimBox ⊂ BleedBox ⊂ MediaBox does not hold", page.number))
            continue
        bleed = min(
            page.trim.x0 - page.bleed.x0,
            page.trim.y0 - page.bleed.y0,
            page.bleed.x1 - page.trim.x1,
            page.bleed.y1 - page.trim.y1,
        )
        smallest = min(smallest, bleed)
        if bleed / MM < MIN_BLEED_MM - 0.05:
            found.append(
                _fail(
                    "boxes",
                    f"bleed is {_mm(bleed)}; at least {MIN_BLEED_MM:g} mm is needed",
                    page.number,
                )
            )
    if not found:
        found.append(
            Finding("boxes", Level.PASS, f"TrimBox ⊂ BleedBox ⊂ MediaBox; bleed {_mm(smallest)}")
        )
    return found


def fonts(subject: Subject) -> list[Finding]:
    found = [
        _fail("fonts", f"font {f.name.lstrip('/')} is not embedded")
        for f in subject.facts.fonts
        if not f.embedded
    ]
    found += [
        Finding("fonts", Level.WARN, f"font {f.name.lstrip('/')} is embedded whole, not subset")
        for f in subject.facts.fonts
        if f.embedded and not f.subset
    ]
    return found or [
        Finding("fonts", Level.PASS, f"{len(subject.facts.fonts)} fonts, all embedded")
    ]


def colour(subject: Subject) -> list[Finding]:
    if not subject.press:
        return []
    found: list[Finding] = []
    for page in subject.facts.pages:
        if page.rgb_operators:
            found.append(
                _fail("colour", f"{page.rgb_operators} RGB colour operators (rg/RG)", page.number)
            )
        for space in page.rgb_spaces:
            found.append(_fail("colour", f"RGB {space}", page.number))
    return found or [Finding("colour", Level.PASS, "no RGB colour")]


def ink(subject: Subject) -> list[Finding]:
    highest = max((p.cmyk_max_ink for p in subject.facts.pages), default=0.0)
    if highest > MAX_INK + 0.5:
        return [_fail("ink", f"total ink reaches {highest:.0f}% (limit {MAX_INK:.0f}%)")]
    if highest == 0:
        return []
    return [Finding("ink", Level.PASS, f"total ink at most {highest:.0f}%")]


def link_annotations(subject: Subject) -> list[Finding]:
    if not subject.press:
        return []
    found = [
        _fail(
            "annotations",
            f"{len(p.annotations)} annotation(s) ({', '.join(sorted(set(p.annotations)))})"
            " in a press file",
            p.number,
        )
        for p in subject.facts.pages
        if p.annotations
    ]
    return found or [Finding("annotations", Level.PASS, "no annotations")]


def images(subject: Subject) -> list[Finding]:
    found: list[Finding] = []
    count = 0
    for page in subject.facts.pages:
        for image in page.images:
            count += 1
            ppi = image.ppi
            if ppi < FAIL_PPI:
                found.append(
                    _fail(
                        "images",
                        f"an image prints at {ppi:.0f} ppi (minimum {FAIL_PPI})",
                        page.number,
                    )
                )
            elif ppi < WARN_PPI:
                found.append(
                    Finding(
                        "images",
                        Level.WARN,
                        f"an image prints at {ppi:.0f} ppi (aim for {WARN_PPI})",
                        page.number,
                    )
                )
    if not found:
        found.append(
            Finding(
                "images",
                Level.PASS,
                f"{count} raster images at {WARN_PPI}+ ppi"
                if count
                else "no raster images (vector only)",
            )
        )
    return found


def _visible(run: TextRun) -> bool:
    return bool(run.text.strip()) and run.bounds.w > 0 and run.bounds.h > 0


def _safe_boxes(subject: Subject, page: PageFacts) -> list[Box]:
    expect = subject.expect
    if expect is not None and page.number - 1 < len(expect.page_expect):
        return [
            Box(x, y, x + w, y + h) for x, y, w, h in expect.page_expect[page.number - 1].safe_areas
        ]
    trim = page.trim or page.media
    inset = (SAFE_MM if subject.press else OFFICE_SAFE_MM) * MM
    return [Box(trim.x0 + inset, trim.y0 + inset, trim.x1 - inset, trim.y1 - inset)]


def safe_area(subject: Subject) -> list[Finding]:
    found: list[Finding] = []
    for page in subject.facts.pages:
        areas = _safe_boxes(subject, page)
        for run in filter(_visible, page.text):
            if not any(area.contains(run.bounds, 0.75) for area in areas):
                found.append(
                    _fail(
                        "safe-area",
                        f"text '{run.text.strip()[:40]}' lies outside the safe area",
                        page.number,
                    )
                )
    return found or [Finding("safe-area", Level.PASS, "all text inside the safe area")]


def text_size(subject: Subject) -> list[Finding]:
    expect = subject.expect
    floor = expect.min_text if expect and expect.min_text else MIN_TEXT_PT
    found: list[Finding] = []
    smallest = float("inf")
    for page in subject.facts.pages:
        body_boxes: list[Box] = []
        if expect is not None and page.number - 1 < len(expect.page_expect):
            body_boxes = [
                Box(x, y, x + w, y + h)
                for x, y, w, h in expect.page_expect[page.number - 1].body_text
            ]
        for run in filter(_visible, page.text):
            smallest = min(smallest, run.size)
            if run.size + 0.05 < floor:
                found.append(
                    _fail(
                        "text-size",
                        f"text '{run.text.strip()[:40]}' is {run.size:.1f}pt (minimum {floor:g}pt)",
                        page.number,
                    )
                )
            elif (
                expect
                and body_boxes
                and any(b.contains(run.bounds, 1.0) for b in body_boxes)
                and run.size + 0.05 < expect.min_body
            ):
                found.append(
                    _fail(
                        "text-size",
                        f"body text '{run.text.strip()[:40]}' is {run.size:.1f}pt"
                        f" (minimum {expect.min_body:g}pt)",
                        page.number,
                    )
                )
    if not found and smallest < float("inf"):
        found.append(Finding("text-size", Level.PASS, f"smallest text {smallest:.1f}pt"))
    return found


FAST: list[Rule] = [boxes, fonts, colour, ink, link_annotations, images, safe_area, text_size]


def contrast(subject: Subject) -> list[Finding]:
    """Text colour against the page rendered without text, sampled under each run."""
    from packgen.check.pixels import backgrounds

    found: list[Finding] = []
    worst = float("inf")
    samples = backgrounds(
        subject.facts.path, [[r.bounds for r in p.text] for p in subject.facts.pages]
    )
    for page, page_samples in zip(subject.facts.pages, samples, strict=True):
        for run, behind in zip(page.text, page_samples, strict=True):
            if not _visible(run) or behind is None:
                continue
            ratio = contrast_ratio(tuple(c / 255 for c in run.rgb), tuple(c / 255 for c in behind))  # type: ignore[arg-type]
            large = run.size >= 18 or (run.bold and run.size >= 14)
            needed = CONTRAST_LARGE if large else CONTRAST
            worst = min(worst, ratio)
            if ratio + 0.005 < needed:
                found.append(
                    _fail(
                        "contrast",
                        f"text '{run.text.strip()[:40]}' has contrast {ratio:.2f}:1"
                        f" (needs {needed:g}:1)",
                        page.number,
                    )
                )
    if not found and worst < float("inf"):
        found.append(Finding("contrast", Level.PASS, f"lowest text contrast {worst:.2f}:1"))
    return found


def qr_codes(subject: Subject) -> list[Finding]:
    from packgen.check.pixels import read_codes

    found: list[Finding] = []
    decoded: list[str] = []
    for page_number, codes in enumerate(read_codes(subject.facts.path), start=1):
        for code in codes:
            decoded.append(code.text)
            if code.module_mm < MIN_MODULE_MM - 0.01:
                found.append(
                    _fail(
                        "qr",
                        f"QR code for {code.text} has {code.module_mm:.2f} mm modules"
                        f" (minimum {MIN_MODULE_MM} mm)",
                        page_number,
                    )
                )
            if not code.quiet_zone:
                found.append(
                    _fail(
                        "qr",
                        f"QR code for {code.text} lacks a clear 4-module quiet zone",
                        page_number,
                    )
                )
            if not code.text.startswith(("https://", "http://")):
                found.append(
                    Finding(
                        "qr",
                        Level.WARN,
                        f"QR code carries '{code.text[:60]}', not a web link",
                        page_number,
                    )
                )
    if subject.expect is not None:
        missing = list(subject.expect.qr_urls)
        for text in decoded:
            if text in missing:
                missing.remove(text)
            else:
                found.append(
                    _fail("qr", f"QR code decodes to {text}, which the layout did not place")
                )
        for url in missing:
            found.append(_fail("qr", f"no QR code decodes to {url}"))
    if not found and decoded:
        found.append(Finding("qr", Level.PASS, f"{len(decoded)} QR codes decode to their URLs"))
    return found


SLOW: list[Rule] = [contrast, qr_codes]
