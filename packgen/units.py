"""Lengths with units: text such as ``"12mm"`` into :class:`Length` (points).

Every measure in a layout file carries its unit (mm, cm, in, pt, px); this is
the one place units are converted. Internally all geometry is in PDF points.
A ``px`` is a CSS pixel: 1/96 in, so 0.75 pt; screen images (banners, social
images) are measured in it and rasterised at one image pixel per ``px``.
"""

from __future__ import annotations

import math
import re
from typing import Annotated, Any

from pydantic import PlainSerializer, PlainValidator, WithJsonSchema

POINTS_PER: dict[str, float] = {
    "pt": 1.0,
    "mm": 72.0 / 25.4,
    "cm": 720.0 / 25.4,
    "in": 72.0,
    "px": 0.75,  # a CSS pixel at 96 per inch
}

MAX_MM = 5000.0  # the largest length anywhere (5 m): a bigger one is a typing mistake
MAX_POINTS = MAX_MM * 72.0 / 25.4
MM = POINTS_PER["mm"]  # points in a millimetre: the one definition; everything imports it
PX = POINTS_PER["px"]  # points in a CSS pixel
PX_DPI = 72.0 / PX  # the raster resolution at which one ``px`` is one image pixel (96)

_LENGTH = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*(mm|cm|in|pt|px)\s*$")
LENGTH_PATTERN = r"^-?\d+(\.\d+)?\s*(mm|cm|in|pt|px)$"


class Length(float):
    """A length in PDF points, created from text with a unit."""

    @property
    def mm(self) -> float:
        return float(self) / POINTS_PER["mm"]

    @property
    def px(self) -> float:
        return float(self) / PX

    def __repr__(self) -> str:
        return f"Length({self.mm:.2f}mm)"


def mm(value: float) -> Length:
    return Length(value * POINTS_PER["mm"])


def pt(value: float) -> Length:
    return Length(value)


def parse_length(value: Any) -> Length:
    """``"12mm"`` → Length. Bare numbers are refused: a unit is always written."""
    if isinstance(value, Length):
        return value
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise ValueError(f"expected a length such as '12mm', found {value!r}")
    if isinstance(value, (int, float)):
        if value == 0:
            return Length(0.0)
        raise ValueError(
            f"a length needs a unit: write '{value}mm' or '{value}pt' (units: mm, cm, in, pt, px)"
        )
    match = _LENGTH.match(value)
    if not match:
        raise ValueError(f"expected a length such as '12mm' or '14pt', found '{value}'")
    number, unit = match.groups()
    points = float(number) * POINTS_PER[unit]
    if not math.isfinite(points) or abs(points) > MAX_POINTS:
        raise ValueError(
            f"a length beyond {MAX_MM / 1000:.0f} m: no page or part of one is that large"
        )
    return Length(points)


def positive_length(value: Any) -> Length:
    length = parse_length(value)
    if length <= 0:
        raise ValueError(f"must be larger than zero, found '{value}'")
    return length


def _non_negative(value: Any) -> Length:
    length = parse_length(value)
    if length < 0:
        raise ValueError(f"cannot be negative, found '{value}'")
    return length


def _dump(value: Length) -> str:
    return f"{float(value):g}pt"


LengthField = Annotated[
    Length,
    PlainValidator(parse_length),
    PlainSerializer(_dump),
    WithJsonSchema({"type": "string", "pattern": LENGTH_PATTERN, "examples": ["12mm", "14pt"]}),
]

_SCHEMA = {"type": "string", "pattern": LENGTH_PATTERN, "examples": ["12mm", "14pt"]}

PositiveLength = Annotated[
    Length, PlainValidator(positive_length), PlainSerializer(_dump), WithJsonSchema(_SCHEMA)
]
"""A length that must be larger than zero (a page, a font size, a panel)."""

NonNegativeLength = Annotated[
    Length, PlainValidator(_non_negative), PlainSerializer(_dump), WithJsonSchema(_SCHEMA)
]
"""A length that may be zero but not negative (bleed, margins, gaps, strokes)."""
