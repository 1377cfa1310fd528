"""Rendering per profile: press output is CMYK throughout, body text 100% K."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader

from packgen.check import check_file
from packgen.model.profiles import OFFICE, PRESS
from packgen.render.pdf import render
from packgen.resolve.project import Project
from tests.layout.probe import item, place

IMAGE_AND_BODY = """pages:
  - id: front
    elements:
      - {type: image, id: photo, box: {x: 20mm, y: 20mm, w: 40mm, h: 40mm}, src: photo.png}
      - {type: text, id: body, box: {x: 20mm, y: 80mm, w: 150mm, h: 40mm}, copy: speak_up.body, style: body}
"""


def _photo(root: Path) -> None:
    image = Image.new("RGBA", (600, 600), (14, 124, 123, 255))
    image.paste((0, 0, 0, 0), (0, 0, 100, 100))
    image.save(root / "assets" / "photo.png")


def test_press_converts_images_to_cmyk_and_body_to_black(
    project_copy: Path, tmp_path: Path
) -> None:
    _photo(project_copy)
    document = place(project_copy, IMAGE_AND_BODY, profile=PRESS)
    body = item(document, "body")
    assert [c.cmyk for c in body.colours] == [(0, 0, 0, 100)]
    path = tmp_path / "press.pdf"
    path.write_bytes(render(document, {}, Project(project_copy).output_condition))
    resources = PdfReader(path).pages[0]["/Resources"]
    (image,) = [x.get_object() for x in resources["/XObject"].values()]
    assert image["/ColorSpace"] == "/DeviceCMYK"
    assert check_file(path, fast=True).ok


def test_office_keeps_rgb_images_and_the_design_colour(project_copy: Path, tmp_path: Path) -> None:
    _photo(project_copy)
    document = place(project_copy, IMAGE_AND_BODY, profile=OFFICE)
    assert [c.rgb for c in item(document, "body").colours] == ["#1F2A44"]
    path = tmp_path / "office.pdf"
    path.write_bytes(render(document, {}))
    resources = PdfReader(path).pages[0]["/Resources"]
    image = next(iter(resources["/XObject"].values())).get_object()
    assert image["/ColorSpace"] == "/DeviceRGB"
    assert "/SMask" in image  # transparency kept on screen and office output


ON_CREAM = """pages:
  - id: front
    background: cream
    elements:
      - {type: shape, id: card, box: {x: 100mm, y: 100mm, w: 80mm, h: 80mm}, fill: sky}
      - {type: image, id: on-card, box: {x: 110mm, y: 110mm, w: 40mm, h: 40mm}, src: logo.png}
      - {type: image, id: on-page, box: {x: 20mm, y: 20mm, w: 40mm, h: 40mm}, src: logo.png}
"""
PLUM = (0x6B, 0x2D, 0x5C)


def _logo(root: Path) -> None:
    """A plum square on a transparent ground, like an organisation's PNG logo."""
    image = Image.new("RGBA", (600, 600), (0, 0, 0, 0))
    image.paste((*PLUM, 255), (150, 150, 450, 450))
    image.save(root / "assets" / "logo.png")


def _press_images(project_copy: Path, tmp_path: Path) -> dict[str, Image.Image]:
    import pikepdf

    document = place(project_copy, ON_CREAM, profile=PRESS)
    path = tmp_path / "press.pdf"
    path.write_bytes(render(document, {}, Project(project_copy).output_condition))
    with pikepdf.open(path) as pdf:
        page = pdf.pages[0]
        images = [pikepdf.PdfImage(x).as_pil_image() for x in page.get_images().values()]
    by_corner = {}
    for image in images:
        assert image.mode == "CMYK"
        by_corner[image.getpixel((5, 5))] = image
    return by_corner  # type: ignore[return-value]


def _cmyk255(colour: tuple[float, float, float, float]) -> tuple[int, ...]:
    return tuple(round(v / 100 * 255) for v in colour)


