"""Copy markup: blocks, inline emphasis, and escaping of inserted values."""

from __future__ import annotations

import pytest

from packgen.resolve.markup import BlockKind, MissingValue, plain, to_blocks


def test_blocks() -> None:
    blocks = to_blocks("# Title\n\nOne\ntwo.\n\n- first\n- **second**\n", {})
    assert [b.kind for b in blocks] == [
        BlockKind.HEADING,
        BlockKind.PARAGRAPH,
        BlockKind.BULLET,
        BlockKind.BULLET,
    ]
    assert blocks[1].markup == "One two."
    assert blocks[3].markup == "<b>second</b>"


def test_inline_and_line_break() -> None:
    (block,) = to_blocks("Speak up\\\nfor *babies*", {})
    assert block.markup == "Speak up<br/>for <i>babies</i>"


def test_hostile_values_print_literally() -> None:
    hostile = "Tom & Jerry's <Hub> **x** *y*"
    (block,) = to_blocks("Shared by {org.name}", {"org.name": hostile})
    assert block.markup == "Shared by Tom &amp; Jerry's &lt;Hub&gt; **x** *y*"


def test_copy_text_is_escaped() -> None:
    (block,) = to_blocks("a < b & c", {})
    assert block.markup == "a &lt; b &amp; c"


def test_missing_value() -> None:
    with pytest.raises(MissingValue) as caught:
        to_blocks("Hi {org.name}", {})
    assert caught.value.name == "org.name"


def test_plain_for_metadata() -> None:
    assert plain("**Speak** up\\\nfor {x}", {"x": "babies"}) == "Speak up for babies"
