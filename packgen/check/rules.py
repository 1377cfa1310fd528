"""Preflight rules: each turns the facts of one PDF into findings.

Rules read the PDF; where one needs what only the layout knows (body text,
folds, the URL each QR code must carry) it uses the build manifest entry when
there is one, and a general rule otherwise (so any PDF can be checked).
"""

from __future__ import annotations

from collections.abc import Callable

from packgen.check.facts import MAX_TEXT_RUNS, Box, PageFacts, TextRun
from packgen.check.finding import Finding, Level, Subject
from packgen.check.intent import page_trim, size_name
from packgen.colour import contrast_ratio
from packgen.units import MM

__all__ = ["FAST", "SLOW", "Finding", "Level", "Rule", "Subject"]

MIN_BLEED_MM = 3.0
SAFE_MM = 3.0  # any PDF: text and codes this far inside the trim
OFFICE_SAFE_MM = 5.0  # office output: nothing important this close to the paper edge
FAIL_PPI, WARN_PPI = 150, 300
MIN_TEXT_PT = 8.0
MAX_INK = 300.0
MIN_MODULE_MM = 0.4
CONTRAST, CONTRAST_LARGE = 4.5, 3.0


Rule = Callable[[Subject], list[Finding]]


ASK_PDFX = "Ask for a PDF/X export (PDF/X-4 or X-1a) from the design software."
ASK_BLEED = (
    "Ask for 3 mm bleed on every side (artwork extended past the trim) with TrimBox and"
    " BleedBox set; any PDF/X export with bleed does this."
)


def _fail(check: str, message: str, page: int | None = None, **more: object) -> Finding:
    return Finding(check, Level.FAIL, message, page, **more)  # type: ignore[arg-type]


def _mm(points: float) -> str:
    return f"{points / MM:.1f} mm"


def _paper(box: Box) -> str:
    name = size_name(box.w, box.h)
    return f"{name}, {_mm(box.w)} × {_mm(box.h)}" if name else f"{_mm(box.w)} × {_mm(box.h)}"


def boxes(subject: Subject) -> list[Finding]:
    intent = subject.intent
    if intent is not None and intent.source == "standard size with margins":
        drawn = f"{intent.bleed_mm or 0:.1f}".rstrip("0").rstrip(".")
        return [
            Finding(
                "boxes",
                Level.WARN,
                f"the page is {intent.size} with {drawn} mm bleed drawn on it, but no TrimBox"
                " says where to cut",
                box=intent.trim,
                office=Level.WARN,
                advice=f"Tell the print shop to trim to {intent.size}, or ask for a PDF/X"
                " export with bleed and crop marks. For an office printer, print"
                " 'fit to page' or ask for a version without bleed.",
            )
        ]
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
            found.append(_fail("boxes", f"{missing} not set", page.number, advice=ASK_BLEED))
            continue
        if not page.bleed.contains(page.trim, 0.01) or not page.media.contains(page.bleed, 0.01):
            found.append(
                _fail(
                    "boxes",
                    "TrimBox ⊂ BleedBox ⊂ MediaBox does not hold",
                    page.number,
                    advice=ASK_PDFX,
                )
            )
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
                    advice=ASK_BLEED,
                )
            )
    if not found:
        found.append(
            Finding("boxes", Level.PASS, f"TrimBox ⊂ BleedBox ⊂ MediaBox; bleed {_mm(smallest)}")
        )
    media = subject.facts.pages[0].media
    if size_name(media.w, media.h) is None:
        found.append(
            Finding(
                "paper",
                Level.PASS,
                f"the page ({_mm(media.w)} × {_mm(media.h)}) is larger than the paper it is"
                " trimmed to: an office printer shrinks it to fit, marks and all",
                office=Level.WARN,
                advice="For an office printer, print 'fit to page', or use an office version"
                " without bleed.",
            )
        )
    return found


