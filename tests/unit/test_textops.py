"""ReportLab's text operators cut at glyph boundaries (render/textops.py)."""

from __future__ import annotations

import pytest

from packgen.render.textops import split, tokens

RUN = r"/F2+0 20 Tf 24 TL (\014) Tj 2.26 Ts [-471 (\015) 471] TJ -1.88 Ts [-576 (\012) 576 (\016) 30 (\017\007\010)] TJ"


def test_tokens_keep_strings_whole_with_their_escapes() -> None:
    assert tokens(r"(a\(b\)\\ c) Tj [1 (x)] TJ") == [
        r"(a\(b\)\\ c)",
        "Tj",
        "[",
        "1",
        "(x)",
        "]",
        "TJ",
    ]


def test_cuts_split_strings_and_arrays_adjustments_going_with_the_next_glyph() -> None:
    assert split(RUN, [2, 3, 4]) == [
        r"/F2+0 20 Tf 24 TL (\014) Tj 2.26 Ts [-471 (\015) 471] TJ -1.88 Ts",
        r"[-576 (\012)] TJ",
        r"[576 (\016)] TJ",
        r"[30 (\017\007\010)] TJ",
    ]
    assert split(r"(a\(b) Tj", [1]) == ["(a) Tj", r"(\(b) Tj"]


def test_no_cut_gives_the_operators_back() -> None:
    [whole] = split(RUN, [])
    assert tokens(whole) == tokens(RUN)


@pytest.mark.parametrize("cuts", [[1], [1, 2, 3, 4, 5, 6, 7], [6]])
def test_parts_show_every_glyph_once_in_order(cuts: list[int]) -> None:
    parts = split(RUN, cuts)
    assert len(parts) == len(cuts) + 1
    shown = [t for part in parts for t in tokens(part) if t.startswith("(")]
    glyphs = "".join(s[1:-1] for s in shown)
    assert glyphs == r"\014\015\012\016\017\007\010"


def test_unreadable_operators_are_refused() -> None:
    with pytest.raises(ValueError, match="cannot read"):
        tokens("(unterminated")
