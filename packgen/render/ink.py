"""Palette colours into ReportLab colours of the output's colour model (CMYK or sRGB).

The render stage's choice of colour model, in one function. Typesetting calls
it too while text is drawn from ReportLab paragraphs that carry their colour
(a known exception to the stage order, listed in tests/unit/test_stages.py).
"""

from __future__ import annotations

from reportlab.lib.colors import CMYKColor, Color

from packgen.colour import Colour


def ink(colour: Colour, cmyk: bool) -> Color:
    """A palette colour as the ReportLab colour of the output's colour model."""
    if cmyk:
        return CMYKColor(*colour.cmyk_fraction)
    return Color(*colour.rgb_fraction)
