"""Lengths always carry a unit; conversion happens in one place."""

from __future__ import annotations

import pytest

from packgen.units import Length, mm, parse_length


@pytest.mark.parametrize(
    ("text", "points"),
    [
        ("10mm", 28.3465),
        ("1in", 72.0),
        ("2.5cm", 70.8661),
        ("14pt", 14.0),
        ("-3mm", -8.5039),
        ("1080px", 810.0),
    ],
)
def test_parse(text: str, points: float) -> None:
    assert float(parse_length(text)) == pytest.approx(points, abs=1e-3)


def test_zero_needs_no_unit() -> None:
    assert parse_length(0) == 0


@pytest.mark.parametrize("bad", [12, 1.5, "12", "12 em", "mm", True, None])
def test_bad_lengths_are_refused(bad: object) -> None:
    with pytest.raises(ValueError):
        parse_length(bad)


def test_mm_round_trip() -> None:
    assert isinstance(mm(5), Length)
    assert mm(5).mm == pytest.approx(5)
