"""A few small reference renders: the first page of each product, compared with a tolerance.

Prefer assertions over pictures: these catch what no assertion names (a
shifted block, a lost image). The references are greyscale PNGs at 30 dpi,
each under 20 KiB, in ``tests/render/golden/``. They change only when a
developer runs ``pytest tests/render --update-golden`` and commits the result;
the flag is refused in CI.
"""

from __future__ import annotations

import os
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from PIL import Image, ImageChops

from packgen.build import BuildReport
from tests.conftest import ROOT

GOLDEN = Path(__file__).with_name("golden")
DPI = 30
MAX_BYTES = 20 * 1024
MEAN_TOLERANCE = 1.5  # mean grey-level difference (of 255) allowed over the page
PIXEL_TOLERANCE = 48  # a pixel differs when its grey level moves by more than this...
MAX_CHANGED = 0.005  # ...and at most this share of the page may differ

PAGES = [  # (product, size): the first page of each product, office profile
    ("poster-speak-up", "A4"),
    ("poster-know-your-baby", "A4"),
    ("leaflet-cues", "A4"),
    ("leaflet-cues-a5", "A5"),
    ("pack-stakeholder", "A4"),
]


def first_page(pdf: Path) -> Image.Image:
    document = pdfium.PdfDocument(pdf)
    try:
        page = document[0]
        image = page.render(scale=DPI / 72).to_pil().convert("L")
        page.close()
        return image
    finally:
        document.close()


def difference(found: Image.Image, expected: Image.Image) -> tuple[float, float]:
    """Mean grey-level difference, and the share of pixels that moved a lot."""
    diff = ImageChops.difference(found, expected)
    histogram = diff.histogram()
    pixels = found.width * found.height
    mean = sum(level * count for level, count in enumerate(histogram)) / pixels
    changed = sum(histogram[PIXEL_TOLERANCE + 1 :]) / pixels
    return mean, changed


@pytest.mark.parametrize(("product", "size"), PAGES)
def test_first_page_matches_its_reference(
    built: BuildReport, product: str, size: str, update_golden: bool
) -> None:
    pdf = next(
        f.path
        for f in built.files
        if f.product == product and f.size == size and f.profile == "office"
    )
    found = first_page(pdf)
    reference = GOLDEN / f"{product}-{size}-office-p1.png"
    if update_golden:
        assert not _in_ci(), "--update-golden rewrites references: never in CI"
        GOLDEN.mkdir(exist_ok=True)
        found.save(reference, "PNG", optimize=True)
    assert reference.is_file(), f"no reference {reference.name}: run pytest --update-golden"
    assert reference.stat().st_size < MAX_BYTES, f"{reference.name} is over 20 KiB"
    with Image.open(reference) as opened:
        expected = opened.convert("L")
    assert found.size == expected.size, f"{reference.name}: page size changed"
    mean, changed = difference(found, expected)
    assert mean <= MEAN_TOLERANCE and changed <= MAX_CHANGED, (
        f"{pdf.name} page 1 differs from {reference.name}: mean {mean:.2f} grey levels, "
        f"{changed:.2%} of pixels changed; if intended, run pytest --update-golden and commit"
    )


def _in_ci() -> bool:
    return os.environ.get("CI", "").lower() == "true"


def test_golden_updates_are_never_made_in_ci(update_golden: bool) -> None:
    assert not (_in_ci() and update_golden), "--update-golden rewrites references: never in CI"
    tomllib = pytest.importorskip("tomllib")  # Python 3.11+
    options = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    addopts = options["tool"]["pytest"]["ini_options"].get("addopts", "")
    assert "--update-golden" not in addopts
    assert "--update-golden" not in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_a_changed_page_is_caught() -> None:
    expected = Image.new("L", (100, 100), 255)
    moved = expected.copy()
    moved.paste(0, (10, 10, 30, 30))  # a 20x20 block appears: 4% of the page
    assert difference(expected, expected) == (0.0, 0.0)
    mean, changed = difference(moved, expected)
    assert changed == pytest.approx(0.04) and mean > MEAN_TOLERANCE
