"""Placed pages into PNG previews with guides for designers.

A preview is the rendered PDF page as an image, with guides drawn over it
(with Pillow, on the raster; never into the PDF): the trim, the bleed, the
safe area, folds, the grid's columns and every element's outline labelled
with its id, each in its own colour, and a legend strip under the page.

:func:`page_guides` turns a placed page into guide shapes in points: pure
geometry, testable without rendering. :func:`draw_guides` paints them onto
an image; :func:`preview` makes, rasterises and writes the PNG files.

A layout with errors is still previewed: what could be placed is drawn, and
each failing element is outlined in red with its messages (:func:`draw_failures`);
errors no element's box shows are listed in a red strip over the page.
"""

from __future__ import annotations

import io
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PIL import Image, ImageDraw, ImageFont

from packgen.errors import Diagnostic, PackgenError, Severity
from packgen.layout.partial import FailedElement, LayoutError
from packgen.layout.placed import PlacedPage, PlacedQr, Rect
from packgen.model.profiles import PRESS, Profile
from packgen.resolve.org import Organisation
from packgen.resolve.project import Project

if TYPE_CHECKING:
    from packgen.resolve.design import Design

RGB = tuple[int, int, int]


class GuideKind(str, Enum):
    """What a guide shows; the order here is the drawing order (last on top)."""

    COLUMN = "column"
    ELEMENT = "element"
    SAFE = "safe"
    FOLD = "fold"
    BLEED = "bleed"
    TRIM = "trim"


COLOURS: dict[GuideKind, RGB] = {
    GuideKind.COLUMN: (255, 0, 170),  # translucent fill
    GuideKind.ELEMENT: (120, 50, 230),
    GuideKind.SAFE: (0, 170, 60),
    GuideKind.FOLD: (255, 130, 0),
    GuideKind.BLEED: (230, 0, 0),
    GuideKind.TRIM: (0, 110, 255),
}

LEGEND: dict[GuideKind, str] = {
    GuideKind.TRIM: "trim",
    GuideKind.BLEED: "bleed",
    GuideKind.SAFE: "safe area",
    GuideKind.FOLD: "fold",
    GuideKind.COLUMN: "grid columns",
    GuideKind.ELEMENT: "element (id)",
}

COLUMN_ALPHA = 24  # of 255: the page stays readable under the grid
ERROR: RGB = (255, 0, 0)  # a failing element's outline and message (thicker than the bleed)
ERROR_WIDTH = 3  # times the guide line width


@dataclass(frozen=True)
class Guide:
    """One guide in PDF points on the media box (a fold is a zero-width rect)."""

    kind: GuideKind
    rect: Rect
    label: str = ""


def page_guides(page: PlacedPage, element_ids: Collection[str] | None = None) -> list[Guide]:
    """The guides of one placed page, in drawing order.

    ``element_ids`` limits outlines to items made by those elements (an item
    ``qr.caption`` belongs to element ``qr``); None outlines every item.
    """
    guides = [Guide(GuideKind.COLUMN, column) for column in page.columns]
    for item in page.items:
        owner = item.element_id.split(".")[0]
        if element_ids is not None and owner not in element_ids:
            continue
        rect = item.tile if isinstance(item, PlacedQr) else item.rect
        guides.append(Guide(GuideKind.ELEMENT, rect, item.element_id))
    guides.extend(Guide(GuideKind.SAFE, area) for area in page.safe_areas or [page.safe])
    guides.extend(
        Guide(GuideKind.FOLD, Rect(x, page.bleed.y, 0.0, page.bleed.h)) for x in page.folds
    )
    if page.bleed != page.trim:
        guides.append(Guide(GuideKind.BLEED, page.bleed))
    guides.append(Guide(GuideKind.TRIM, page.trim))
    return guides


def to_pixels(rect: Rect, media: Rect, dpi: float) -> tuple[float, float, float, float]:
    """``rect`` (points, y up) as left, top, right, bottom pixels of the page image."""
    k = dpi / 72
    return (
        (rect.x - media.x) * k,
        (media.top - rect.top) * k,
        (rect.right - media.x) * k,
        (media.top - rect.y) * k,
    )