def page_sizes(subject: Subject) -> list[Finding]:
    sizes: dict[str, list[int]] = {}
    for page in subject.facts.pages:
        sizes.setdefault(_paper(page.trim or page.media), []).append(page.number)
    if len(sizes) < 2:
        return []
    listed = "; ".join(
        f"{size} (page {', '.join(map(str, pages[:6]))})" for size, pages in sizes.items()
    )
    return [
        Finding(
            "page-sizes",
            Level.WARN,
            f"pages differ in size: {listed}",
            advice="Check with whoever prints it; ask for one file per size if they need it.",
        )
    ]


def fonts(subject: Subject) -> list[Finding]:
    found = [
        _fail(
            "fonts",
            f"font {f.name.lstrip('/')}"
            + (" (in a form field)" if f.where == "form field" else "")
            + " is not embedded",
            advice="Ask for the form's font to be embedded, or the form flattened."
            if f.where == "form field"
            else "Ask for a PDF with all fonts embedded (any PDF/X export does this).",
        )
        for f in subject.facts.fonts
        if not f.embedded
    ]
    found += [
        Finding("fonts", Level.WARN, f"font {f.name.lstrip('/')} is embedded whole, not subset")
        for f in subject.facts.fonts
        if f.embedded and not f.subset
    ]
    return found or [
        Finding(
            "fonts",
            Level.PASS,
            f"{len(subject.facts.fonts)} font{'s' * (len(subject.facts.fonts) != 1)}, all embedded",
        )
    ]


def colour(subject: Subject) -> list[Finding]:
    """RGB is screen colour: fine for an office printer, a fault for a print shop."""
    found: list[Finding] = []
    for page in subject.facts.pages:
        what = [f"RGB {space}" for space in page.rgb_spaces]
        if page.rgb_operators:
            what.insert(0, f"{page.rgb_operators} RGB colour operators (rg/RG)")
        if what:
            found.append(
                _fail(
                    "colour",
                    "the colours are RGB (screen colours): "
                    + ", ".join(what[:6])
                    + (f" and {len(what) - 6} more" if len(what) > 6 else ""),
                    page.number,
                    office=Level.PASS,
                    advice="Ask for a CMYK or PDF/X export.",
                )
            )
    return found or [Finding("colour", Level.PASS, "no RGB colour")]


def spot_colours(subject: Subject) -> list[Finding]:
    names = sorted({name for page in subject.facts.pages for name in page.spots})
    if not names:
        return []
    pages = [p.number for p in subject.facts.pages if p.spots]
    return [
        Finding(
            "spot",
            Level.WARN,
            f"uses spot colour{'s' * (len(names) > 1)} {', '.join(names[:5])}: an extra ink"
            " on press, or converted to CMYK by the print shop",
            pages[0] if len(pages) == 1 else None,
            office=Level.PASS,
            advice="Ask whether the spot colour is meant (and priced); if not, ask for a"
            " CMYK-only export.",
        )
    ]


def transparency(subject: Subject) -> list[Finding]:
    found = [
        Finding(
            "transparency",
            Level.WARN,
            f"transparency ({', '.join(page.transparency[:3])}) may flatten badly on older"
            " print workflows (thin white lines, colour shifts)",
            page.number,
            office=Level.PASS,
            advice="Ask for a PDF/X-4 export, or check with the print shop that they take live"
            " transparency.",
        )
        for page in subject.facts.pages
        if page.transparency
    ]
    return found


def overprint(subject: Subject) -> list[Finding]:
    return [
        _fail(
            "overprint",
            f"white is set to overprint in {page.white_overprint} place"
            f"{'s' * (page.white_overprint > 1)}: it vanishes in print",
            page.number,
            office=Level.PASS,
            advice="Ask the designer to switch overprint off for white text and shapes.",
        )
        for page in subject.facts.pages
        if page.white_overprint
    ]


