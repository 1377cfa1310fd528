"""Checks that need pixels: what lies behind text, and QR codes read back.

Pages are rendered with pdfium. For contrast, the page is rendered once more
with its text objects removed, and the colour under each text run is sampled.
QR codes are decoded with zxing-cpp from a raster at print resolution.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageStat

from packgen.check.facts import Box, PageFacts
from packgen.units import MM

SAMPLE_DPI = 72
QR_DPI = 150
EDGE_DPI = 36
QUIET_MODULES = 4
MAX_PIXELS = 36_000_000  # one raster at most (A0 at 150 dpi); larger pages render coarser
INK = 12  # a channel this far below white is ink, not paper


@dataclass(frozen=True)
class Raster:
    """A rendered page and how to map PDF points onto it."""

    image: Image.Image
    scale: float  # pixels per point
    left: float  # the page's crop box, in points
    top: float

    def px(self, x: float, y: float) -> tuple[float, float]:
        return ((x - self.left) * self.scale, (self.top - y) * self.scale)

    def pt(self, x: float, y: float) -> tuple[float, float]:
        return (x / self.scale + self.left, self.top - y / self.scale)


def bounded_scale(width: float, height: float, dpi: float) -> float:
    """``dpi`` as a render scale, reduced so that the raster stays under MAX_PIXELS."""
    scale = dpi / 72
    pixels = width * scale * height * scale
    if pixels > MAX_PIXELS:
        scale *= (MAX_PIXELS / pixels) ** 0.5
    return scale


def render(page: object, dpi: float) -> Raster:
    """One pdfium page as RGB at ``dpi`` (coarser for huge pages), unrotated.

    A page's /Rotate is set to 0 in memory first, so that raster pixels map
    straight onto PDF coordinates (marks stay where the findings are).
    """
    if page.get_rotation():  # type: ignore[attr-defined]
        page.set_rotation(0)  # type: ignore[attr-defined]
    left, _, _, top = page.get_bbox()  # type: ignore[attr-defined]  # crop box, inherited
    width, height = page.get_size()  # type: ignore[attr-defined]
    scale = bounded_scale(width, height, dpi)
    image = page.render(scale=scale).to_pil().convert("RGB")  # type: ignore[attr-defined]
    return Raster(image, scale, left, top)


def backgrounds(
    path: Path, runs: Sequence[Sequence[Box]]
) -> list[list[tuple[int, int, int] | None]]:
    """The median colour behind each box, per page, with all text removed."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    document = pdfium.PdfDocument(path)
    result: list[list[tuple[int, int, int] | None]] = []
    try:
        for index, page in enumerate(document):
            texts = [o for o in page.get_objects(max_depth=1) if o.type == raw.FPDF_PAGEOBJ_TEXT]
            for obj in texts:
                page.remove_obj(obj)
            if texts:
                page.gen_content()
            raster = render(page, SAMPLE_DPI)
            image = raster.image
            samples: list[tuple[int, int, int] | None] = []
            for box in runs[index] if index < len(runs) else []:
                x0, y0 = raster.px(box.x0, box.y1)
                x1, y1 = raster.px(box.x1, box.y0)
                left, top = int(x0), int(y0)
                right, bottom = max(left + 1, int(x1)), max(top + 1, int(y1))
                area = (
                    max(0, left),
                    max(0, top),
                    min(image.width, right),
                    min(image.height, bottom),
                )
                if area[2] <= area[0] or area[3] <= area[1]:  # off the rendered page
                    samples.append(None)
                    continue
                crop = image.crop(area)
                median = ImageStat.Stat(crop).median
                samples.append((int(median[0]), int(median[1]), int(median[2])))
            result.append(samples)
    finally:
        document.close()
    return result


@dataclass(frozen=True)
class Code:
    text: str
    module_mm: float
    quiet_zone: bool
    box: Box  # in PDF points


