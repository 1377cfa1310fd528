"""Rendering per profile: press output is CMYK throughout, body text 100% K."""

from __future__ import annotations

from pathlib import Path

from PIL import Image
from pypdf import PdfReader

from packgen.check import check_file
from packgen.model.profiles import OFFICE, PRESS
from packgen.render.pdf import render
from packgen.resolve.project import Project
from tests.test_layout import item, place

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
