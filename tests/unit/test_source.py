"""YAML loading keeps positions; merging keeps them with the values."""

from __future__ import annotations

import pytest

from packgen.errors import PackgenError
from packgen.source.load import merge, parse_yaml, span_at


def test_spans_of_values_and_keys() -> None:
    data = parse_yaml("a: 1\nb:\n  - x: 2\n    y: [1, 2]\n  - z: hello\n", "f.yaml")
    assert data == {"a": 1, "b": [{"x": 2, "y": [1, 2]}, {"z": "hello"}]}
    assert str(span_at(data, ("b", 1, "z"))) == "f.yaml:5:8"
    assert str(span_at(data, ("b", 0, "y"), key=True)) == "f.yaml:4:5"


def test_missing_path_falls_back_to_nearest_container() -> None:
    data = parse_yaml("a:\n  b: 1\n", "f.yaml")
    assert str(span_at(data, ("a", "nope"))) == "f.yaml:2:3"


def test_duplicate_key_is_an_error_with_both_lines() -> None:
    with pytest.raises(PackgenError) as caught:
        parse_yaml("a: 1\nb: 2\na: 3\n", "f.yaml")
    message = caught.value.format()
    assert "f.yaml:3:1: error: duplicate key 'a'" in message
    assert "already set at line 1" in message


def test_syntax_error_has_position() -> None:
    with pytest.raises(PackgenError) as caught:
        parse_yaml("a: [1, 2\nb: 3\n", "f.yaml")
    assert caught.value.diagnostics[0].span is not None
    assert caught.value.diagnostics[0].span.line >= 2
    assert "YAML syntax" in caught.value.format()


def test_merge_overlay_wins_and_keeps_its_spans() -> None:
    base = parse_yaml("s:\n  size: 10pt\n  colour: ink\n", "base.yaml")
    over = parse_yaml("s:\n  size: 12pt\n", "over.yaml")
    merged = merge(base, over)
    assert merged == {"s": {"size": "12pt", "colour": "ink"}}
    assert span_at(merged, ("s", "size")).file == "over.yaml"  # type: ignore[union-attr]
    assert span_at(merged, ("s", "colour")).file == "base.yaml"  # type: ignore[union-attr]


def test_empty_file_is_an_empty_mapping() -> None:
    assert parse_yaml("", "f.yaml") == {}