def ink(subject: Subject) -> list[Finding]:
    highest = max((p.cmyk_max_ink for p in subject.facts.pages), default=0.0)
    if highest > MAX_INK + 0.5:
        return [
            _fail(
                "ink",
                f"total ink reaches {highest:.0f}% (limit {MAX_INK:.0f}%)",
                advice="Ask for the darkest colours to stay under 300% total ink (a rich black"
                " such as C60 M40 Y40 K100), or a PDF/X export for the printer's profile.",
            )
        ]
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
            office=Level.PASS,
            advice="Ask for a print export without links or comments.",
        )
        for p in subject.facts.pages
        if p.annotations
    ]
    return found or [Finding("annotations", Level.PASS, "no annotations")]


def images(subject: Subject) -> list[Finding]:
    found: list[Finding] = []
    count = 0
    advice = "Ask for the original photo, or for it to be placed smaller (300 ppi at print size)."
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
                        box=image.bounds,
                        advice=advice,
                    )
                )
            elif ppi < WARN_PPI:
                found.append(
                    Finding(
                        "images",
                        Level.WARN,
                        f"an image prints at {ppi:.0f} ppi (aim for {WARN_PPI})",
                        page.number,
                        box=image.bounds,
                        advice=advice,
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


def safe_boxes(subject: Subject, page: PageFacts, inset_mm: float) -> list[Box]:
    """Where text and codes belong: the layout's safe areas, else ``inset_mm`` inside the trim."""
    expect = subject.expect
    if expect is not None and page.number - 1 < len(expect.page_expect):
        return [
            Box(x, y, x + w, y + h) for x, y, w, h in expect.page_expect[page.number - 1].safe_areas
        ]
    trim, _ = page_trim(page)
    inset = inset_mm * MM
    return [Box(trim.x0 + inset, trim.y0 + inset, trim.x1 - inset, trim.y1 - inset)]


def outside_safe_area(subject: Subject, page: PageFacts, bounds: Box) -> tuple[Level, Level]:
    """The (print shop, office) level of something placed at ``bounds``."""
    shop = any(a.contains(bounds, 0.75) for a in safe_boxes(subject, page, SAFE_MM))
    office = any(a.contains(bounds, 0.75) for a in safe_boxes(subject, page, OFFICE_SAFE_MM))
    return (Level.PASS if shop else Level.FAIL, Level.PASS if office else Level.FAIL)


SAFE_ADVICE = (
    f"Ask for text and QR codes to be moved at least {SAFE_MM:g} mm inside the trim"
    f" ({OFFICE_SAFE_MM:g} mm from the paper's edge for an office printer)."
)


def safe_area(subject: Subject) -> list[Finding]:
    found: list[Finding] = []
    for page in subject.facts.pages:
        for run in filter(_visible, page.text):
            shop, office = outside_safe_area(subject, page, run.bounds)
            if Level.FAIL in (shop, office):
                found.append(
                    Finding(
                        "safe-area",
                        shop,
                        f"text '{run.text.strip()[:40]}' lies outside the safe area",
                        page.number,
                        office=office,
                        box=run.bounds,
                        advice=SAFE_ADVICE,
                    )
                )
        if page.text_skipped:
            found.append(
                Finding(
                    "text",
                    Level.WARN,
                    f"{page.text_skipped} more text objects than the preflight reads"
                    f" ({MAX_TEXT_RUNS}); only the first were checked",
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
                        box=run.bounds,
                        advice=f"Ask for all text to be at least {floor:g} pt.",
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
                        box=run.bounds,
                        advice=f"Ask for body text of at least {expect.min_body:g} pt.",
                    )
                )
    if not found and smallest < float("inf"):
        found.append(Finding("text-size", Level.PASS, f"smallest text {smallest:.1f}pt"))
    return found


FAST: list[Rule] = [
    boxes,
    page_sizes,
    fonts,
    colour,
    spot_colours,
    transparency,
    overprint,
    ink,
    link_annotations,
    images,
    safe_area,
    text_size,
]


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
                        box=run.bounds,
                        advice="Ask for darker text or a lighter background behind it"
                        " (WCAG 2.2 AA contrast).",
                    )
                )
    if not found and worst < float("inf"):
        found.append(Finding("contrast", Level.PASS, f"lowest text contrast {worst:.2f}:1"))
    return found


