"""Which writing systems a piece of text uses, and which of them packgen can set.

Latin, Greek and Cyrillic text (Welsh and Polish included) is set one glyph
per character. Scripts whose letters join or reorder (Arabic, Urdu, the Indic
scripts) or that run right to left are shaped with HarfBuzz and reordered
(``layout/shaping.py``), but only with a font that has their shaping rules:
``assets/fonts.yaml`` lists those under ``scripts:``. Text in any other such
script (Bengali with no font configured, say) would print unreadable while
looking complete, so it is refused where it enters (copy files, organisation
profiles, campaign data), never printed.
"""

from __future__ import annotations

import unicodedata

# Unicode blocks (first, last code point) of scripts that need shaping or
# right-to-left layout, by the name a person would recognise.
_NEEDS_SHAPING: tuple[tuple[int, int, str], ...] = (
    (0x0590, 0x05FF, "Hebrew"),
    (0x0600, 0x06FF, "Arabic"),
    (0x0700, 0x074F, "Syriac"),
    (0x0750, 0x077F, "Arabic"),
    (0x0780, 0x07BF, "Thaana"),
    (0x0870, 0x08FF, "Arabic"),
    (0x0900, 0x097F, "Devanagari"),
    (0x0980, 0x09FF, "Bengali"),
    (0x0A00, 0x0A7F, "Gurmukhi"),
    (0x0A80, 0x0AFF, "Gujarati"),
    (0x0B00, 0x0B7F, "Odia"),
    (0x0B80, 0x0BFF, "Tamil"),
    (0x0C00, 0x0C7F, "Telugu"),
    (0x0C80, 0x0CFF, "Kannada"),
    (0x0D00, 0x0D7F, "Malayalam"),
    (0x0D80, 0x0DFF, "Sinhala"),
    (0x0E00, 0x0E7F, "Thai"),
    (0x0E80, 0x0EFF, "Lao"),
    (0x0F00, 0x0FFF, "Tibetan"),
    (0x1000, 0x109F, "Myanmar"),
    (0x1780, 0x17FF, "Khmer"),
    (0xFB1D, 0xFB4F, "Hebrew"),
    (0xFB50, 0xFDFF, "Arabic"),
    (0xFE70, 0xFEFF, "Arabic"),
)

# Invisible characters that reorder text (bidi controls): never printable.
_BIDI_CONTROLS = frozenset("\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


# Scripts with a configured font that shapes them (from assets/fonts.yaml ``scripts:``).
_shapable: set[str] = set()


def configure(scripts: set[str] | frozenset[str]) -> None:
    """Say which scripts have a configured font with shaping rules."""
    _shapable.clear()
    _shapable.update(scripts)


def shapable_scripts() -> frozenset[str]:
    return frozenset(_shapable)


def script_names(text: str) -> list[str]:
    """Names of the scripts that need shaping in ``text``, configured or not."""
    found: list[str] = []
    for char in text:
        point = ord(char)
        if point < 0x0590:
            continue
        for first, last, name in _NEEDS_SHAPING:
            if first <= point <= last:
                if name not in found:
                    found.append(name)
                break
    return found


def unsupported_scripts(text: str) -> list[str]:
    """Names of the scripts in ``text`` that packgen cannot set correctly (no shaping font)."""
    return [name for name in script_names(text) if name not in _shapable]


def bidi_controls(text: str) -> list[str]:
    """The bidi control characters in ``text``, by their Unicode names."""
    return sorted({unicodedata.name(c, f"U+{ord(c):04X}") for c in text if c in _BIDI_CONTROLS})


def script_problem(text: str) -> str | None:
    """Why ``text`` cannot be printed as it is, or None when it can."""
    scripts = unsupported_scripts(text)
    if scripts:
        listing = " and ".join(scripts)
        return (
            f"{listing} text needs shaping, and no font in assets/fonts.yaml `scripts:` sets "
            f"{listing}: it would print unjoined letters in the wrong order"
        )
    controls = bidi_controls(text)
    if controls:
        return "contains invisible text-direction controls (" + ", ".join(controls) + ")"
    return None
