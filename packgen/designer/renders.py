"""The renders in ``docs/``: every product's current look, made from its layout.

``python -m packgen.designer.renders`` (from a clone) builds each product at
its first size for the office profile and writes small PNGs to
``docs/images/`` — page 1 of each product (``<product>.png``), the second side
of a leaflet (``<product>-p2.png``), and a contact sheet of every page of a
pack (``<product>-pages.png``) — plus ``docs/products.md``, the page that shows
them. Run it after a change to art or type and commit the result, so review
sees the change; ``tests/unit/test_docs.py`` checks that every product has its
render and that the page lists them all.
"""

from __future__ import annotations

import io
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

from packgen.model.profiles import OFFICE
from packgen.resolve.project import Project

DPI = 60  # an A4 page 496 px wide: enough to judge type and art, small in the repository
SHEET_COLUMNS = 4  # pages per row on a pack's contact sheet
SHEET_WIDTH = 200  # px per page on the contact sheet
SCREEN_WIDTH = 480  # px: screen images (banners, social) are shown this wide
COLOURS = 128  # a palette image: the renders stay small


@dataclass(frozen=True)
class Render:
    product: str
    kind: str
    size: str
    description: str
    files: tuple[str, ...]  # under docs/images/


def _small(image: Image.Image) -> bytes:
    """The image as a compact, reproducible palette PNG."""
    quantised = image.convert("RGB").quantize(
        COLOURS, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE
    )
    buffer = io.BytesIO()
    quantised.save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


def _sheet(pages: list[Image.Image]) -> Image.Image:
    """Every page side by side, ``SHEET_COLUMNS`` to a row, with a gutter."""
    scaled = [p.resize((SHEET_WIDTH, round(p.height * SHEET_WIDTH / p.width))) for p in pages]
    gap = 8
    rows = -(-len(scaled) // SHEET_COLUMNS)
    height = max(p.height for p in scaled)
    sheet = Image.new(
        "RGB",
        (SHEET_COLUMNS * (SHEET_WIDTH + gap) + gap, rows * (height + gap) + gap),
        (230, 230, 230),
    )
    for index, page in enumerate(scaled):
        row, column = divmod(index, SHEET_COLUMNS)
        sheet.paste(page, (gap + column * (SHEET_WIDTH + gap), gap + row * (height + gap)))
    return sheet


def render_products(project: Project, out: Path, names: Iterable[str] = ()) -> list[Render]:
    """Write the renders of ``names`` (every product) to ``out``; what was written."""
    from packgen.build import make
    from packgen.render import raster
    from packgen.render.write import write_atomic
    from packgen.resolve.design import load_design

    project.register_fonts()
    renders: list[Render] = []
    for name in list(names) or project.products():
        design = load_design(project, name)
        size = design.sizes[0]
        _, pdf = make(project, design, size, OFFICE)
        pages = list(raster.pages(pdf, DPI))
        files: list[tuple[str, Image.Image]] = []
        first = pages[0]
        if design.kind in {"banner", "social"}:
            first = first.resize((SCREEN_WIDTH, round(first.height * SCREEN_WIDTH / first.width)))
        files.append((f"{name}.png", first))
        if design.kind == "leaflet" and len(pages) == 2:
            files.append((f"{name}-p2.png", pages[1]))
        if len(pages) > 2:
            files.append((f"{name}-pages.png", _sheet(pages)))
        for file, image in files:
            write_atomic(out / file, _small(image))
        description = str(design.raw.get("description", ""))
        renders.append(Render(name, design.kind, size, description, tuple(f for f, _ in files)))
    return renders


def products_page(renders: list[Render]) -> str:
    """``docs/products.md``: each product with its renders."""
    lines = [
        "# The products, as they look now",
        "",
        "Made by `python -m packgen.designer.renders` from the layouts in this",
        "repository (office profile, first size); run it again after a change to",
        "art or type, and commit the images with the change.",
        "",
    ]
    for render in renders:
        lines += [
            f"## {render.product}",
            "",
            f"{render.description} ({render.kind}, {render.size}).",
            "",
        ]
        for file in render.files:
            what = (
                "every page"
                if file.endswith("-pages.png")
                else ("side 2" if file.endswith("-p2.png") else "page 1")
            )
            lines.append(f'<img src="images/{file}" alt="{render.product}, {what}" width="320">')
        lines.append("")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    root = Path(args[0]) if args else Path.cwd()
    project = Project(root)
    docs = root / "docs"
    renders = render_products(project, docs / "images", args[1:])
    if not args[1:]:  # the page lists every product: only a full run rewrites it
        (docs / "products.md").write_text(products_page(renders), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