def line_width(dpi: float) -> int:
    """Guide lines are one pixel at 100 dpi, thicker at higher resolutions."""
    return max(1, round(dpi / 100))


def _font(size: int) -> Any:
    try:
        return ImageFont.load_default(size=size)
    except (TypeError, OSError):  # Pillow without FreeType: the fixed bitmap font
        return ImageFont.load_default()


def _edges(
    draw: ImageDraw.ImageDraw, box: tuple[float, float, float, float], colour: RGB, width: int
) -> None:
    """A rectangle outline whose lines are centred on the rounded pixel positions."""
    left, top, right, bottom = (round(v) for v in box)
    lo = width // 2
    for x in {left, right}:
        draw.rectangle((x - lo, top - lo, x - lo + width - 1, bottom - lo + width - 1), colour)
    for y in {top, bottom}:
        draw.rectangle((left - lo, y - lo, right - lo + width - 1, y - lo + width - 1), colour)


def draw_guides(image: Image.Image, page: PlacedPage, guides: Iterable[Guide], dpi: float) -> None:
    """Paint ``guides`` onto ``image`` (the page rendered at ``dpi``), in place."""
    width = line_width(dpi)
    font = _font(max(9, round(dpi / 9)))
    overlay = Image.new("RGBA", image.size, (0, 0, 0, 0))
    shade = ImageDraw.Draw(overlay)
    draw = ImageDraw.Draw(image)
    labels: list[tuple[float, float, str]] = []
    ordered = sorted(guides, key=lambda g: list(GuideKind).index(g.kind))
    for guide in ordered:
        if guide.kind is GuideKind.COLUMN:
            left, top, right, bottom = to_pixels(guide.rect, page.media, dpi)
            shade.rectangle(
                (round(left), round(top), round(right) - 1, round(bottom) - 1),
                (*COLOURS[GuideKind.COLUMN], COLUMN_ALPHA),
            )
    if page.columns:
        image.paste(Image.alpha_composite(image.convert("RGBA"), overlay).convert("RGB"))
    for guide in ordered:
        box = to_pixels(guide.rect, page.media, dpi)
        colour = COLOURS[guide.kind]
        if guide.kind is GuideKind.COLUMN:
            continue
        _edges(draw, box, colour, width)
        if guide.label:
            labels.append((box[0], box[1], guide.label))
    for left, top, text in labels:
        # a tab above the frame's top-left corner, so it hides none of the content
        height = round(draw.textbbox((0, 0), text, font=font)[3]) + 2
        x, y = round(left) - width // 2, max(0, round(top) - width // 2 - height)
        bounds = draw.textbbox((x + 2, y + 1), text, font=font)
        draw.rectangle((x, y, bounds[2] + 2, y + height - 1), COLOURS[GuideKind.ELEMENT])
        draw.text((x + 2, y + 1), text, fill=(255, 255, 255), font=font)


def _wrap(draw: ImageDraw.ImageDraw, text: str, font: Any, width: float) -> list[str]:
    """``text`` broken at spaces into lines no wider than ``width`` pixels."""
    lines: list[str] = []
    line = ""
    for word in text.split(" "):
        trial = f"{line} {word}" if line else word
        if line and draw.textlength(trial, font=font) > width:
            lines.append(line)
            line = word
        else:
            line = trial
    return [*lines, line] if line else lines


