"""Ink rules on press: QR codes in 100% K, marks on every plate, 100% K overprints.

Read back two ways: the content streams (pikepdf) and Ghostscript's
separations (``gs -sDEVICE=tiffsep``: one greyscale TIFF per plate, 0 = full ink).
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import numpy as np
import pikepdf
import pytest
from PIL import Image

from packgen.build import BuildReport
from packgen.check import check_file
from packgen.render.raster import pages

GS = shutil.which("gs")
needs_gs = pytest.mark.skipif(GS is None, reason="Ghostscript (gs) is not installed")


def _press(built: BuildReport, name: str) -> Path:
    return next(f.path for f in built.files if f.path.name == name)


def _separations(pdf: Path, out: Path, dpi: int = 100) -> dict[str, np.ndarray]:
    subprocess.run(
        [str(GS), "-q", "-o", str(out / "sep.tiff"), "-sDEVICE=tiffsep", f"-r{dpi}", str(pdf)],
        check=True,
    )
    return {
        plate: 255 - np.asarray(Image.open(out / f"sep({plate}).tiff"), dtype=int)
        for plate in ("Cyan", "Magenta", "Yellow", "Black")
    }  # ink amount 0-255 per plate


def _qr_boxes(pdf: Path, dpi: int = 100) -> list[tuple[int, int, int, int]]:
    import zxingcpp

    image = next(pages(pdf, dpi))
    boxes = []
    for found in zxingcpp.read_barcodes(image):
        p = found.position
        xs = [p.top_left.x, p.top_right.x, p.bottom_left.x, p.bottom_right.x]
        ys = [p.top_left.y, p.top_right.y, p.bottom_left.y, p.bottom_right.y]
        boxes.append((min(xs), min(ys), max(xs), max(ys)))
    return boxes


@needs_gs
@pytest.mark.parametrize("name", ["poster-speak-up-A4-press.pdf", "leaflet-cues-A4-press.pdf"])
def test_qr_modules_are_on_the_black_plate_only(
    built: BuildReport, tmp_path: Path, name: str
) -> None:
    pdf = _press(built, name)
    plates = _separations(pdf, tmp_path)
    boxes = _qr_boxes(pdf)
    assert boxes
    for x0, y0, x1, y1 in boxes:
        black = plates["Black"][y0:y1, x0:x1]
        assert black.max() == 255 and black.std() > 50  # the modules, in solid K
        for plate in ("Cyan", "Magenta", "Yellow"):
            region = plates[plate][y0:y1, x0:x1]
            assert region.std() < 1, (plate, "the code shows on a colour plate")


@needs_gs
def test_crop_marks_print_on_all_four_plates(built: BuildReport, tmp_path: Path) -> None:
    pdf = _press(built, "poster-speak-up-A4-press.pdf")
    plates = _separations(pdf, tmp_path)
    with pikepdf.open(pdf) as document:
        page = document.pages[0]
        media = [float(v) for v in page.MediaBox]
        bleed = [float(v) for v in page.BleedBox]
    scale = 100 / 72
    margin = int((bleed[0] - media[0]) * scale) - 2  # the slug, outside the bleed
    for plate, ink in plates.items():
        slug = np.concatenate([ink[:margin].ravel(), ink[-margin:].ravel()])
        assert slug.max() > 200, f"no mark on the {plate} plate"


def _strokes_outside(page: pikepdf.Page) -> list[str]:
    """The stroke colour of every path drawn (untransformed) wholly outside the BleedBox."""
    x0, y0, x1, y1 = (float(v) for v in page.BleedBox)
    stack: list[tuple[str, bool]] = []
    stroke, moved = "DeviceGray", False
    points: list[tuple[float, float]] = []
    found = []
    for args, operator in pikepdf.parse_content_stream(page):
        name = str(operator)
        if name == "q":
            stack.append((stroke, moved))
        elif name == "Q":
            stroke, moved = stack.pop()
        elif name == "cm":
            moved = moved or [float(a) for a in args] != [1, 0, 0, 1, 0, 0]
        elif name == "CS":
            stroke = str(args[0])
        elif name == "K":
            stroke = "DeviceCMYK " + " ".join(str(float(a)) for a in args)
        elif name in ("m", "l"):
            points.append((float(args[0]), float(args[1])))
        elif name in ("S", "f", "n", "B", "re"):
            outside = points and all(not (x0 <= x <= x1 and y0 <= y <= y1) for x, y in points)
            if name == "S" and outside and not moved:
                found.append(stroke)
            points = []
    return found


def test_marks_use_the_registration_separation(built: BuildReport) -> None:
    """Every line outside the bleed (crop and fold marks) strokes in /All."""
    for file in built.files:
        if file.profile != "press":
            continue
        with pikepdf.open(file.path) as pdf:
            for page in pdf.pages:
                spaces = page.Resources.get("/ColorSpace", {})
                alls = [name for name, s in spaces.items() if str(s[1]) == "/All"]
                assert alls and str(spaces[alls[0]][0]) == "/Separation", file.path.name
                marks = _strokes_outside(page)
                assert len(marks) >= 8, file.path.name  # 8 crop marks, plus fold marks
                assert set(marks) == {str(alls[0])}, file.path.name


def _text_overprint(page: pikepdf.Page) -> list[tuple[str, bool]]:
    """(fill colour, fill overprint on) for each text-showing operator of ``page``."""
    states = {
        str(name): dict(state) for name, state in page.Resources.get("/ExtGState", {}).items()
    }
    stack: list[tuple[str, bool]] = []
    fill, op = "", False
    shown = []
    for args, operator in pikepdf.parse_content_stream(page):
        name = str(operator)
        if name == "q":
            stack.append((fill, op))
        elif name == "Q":
            fill, op = stack.pop()
        elif name == "k":
            fill = " ".join(str(float(a)) for a in args)
        elif name == "gs":
            state = states[str(args[0])]
            if "/op" in state:
                op = bool(state["/op"])
        elif name in ("Tj", "TJ", "'", '"'):
            shown.append((fill, op))
    return shown


def test_solid_black_text_overprints_and_colour_knocks_out(built: BuildReport) -> None:
    pdf = _press(built, "poster-speak-up-A4-press.pdf")
    with pikepdf.open(pdf) as document:
        page = document.pages[0]
        states = [dict(s) for s in page.Resources.ExtGState.values()]
        assert {"/OPM": 1} in states  # overprint mode 1: zero components leave plates alone
        shown = _text_overprint(page)
    black = [op for fill, op in shown if fill == "0.0 0.0 0.0 1.0"]
    other = [op for fill, op in shown if fill != "0.0 0.0 0.0 1.0"]
    assert black and all(black)
    assert other and not any(other)


def test_total_ink_stays_under_300_with_marks_exempt(built: BuildReport) -> None:
    for file in built.files:
        if file.profile != "press":
            continue
        found = [f for f in check_file(file.path, fast=True).findings if f.check == "ink"]
        assert [f.level.value for f in found] == ["pass"], file.path.name
        assert int(found[0].message.split()[-1].rstrip("%")) <= 300
