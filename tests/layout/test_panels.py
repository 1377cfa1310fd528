"""Fold panels: a panel's ``background`` runs to the bleed on trim edges, to the fold elsewhere."""

from __future__ import annotations

from pathlib import Path

import pytest

from packgen.errors import PackgenError
from packgen.layout.fixed import layout_document
from packgen.layout.placed import PlacedDocument, PlacedShape
from packgen.model.profiles import OFFICE, PRESS, Profile
from packgen.resolve.design import load_design, resolve
from packgen.resolve.project import Project
from packgen.units import MM

LAYOUT = """\
extends: _base.yaml
kind: leaflet
metadata:
  title: leaflet.meta.title
  subject: leaflet.meta.subject
  keywords: leaflet.meta.keywords
sizes: {A4: {}}
page: {orientation: landscape}
pages:
  - id: outside
    panels:
      - {id: left, width: 97mm, background: cream}
      - {id: middle, width: 100mm, background: BACKGROUND}
      - {id: right, width: 100mm}
"""


def lay_out(root: Path, profile: Profile, middle: str = "sky") -> PlacedDocument:
    (root / "layouts" / "panels.yaml").write_text(
        LAYOUT.replace("BACKGROUND", middle), encoding="utf-8"
    )
    project = Project(root)
    design = load_design(project, "panels")
    resolved = resolve(project, design, "A4")
    return layout_document(resolved, profile, project.content(), project.assets_dir)


def shapes(document: PlacedDocument) -> dict[str, PlacedShape]:
    page = document.pages[0]
    return {i.element_id: i for i in page.items if isinstance(i, PlacedShape)}


def test_press_background_bleeds_on_trim_edges_only(project_copy: Path) -> None:
    document = lay_out(project_copy, PRESS)
    page = document.pages[0]
    found = shapes(document)
    assert set(found) == {"panel-left", "panel-middle"}  # no background, no shape
    left, middle = found["panel-left"], found["panel-middle"]
    assert left.fill is not None and left.fill.rgb == "#FFF6EC"
    # the outer edge and top and bottom run into the 3 mm bleed; the inner edge stops
    # page.fold_colour_clearance (3 mm) short of the fold, beside a panel of another colour
    assert left.rect.x == pytest.approx(page.bleed.x)
    assert left.rect.right == pytest.approx(page.folds[0] - 3 * MM)
    assert left.rect.y == pytest.approx(page.bleed.y)
    assert left.rect.top == pytest.approx(page.bleed.top)
    assert middle.rect.x == pytest.approx(page.folds[0] + 3 * MM)
    assert middle.rect.right == pytest.approx(page.folds[1] - 3 * MM)
    assert middle.rect.h / MM == pytest.approx(210 + 6)


def test_office_background_fills_the_panel(project_copy: Path) -> None:
    document = lay_out(project_copy, OFFICE)
    page = document.pages[0]
    left = shapes(document)["panel-left"]
    assert left.rect.x == pytest.approx(page.trim.x)
    assert left.rect.w / MM == pytest.approx(97 - 3)  # short of the fold
    assert left.rect.h == pytest.approx(page.trim.h)
    assert page.items.index(left) == 0  # drawn under every element


def test_unknown_panel_background_is_an_error(project_copy: Path) -> None:
    with pytest.raises(PackgenError) as caught:
        lay_out(project_copy, OFFICE, middle="skyy")
    text = caught.value.format()
    assert "unknown colour 'skyy'" in text
    assert "sky" in text  # the hint names the colour meant
    assert "pages.outside.panels.middle.background" in text
