"""The manifest's JSON writer gives json.dumps's exact text."""

from __future__ import annotations

import json
import math
from enum import Enum

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from packgen.build import BuildReport
from packgen.render.indented_json import dumps

_SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text()
)
_VALUES = st.recursive(
    _SCALARS,
    lambda inner: (
        st.lists(inner, max_size=5)
        | st.tuples(inner, inner)
        | st.dictionaries(st.text(max_size=8), inner, max_size=5)
    ),
    max_leaves=40,
)


@settings(max_examples=400, derandomize=True)
@given(_VALUES, st.sampled_from([1, 2, 4]), st.booleans())
def test_same_text_as_the_standard_library(value: object, indent: int, ascii_only: bool) -> None:
    assert dumps(value, indent, ascii_only) == json.dumps(
        value, indent=indent, ensure_ascii=ascii_only
    )


class _Kind(str, Enum):
    PRESS = "press"


def test_edges() -> None:
    for value in (
        [],
        {},
        [[]],
        {"a": {}},
        [math.nan, -math.inf],
        'é\u2028"\\',
        [_Kind.PRESS],
        -0.0,
    ):
        assert dumps(value) == json.dumps(value, indent=2), value


def test_refuses_what_json_cannot_encode() -> None:
    with pytest.raises(TypeError):
        dumps({"a": object()})
    with pytest.raises(TypeError):
        dumps({1: "a"})  # the manifest's keys are field names


def test_the_built_manifest_reads_as_json_dumps_writes_it(built: BuildReport) -> None:
    text = (built.files[0].path.parent / "manifest.json").read_text(encoding="utf-8")
    assert json.dumps(json.loads(text), indent=2) + "\n" == text
