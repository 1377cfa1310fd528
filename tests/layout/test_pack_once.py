"""Layout work shared within one build: one layout for the profiles that lay out alike
(office and html), and, between a pack's press and office layouts, the resolved pack and
the pagination plan; a paragraph's lines while Platypus measures it again at one width.
Each is shared only where the result cannot differ (the results are compared)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph

from packgen import build as build_module
from packgen.colour import Colour
from packgen.layout import alike
from packgen.layout.flow import lay_out_pack, paginate
from packgen.layout.flow.flowables import BIG, Meta, StoryParagraph
from packgen.layout.placed import PARAGRAPH, PlacedText
from packgen.model.profiles import HTML, OFFICE, PRESS, SCREEN
from packgen.resolve.design import load_design
from packgen.resolve.pack import resolve_pack
from packgen.resolve.project import Project, embedded_root

PACK = "pack-stakeholder"
INK = Colour(cmyk=(0, 0, 0, 100), rgb="#000000")
TEXT = "Babies who are responded to cry less than babies who are left to cry alone. " * 4


@pytest.fixture
def breaks(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The first-line width of every time a paragraph is broken into lines."""
    widths: list[float] = []
    original = Paragraph.breakLines

    def counted(self: Any, width: Any) -> Any:
        widths.append(width[0] if isinstance(width, list) else width)
        return original(self, width)

    monkeypatch.setattr(Paragraph, "breakLines", counted)
    return widths


def _paragraph() -> StoryParagraph:
    Project(embedded_root()).register_fonts()
    style = ParagraphStyle("body", fontName="sans", fontSize=12, leading=16)
    return StoryParagraph(TEXT, style, meta=Meta("t", PARAGRAPH, INK, True))


def test_a_paragraph_wrapped_again_at_its_width_keeps_its_lines(breaks: list[float]) -> None:
    paragraph = _paragraph()
    first = paragraph.wrap(200, BIG)
    count = len(breaks)
    assert paragraph.wrap(200, 50) == first  # the height offered does not break lines
    assert len(breaks) == count
    narrower = paragraph.wrap(150, BIG)
    assert len(breaks) > count and narrower[1] > first[1]
    assert paragraph.wrap(200, BIG) == first  # back at the first width: broken again
    assert paragraph.height == first[1] and paragraph.width == 200


def test_a_paragraph_whose_lines_a_split_dropped_is_broken_again(breaks: list[float]) -> None:
    paragraph = _paragraph()
    size = paragraph.wrap(200, BIG)
    assert paragraph.split(200, 10) == []  # no room for two lines: Platypus drops the lines
    count = len(breaks)
    assert paragraph.wrap(200, BIG) == size
    assert len(breaks) > count


def test_the_pack_is_resolved_once_per_design_and_size() -> None:
    project = Project(embedded_root())
    design = load_design(project, PACK)
    assert resolve_pack(project, design, "A4") is resolve_pack(project, design, "A4")


def _pages(placed: Any) -> list[list[tuple[str, float, float, float, float]]]:
    """Every page's text: its element and frame, in the trim's coordinates."""
    pages = []
    for page in placed.pages:
        x, y = page.trim.x, page.trim.y
        pages.append(
            [
                (i.element_id, round(i.rect.x - x, 6), round(i.rect.y - y, 6), i.rect.w, i.rect.h)
                for i in page.items
                if isinstance(i, PlacedText)
            ]
        )
    return pages


def test_press_paginates_from_the_office_plan_to_the_same_pages(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    passes: list[str] = []
    original = paginate.run

    def counted(*args: Any) -> Any:
        passes.append("pass")
        return original(*args)

    monkeypatch.setattr(paginate, "run", counted)
    alone = Project(embedded_root())  # no plan kept: press paginates from nothing
    press_alone = lay_out_pack(alone, load_design(alone, PACK), "A4", PRESS)
    from_nothing = len(passes)
    project = Project(embedded_root())
    design = load_design(project, PACK)
    office = lay_out_pack(project, design, "A4", OFFICE)
    passes.clear()
    press = lay_out_pack(project, design, "A4", PRESS)
    assert len(passes) == 1 < from_nothing  # the office plan held: its first pass is final
    assert _pages(press) == _pages(press_alone)
    assert len(press.pages) == len(office.pages)


def test_office_and_html_lay_out_alike_unless_the_copy_has_a_variant_for_one() -> None:
    project = Project(embedded_root())
    assert alike(project, OFFICE, HTML) and alike(project, HTML, OFFICE)
    assert not alike(project, PRESS, OFFICE)  # bleed, marks, inks
    assert not alike(project, OFFICE, SCREEN)
    texts, spans = project.copy
    project.__dict__["copy"] = ({**texts, "pack.about.title@html": "About"}, spans)
    assert not alike(project, OFFICE, HTML)


def test_a_build_lays_out_once_what_office_and_html_share(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    made: list[str] = []
    original = build_module.lay_out

    def counted(project: Project, design: Any, size: str, profile: Any, org: Any = None) -> Any:
        made.append(f"{design.name} {size} {profile.suffix}")
        return original(project, design, size, profile, org)

    monkeypatch.setattr(build_module, "lay_out", counted)
    project = Project(embedded_root())
    names = ["pack-stakeholder", "leaflet-cues-a5"]
    report = build_module.build(
        project, tmp_path, names, ["press", "office", "html"], preflight=False
    )
    assert report.ok, report.failures
    assert sorted(made) == [
        "leaflet-cues-a5 A5 office",
        "leaflet-cues-a5 A5 press",
        "pack-stakeholder A4 office",
        "pack-stakeholder A4 press",
    ]
    # the web pages are what their own layouts write
    for built in (f for f in report.files if f.profile == "html"):
        design = load_design(project, built.product)
        assert built.path.read_bytes() == build_module.make(project, design, built.size, HTML)[1]
