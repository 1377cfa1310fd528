"""ToUnicode maps that give shaped glyphs their characters back.

ReportLab writes, for each embedded font subset, a ToUnicode map from codes to
the characters they were drawn for. A shaped glyph with no character of its
own (a ligature, a conjunct, a contextual form) is drawn under a private-use
code, and a contextual form under an Arabic presentation form: text copied or
extracted from the PDF (search, screen readers, ``pdftotext``) would be
private-use garbage. This map writes each such code as the characters it
stands for (``layout/shaping.py`` records them while shaping): a lam-alef
ligature extracts as lam and alef. Fonts with no shaped glyphs get exactly
ReportLab's map, so documents without shaped text are unchanged.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from reportlab.pdfbase import ttfonts

from packgen.layout.shaping import clusters
from packgen.render.serialised import saving

_reportlab_cmap = ttfonts.makeToUnicodeCMap
_FIRST_PRESENTATION_FORM = 0xFB50  # the Arabic presentation forms start here


@lru_cache(maxsize=512)
def _reportlab_map(fontname: str, subset: tuple[int, ...]) -> str:
    """ReportLab's own map, made once per subset (the same fonts and glyphs come back)."""
    cmap: str = _reportlab_cmap(fontname, list(subset))
    return cmap


def _utf16(text: str) -> str:
    # a glyph that stands for nothing (the dots of a letter drawn apart): a zero-width space
    return (text or "\u200b").encode("utf-16-be").hex().upper()


def _target(table: dict[str, str], code: int) -> str | None:
    """The characters a code stands for, when ReportLab's own mapping is not the text."""
    ch = chr(code)
    if ch in table:
        return table[ch]
    if 0xFB50 <= code <= 0xFDFF or 0xFE70 <= code <= 0xFEFF:
        return unicodedata.normalize("NFKC", ch)  # an Arabic presentation form
    return None


def to_unicode_cmap(fontname: str, subset: list[int]) -> str:
    """ReportLab's ToUnicode CMap, with shaped glyphs mapped to their characters."""
    table = clusters.get(fontname.split("+", 1)[-1], {})
    # kept for packgen's own documents only (another document's map is ReportLab's to make)
    cmap = (
        _reportlab_map(fontname, tuple(subset)) if saving() else _reportlab_cmap(fontname, subset)
    )
    if not table and max(subset, default=0) < _FIRST_PRESENTATION_FORM:
        return cmap  # no shaped glyph and no presentation form: nothing to change
    targets = [_target(table, code) for code in subset]
    if not any(t is not None for t in targets):
        return cmap
    lines = cmap.split("\n")
    first = lines.index(f"{len(subset)} beginbfchar") + 1
    for index, target in enumerate(targets):
        if target is not None:
            lines[first + index] = f"<{index:02X}> <{_utf16(target)}>"
    return "\n".join(lines)


def install() -> None:
    """Use these maps for every TrueType subset ReportLab embeds (idempotent)."""
    ttfonts.makeToUnicodeCMap = to_unicode_cmap