def qr_codes(subject: Subject) -> list[Finding]:
    from packgen.check.pixels import read_codes

    found: list[Finding] = []
    decoded: list[str] = []
    for page, codes in zip(subject.facts.pages, read_codes(subject.facts.path), strict=False):
        page_number = page.number
        for code in codes:
            decoded.append(code.text)
            if code.module_mm < MIN_MODULE_MM - 0.01:
                found.append(
                    _fail(
                        "qr",
                        f"QR code for {code.text} has {code.module_mm:.2f} mm modules"
                        f" (minimum {MIN_MODULE_MM} mm)",
                        page_number,
                        box=code.box,
                        advice="Ask for the QR code to be printed larger.",
                    )
                )
            if not code.quiet_zone:
                found.append(
                    _fail(
                        "qr",
                        f"QR code for {code.text} lacks a clear 4-module quiet zone",
                        page_number,
                        box=code.box,
                        advice="Ask for a plain light margin around the QR code, four modules"
                        " wide.",
                    )
                )
            shop, office = outside_safe_area(subject, page, code.box)
            if Level.FAIL in (shop, office):
                found.append(
                    Finding(
                        "safe-area",
                        shop,
                        f"QR code for {code.text[:60]} lies outside the safe area",
                        page_number,
                        office=office,
                        box=code.box,
                        advice=SAFE_ADVICE,
                    )
                )
            if not code.text.startswith(("https://", "http://")):
                found.append(
                    Finding(
                        "qr",
                        Level.WARN,
                        f"QR code carries '{code.text[:60]}', not a web link",
                        page_number,
                        box=code.box,
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


def bleed(subject: Subject) -> list[Finding]:
    """Artwork that reaches the trim needs bleed beyond it, or the cut shows a white sliver."""
    from packgen.check.pixels import edge_ink

    found: list[Finding] = []
    for page, edges in zip(
        subject.facts.pages, edge_ink(subject.facts.path, subject.facts.pages), strict=False
    ):
        trim, _ = page_trim(page)
        outer = page.bleed if page.bleed is not None and page.trim is not None else page.media
        room = min(trim.x0 - outer.x0, trim.y0 - outer.y0, outer.x1 - trim.x1, outer.y1 - trim.y1)
        touched = [side for side, (inside, beyond) in edges.items() if inside]
        if not touched:
            continue
        if room / MM < MIN_BLEED_MM - 0.05:
            found.append(
                _fail(
                    "bleed",
                    f"artwork runs to the {', '.join(touched)} edge but there"
                    " is no bleed: the cut will leave white slivers",
                    page.number,
                    office=Level.PASS,
                    box=trim,
                    advice=ASK_BLEED,
                )
            )
            continue
        short = [side for side in touched if not edges[side][1]]
        if short:
            found.append(
                _fail(
                    "bleed",
                    f"artwork stops at the trim on the {', '.join(short)} edge instead of"
                    " running into the bleed",
                    page.number,
                    office=Level.PASS,
                    box=trim,
                    advice="Ask for backgrounds and pictures that touch the edge to be extended"
                    f" {MIN_BLEED_MM:g} mm past the trim.",
                )
            )
    return found


def text_extraction(subject: Subject) -> list[Finding]:
    """Shaped and right-to-left text extracts as the copy it was set from (manifest runs)."""
    from packgen.check.extraction import needs_check, problems

    expect = subject.expect
    if expect is None:
        return []
    runs = sum(1 for page in expect.page_expect for run in page.text_runs if needs_check(run))
    if not runs:
        return []
    found = [_fail("text", message, page) for page, message in problems(subject.facts.path, expect)]
    if not found:
        found.append(Finding("text", Level.PASS, f"{runs} shaped text runs read as their copy"))
    return found


SLOW: list[Rule] = [bleed, contrast, qr_codes, text_extraction]
