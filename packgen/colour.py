"""Colours: a palette entry defined in CMYK for print, with an RGB for screens.

Also the WCAG contrast arithmetic used by layout checks.
"""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, field_validator

_HEX = re.compile(r"^#[0-9A-Fa-f]{6}$")

Percent = Annotated[float, Field(ge=0, le=100)]


class Colour(BaseModel):
    """One ink mix: CMYK in percent (print) and an sRGB hex (screen, office)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    cmyk: tuple[Percent, Percent, Percent, Percent]
    rgb: str

    @field_validator("rgb")
    @classmethod
    def _hex(cls, value: str) -> str:
        if not _HEX.match(value):
            raise ValueError(f"expected an sRGB hex colour such as '#0E7C7B', found '{value}'")
        return value.upper()

    @property
    def rgb_fraction(self) -> tuple[float, float, float]:
        h = self.rgb.lstrip("#")
        return (int(h[0:2], 16) / 255, int(h[2:4], 16) / 255, int(h[4:6], 16) / 255)

    @property
    def cmyk_fraction(self) -> tuple[float, float, float, float]:
        c, m, y, k = self.cmyk
        return (c / 100, m / 100, y / 100, k / 100)


def _linear(channel: float) -> float:
    return channel / 12.92 if channel <= 0.04045 else ((channel + 0.055) / 1.055) ** 2.4


def luminance(rgb: tuple[float, float, float]) -> float:
    r, g, b = (_linear(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(a: tuple[float, float, float], b: tuple[float, float, float]) -> float:
    """WCAG 2 contrast ratio between two sRGB colours (1.0 to 21.0)."""
    la, lb = luminance(a), luminance(b)
    light, dark = max(la, lb), min(la, lb)
    return (light + 0.05) / (dark + 0.05)


def _distance(a: str, b: str) -> float:
    """How far apart two sRGB hex colours are (Euclidean, 0–441)."""
    pa, pb = (tuple(int(h.lstrip("#")[i : i + 2], 16) for i in (0, 2, 4)) for h in (a, b))
    return float(sum((x - y) ** 2 for x, y in zip(pa, pb, strict=True)) ** 0.5)


def unknown_colour_hint(name: str, palette: dict[str, Colour]) -> str:
    """What to write instead of an unknown colour: a palette name, never a value.

    A hex value gets the palette entry nearest to it and every name there is.
    """
    from packgen.errors import allowed_hint

    value = name.strip()
    if not _HEX.match(value):
        return allowed_hint(name, list(palette), "colours") + " (the campaign palette)"
    names = ", ".join(sorted(palette))
    advice = (
        "colours are names from the campaign palette (palette: in campaign.yaml), "
        "not values; add an entry there (cmyk and rgb) or use one of its names"
    )
    if not palette:
        return advice
    nearest = min(palette, key=lambda key: _distance(value, palette[key].rgb))  # first wins
    return f"{advice}: {names}; the nearest to {value} is '{nearest}' ({palette[nearest].rgb})"
