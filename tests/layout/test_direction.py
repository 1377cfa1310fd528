"""The text-direction seam: start/end alignment, language and direction on every text run,
and geometry that mirrors for right-to-left copy."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from pydantic import ValidationError

from packgen.build import build, make
from packgen.elements.qr import QrElement
from packgen.layout.context import Frame
from packgen.layout.fixed import layout_document
from packgen.layout.placed import PlacedDocument, PlacedQr, PlacedText, Rect
from packgen.layout.sheet import inset
from packgen.layout.typeset import paragraph_style
from packgen.model.common import Align, Direction, Edge, Grid, Margins
from packgen.model.profiles import OFFICE
from packgen.resolve.content import Content, direction_of
from packgen.resolve.design import load_design, resolve
from packgen.resolve.project import Project
from packgen.units import mm

LTR, RTL = Direction.LTR, Direction.RTL


@pytest.mark.parametrize(
    ("tag", "direction"),
    [
        ("en-GB", LTR),
        ("cy", LTR),
        ("ar", RTL),
        ("he-IL", RTL),
        ("fa", RTL),
        ("ur-PK", RTL),
        ("az-Arab", RTL),
        ("ku-Latn", LTR),
        ("pa-Arab-PK", RTL),
    ],
)
def test_the_language_tag_gives_the_direction(tag: str, direction: Direction) -> None:
    assert direction_of(tag) is direction


def test_start_and_end_follow_the_direction_left_and_right_do_not() -> None:
    assert Align.START.physical(LTR) is Align.LEFT
    assert Align.START.physical(RTL) is Align.RIGHT
    assert Align.END.physical(RTL) is Align.LEFT
    assert Align.LEFT.physical(RTL) is Align.LEFT
    assert Align.RIGHT.physical(RTL) is Align.RIGHT
    assert Align.CENTER.physical(RTL) is Align.CENTER
    assert Edge.LEFT.mirrored(RTL) is Edge.RIGHT
    assert Edge.TOP.mirrored(RTL) is Edge.TOP
    assert Edge.LEFT.mirrored(LTR) is Edge.LEFT


def test_geometry_from_the_start_edge_is_a_mirror_for_rtl() -> None:
    page = Rect(0.0, 0.0, 300.0, 100.0)
    assert page.across(20.0, 50.0, LTR) == Rect(20.0, 0.0, 50.0, 100.0)
    assert page.across(20.0, 50.0, RTL) == Rect(230.0, 0.0, 50.0, 100.0)
    assert page.aligned(40.0, Align.START, LTR) == 0.0
    assert page.aligned(40.0, Align.START, RTL) == 260.0
    assert page.aligned(40.0, Align.LEFT, RTL) == 0.0
    assert page.aligned(40.0, Align.CENTER, RTL) == 130.0
    assert (page.start(RTL), page.end(RTL)) == (300.0, 0.0)


def test_grid_column_one_and_margins_are_at_the_start_edge() -> None:
    trim = Rect(0.0, 0.0, 300.0, 100.0)
    margins = Margins(top=mm(0), bottom=mm(0), left=mm(10), right=mm(5))
    grid = Grid(columns=3, gutter=mm(0))
    ltr_inner, rtl_inner = inset(trim, margins, 1.0, LTR), inset(trim, margins, 1.0, RTL)
    assert ltr_inner.x == pytest.approx(float(mm(10)))
    assert rtl_inner.right == pytest.approx(300.0 - float(mm(10)))
    ltr = Frame(trim, ltr_inner, grid, LTR)
    rtl = Frame(trim, rtl_inner, grid, RTL)
    first_ltr, first_rtl = ltr.column_span(1, 1, 1.0), rtl.column_span(1, 1, 1.0)
    assert first_ltr is not None and first_rtl is not None
    assert first_ltr[0] == pytest.approx(ltr_inner.x)
    assert first_rtl[0] + first_rtl[1] == pytest.approx(rtl_inner.right)
    assert [c.x for c in rtl.columns(1.0)] == sorted((c.x for c in rtl.columns(1.0)), reverse=True)


def test_rtl_styles_align_and_indent_at_the_start(project: Project) -> None:
    project.register_fonts()
    styles = resolve(project, load_design(project, "poster-speak-up"), "A4").styles
    base = replace(next(iter(styles.values())), indent=6.0, align=Align.START)
    rtl = paragraph_style(base.for_copy("ar", RTL), cmyk=False)
    ltr = paragraph_style(base.for_copy("en-GB", LTR), cmyk=False)
    # lines are broken and reordered by layout/shaping.py, not ReportLab's RTL wrapping
    assert (rtl.rightIndent, rtl.leftIndent, rtl.alignment) == (6.0, 0.0, 2)
    assert (ltr.rightIndent, ltr.leftIndent, ltr.alignment) == (0.0, 6.0, 0)


def test_every_text_run_knows_its_language_and_direction(project: Project) -> None:
    for name in ("poster-speak-up", "leaflet-cues"):
        placed, _ = make(project, load_design(project, name), "A4", OFFICE)
        texts = [i for page in placed.pages for i in page.items if isinstance(i, PlacedText)]
        assert texts
        assert {(t.language, t.direction) for t in texts} == {("en-GB", LTR)}


def test_justify_is_for_text_only() -> None:
    with pytest.raises(ValidationError, match="justify is for text; use start, center or end"):
        QrElement.model_validate(
            {"type": "qr", "id": "q", "box": {"x": "0mm", "y": "0mm", "w": "20mm"}, "link": "x"}
            | {"align": "justify"}
        )
    assert (
        QrElement.model_validate(
            {"type": "qr", "id": "q", "box": {"x": "0mm", "y": "0mm", "w": "20mm"}, "link": "x"}
            | {"align": "right", "caption_side": "left"}
        ).align
        is Align.RIGHT
    )


def test_a_right_to_left_pack_is_refused_before_anything_is_written(project_copy: Path) -> None:
    # Latin text in a Hebrew folder: the posters build mirrored, the flowing pack is refused
    copy = project_copy / "assets" / "campaigns" / "imhaw-2024" / "copy"
    shutil.copytree(copy / "en-GB", copy / "he")
    out = project_copy / "out"
    report = build(Project(project_copy, language="he"), out, ["pack-stakeholder"])
    assert not report.ok
    message = report.failures["pack-stakeholder"].format()
    assert "layouts/pack-stakeholder.yaml: error: language: the pack 'pack-stakeholder' cannot" in (
        message
    )
    assert "packs flow left to right only" in message
    assert not list(out.glob("*.pdf"))


def _boxes(placed: PlacedDocument) -> list[tuple[str, Rect]]:
    found: list[tuple[str, Rect]] = []
    for page in placed.pages:
        for item in page.items:
            rect = item.tile if isinstance(item, PlacedQr) else item.rect
            found.append((item.element_id, rect))
            if isinstance(item, PlacedText):  # where the lines are: from the start edge
                found.append((f"{item.element_id} (text)", item.used))
    return found


@pytest.mark.parametrize("name", ["poster-speak-up", "leaflet-cues", "leaflet-cues-a5"])
def test_right_to_left_is_a_mirror_of_the_page(
    project: Project, name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Laid out as right-to-left (the refusal bypassed), every box mirrors about the trim."""
    project.register_fonts()
    design = load_design(project, name)
    size = design.sizes[0]
    resolved = resolve(project, design, size)
    content = project.content(product=name)
    ltr = layout_document(resolved, OFFICE, content, project.assets_dir)
    monkeypatch.setattr(Content, "direction", property(lambda self: RTL))
    rtl = layout_document(resolved, OFFICE, content, project.assets_dir)
    trim = ltr.pages[0].trim
    mirrored = [(i, Rect(trim.x + trim.right - r.right, r.y, r.w, r.h)) for i, r in _boxes(ltr)]
    assert len(mirrored) > 10
    for (element, expected), (_, found) in zip(mirrored, _boxes(rtl), strict=True):
        if element.endswith("(text)"):
            # right-to-left lines are shaped (kerned), so a line may be a little narrower:
            # they begin at the mirrored start edge
            assert found.right == pytest.approx(expected.right, abs=0.01), element
            assert found.w == pytest.approx(expected.w, rel=0.05), element
            assert (found.y, found.h) == pytest.approx((expected.y, expected.h)), element
            continue
        assert found.x == pytest.approx(expected.x, abs=0.01), element
        assert (found.y, found.w, found.h) == pytest.approx((expected.y, expected.w, expected.h))
    assert [p.folds for p in rtl.pages] == [
        sorted((trim.x + trim.right - x for x in p.folds), reverse=True) for p in ltr.pages
    ]


