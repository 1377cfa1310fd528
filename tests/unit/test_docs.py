"""docs/layouts.md's tutorial: each step's YAML is in the guide and does what it says."""

from __future__ import annotations

from pathlib import Path

import pytest

from packgen.build import make
from packgen.layout.placed import PlacedDocument, PlacedQr, PlacedText
from packgen.model.profiles import OFFICE, PRESS, Profile
from packgen.resolve.design import load_design
from packgen.resolve.project import Project
from packgen.units import MM
from tests.conftest import ROOT

GUIDE = (ROOT / "docs" / "layouts.md").read_text(encoding="utf-8")

HEADLINE = "styles:\n  headline: {colour: plum}\n"
QR_VIDEO = """\
      - type: qr
        id: qr-video
        link: video
        box: {col: 4, span: 3, y: 244mm, h: 31mm}
"""
QR_SUPPORT = "box: {col: 1, span: 3, y: 244mm, h: 31mm}"
A2 = """\
sizes:
  A4: {}
  A3: {}
  A2:
    styles: {headline: {size: 54pt}}
"""


def edit(root: Path, old: str, new: str, count: int = 1) -> None:
    path = root / "layouts" / "poster-speak-up.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == count, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def made(root: Path, size: str = "A4", profile: Profile = OFFICE) -> PlacedDocument:
    project = Project(root)
    placed, _ = make(project, load_design(project, "poster-speak-up"), size, profile)
    return placed


def item(document: PlacedDocument, element_id: str) -> object:
    return next(i for i in document.pages[0].items if i.element_id == element_id)


@pytest.mark.parametrize("snippet", [HEADLINE, QR_VIDEO, QR_SUPPORT, A2])
def test_the_guide_shows_the_exact_yaml(snippet: str) -> None:
    assert snippet.strip() in GUIDE


def test_step_1_headline_colour(project_copy: Path) -> None:
    edit(project_copy, "styles:\n", HEADLINE)
    headline = item(made(project_copy), "headline")
    assert isinstance(headline, PlacedText)
    palette = Project(project_copy).campaign.palette
    assert headline.colours == (palette["plum"],)
    assert max(headline.font_sizes) == pytest.approx(60)  # the size still comes from _base


def test_step_2_move_a_qr_code(project_copy: Path) -> None:
    before = item(made(project_copy), "qr-video")
    edit(project_copy, "box: {col: 4, span: 3, y: 244mm, h: 31mm}", QR_SUPPORT, count=2)
    edit(project_copy, QR_VIDEO.replace("col: 4", "col: 1"), QR_VIDEO)
    document = made(project_copy)
    video, support = item(document, "qr-video"), item(document, "qr-support")
    assert isinstance(before, PlacedQr) and isinstance(video, PlacedQr)
    assert isinstance(support, PlacedQr)
    assert support.tile.x == pytest.approx(before.tile.x)  # they swapped places
    assert video.tile.x > support.tile.x + 80 * MM


def test_step_3_add_a2(project_copy: Path) -> None:
    edit(project_copy, "sizes:\n  A4: {}\n  A3: {}\n  A2: {}\n", "sizes:\n  A4: {}\n  A3: {}\n")
    assert load_design(Project(project_copy), "poster-speak-up").sizes == ["A4", "A3"]
    edit(project_copy, "sizes:\n  A4: {}\n  A3: {}\n", A2)
    document = made(project_copy, "A2", PRESS)
    trim = document.pages[0].trim
    assert (trim.w / MM, trim.h / MM) == pytest.approx((420, 594))
    headline = item(document, "headline")
    assert isinstance(headline, PlacedText)
    assert max(headline.font_sizes) == pytest.approx(108)  # 54pt at A4 scale, doubled
