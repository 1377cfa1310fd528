"""The large-print and Easy Read leaflets: A4, body text at 16 pt or more, Clear Print rules.

Page size is read back from the PDFs with pypdf; sizes, alignment and
overlaps from the layout stage's placed items (what ``rules.min_body``
holds the layouts to); a body under 16 pt is refused by the layout rules.
"""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from packgen.build import build, make
from packgen.errors import PackgenError
from packgen.layout.placed import PlacedDrawing, PlacedText, RoleKind
from packgen.model.profiles import OFFICE, PRESS
from packgen.resolve.design import load_design
from packgen.resolve.project import Project
from packgen.units import MM
from tests.conftest import ROOT

LEAFLETS = ("leaflet-cues-large-print", "leaflet-cues-easy-read")


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("accessible")
    report = build(Project(ROOT), out, only=LEAFLETS)
    assert report.ok, {name: str(error) for name, error in report.failures.items()}
    return {f.path.name: f.path for f in report.files}


@pytest.mark.parametrize("name", LEAFLETS)
def test_both_are_a4_in_office_and_press(pdfs: dict[str, Path], name: str) -> None:
    for profile in ("office", "press"):
        reader = PdfReader(pdfs[f"{name}-A4-{profile}.pdf"])
        assert len(reader.pages) >= 3
        trim = reader.pages[0].trimbox
        assert (round(float(trim.width) / MM), round(float(trim.height) / MM)) == (210, 297)


@pytest.mark.parametrize("name", LEAFLETS)
def test_body_text_is_16pt_or_more_and_nothing_under_14pt(name: str) -> None:
    project = Project(ROOT)
    placed, _ = make(project, load_design(project, name), "A4", OFFICE)
    assert placed.min_body == 16 and placed.min_text == 14
    texts = [i for page in placed.pages for i in page.items if isinstance(i, PlacedText)]
    body = [size for t in texts if t.is_body for size in t.font_sizes]
    assert body and min(body) >= 16
    assert min(size for t in texts for size in t.font_sizes) >= 14
    artifacts = [t for t in texts if min(t.font_sizes) < 16]
    assert all(t.role.kind is RoleKind.ARTIFACT for t in artifacts)  # only the page numbers


@pytest.mark.parametrize("name", LEAFLETS)
def test_text_is_left_aligned_and_never_over_a_picture(name: str) -> None:
    project = Project(ROOT)
    placed, _ = make(project, load_design(project, name), "A4", PRESS)
    for page in placed.pages:
        pictures = [i.rect for i in page.items if isinstance(i, PlacedDrawing)]
        for item in page.items:
            if not isinstance(item, PlacedText):
                continue
            assert all(line.flowable.style.alignment == 0 for line in item.lines)  # TA_LEFT
            for rect in pictures:
                overlap_w = min(rect.right, item.used.right) - max(rect.x, item.used.x)
                overlap_h = min(rect.top, item.used.top) - max(rect.y, item.used.y)
                assert overlap_w <= 0.5 or overlap_h <= 0.5, (item.element_id, rect)


def test_easy_read_rows_are_a_picture_then_short_lines(pdfs: dict[str, Path]) -> None:
    project = Project(ROOT)
    placed, _ = make(project, load_design(project, "leaflet-cues-easy-read"), "A4", OFFICE)
    items = [i for page in placed.pages for i in page.items]
    rows = [
        (before, item)
        for before, item in itertools.pairwise(items)
        if isinstance(item, PlacedText) and item.element_id == "text"
    ]
    assert len(rows) >= 12
    for picture, row in rows:
        assert isinstance(picture, PlacedDrawing) and picture.element_id == "picture"
        assert picture.rect.right < row.rect.x  # the picture on the left
        assert picture.role.kind is RoleKind.FIGURE and picture.role.alt.startswith("Picture:")
        markup = row.lines[0].flowable.text
        sentences = [s for s in re.split(r"<br/>", markup) if s.strip()]
        assert len(sentences) <= 3  # one idea: a few short lines
        assert all(len(re.sub(r"<[^>]+>", "", s)) <= 60 for s in sentences), sentences
    text = " ".join(
        PdfReader(pdfs["leaflet-cues-easy-read-A4-office.pdf"]).pages[0].extract_text().split()
    )
    assert "Cues are signs" in text  # the hard word explained where it is used


def test_a_large_print_body_under_16pt_is_refused(project_copy: Path) -> None:
    layout = project_copy / "layouts" / "leaflet-cues-large-print.yaml"
    source = layout.read_text(encoding="utf-8")
    layout.write_text(
        source.replace("body: {parent: base, size: 16pt", "body: {parent: base, size: 14pt")
    )
    project = Project(project_copy)
    with pytest.raises(PackgenError, match="16"):
        make(project, load_design(project, "leaflet-cues-large-print"), "A4", OFFICE)