def test_rtl_leaflet_opens_from_the_other_side(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The roll-fold's front cover is the right panel outside for left-to-right copy, the left for RTL."""
    project.register_fonts()
    design = load_design(project, "leaflet-cues")
    resolved = resolve(project, design, design.sizes[0])
    content = project.content(product="leaflet-cues")
    ltr = layout_document(resolved, OFFICE, content, project.assets_dir)
    monkeypatch.setattr(Content, "direction", property(lambda self: RTL))
    rtl = layout_document(resolved, OFFICE, content, project.assets_dir)

    def title(placed: PlacedDocument) -> Rect:
        return next(i.rect for i in placed.pages[0].items if i.element_id == "front-title")

    trim = ltr.pages[0].trim
    assert title(ltr).x > trim.x + 2 * trim.w / 3  # the cover: the right third
    assert title(rtl).right < trim.x + trim.w / 3  # mirrored: the left third
    assert rtl.pages[0].folds == sorted(
        (trim.x + trim.right - x for x in ltr.pages[0].folds), reverse=True
    )


def test_an_element_can_opt_out_of_mirroring(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    project.register_fonts()
    design = load_design(project, "poster-speak-up")
    resolved = resolve(project, design, design.sizes[0])
    content = project.content(product="poster-speak-up")
    page = resolved.document.pages[0]
    mark = next(e for e in page.elements if e.id == "mark")
    pinned = mark.model_copy(update={"mirror": False})
    page.elements[page.elements.index(mark)] = pinned
    ltr = layout_document(resolved, OFFICE, content, project.assets_dir)
    monkeypatch.setattr(Content, "direction", property(lambda self: RTL))
    rtl = layout_document(resolved, OFFICE, content, project.assets_dir)

    def rect(placed: PlacedDocument, element: str) -> Rect:
        return next(i.rect for i in placed.pages[0].items if i.element_id == element)

    assert rect(rtl, "mark") == rect(ltr, "mark")  # stays where it is written
    trim = ltr.pages[0].trim
    assert rect(rtl, "headline").x == pytest.approx(
        trim.x + trim.right - rect(ltr, "headline").right
    )
