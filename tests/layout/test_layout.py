"""Layout geometry, checked on placed boxes without any PDF."""

from __future__ import annotations

from pathlib import Path

import pytest

from packgen.build import make
from packgen.layout.placed import PlacedQr, PlacedShape, PlacedText
from packgen.model.profiles import OFFICE, PRESS
from packgen.resolve.design import load_design
from packgen.resolve.project import Project
from packgen.units import MM
from tests.layout.probe import HEAD, item, place

BOX = """pages:
  - id: front
    background: cream
    elements:
      - {type: shape, id: card, box: {col: 2, span: 2, y: 20mm, h: 10mm}, fill: teal}
      - {type: shape, id: band, box: {x: 0mm, y: 280mm, w: 210mm, h: 17mm}, fill: teal, bleed: [left, right, bottom]}
"""


def test_grid_columns(project_copy: Path) -> None:
    card = item(place(project_copy, BOX), "card")
    column = (180 - 5 * 5) / 6
    assert card.rect.x / MM == pytest.approx(15 + column + 5, abs=0.01)
    assert card.rect.w / MM == pytest.approx(2 * column + 5, abs=0.01)
    assert (297 - card.rect.top / MM) == pytest.approx(20, abs=0.01)


def test_office_page_is_the_paper_and_bleed_stops_at_its_edge(project_copy: Path) -> None:
    document = place(project_copy, BOX)
    page = document.pages[0]
    assert (page.media.w / MM, page.media.h / MM) == pytest.approx((210, 297))
    band = item(document, "band")
    assert band.rect.x == 0 and band.rect.y == 0 and band.rect.right == pytest.approx(page.media.w)


def test_press_adds_bleed_and_slug_and_extends_backgrounds(project_copy: Path) -> None:
    document = place(project_copy, BOX, profile=PRESS)
    page = document.pages[0]
    assert page.trim.x / MM == pytest.approx(13)  # 3 mm bleed + 10 mm slug
    assert (page.media.w / MM, page.media.h / MM) == pytest.approx((236, 323))
    band = item(document, "band")
    assert band.rect.x == pytest.approx(page.bleed.x)
    assert band.rect.y == pytest.approx(page.bleed.y)
    assert band.rect.right == pytest.approx(page.bleed.right)
    assert band.rect.top == pytest.approx(page.trim.top - 280 * MM)
    assert page.marks


def test_a3_scales_the_design(project_copy: Path) -> None:
    a4 = item(place(project_copy, BOX), "card")
    a3 = item(place(project_copy, BOX, size="A3"), "card")
    assert a3.rect.w / a4.rect.w == pytest.approx(297 / 210, rel=1e-4)
    assert a3.rect.x / a4.rect.x == pytest.approx(297 / 210, rel=1e-4)


def test_size_overlay_changes_one_size_only(project_copy: Path) -> None:
    body = BOX.replace("sizes: {A4: {}, A3: {}}", "")
    head = HEAD.replace(
        "sizes: {A4: {}, A3: {}}", "sizes: {A4: {}, A3: {elements: {card: {fill: coral}}}}"
    )
    (project_copy / "layouts" / "probe.yaml").write_text(head + body, encoding="utf-8")
    project = Project(project_copy)
    design = load_design(project, "probe")
    a4 = make(project, design, "A4", OFFICE)[0]
    a3 = make(project, design, "A3", OFFICE)[0]
    assert item(a4, "card").fill.rgb == "#0E7C7B"
    assert item(a3, "card").fill.rgb == "#E8604C"


SHRINK = """pages:
  - id: front
    elements:
      - {type: text, id: t, box: {x: 20mm, y: 20mm, w: 120mm, h: 19mm}, copy: speak_up.body, style: body, min_size: 10pt}
"""


def test_shrink_to_fit_stays_above_minimum(project_copy: Path) -> None:
    text = item(place(project_copy, SHRINK), "t")
    assert isinstance(text, PlacedText)
    assert text.scale < 1.0
    assert min(text.font_sizes) >= 10 - 0.01
    assert text.used.h <= text.rect.h + 0.01


QR = """pages:
  - id: front
    elements:
      - {type: qr, id: code, link: support, box: {x: 20mm, y: 20mm, w: 30mm}}
"""


def test_qr_quiet_zone_and_module_size(project_copy: Path) -> None:
    code = item(place(project_copy, QR), "code")
    assert isinstance(code, PlacedQr)
    assert code.tile.w / MM == pytest.approx(30)
    assert (code.symbol.x - code.tile.x) == pytest.approx(4 * code.module)
    assert code.symbol.w == pytest.approx(code.tile.w - 8 * code.module)
    assert code.url == "https://parentinfantfoundation.org.uk/"


PANELS = """pages:
  - id: outside
    panels: [{id: flap, width: 97mm}, {id: back, width: 100mm}, {id: front, width: 100mm}]
    elements:
      - {type: shape, id: mark, panel: front, box: {x: 10mm, y: 10mm, w: 20mm, h: 20mm}, fill: teal}
"""


def test_panels_offset_elements_and_record_folds(project_copy: Path) -> None:
    body = PANELS
    head = (
        HEAD.replace("sizes: {A4: {}, A3: {}}", "sizes: {A4: {}}")
        + "page: {orientation: landscape}\n"
    )
    (project_copy / "layouts" / "probe.yaml").write_text(head + body, encoding="utf-8")
    project = Project(project_copy)
    document = make(project, load_design(project, "probe"), "A4", OFFICE)[0]
    page = document.pages[0]
    assert [x / MM for x in page.folds] == pytest.approx([97, 197])
    mark = item(document, "mark")
    assert isinstance(mark, PlacedShape)
    assert mark.rect.x / MM == pytest.approx(207)


GROUP = """pages:
  - id: front
    elements:
      - type: group
        id: block
        box: {x: 20mm, y: 30mm, w: 100mm, h: 50mm}
        elements:
          - {type: shape, id: inner, box: {x: 5mm, y: 5mm, w: 10mm, h: 10mm}, fill: teal}
          - {type: text, id: label, box: {x: 20mm, y: 5mm, w: 70mm, h: 20mm}, copy: poster.qr_video, style: body}
"""


def test_group_children_are_placed_relative_to_the_group(project_copy: Path) -> None:
    document = place(project_copy, GROUP)
    inner = item(document, "inner")
    assert inner.rect.x / MM == pytest.approx(25)
    assert (297 - inner.rect.top / MM) == pytest.approx(35)
    label = item(document, "label")
    assert label.rect.x / MM == pytest.approx(40)


def test_group_children_errors_point_at_the_child(project_copy: Path) -> None:
    from packgen.errors import PackgenError

    broken = GROUP.replace("fill: teal", "fill: tael")
    with pytest.raises(PackgenError) as caught:
        place(project_copy, broken)
    (diagnostic,) = caught.value.diagnostics
    assert diagnostic.message == "unknown colour 'tael'"
    assert diagnostic.span is not None and diagnostic.span.line == 13  # the child, not the group
