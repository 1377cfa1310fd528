"""A file report into pictures: each page rendered with its problems marked, and a legend.

The trim (solid), bleed (dashed) and safe area (dotted) are drawn; every
finding with a place on the page is boxed and numbered (low-contrast text
highlighted, low-resolution images boxed), and the legend under the page
says in words what each number is. One PNG per page.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from packgen.check import FileReport
from packgen.check.facts import Box
from packgen.check.finding import Finding, Level, Subject
from packgen.check.intent import page_trim
from packgen.check.pixels import Raster, render
from packgen.check.rules import OFFICE_SAFE_MM, SAFE_MM, safe_boxes
from packgen.check.text import MARK
from packgen.render.write import write_atomic

PICTURE_DPI = 60
MAX_SIDE = 1600  # pixels: a huge page is drawn smaller, never at full resolution
RED, ORANGE, BLUE, GREEN, GREY = (
    (200, 0, 0),
    (230, 120, 0),
    (0, 90, 200),
    (0, 140, 60),
    (90, 90, 90),
)
HIGHLIGHT = (255, 230, 0, 110)
LEGEND_PT = 15  # legend text height in pixels per line, before scaling


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    try:
        import fontpkg

        return ImageFont.truetype(str(fontpkg.path("Atkinson Hyperlegible", 400, "normal")), size)
    except Exception:  # no font package: Pillow's own
        return ImageFont.load_default()


def _worst(finding: Finding) -> Level:
    levels = (finding.level_for("office"), finding.level_for("shop"))
    return (
        Level.FAIL if Level.FAIL in levels else Level.WARN if Level.WARN in levels else Level.PASS
    )


def _rect(raster: Raster, box: Box) -> tuple[float, float, float, float]:
    x0, y0 = raster.px(box.x0, box.y1)
    x1, y1 = raster.px(box.x1, box.y0)
    return (x0, y0, x1, y1)


def _dashed(
    draw: ImageDraw.ImageDraw, rect: tuple[float, ...], colour: tuple[int, ...], dash: int
) -> None:
    x0, y0, x1, y1 = rect
    for a, b in (
        ((x0, y0), (x1, y0)),
        ((x1, y0), (x1, y1)),
        ((x1, y1), (x0, y1)),
        ((x0, y1), (x0, y0)),
    ):
        length = max(abs(b[0] - a[0]), abs(b[1] - a[1]))
        steps = max(1, int(length // dash))
        for i in range(0, steps, 2):
            t0, t1 = i / steps, min(1.0, (i + 1) / steps)
            draw.line(
                [
                    (a[0] + (b[0] - a[0]) * t0, a[1] + (b[1] - a[1]) * t0),
                    (a[0] + (b[0] - a[0]) * t1, a[1] + (b[1] - a[1]) * t1),
                ],
                fill=colour,
                width=2,
            )


def draw_page(report: FileReport, index: int, raster: Raster) -> Image.Image:
    """Page ``index`` (0-based) of ``report`` with its marks and a legend below."""
    assert report.facts is not None
    page = report.facts.pages[index]
    image = raster.image.convert("RGBA")
    overlay = Image.new("RGBA", image.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(overlay)
    trim, how = page_trim(page)
    outer = page.bleed if page.bleed is not None and page.trim is not None else page.media
    if how != "page":
        _dashed(draw, _rect(raster, outer), (*BLUE, 255), 8)
    draw.rectangle(_rect(raster, trim), outline=(0, 0, 0, 255), width=2)
    subject = Subject(report.facts, report.profile == "press", None, report.intent)
    for area in safe_boxes(subject, page, SAFE_MM):
        _dashed(draw, _rect(raster, area), (*GREEN, 255), 3)
    on_page = [f for f in report.findings if f.page == page.number and _worst(f) is not Level.PASS]
    marked = [f for f in on_page if f.box is not None and f.check != "bleed"]
    label_size = max(11, int(raster.scale * 9))
    small = _font(label_size)
    for number, finding in enumerate(marked, start=1):
        assert finding.box is not None
        rect = _rect(raster, finding.box)
        rect = (rect[0] - 2, rect[1] - 2, rect[2] + 2, rect[3] + 2)
        colour = RED if _worst(finding) is Level.FAIL else ORANGE
        if finding.check == "contrast":
            draw.rectangle(rect, fill=HIGHLIGHT)
        draw.rectangle(rect, outline=(*colour, 255), width=3)
        label = str(number)
        x, y = rect[0], max(0.0, rect[1] - label_size - 4)
        width = draw.textlength(label, font=small) + 6
        draw.rectangle((x, y, x + width, y + label_size + 4), fill=(*colour, 255))
        draw.text((x + 3, y + 1), label, fill=(255, 255, 255, 255), font=small)
    if any(f.check == "bleed" for f in on_page):
        draw.rectangle(_rect(raster, trim), outline=(*RED, 255), width=4)
    page_image = Image.alpha_composite(image, overlay).convert("RGB")
    return _with_legend(report, page.number, page_image, marked, on_page)


def _with_legend(
    report: FileReport,
    number: int,
    page: Image.Image,
    marked: list[Finding],
    on_page: list[Finding],
) -> Image.Image:
    size = 15
    font, bold = _font(size), _font(size + 2)
    width = max(page.width, 640)
    rows: list[tuple[str, tuple[int, int, int]]] = [
        (f"{report.path.name} — page {number} of {report.pages}", (0, 0, 0)),
        *((report.verdict(a).sentence(), (0, 0, 0)) for a in ("office", "shop")),
        (
            "black line: trim (where the paper is cut)   blue dashes: bleed   green dots: safe"
            f" area ({SAFE_MM:g} mm inside the trim; {OFFICE_SAFE_MM:g} mm for an office printer)",
            GREY,
        ),
    ]
    for n, finding in enumerate(marked, start=1):
        rows.append((_line(f"{n}.", finding), RED if _worst(finding) is Level.FAIL else ORANGE))
    whole = [f for f in on_page if f not in marked]
    whole += [f for f in report.findings if f.page is None and _worst(f) is not Level.PASS]
    for finding in whole:
        rows.append((_line("•", finding), RED if _worst(finding) is Level.FAIL else ORANGE))
    wrapped: list[tuple[str, tuple[int, int, int]]] = []
    probe = ImageDraw.Draw(page)
    for text, colour in rows:
        for piece in _wrap(probe, text, font, width - 24):
            wrapped.append((piece, colour))
    line_height = size + 7
    legend = Image.new("RGB", (width, 16 + line_height * len(wrapped)), (255, 255, 255))
    draw = ImageDraw.Draw(legend)
    for i, (text, colour) in enumerate(wrapped):
        draw.text((12, 8 + i * line_height), text, fill=colour, font=bold if i == 0 else font)
    out = Image.new("RGB", (width, page.height + legend.height + 2), (160, 160, 160))
    out.paste(page, ((width - page.width) // 2, 0))
    out.paste(legend, (0, page.height + 2))
    return out


def _line(tag: str, finding: Finding) -> str:
    levels = (
        f"office {MARK[finding.level_for('office')]}, print shop {MARK[finding.level_for('shop')]}"
    )
    advice = f" {finding.advice}" if finding.advice else ""
    return f"{tag} {finding.message} [{levels}].{advice}"


def _wrap(draw: ImageDraw.ImageDraw, text: str, font: object, width: int) -> list[str]:
    words, lines, current = text.split(), [], ""
    for word in words:
        trial = f"{current} {word}".strip()
        if current and draw.textlength(trial, font=font) > width:  # type: ignore[arg-type]
            lines.append(current)
            current = "    " + word
        else:
            current = trial
    return [*lines, current] if current else lines


def draw_report(
    report: FileReport, folder: Path, prefix: str = "", max_pages: int = 50
) -> list[Path]:
    """Write one PNG per page (at most ``max_pages``) into ``folder``; the paths written."""
    if report.facts is None or not report.facts.pages:
        return []
    import io

    import pypdfium2 as pdfium

    written: list[Path] = []
    document = pdfium.PdfDocument(report.path)
    try:
        for index, page in enumerate(document):
            if index >= min(max_pages, len(report.facts.pages)):
                break
            width, height = page.get_size()
            dpi = min(PICTURE_DPI, MAX_SIDE / max(width, height) * 72)
            picture = draw_page(report, index, render(page, dpi))
            buffer = io.BytesIO()
            picture.save(buffer, format="PNG", optimize=True)
            target = folder / f"{prefix}{report.path.stem}-page{index + 1}.png"
            write_atomic(target, buffer.getvalue())
            written.append(target)
    finally:
        document.close()
    return written
