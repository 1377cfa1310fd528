"""SVG art parsed once per process: the press render's copy draws as a new parse would."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from reportlab import rl_config
from reportlab.graphics import renderPDF
from svglib.svglib import svg2rlg

from packgen.render import pdf
from packgen.resolve.assets import svg_drawing
from tests.conftest import ROOT

ART = sorted((ROOT / "assets" / "illustrations").rglob("*.svg"))


@pytest.mark.parametrize("path", ART, ids=lambda p: p.name)
def test_a_press_copy_draws_as_a_new_parse(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(rl_config, "invariant", 1)  # no date or random file id to compare
    data = path.read_bytes()
    own = pdf._own_svg(data)
    assert own is not svg_drawing(data)  # the press render changes its colours
    assert renderPDF.drawToString(own) == renderPDF.drawToString(svg2rlg(io.BytesIO(data)))


def test_the_shared_parse_is_made_once_for_the_same_bytes() -> None:
    data = ART[0].read_bytes()
    assert svg_drawing(data) is svg_drawing(bytes(data))
