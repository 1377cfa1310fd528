"""Font families from ``assets/fonts.yaml`` registered with ReportLab, once.

Families come from PyPI font packages (via ``fontpkg``), never downloaded at
run time. TrueType fonts are embedded as subsets by ReportLab.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import fontpkg
from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from packgen.errors import Span, error

VARIANTS: dict[str, tuple[int, str]] = {
    "": (400, "normal"),
    "-Bold": (700, "normal"),
    "-Italic": (400, "italic"),
    "-BoldItalic": (700, "italic"),
}

_registered: dict[str, str] = {}  # family alias -> fontpkg family


@dataclass(frozen=True)
class FontFamily:
    alias: str  # the name layouts use, e.g. "sans"
    package_family: str  # fontpkg family name, e.g. "Atkinson Hyperlegible"


def face_name(alias: str, bold: bool, italic: bool) -> str:
    suffix = "-Bold" * bold + "-Italic" * italic
    return f"{alias}{suffix.replace('-Bold-Italic', '-BoldItalic')}"


def register(family: FontFamily, span: Span | None = None) -> None:
    """Register the four faces of ``family`` under its alias (idempotent)."""
    if _registered.get(family.alias) == family.package_family:
        return
    paths: dict[str, Path] = {}
    try:
        for suffix, (weight, style) in VARIANTS.items():
            paths[suffix] = fontpkg.path(family.package_family, weight, style)
    except fontpkg.FontpkgError as exc:
        raise error(
            f"font family '{family.package_family}' is not installed ({exc})",
            span,
            hint="add its fontpkg-… package to pyproject.toml and reinstall",
        ) from None
    for suffix, path in paths.items():
        pdfmetrics.registerFont(TTFont(f"{family.alias}{suffix}", str(path)))
    names = {suffix: f"{family.alias}{suffix}" for suffix in VARIANTS}
    pdfmetrics.registerFontFamily(
        family.alias,
        normal=names[""],
        bold=names["-Bold"],
        italic=names["-Italic"],
        boldItalic=names["-BoldItalic"],
    )
    addMapping(family.alias, 0, 0, names[""])
    _registered[family.alias] = family.package_family


def text_width(text: str, alias: str, size: float, bold: bool = False) -> float:
    return float(pdfmetrics.stringWidth(text, face_name(alias, bold, False), size))
