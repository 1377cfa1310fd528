"""A partner's logo beside the organisation's, with equal weight, in every logo slot."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from packgen.build import build, make
from packgen.elements.logo import pair
from packgen.errors import PackgenError
from packgen.layout.placed import PlacedDrawing, Rect, RoleKind
from packgen.model.profiles import OFFICE
from packgen.resolve.assets import Asset
from packgen.resolve.design import load_design
from packgen.resolve.org import Organisation, load_org
from packgen.resolve.project import Project
from tests.conftest import FIXTURES, ROOT
from tests.errors.test_org import GOOD, profile

PARTNER = "partner:\n  name: Harbourside NHS Foundation Trust\n  logo: partner.svg\n"


def _org(tmp_path: Path, extra: str = PARTNER) -> Organisation:
    shutil.copy(FIXTURES / "art" / "partner.svg", tmp_path / "partner.svg")
    return load_org(profile(tmp_path, GOOD + extra))


def test_pair_geometry_is_equal_height_side_by_side_or_stacked() -> None:
    wide, square = Asset(Path("a"), "svg", 300, 100), Asset(Path("b"), "svg", 100, 100)
    # the height limits: 60 + 10 + 20 wide fit in 100
    assert pair(wide, square, Rect(0, 0, 100, 20), 10) == (True, pytest.approx(20), 10)
    # the width limits: (50 - 10) / (3 + 1)
    assert pair(wide, square, Rect(0, 0, 50, 20), 10) == (True, pytest.approx(10), 10)
    # a tall slot stacks: 30 / 3
    assert pair(wide, square, Rect(0, 0, 30, 80), 10) == (False, pytest.approx(10), 10)
    # by default the gap is half the logos' height: 3h + h/2 + h = 90
    across, height, gap = pair(wide, square, Rect(0, 0, 90, 40), None)
    assert across and height == pytest.approx(20) and gap == pytest.approx(10)


def test_the_profile_takes_a_partner_checked_like_the_logo(tmp_path: Path) -> None:
    org = _org(tmp_path)
    assert org.partner_logo is not None and org.partner_logo.kind == "svg"
    assert org.data()["partner.name"] == "Harbourside NHS Foundation Trust"
    missing = GOOD + PARTNER.replace("partner.svg", "missing.svg")
    with pytest.raises(PackgenError) as caught:
        load_org(profile(tmp_path, missing))
    (problem,) = caught.value.diagnostics
    assert problem.field == "partner.logo" and problem.span is not None
    assert (problem.span.line, problem.span.column) == (11, 9)  # at partner.logo
    assert "missing.svg" in problem.message
    outside = GOOD + PARTNER.replace("partner.svg", "../partner.svg")
    with pytest.raises(PackgenError) as caught:
        load_org(profile(tmp_path, outside))
    assert caught.value.diagnostics[0].field == "partner.logo"


@pytest.mark.parametrize(
    "product", ["poster-speak-up", "leaflet-cues", "leaflet-cues-a5", "leaflet-cues-large-print"]
)
def test_both_logos_sit_in_the_slot_with_equal_height(tmp_path: Path, product: str) -> None:
    project = Project(ROOT)
    org = _org(tmp_path)
    design = load_design(project, product)
    placed, pdf = make(project, design, design.sizes[0], OFFICE, org)
    assert pdf.startswith(b"%PDF")
    drawings = [i for p in placed.pages for i in p.items if isinstance(i, PlacedDrawing)]
    partners = [d for d in drawings if d.element_id.endswith(".partner")]
    (partner,) = partners
    (own,) = [d for d in drawings if d.element_id == partner.element_id.removesuffix(".partner")]
    assert own.path == org.logo.path and partner.path == org.partner_logo.path  # type: ignore[union-attr]
    assert own.rect.h == pytest.approx(partner.rect.h)  # equal weight: one height
    assert own.rect.h > 0
    side_by_side = own.rect.right < partner.rect.x  # the organisation's first, then a gap
    stacked = own.rect.y > partner.rect.top
    assert side_by_side or stacked
    assert partner.role.kind is RoleKind.FIGURE
    assert partner.role.alt == "Harbourside NHS Foundation Trust"
    assert own.role.kind is RoleKind.FIGURE and own.role.alt != partner.role.alt


def test_a_partnered_pack_builds_in_press_and_office(tmp_path: Path) -> None:
    org = _org(tmp_path)
    products = ["poster-know-your-baby", "pack-stakeholder", "leaflet-cues-easy-read"]
    report = build(Project(ROOT), tmp_path / "out", products, ["press", "office"], org=org)
    assert report.ok, {k: str(v) for k, v in report.failures.items()}
    assert len(report.files) == 3 * 2 + 2 + 2  # three poster sizes, one pack, one leaflet
