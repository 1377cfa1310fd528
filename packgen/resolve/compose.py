"""Accented letters a font lacks, built from its own base letter and combining mark.

Atkinson Hyperlegible has ``w``, ``y`` and the combining circumflex (U+0302),
but no Welsh ``ŵ`` or ``ŷ``: borrowed from another family they look visibly
different. For each letter asked for (``compose:`` in ``assets/fonts.yaml``)
that the font lacks, whose canonical decomposition is a base letter and one
combining mark the font has, a composite glyph is added: the base with the
mark placed where the font's own mark-to-base anchors put it (read with
HarfBuzz, which also picks the mark's capital form, ``uni0302.case``). A base
with no anchor for the mark gets it centred over the top of its outline.
The font is made once, with fontTools, from the installed package (nothing
is downloaded) and kept in ``~/.cache/packgen/fonts/``; the same inputs give
the same file. Everything already in the font is left as it was.
"""

from __future__ import annotations

import hashlib
import os
import unicodedata
from pathlib import Path
from typing import Any

VERSION = 1  # bump when the composition changes, so cached fonts are made again
ARGS_ARE_XY_VALUES = 0x0002
ROUND_XY_TO_GRID = 0x0004
USE_MY_METRICS = 0x0200


def decomposition(letter: str) -> tuple[str, str] | None:
    """``letter``'s canonical decomposition as (base, combining mark), if it is one."""
    parts = unicodedata.decomposition(letter).split()
    if len(parts) != 2 or parts[0].startswith("<"):
        return None
    base, mark = (chr(int(part, 16)) for part in parts)
    return (base, mark) if unicodedata.combining(mark) else None


def _cache_dir() -> Path:
    return Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "packgen" / "fonts"


def composable(path: Path, letters: str) -> str:
    """The letters of ``letters`` that the font at ``path`` lacks and can build."""
    from fontTools.ttLib import TTFont

    with TTFont(str(path), lazy=True) as font:
        cmap = font.getBestCmap()
    found = ""
    for letter in dict.fromkeys(letters):
        parts = decomposition(letter)
        if ord(letter) not in cmap and parts and all(ord(p) in cmap for p in parts):
            found += letter
    return found


def _lacking(path: Path, letters: str) -> str:
    """:func:`composable`, remembered in the cache folder for this font file and these letters.

    A cold start then reads a few bytes instead of importing fontTools to read the cmap.
    """
    stat = path.stat()
    facts = f"{VERSION}|{letters}|{path}|{stat.st_size}|{stat.st_mtime_ns}"
    memo = _cache_dir() / f"{path.stem}-lacks-{hashlib.sha256(facts.encode()).hexdigest()[:16]}.txt"
    try:
        return memo.read_text(encoding="utf-8")
    except OSError:
        pass
    todo = composable(path, letters)
    try:
        memo.parent.mkdir(parents=True, exist_ok=True)
        temporary = memo.with_suffix(f".{os.getpid()}.tmp")
        temporary.write_text(todo, encoding="utf-8")
        os.replace(temporary, memo)  # atomic: another build may be writing the same one
    except OSError:  # a read-only cache: asked again next time
        pass
    return todo


def composed(path: Path, letters: str) -> Path:
    """The font at ``path`` with composite glyphs for ``letters`` it lacks (cached)."""
    todo = _lacking(path, letters) if letters else ""
    if not todo:
        return path
    stat = path.stat()
    key = hashlib.sha256(f"{VERSION}|{todo}|{stat.st_size}|{int(stat.st_mtime)}".encode())
    target = _cache_dir() / f"{path.stem}-composed-{key.hexdigest()[:12]}{path.suffix}"
    if target.exists():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_suffix(f".{os.getpid()}.tmp")
    with _with_composites(path, todo) as font:
        font.save(str(temporary))
    os.replace(temporary, target)  # atomic: another build may be making the same one
    return target


def placement(path: Path, base: str, mark: str) -> tuple[str, str, tuple[int, int] | None]:
    """The glyphs HarfBuzz sets ``base`` + ``mark`` with, and the mark's offset from the base.

    The offset is None when the font has no anchor for the pair (HarfBuzz then
    leaves the mark where the pen is).
    """
    import uharfbuzz as hb

    font = hb.Font(hb.Face(hb.Blob.from_file_path(str(path))))
    buffer = hb.Buffer()
    buffer.add_str(base + mark)
    buffer.guess_segment_properties()
    hb.shape(font, buffer, {})
    names = [font.glyph_to_string(info.codepoint) for info in buffer.glyph_infos]
    if len(names) != 2:
        raise ValueError(f"HarfBuzz set {base + mark!r} as {len(names)} glyph(s), not two")
    first, second = buffer.glyph_positions
    if second.x_offset == 0 and second.y_offset == 0:
        return names[0], names[1], None
    return names[0], names[1], (first.x_advance + second.x_offset, second.y_offset)


def _top_centre(glyf: Any, name: str) -> float:
    """The middle of the top of a glyph's outline (where an unanchored accent goes)."""
    glyph = glyf[name]
    coordinates, _, _ = glyph.getCoordinates(glyf)
    top = max(y for _, y in coordinates)
    bottom = min(y for _, y in coordinates)
    near = [x for x, y in coordinates if y >= top - 0.15 * (top - bottom)]
    return float(min(near) + max(near)) / 2


def _with_composites(path: Path, letters: str) -> Any:
    from fontTools.agl import UV2AGL
    from fontTools.ttLib import TTFont
    from fontTools.ttLib.tables._g_l_y_f import Glyph, GlyphComponent

    font = TTFont(str(path), recalcTimestamp=False)
    glyf, hmtx = font["glyf"], font["hmtx"]
    order = list(font.getGlyphOrder())
    added: dict[int, str] = {}
    for letter in letters:
        base, mark = decomposition(letter) or ("", "")
        base_glyph, mark_glyph, offset = placement(path, base, mark)
        if offset is None:
            mark_box = glyf[mark_glyph]
            mark_box.recalcBounds(glyf)
            offset = (round(_top_centre(glyf, base_glyph) - (mark_box.xMin + mark_box.xMax) / 2), 0)
        dx, dy = offset
        name = UV2AGL.get(ord(letter), f"uni{ord(letter):04X}")
        if name in glyf.glyphs:
            name = f"uni{ord(letter):04X}"
        glyph = Glyph()
        glyph.numberOfContours = -1
        glyph.components = []
        for component_glyph, x, y, flags in (
            (base_glyph, 0, 0, ARGS_ARE_XY_VALUES | ROUND_XY_TO_GRID | USE_MY_METRICS),
            (mark_glyph, dx, dy, ARGS_ARE_XY_VALUES | ROUND_XY_TO_GRID),
        ):
            component = GlyphComponent()
            component.glyphName, component.x, component.y, component.flags = (
                component_glyph,
                x,
                y,
                flags,
            )
            glyph.components.append(component)
        glyf.glyphs[name] = glyph
        order.append(name)
        glyph.recalcBounds(glyf)
        hmtx.metrics[name] = (hmtx[base_glyph][0], glyph.xMin)
        added[ord(letter)] = name
    font.setGlyphOrder(order)
    glyf.glyphOrder = order
    for table in font["cmap"].tables:
        if table.isUnicode():
            table.cmap.update(added)
    if "GDEF" in font and font["GDEF"].table.GlyphClassDef is not None:
        classes = font["GDEF"].table.GlyphClassDef.classDefs
        for name in added.values():
            classes[name] = 1  # a base glyph
    if "DSIG" in font:
        del font["DSIG"]  # a signature of the font as it was
    return font