def edge_ink(path: Path, pages: Sequence[PageFacts]) -> list[dict[str, tuple[bool, bool]]]:
    """Per page and side of the trim: is there ink just inside it, and also 2 mm beyond it."""
    import pypdfium2 as pdfium

    from packgen.check.intent import page_trim

    found: list[dict[str, tuple[bool, bool]]] = []
    document = pdfium.PdfDocument(path)
    try:
        for index, page in enumerate(document):
            if index >= len(pages):
                break
            raster = render(page, EDGE_DPI)
            trim, _ = page_trim(pages[index])
            grey = raster.image.convert("L").point(lambda v: 255 if v < 255 - INK else 0)
            inset = max(0.8 * MM, 1.5 / raster.scale)  # at least a pixel and a half inside
            skip = 6 * MM  # corners carry crop marks
            sides = {
                "left": ((trim.x0 + inset, trim.y0 + skip, trim.x0 + inset, trim.y1 - skip), -1, 0),
                "right": ((trim.x1 - inset, trim.y0 + skip, trim.x1 - inset, trim.y1 - skip), 1, 0),
                "bottom": (
                    (trim.x0 + skip, trim.y0 + inset, trim.x1 - skip, trim.y0 + inset),
                    0,
                    -1,
                ),
                "top": ((trim.x0 + skip, trim.y1 - inset, trim.x1 - skip, trim.y1 - inset), 0, 1),
            }
            result: dict[str, tuple[bool, bool]] = {}
            for side, ((ax, ay, bx, by), dx, dy) in sides.items():
                inked = beyond = total = 0
                steps = max(2, int(max(abs(bx - ax), abs(by - ay)) * raster.scale))
                for i in range(steps + 1):
                    x = ax + (bx - ax) * i / steps
                    y = ay + (by - ay) * i / steps
                    here = _ink(grey, raster.px(x, y))
                    if here is None:
                        continue
                    total += 1
                    if here:
                        inked += 1
                        out = _ink(
                            grey, raster.px(x + dx * (inset + 2 * MM), y + dy * (inset + 2 * MM))
                        )
                        beyond += bool(out)
                touches = total > 0 and inked >= 0.05 * total
                result[side] = (touches, touches and beyond >= 0.8 * inked)
            found.append(result)
    finally:
        document.close()
    return found


def _ink(mask: Image.Image, point: tuple[float, float]) -> bool | None:
    x, y = int(point[0]), int(point[1])
    if not (0 <= x < mask.width and 0 <= y < mask.height):
        return None
    return bool(mask.getpixel((x, y)))


def _quiet_zone_clear(
    image: Image.Image, left: float, top: float, right: float, bottom: float, module: float
) -> bool:
    grey = image.convert("L")
    # measure up to half a module short of the full zone: corners are found to ±1 pixel
    margin = (QUIET_MODULES - 0.5) * module
    outer = (
        max(0, int(left - margin)),
        max(0, int(top - margin)),
        min(grey.width, int(right + margin) + 1),
        min(grey.height, int(bottom + margin) + 1),
    )
    if outer[0] > left - margin + 1 or outer[1] > top - margin + 1:
        return False  # the quiet zone runs off the page
    if outer[2] < right + margin - 1 or outer[3] < bottom + margin - 1:
        return False
    inner_pad = module * 0.6  # leave the symbol's own edge modules out of the ring
    pixels = grey.load()
    assert pixels is not None
    inside = (left - inner_pad, top - inner_pad, right + inner_pad, bottom + inner_pad)
    light = dark = 0
    for y in range(outer[1], outer[3], 2):
        for x in range(outer[0], outer[2], 2):
            if inside[0] <= x <= inside[2] and inside[1] <= y <= inside[3]:
                continue
            if pixels[x, y] < 128:  # type: ignore[operator]
                dark += 1
            else:
                light += 1
    return dark <= 0.01 * max(1, light + dark)


def read_codes(path: Path, dpi: float = QR_DPI) -> list[list[Code]]:
    """Every QR code on every page, with module size and quiet-zone verdict."""
    import pypdfium2 as pdfium

    found: list[list[Code]] = []
    document = pdfium.PdfDocument(path)
    try:
        for page in document:
            found.append(_codes_on(render(page, dpi)))
    finally:
        document.close()
    return found


def _codes_on(raster: Raster) -> list[Code]:
    import zxingcpp

    image, dpi = raster.image, raster.scale * 72
    codes: list[Code] = []
    results = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)  # type: ignore[arg-type]
    for result in sorted(results, key=lambda r: (r.position.top_left.y, r.position.top_left.x)):
        corners = [
            result.position.top_left,
            result.position.top_right,
            result.position.bottom_right,
            result.position.bottom_left,
        ]
        xs, ys = [p.x for p in corners], [p.y for p in corners]
        try:
            extra = result.extra if isinstance(result.extra, dict) else {}
            version = int(str(extra.get("Version", "0")))
        except (ValueError, AttributeError):
            version = 0
        modules = 17 + 4 * version if version else 21
        width_px = (max(xs) - min(xs) + max(ys) - min(ys)) / 2 + 1
        module_px = width_px / modules
        module_mm = module_px / dpi * 25.4
        clear = _quiet_zone_clear(image, min(xs), min(ys), max(xs), max(ys), module_px)
        x0, y1 = raster.pt(min(xs), min(ys))
        x1, y0 = raster.pt(max(xs) + 1, max(ys) + 1)
        codes.append(Code(result.text, module_mm, clear, Box(x0, y0, x1, y1)))
    return codes