def test_a_transparent_logo_is_flattened_onto_the_ink_behind_it(
    project_copy: Path, tmp_path: Path
) -> None:
    _logo(project_copy)
    palette = Project(project_copy).campaign.palette
    corners = _press_images(project_copy, tmp_path)
    # transparent pixels print exactly the backdrop's ink: sky on the card, cream on the page
    assert set(corners) == {_cmyk255(palette["sky"].cmyk), _cmyk255(palette["cream"].cmyk)}


def test_a_logo_converted_with_the_profile_is_within_8_delta_e(
    project_copy: Path, tmp_path: Path
) -> None:
    from packgen.resolve.icc import delta_e76, lab_of_srgb

    _logo(project_copy)
    condition = Project(project_copy).output_condition
    image = next(iter(_press_images(project_copy, tmp_path).values()))
    cmyk = tuple(v / 255 for v in image.getpixel((300, 300)))  # type: ignore[union-attr]
    gap = delta_e76(condition.lab_of_cmyk(cmyk), lab_of_srgb(tuple(c / 255 for c in PLUM)))
    assert gap < 8
    # the naive conversion (C, M, Y = 1 - R, G, B) printed it about 22 ΔE away
    naive = (*(1 - c / 255 for c in PLUM), 0.0)
    naive_gap = delta_e76(condition.lab_of_cmyk(naive), lab_of_srgb(tuple(c / 255 for c in PLUM)))
    assert naive_gap > 20


def test_svg_colours_outside_the_palette_are_colour_managed(project_copy: Path) -> None:
    from reportlab.lib.colors import CMYKColor, Color

    from packgen.render.pdf import _to_cmyk

    condition = Project(project_copy).output_condition
    palette = {"#0E7C7B": Project(project_copy).campaign.palette["teal"]}
    in_palette = _to_cmyk(Color(14 / 255, 124 / 255, 123 / 255), palette, condition)
    assert isinstance(in_palette, CMYKColor)
    assert (in_palette.cyan, in_palette.black) == (0.88, 0.12)  # the palette's own ink
    other = _to_cmyk(Color(0x6B / 255, 0x2D / 255, 0x5C / 255), palette, condition)
    expected = condition.cmyk_of((0x6B / 255, 0x2D / 255, 0x5C / 255))
    assert isinstance(other, CMYKColor)
    got = (other.cyan, other.magenta, other.yellow, other.black)
    assert got == pytest.approx(expected, abs=1e-3)


def test_palette_colours_whose_print_and_screen_part_are_warned(project_copy: Path) -> None:
    from packgen.colour import Colour
    from packgen.errors import Span
    from packgen.render.inks import palette_warnings

    condition = Project(project_copy).output_condition
    palette = {
        "good": Colour(cmyk=(90, 75, 30, 60), rgb="#1F2A44"),
        "off": Colour(cmyk=(88, 72, 36, 38), rgb="#1F2A44"),  # the old ink: 10.8 ΔE
        "black": Colour(cmyk=(0, 0, 0, 100), rgb="#000000"),  # one ink: exempt
    }
    (warning,) = palette_warnings(palette, condition, {"off": Span("campaign.yaml", 9, 3)})
    text = warning.format()
    assert text.startswith("campaign.yaml:9:3: warning: palette.off: CMYK [88, 72, 36, 38]")
    assert "prints ΔE 10.8 from its sRGB #1F2A44 under FOGRA39" in text
    assert "hint: cmyk: [" in text
    # the default campaign's palette passes
    assert palette_warnings(Project(project_copy).campaign.palette, condition) == []


def test_the_painter_refuses_an_item_kind_it_does_not_know() -> None:
    import io

    import pytest
    from reportlab.pdfgen.canvas import Canvas

    from packgen.layout.placed import PlacedLink, Rect
    from packgen.render.pdf import Painter

    painter = Painter(Canvas(io.BytesIO()), cmyk=False, palette={})
    with pytest.raises(TypeError, match="the painter cannot draw PlacedLink"):
        painter.item(PlacedLink(Rect(0, 0, 1, 1), "https://example.org"))  # type: ignore[arg-type]