def draw_failures(
    image: Image.Image, page: PlacedPage, failed: Iterable[FailedElement], dpi: float
) -> None:
    """Outline each failing element in red, with its messages in red under its box."""
    width = line_width(dpi) * ERROR_WIDTH
    font = _font(max(9, round(dpi / 9)))
    draw = ImageDraw.Draw(image)
    line = round(draw.textbbox((0, 0), "Ag", font=font)[3]) + 2
    for failure in failed:
        left, top, right, bottom = to_pixels(failure.rect, page.media, dpi)
        bottom = max(bottom, top + 2 * width)  # a box without height still shows
        _edges(draw, (left, top, right, bottom), ERROR, width)
        room = max(right - left, image.width * 0.4)
        x = max(0, min(round(left) - width // 2, round(image.width - room) - 4))
        texts = [t for m in failure.messages for t in _wrap(draw, m, font, room - 4)]
        y = round(bottom) + width // 2 + 1
        if y + line * len(texts) > image.height:  # no room under the box: above it
            y = max(0, round(top) - width - line * len(texts))
        tab = max(round(draw.textlength(t, font=font)) for t in texts) + 4
        draw.rectangle((x, y, x + tab, y + line * len(texts)), ERROR)
        for number, text in enumerate(texts):
            draw.text((x + 2, y + 1 + number * line), text, fill=(255, 255, 255), font=font)


def with_errors(image: Image.Image, messages: Sequence[str], dpi: float) -> Image.Image:
    """``image`` with a red strip on top listing errors no element's box shows."""
    if not messages:
        return image
    font = _font(max(10, round(dpi / 8)))
    probe = ImageDraw.Draw(image)
    line = round(probe.textbbox((0, 0), "Ag", font=font)[3]) + 2
    texts = [t for m in messages for t in _wrap(probe, m, font, image.width - 8)]
    strip = Image.new("RGB", (image.width, line * len(texts) + 8), ERROR)
    draw = ImageDraw.Draw(strip)
    for number, text in enumerate(texts):
        draw.text((4, 4 + number * line), text, fill=(255, 255, 255), font=font)
    result = Image.new("RGB", (image.width, image.height + strip.height), (255, 255, 255))
    result.paste(strip, (0, 0))
    result.paste(image, (0, strip.height))
    return result


def with_legend(
    image: Image.Image, title: str, kinds: Collection[GuideKind], dpi: float, errors: bool = False
) -> Image.Image:
    """``image`` with a strip under it naming each guide colour (and the page).

    Entries that would run past the image's width go on to another row.
    """
    font = _font(max(10, round(dpi / 8)))
    probe = ImageDraw.Draw(image)
    line = round(probe.textbbox((0, 0), "Ag", font=font)[3])
    pad = max(4, line // 2)
    entries: list[tuple[RGB | None, str, RGB]] = [(None, title, (0, 0, 0))]
    entries += [(COLOURS[k], name, (0, 0, 0)) for k, name in LEGEND.items() if k in kinds]
    if errors:
        entries.append((ERROR, "error (not built)", ERROR))
    placed: list[tuple[int, int, RGB | None, str, RGB]] = []
    x, row = pad, 0
    for swatch, name, ink in entries:
        width = round(probe.textlength(name, font=font)) + (line + pad // 2 if swatch else 0)
        if x > pad and x + width > image.width - pad:
            x, row = pad, row + 1
        placed.append((x, row, swatch, name, ink))
        x += width + (3 * pad if swatch is None else 2 * pad)
    height = (row + 1) * (line + pad) + pad
    strip = Image.new("RGB", (image.width, height), (255, 255, 255))
    draw = ImageDraw.Draw(strip)
    for x, row, swatch, name, ink in placed:
        y = pad + row * (line + pad)
        if swatch is not None:
            draw.rectangle((x, y, x + line - 1, y + line - 1), swatch)
            x += line + pad // 2
        draw.text((x, y), name, fill=ink, font=font)
    result = Image.new("RGB", (image.width, image.height + strip.height), (255, 255, 255))
    result.paste(image, (0, 0))
    result.paste(strip, (0, image.height))
    return result


@dataclass(frozen=True)
class PreviewFile:
    path: Path
    product: str
    size: str
    profile: str
    page: int  # from 1


@dataclass
class PreviewReport:
    files: list[PreviewFile] = field(default_factory=list)
    failures: dict[str, PackgenError] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.failures


def preview_name(product: str, size: str, profile: Profile, page: int) -> str:
    return f"{product}-{size}-{profile.suffix}-p{page}.png"


def _element_ids(raw: Any) -> set[str]:
    """Every element id written in a layout's pages (groups included)."""
    ids: set[str] = set()

    def walk(items: Any) -> None:
        if isinstance(items, list):
            for item in items:
                if isinstance(item, dict):
                    ids.add(str(item.get("id")))
                    walk(item.get("elements"))

    pages = raw.get("pages") if isinstance(raw, dict) else None
    for page in pages if isinstance(pages, list) else []:
        if isinstance(page, dict):
            walk(page.get("elements"))
    return ids


def preview(
    project: Project,
    names: Iterable[str] = (),
    out: Path = Path("previews"),
    dpi: float = 100,
    guides: bool = True,
    sizes: Iterable[str] = (),
    profile: Profile = PRESS,
    org: Organisation | None = None,
) -> PreviewReport:
    """Write one PNG per page of every chosen product and size; errors per product."""
    from packgen.resolve.design import load_design

    report = PreviewReport()
    wanted = list(sizes)
    for name in list(names) or project.products():
        try:
            design = load_design(project, name)
            ids = _element_ids(design.raw)
            for size in wanted or design.sizes:
                # every size is drawn, even after one fails: a designer fixing a mistake
                # sees it in each size; the first failure is the product's report
                try:
                    files, broken = _preview_size(
                        project, design, ids, size, out, dpi, guides, profile, org
                    )
                except PackgenError as exc:
                    files, broken = [], exc
                report.files.extend(files)
                if broken is not None:
                    report.failures.setdefault(name, broken)
        except PackgenError as exc:
            report.failures[name] = exc
        except Exception as exc:  # any failure of one product is its diagnostic
            from packgen.build import contained

            report.failures[name] = contained(exc, name, project.shown(project.layouts_dir))
    return report


def _preview_size(
    project: Project,
    design: Design,
    ids: set[str],
    size: str,
    out: Path,
    dpi: float,
    guides: bool,
    profile: Profile,
    org: Organisation | None,
) -> tuple[list[PreviewFile], PackgenError | None]:
    """The PNG pages of one size, and the layout's errors (drawn on them in red).

    Raises when nothing could be drawn."""
    from packgen.build import make
    from packgen.render import raster
    from packgen.render.write import write_atomic

    name = design.name
    written: list[PreviewFile] = []
    note = Diagnostic(f"found while making {size} ({profile.suffix})", severity=Severity.NOTE)
    broken: LayoutError | None = None
    try:
        placed, pdf = make(project, design, size, profile, org, draft=True)
    except LayoutError as exc:
        if exc.pdf is None:
            raise PackgenError([*exc.diagnostics, note]) from None
        placed, pdf, broken = exc.partial, exc.pdf, exc
    except PackgenError as exc:
        raise PackgenError([*exc.diagnostics, note]) from None
    for number, (page, image) in enumerate(
        zip(placed.pages, raster.pages(pdf, dpi), strict=True), start=1
    ):
        shapes: list[Guide] = []
        if guides:
            shapes = page_guides(page, ids)
            draw_guides(image, page, shapes, dpi)
        if broken is not None:
            failed = [f for f in broken.failed if f.page == number - 1]
            draw_failures(image, page, failed, dpi)
            if number == 1:
                image = with_errors(image, broken.unplaced(), dpi)
        if guides or broken is not None:
            title = f"{name} {size} {profile.suffix} p{number}"
            kinds = {g.kind for g in shapes}
            image = with_legend(image, title, kinds, dpi, broken is not None)
        path = out / preview_name(name, size, profile, number)
        buffer = io.BytesIO()
        image.save(buffer, "PNG", dpi=(dpi, dpi))
        write_atomic(path, buffer.getvalue())
        written.append(PreviewFile(path, name, size, profile.suffix, number))
    if broken is not None:
        return written, PackgenError([*broken.diagnostics, note])
    return written, None
