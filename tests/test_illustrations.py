"""The illustrations: flat SVG art drawn only in the campaign palette's sRGB values.

Press output maps an SVG colour to a palette ink only when it is exactly one of
the palette's hex values; any other colour would print as a converted CMYK mix.
"""

from __future__ import annotations

import re
from pathlib import Path
from xml.etree import ElementTree

import pytest
from reportlab.graphics.shapes import Drawing, Group
from reportlab.lib.colors import Color
from svglib.svglib import svg2rlg

from packgen.resolve.project import Project, embedded_root

ART = embedded_root() / "assets" / "illustrations"
SVGS = sorted(ART.rglob("*.svg"))
COLOUR_ATTRIBUTES = ("fill", "stroke", "stop-color", "color", "flood-color", "lighting-color")
FORBIDDEN_TAGS = ("image", "text", "linearGradient", "radialGradient", "pattern", "filter", "mask")
OPACITY = ("opacity", "fill-opacity", "stroke-opacity")


def _palette_hexes(project: Project) -> set[str]:
    return {colour.rgb.upper() for colour in project.campaign.palette.values()}


def _declared(element: ElementTree.Element) -> dict[str, str]:
    """An element's presentation attributes, with any inline style on top."""
    values = {key: value.strip() for key, value in element.attrib.items()}
    for declaration in element.get("style", "").split(";"):
        if ":" in declaration:
            key, value = declaration.split(":", 1)
            values[key.strip()] = value.strip()
    return values


def test_there_is_art_to_check() -> None:
    names = {str(path.relative_to(ART)) for path in SVGS}
    assert {"speak-up.svg", "know-your-baby.svg", "cues/gaze.svg"} <= names
    assert len([name for name in names if name.startswith("pack/")]) >= 3
    assert len([name for name in names if name.startswith("easy-read/")]) >= 10


@pytest.mark.parametrize("path", SVGS, ids=lambda p: str(p.relative_to(ART)))
def test_svg_uses_only_palette_colours(path: Path, project: Project) -> None:
    palette = _palette_hexes(project)
    found: list[str] = []
    for element in ElementTree.parse(path).getroot().iter():
        tag = element.tag.rsplit("}", 1)[-1]
        assert tag not in FORBIDDEN_TAGS, f"{path.name}: <{tag}> is not flat palette art"
        values = _declared(element)
        for key in OPACITY:
            if key in values:
                assert float(values[key]) == 1.0, f"{path.name}: {key} blends colours off-palette"
        for key in COLOUR_ATTRIBUTES:
            value = values.get(key)
            if value is None or value == "none":
                continue
            assert re.fullmatch(r"#[0-9A-Fa-f]{6}", value), f"{path.name}: {key}='{value}'"
            found.append(value.upper())
    assert found, f"{path.name} declares no colours"
    off_palette = sorted(set(found) - palette)
    assert not off_palette, f"{path.name}: colours not in the palette: {off_palette}"


def _drawn_colours(node: object) -> set[str]:
    colours: set[str] = set()
    for attr in ("fillColor", "strokeColor"):
        colour = getattr(node, attr, None)
        if isinstance(colour, Color):
            channels = (colour.red, colour.green, colour.blue)
            colours.add("#" + "".join(f"{round(v * 255):02X}" for v in channels))
    if isinstance(node, (Group, Drawing)):
        for child in node.contents:
            colours |= _drawn_colours(child)
    return colours


@pytest.mark.parametrize("path", SVGS, ids=lambda p: str(p.relative_to(ART)))
def test_every_drawn_colour_maps_to_an_ink(path: Path, project: Project) -> None:
    """As the renderer reads it (defaults included), every colour is a palette ink."""
    drawing = svg2rlg(str(path))
    assert drawing is not None
    colours = _drawn_colours(drawing)
    assert colours
    assert colours <= _palette_hexes(project), sorted(colours - _palette_hexes(project))
