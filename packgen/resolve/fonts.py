"""Font families from ``assets/fonts.yaml`` registered with ReportLab, once.

Families come from PyPI font packages (via ``fontpkg``), never downloaded at
run time. TrueType fonts are embedded as subsets by ReportLab.
"""

from __future__ import annotations

import re
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


FALLBACK = "fallback"  # the registered name of the fallback face
_fallback_family: list[str] = []


def register_fallback(package_family: str, span: Span | None = None) -> None:
    """Register the regular face of ``package_family`` as the fallback (idempotent)."""
    if _fallback_family == [package_family]:
        return
    try:
        path = fontpkg.path(package_family, 400, "normal", nearest=True)
    except fontpkg.FontpkgError as exc:
        raise error(
            f"fallback font family '{package_family}' is not installed ({exc})",
            span,
            hint="add its fontpkg-… package to pyproject.toml and reinstall",
        ) from None
    pdfmetrics.registerFont(TTFont(FALLBACK, str(path)))
    _fallback_family[:] = [package_family]


def _coverage(face: str) -> frozenset[int]:
    cached = _covered.get(face)
    if cached is None:
        font = pdfmetrics.getFont(face)
        cached = _covered[face] = frozenset(getattr(font.face, "charToGlyph", {}))
    return cached


_covered: dict[str, frozenset[int]] = {}
_TAG_OR_ENTITY = re.compile(r"(<[^>]*>|&[#A-Za-z0-9]+;)")


def with_fallback(markup: str, face: str) -> tuple[str, str]:
    """Wrap characters ``face`` lacks in the fallback font.

    Returns the new markup and the characters no registered font can print.
    """
    primary = _coverage(face)
    if all(ord(ch) in primary or ch in "\n" for ch in markup):
        return markup, ""
    backup = _coverage(FALLBACK) if _fallback_family else frozenset()
    missing = ""
    parts = _TAG_OR_ENTITY.split(markup)
    for index, part in enumerate(parts):
        if index % 2 == 1:
            continue  # a tag or an entity
        out = []
        for ch in part:
            if ord(ch) in primary or ch.isspace():
                out.append(ch)
            elif ord(ch) in backup:
                out.append(f'<font name="{FALLBACK}">{ch}</font>')
            else:
                out.append(ch)
                missing += ch
        parts[index] = "".join(out)
    return "".join(parts), missing


def text_width(text: str, alias: str, size: float, bold: bool = False) -> float:
    return float(pdfmetrics.stringWidth(text, face_name(alias, bold, False), size))
