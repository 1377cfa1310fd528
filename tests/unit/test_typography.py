"""Typographic finishing of copy: quotes, apostrophes and no-break spaces, by language."""

from __future__ import annotations

import pytest

from packgen.resolve.markup import plain, to_blocks
from packgen.resolve.typography import NBSP, finish_for, finished


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        ("en-GB", "It's a baby's \"cue\"", f"It’s a{NBSP}baby’s “cue”"),
        ("en-GB", "'Watch,' she said", "‘Watch,’ she said"),
        ("en-GB", "babies' brains", "babies’ brains"),
        ("cy", "Mae'n \"dda\" i'r babi", "Mae’n “dda” i’r babi"),
        ("pl", 'Mówi "tak" w domu', f"Mówi „tak” w{NBSP}domu"),
        ("ar", 'قال "نعم"', "قال «نعم»"),
        ("hi", 'मतलब "और"', "मतलब “और”"),
        ("fr", 'un "mot"', "un “mot”"),  # no table: the default one
    ],
)
def test_quotes_follow_the_language(language: str, text: str, expected: str) -> None:
    assert finished(text, language) == expected


def test_numbers_keep_their_units_and_digit_groups() -> None:
    text = "24 hours, 3 mm, 14 June and 0800 123 4567 on page 4. Since 2015 we grew"
    assert finished(text, "en-GB") == (
        f"24{NBSP}hours, 3{NBSP}mm, 14{NBSP}June and 0800{NBSP}123{NBSP}4567 on page{NBSP}4."
        " Since 2015 we grew"
    )


def test_scripts_set_by_the_shaping_engine_get_no_no_break_spaces() -> None:
    assert NBSP not in finished("3 mm ا 0800 123 4567", "ar")
    assert finish_for("ur").no_break_after == ()


def test_values_inserted_into_copy_are_not_finished() -> None:
    blocks = to_blocks('Visit {org.name}\'s "page"', {"org.name": 'Tom\'s "Hub"'}, finish_for("en"))
    assert blocks[0].markup == "Visit Tom's &quot;Hub&quot;’s “page”".replace("&quot;", '"')


def test_markup_is_kept_and_plain_text_follows() -> None:
    finish = finish_for("en-GB")
    blocks = to_blocks("# It's *\"here\"*\n\n- a **'b'**", {}, finish)
    assert [b.markup for b in blocks] == ["It’s <i>“here”</i>", f"a{NBSP}<b>‘b’</b>"]
    assert plain("It's a 3 mm gap", {}, finish) == "It’s a 3 mm gap"  # metadata: plain spaces
