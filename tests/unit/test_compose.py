"""Welsh ŵ and ŷ built from Atkinson Hyperlegible's own w, y and combining circumflex."""

from __future__ import annotations

from pathlib import Path

import fontpkg
import pytest
from fontTools.ttLib import TTFont

from packgen.resolve.compose import composable, composed, decomposition, placement


def read(path: Path) -> TTFont:
    """The whole font, read into memory (no file left open)."""
    with TTFont(str(path)) as font:
        font.ensureDecompiled()
        return font


WELSH = "ŴŵŶŷ"
FACES = [(400, "normal"), (700, "normal"), (400, "italic"), (700, "italic")]


def atkinson(weight: int = 400, style: str = "normal") -> Path:
    return Path(fontpkg.path("Atkinson Hyperlegible", weight, style))


@pytest.fixture(autouse=True)
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    return tmp_path


def test_decomposition_is_base_and_combining_mark() -> None:
    assert decomposition("ŵ") == ("w", "\u0302")
    assert decomposition("Ŷ") == ("Y", "\u0302")
    assert decomposition("w") is None
    assert decomposition("ﬁ") is None  # a compatibility decomposition, not a letter and mark


def test_atkinson_lacks_welsh_circumflexes_but_has_their_parts() -> None:
    assert composable(atkinson(), WELSH + "âw") == WELSH  # â is in the font, w has no mark


@pytest.mark.parametrize(("weight", "style"), FACES)
def test_each_face_gains_composites_of_its_own_glyphs(weight: int, style: str) -> None:
    font = read(composed(atkinson(weight, style), WELSH))
    cmap = font.getBestCmap()
    assert [cmap[ord(ch)] for ch in WELSH] == [
        "Wcircumflex",
        "wcircumflex",
        "Ycircumflex",
        "ycircumflex",
    ]
    glyf, hmtx = font["glyf"], font["hmtx"]
    for letter, base, mark in (("ŵ", "w", "uni0302"), ("Ŵ", "W", "uni0302.case")):
        glyph = glyf[cmap[ord(letter)]]
        assert [c.glyphName for c in glyph.components] == [base, mark]  # capitals: the cap mark
        assert hmtx[cmap[ord(letter)]][0] == hmtx[base][0]  # the base letter's advance


def test_y_takes_the_mark_where_the_font_anchors_it() -> None:
    # Atkinson anchors the circumflex on y: base anchor x 220, mark anchor x 162
    base, mark, offset = placement(atkinson(), "y", "\u0302")
    assert (base, mark, offset) == ("y", "uni0302", (58, 0))
    font = read(composed(atkinson(), WELSH))
    component = font["glyf"]["ycircumflex"].components[1]
    assert (component.x, component.y) == (58, 0)


def test_w_has_no_anchor_so_the_mark_is_centred_over_its_top() -> None:
    assert placement(atkinson(), "w", "\u0302")[2] is None
    font = read(composed(atkinson(), WELSH))
    glyf = font["glyf"]
    mark = glyf["uni0302"]
    w = glyf["w"]
    component = glyf["wcircumflex"].components[1]
    centre = component.x + (mark.xMin + mark.xMax) / 2
    assert abs(centre - (w.xMin + w.xMax) / 2) <= 1
    # the same height as the font's own â (a composite of a and the same mark)
    assert component.y == next(
        c.y for c in glyf["acircumflex"].components if c.glyphName == "uni0302"
    )


def test_the_rest_of_the_font_is_left_as_it_was() -> None:
    before, after = read(atkinson()), read(composed(atkinson(), WELSH))
    assert after.getGlyphOrder()[: len(before.getGlyphOrder())] == before.getGlyphOrder()
    for name in ("a", "w", "acircumflex", "uni0302"):
        assert after["glyf"][name].compile(after["glyf"]) == before["glyf"][name].compile(
            before["glyf"]
        )
    assert after["head"].modified == before["head"].modified  # reproducible: no new timestamp
    assert after["maxp"].maxComponentDepth == before["maxp"].maxComponentDepth


def test_made_once_and_the_same_bytes_each_time(cache: Path) -> None:
    first = composed(atkinson(), WELSH)
    assert first.parent == cache / "packgen" / "fonts"
    data = first.read_bytes()
    first.unlink()
    assert composed(atkinson(), WELSH).read_bytes() == data


def test_nothing_to_build_keeps_the_installed_font() -> None:
    assert composed(atkinson(), "") == atkinson()
    assert composed(atkinson(), "âéw") == atkinson()  # in the font already, or not a composite
