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

from packgen.check.facts import Box

SAMPLE_DPI = 72
QR_DPI = 150
QUIET_MODULES = 4


def backgrounds(
    path: Path, runs: Sequence[Sequence[Box]]
) -> list[list[tuple[int, int, int] | None]]:
    """The median colour behind each box, per page, with all text removed."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    document = pdfium.PdfDocument(path)
    result: list[list[tuple[int, int, int] | None]] = []
    scale = SAMPLE_DPI / 72
    try:
        for index, page in enumerate(document):
            texts = [o for o in page.get_objects(max_depth=1) if o.type == raw.FPDF_PAGEOBJ_TEXT]
            for obj in texts:
                page.remove_obj(obj)
            if texts:
                page.gen_content()
            image = page.render(scale=scale).to_pil().convert("RGB")
            height = page.get_height()
            samples: list[tuple[int, int, int] | None] = []
            for box in runs[index] if index < len(runs) else []:
                left = int(box.x0 * scale)
                right = max(left + 1, int(box.x1 * scale))
                top = int((height - box.y1) * scale)
                bottom = max(top + 1, int((height - box.y0) * scale))
                crop = image.crop(
                    (max(0, left), max(0, top), min(image.width, right), min(image.height, bottom))
                )
                if crop.width == 0 or crop.height == 0:
                    samples.append(None)
                    continue
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
    import zxingcpp

    from packgen.render.raster import pages

    found: list[list[Code]] = []
    for image in pages(path, dpi):
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
            codes.append(Code(result.text, module_mm, clear))
        found.append(codes)
    return found
