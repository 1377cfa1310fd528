"""Screen images (``digital/*.png``) into preflight reports: size, bytes, metadata, text, alt.

The rules, each a :class:`~packgen.check.rules.Finding`:

- ``read``: a PNG that opens, in RGB;
- ``colour``: an ``sRGB`` chunk, and no metadata (text, time, EXIF chunks);
- ``pixels``: the pixel size the layout was made at;
- ``bytes``: within the layout's byte budget (``digital.max_bytes``);
- ``alt``: alternative text present and at most 250 characters;
- ``text size``: every text at least the image's floor (28 px at 1080 wide, scaled);
- ``safe area``: every text inside the safe area and the clear bands;
- ``contrast``: each text's ink against its ground, read back from the pixels
  (the ground: the commonest colour in its box; the ink: the contrast that
  the most contrasting 0.5% of its pixels reach), 4.5:1, or 3:1 for large
  text.

What only the layout knows (sizes, boxes, alt text) comes from the folder's
manifest while the file's sha256 still matches; without it, only the file's
own rules run.
"""

from __future__ import annotations

import hashlib
import struct
from pathlib import Path
from typing import Any

from PIL import Image

from packgen.check import FileReport
from packgen.check.rules import Finding, Level
from packgen.colour import contrast_ratio
from packgen.model.digital import MAX_ALT
from packgen.render.manifest import FileEntry, read_manifest

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
METADATA_CHUNKS = {b"tEXt", b"iTXt", b"zTXt", b"tIME", b"eXIf", b"iCCP", b"pHYs"}
LARGE_PX = 24.0  # 18 pt: large text in WCAG's sense (3:1 is enough)
LARGE_BOLD_PX = 18.67  # 14 pt bold
INK_SHARE = 0.005  # a colour covering this share of a text's box may be its ink (not a fringe)


