"""docs/products.md and docs/images/: every product has its current render, listed."""

from __future__ import annotations

import re
from pathlib import Path

from PIL import Image

from packgen.designer.renders import Render, products_page
from packgen.resolve.project import Project

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"


def test_every_product_has_a_render_on_the_products_page() -> None:
    page = (DOCS / "products.md").read_text(encoding="utf-8")
    for product in Project(ROOT).products():
        assert f"## {product}\n" in page, (
            f"{product} is missing: run python -m packgen.designer.renders"
        )
        assert f'src="images/{product}.png"' in page
    for image in re.findall(r'src="images/([^"]+)"', page):
        with Image.open(DOCS / "images" / image) as opened:
            assert opened.width >= 200  # a real render, not a placeholder


def test_the_readme_shows_the_posters_current_renders() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for image in re.findall(r'src="(docs/images/[^"]+)"', readme):
        assert (ROOT / image).is_file(), image
    assert "docs/products.md" in readme


def test_the_page_lists_each_render_with_alt_text() -> None:
    page = products_page(
        [Render("leaflet", "leaflet", "A4", "A leaflet", ("leaflet.png", "leaflet-p2.png"))]
    )
    assert '<img src="images/leaflet-p2.png" alt="leaflet, side 2" width="320">' in page
    assert "A leaflet (leaflet, A4)." in page