def images_in(paths: list[Path]) -> list[Path]:
    """The PNG images in ``paths`` (a build folder's ``digital/`` too)."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(sorted(path.glob("*.png")))
            found.extend(sorted((path / "digital").glob("*.png")))
        elif path.suffix.lower() == ".png":
            found.append(path)
    return found


def expectation_for_image(path: Path) -> FileEntry | None:
    """The manifest entry of ``path`` (the build folder holds it as ``digital/<name>``)."""
    for folder, name in (
        (path.parent.parent, f"{path.parent.name}/{path.name}"),
        (path.parent, path.name),
    ):
        entry = read_manifest(folder).get(name)
        if entry is not None:
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
            return entry if digest == entry.sha256 else None
    return None


def chunks(data: bytes) -> list[bytes]:
    """The chunk types of a PNG file, in order; raises ValueError for a file that is not one."""
    if not data.startswith(PNG_SIGNATURE):
        raise ValueError("not a PNG file")
    found: list[bytes] = []
    at = len(PNG_SIGNATURE)
    while at + 8 <= len(data):
        length, kind = struct.unpack(">I4s", data[at : at + 8])
        found.append(kind)
        at += 12 + length
    return found


def check_image(path: Path, expect: FileEntry | None = None) -> FileReport:
    """Preflight one PNG screen image."""
    if expect is None and path.is_file():
        expect = expectation_for_image(path)
    report = FileReport(path, "screen", 1)
    findings = report.findings
    try:
        data = path.read_bytes()
        kinds = chunks(data)
        image = Image.open(path)
        image.load()
    except (OSError, ValueError) as exc:
        findings.append(Finding("read", Level.FAIL, f"cannot read the image: {exc}"))
        return report
    if image.mode != "RGB":
        findings.append(Finding("read", Level.FAIL, f"the image is {image.mode}, not RGB"))
        return report
    extra = sorted(k.decode("ascii") for k in set(kinds) & METADATA_CHUNKS)
    if b"sRGB" not in kinds:
        findings.append(Finding("colour", Level.FAIL, "no sRGB chunk: colours may shift"))
    elif extra:
        findings.append(Finding("colour", Level.FAIL, f"metadata left in: {', '.join(extra)}"))
    else:
        findings.append(Finding("colour", Level.PASS, "sRGB, no metadata"))
    digital = expect.digital if expect is not None else None
    if digital is None:
        findings.append(
            Finding("manifest", Level.WARN, "no manifest entry: size, text and alt text unchecked")
        )
        return report
    findings.extend(_layout_rules(image, len(data), digital))
    return report


def _layout_rules(image: Image.Image, size: int, digital: dict[str, Any]) -> list[Finding]:
    found: list[Finding] = []
    width, height = digital["pixels"]
    if image.size != (width, height):
        found.append(
            Finding(
                "pixels",
                Level.FAIL,
                f"{image.width} × {image.height} px; the layout is {width} × {height}",
            )
        )
    else:
        found.append(Finding("pixels", Level.PASS, f"{width} × {height} px"))
    budget = digital.get("max_bytes")
    if budget is not None and size > budget:
        found.append(
            Finding(
                "bytes", Level.FAIL, f"{size / 1000:.1f} KB; the budget is {budget / 1000:g} KB"
            )
        )
    else:
        found.append(Finding("bytes", Level.PASS, f"{size / 1000:.1f} KB"))
    alt = str(digital.get("alt") or "")
    if not alt.strip():
        found.append(Finding("alt", Level.FAIL, "no alternative text"))
    elif len(alt) > MAX_ALT:
        found.append(Finding("alt", Level.FAIL, f"alt text is {len(alt)} characters (≤ {MAX_ALT})"))
    else:
        found.append(Finding("alt", Level.PASS, f"alt text, {len(alt)} characters"))
    floor = float(digital.get("min_text_px") or 0)
    small = [t for t in digital["texts"] if t["size_px"] + 0.01 < floor]
    for text in small:
        found.append(
            Finding(
                "text size",
                Level.FAIL,
                f"'{text['id']}' is {text['size_px']:g} px; the minimum here is {floor:g} px",
            )
        )
    if not small:
        found.append(Finding("text size", Level.PASS, f"all text at least {floor:g} px"))
    sx, sy, sw, sh = digital["safe_px"]
    outside = [
        t["id"]
        for t in digital["texts"]
        if t["box"][0] < sx - 0.5
        or t["box"][1] < sy - 0.5
        or t["box"][0] + t["box"][2] > sx + sw + 0.5
        or t["box"][1] + t["box"][3] > sy + sh + 0.5
    ]
    if outside:
        found.append(Finding("safe area", Level.FAIL, f"text outside it: {', '.join(outside)}"))
    else:
        found.append(Finding("safe area", Level.PASS, "all text inside the safe area"))
    low = [m for m in (_contrast(image, t) for t in digital["texts"]) if m]
    found.extend(Finding("contrast", Level.FAIL, message) for message in low)
    if not low:
        found.append(Finding("contrast", Level.PASS, "every text against its ground, read back"))
    return found


def _contrast(image: Image.Image, text: dict[str, Any]) -> str | None:
    """A problem if the two commonest colours in the text's box are too close."""
    x, y, w, h = text["box"]
    box = (
        max(0, int(x)),
        max(0, int(y)),
        min(image.width, int(x + w)),
        min(image.height, int(y + h)),
    )
    if box[2] <= box[0] or box[3] <= box[1]:
        return None
    crop = image.crop(box)
    found = crop.getcolors(crop.width * crop.height) or []
    counts = [(colour, n) for n, colour in sorted(found, key=lambda c: (-c[0], c[1]))]
    if len(counts) < 2:
        return f"'{text['id']}': no text drawn in its box"
    ground, total = counts[0][0], sum(n for _, n in counts)
    # every pixel's contrast with the ground, highest first; the ink is where the top
    # INK_SHARE of the box ends (anti-aliased fringes and stray pixels do not count)
    ranked = sorted(
        ((contrast_ratio(_fraction(c), _fraction(ground)), n) for c, n in counts[1:]),
        reverse=True,
    )
    ratio, seen = 1.0, 0
    for contrast, n in ranked:
        ratio, seen = contrast, seen + n
        if seen >= INK_SHARE * total:
            break
    needed = 3.0 if text["size_px"] + 0.01 >= LARGE_PX else 4.5
    if ratio + 1e-6 < needed:
        return f"'{text['id']}' reads back at {ratio:.1f}:1 on its ground; {needed:g}:1 is needed"
    return None


def _fraction(pixel: Any) -> tuple[float, float, float]:
    r, g, b = pixel[:3]
    return (r / 255, g / 255, b / 255)
