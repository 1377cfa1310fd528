"""The leaflet "Reading your baby's cues": folded A4 (roll fold to DL) and A5.

Geometry is checked on the placed document (no PDF needed); QR codes are
checked by rasterising the rendered pages and decoding them.
"""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path

import pytest

from packgen.build import BuildReport, make
from packgen.cli import main
from packgen.colour import Colour, contrast_ratio
from packgen.layout.fixed import layout_document
from packgen.layout.placed import (
    PlacedDocument,
    PlacedDrawing,
    PlacedPage,
    PlacedQr,
    PlacedShape,
    PlacedText,
    Rect,
    ShapeKind,
)
from packgen.model.common import Align, Direction
from packgen.model.profiles import OFFICE, PRESS, Profile
from packgen.render.raster import decode_pdf_qr
from packgen.resolve.design import load_design, resolve
from packgen.resolve.fonts import register
from packgen.resolve.project import Project
from packgen.units import MM

FOLDED = "leaflet-cues"
SINGLE = "leaflet-cues-a5"
LEAFLETS = (FOLDED, SINGLE)
PROFILES = (PRESS, OFFICE)


def lay_out(project: Project, name: str, profile: Profile) -> PlacedDocument:
    for family in project.fonts.values():
        register(family)
    design = load_design(project, name)
    resolved = resolve(project, design, design.sizes[0])
    return layout_document(resolved, profile, project.content(), project.assets_dir)


def panel_ids(project: Project, name: str, page_index: int, panel: str) -> set[str]:
    """Ids of the elements a layout places in ``panel`` of one page."""
    design = load_design(project, name)
    resolved = resolve(project, design, design.sizes[0])
    page = resolved.document.pages[page_index]
    return {e.id for e in page.elements if e.panel == panel}


def panel_rects(page: PlacedPage) -> list[Rect]:
    edges = [page.trim.x, *page.folds, page.trim.right]
    return [Rect(a, page.trim.y, b - a, page.trim.h) for a, b in pairwise(edges)]


def owner(element_id: str) -> str:
    """The layout element a placed item comes from (a QR caption is 'id.caption')."""
    return element_id.split(".")[0]


def box(item: object) -> Rect:
    if isinstance(item, PlacedQr):
        return item.tile
    return item.rect  # type: ignore[attr-defined, no-any-return]


@pytest.fixture(scope="module", params=[p.name.value for p in PROFILES])
def folded(request: pytest.FixtureRequest, project: Project) -> PlacedDocument:
    profile = PRESS if request.param == "press" else OFFICE
    return lay_out(project, FOLDED, profile)


# --- page set-up ----------------------------------------------------------------


@pytest.mark.parametrize("profile", PROFILES, ids=lambda p: p.suffix)
@pytest.mark.parametrize(
    ("name", "width", "height"), [(FOLDED, 297, 210), (SINGLE, 148, 210)], ids=["A4", "A5"]
)
def test_page_sizes(project: Project, profile: Profile, name: str, width: int, height: int) -> None:
    document = lay_out(project, name, profile)
    assert len(document.pages) == 2  # printed on both sides
    for page in document.pages:
        assert page.trim.w / MM == pytest.approx(width, abs=0.01)
        assert page.trim.h / MM == pytest.approx(height, abs=0.01)
        if profile is PRESS:
            assert page.bleed.w / MM == pytest.approx(width + 6, abs=0.01)
            assert page.marks
        else:
            assert page.media == page.trim


# --- the fold -------------------------------------------------------------------


def test_roll_fold_panels(folded: PlacedDocument) -> None:
    """Outside 97 | 100 | 100 mm; the inside mirrors it, so each panel backs its twin."""
    outside, inside = folded.pages
    left = outside.trim.x
    assert [round((x - left) / MM, 2) for x in outside.folds] == [97, 197]
    assert [round((x - left) / MM, 2) for x in inside.folds] == [100, 200]
    width = outside.trim.w
    for front, back in zip(panel_rects(outside), reversed(panel_rects(inside)), strict=True):
        # flipping the sheet over: a panel at [a, b] on one side is [W-b, W-a] on the other
        assert back.x - left == pytest.approx(width - (front.right - left), abs=0.01)
        assert back.w == pytest.approx(front.w, abs=0.01)


def test_front_cover_is_the_right_hand_panel(project: Project, folded: PlacedDocument) -> None:
    outside = folded.pages[0]
    front = panel_rects(outside)[-1]
    ids = panel_ids(project, FOLDED, 0, "front")
    assert {"front-title", "front-illustration", "front-mark"} <= ids
    placed = [item for item in outside.items if owner(item.element_id) in ids]
    assert {owner(item.element_id) for item in placed} == ids
    for item in placed:
        assert front.contains(box(item)), item.element_id


def test_reading_order_of_panels(project: Project) -> None:
    """Cover (outside right), flap (outside left), inside spread, back (outside middle)."""
    design = load_design(project, FOLDED)
    document = resolve(project, design, "A4").document
    outside, inside = document.pages
    assert [p.id for p in outside.panels] == ["flap", "back", "front"]
    assert [p.id for p in inside.panels] == ["cues", "cries", "tuck"]
    copy = {e.id: getattr(e, "copy_key", None) for e in outside.elements}
    assert copy["front-title"] == "leaflet.title"
    assert copy["flap-heading"] == "leaflet.why"  # the first thing read on opening
    kinds = {e.type for e in outside.elements if e.panel == "back"}
    assert {"qr", "logo", "text"} <= kinds  # support QR, organisation slot, small print


def test_nothing_near_a_fold(folded: PlacedDocument) -> None:
    clearance = 5 * MM
    checked = 0
    for page in folded.pages:
        for item in page.items:
            if isinstance(item, PlacedShape):
                continue  # backgrounds and rules may meet the fold
            rect = box(item)
            for fold in page.folds:
                gap = max(rect.x - fold, fold - rect.right)
                near = f"{item.element_id} is {gap / MM:.1f} mm from a fold"
                assert gap >= clearance - 0.01, near
            checked += 1
    assert checked > 30


def test_panel_widths_are_numbers_in_the_layout(project_copy: Path) -> None:
    """A printer's other spec (flap 98, then 99 and 100 mm) is a change of numbers.

    Each inside panel is as wide as the outside panel it backs: four numbers change.
    """
    path = project_copy / "layouts" / f"{FOLDED}.yaml"
    text = path.read_text(encoding="utf-8")
    changes = [
        ("{id: flap, width: 97mm", "{id: flap, width: 98mm"),
        ("{id: tuck, width: 97mm", "{id: tuck, width: 98mm"),
        ("{id: back, width: 100mm", "{id: back, width: 99mm"),
        ("{id: cries, width: 100mm", "{id: cries, width: 99mm"),
    ]
    for old, new in changes:
        assert old in text
        text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")
    document = lay_out(Project(project_copy), FOLDED, PRESS)
    outside, inside = document.pages
    assert [round((x - outside.trim.x) / MM, 2) for x in outside.folds] == [98, 197]
    assert [round((x - inside.trim.x) / MM, 2) for x in inside.folds] == [100, 199]
    flap = panel_rects(outside)[0]
    heading = next(i for i in outside.items if i.element_id == "flap-heading")
    assert flap.contains(box(heading))


# --- legibility -----------------------------------------------------------------


@pytest.mark.parametrize("name", LEAFLETS)
def test_body_text_at_least_12pt(project: Project, name: str) -> None:
    document = lay_out(project, name, OFFICE)
    texts = [i for p in document.pages for i in p.items if isinstance(i, PlacedText)]
    body = [t for t in texts if t.is_body]
    assert len(body) >= 10
    for text in body:
        assert min(text.font_sizes) >= 12 - 0.01, text.element_id
        assert text.scale == 1.0  # nothing shrunk to fit
    for text in texts:
        assert min(text.font_sizes) >= 8 - 0.01, text.element_id


def _background(page: PlacedPage, index: int, text: PlacedText) -> Colour | None:
    """The fill under the middle of ``text``: the last filled shape drawn before it."""
    cx, cy = text.used.x + text.used.w / 2, text.used.y + text.used.h / 2
    for item in reversed(page.items[:index]):
        if isinstance(item, PlacedShape) and item.fill and item.kind is not ShapeKind.LINE:
            r = item.rect
            if r.x <= cx <= r.right and r.y <= cy <= r.top:
                return item.fill
        if isinstance(item, PlacedQr) and item.tile.contains(text.used):
            return item.light
    return page.background


@pytest.mark.parametrize("name", LEAFLETS)
def test_text_contrast(project: Project, name: str) -> None:
    document = lay_out(project, name, OFFICE)
    white = (1.0, 1.0, 1.0)
    pairs = 0
    for page in document.pages:
        for index, item in enumerate(page.items):
            if not isinstance(item, PlacedText) or not item.lines:
                continue
            ground = _background(page, index, item)
            behind = ground.rgb_fraction if ground else white
            for colour in item.colours:
                ratio = contrast_ratio(colour.rgb_fraction, behind)
                assert ratio >= 4.5, f"{item.element_id}: {ratio:.2f}:1"
                pairs += 1
    assert pairs >= 15


@pytest.mark.parametrize("name", LEAFLETS)
def test_body_styles_start_aligned(project: Project, name: str) -> None:
    design = load_design(project, name)
    resolved = resolve(project, design, design.sizes[0])
    for style in resolved.document.body_styles:
        assert resolved.styles[style].align is Align.START
        assert resolved.styles[style].align.physical(Direction.LTR) is Align.LEFT


# --- QR codes -------------------------------------------------------------------


@pytest.mark.parametrize("profile", PROFILES, ids=lambda p: p.suffix)
@pytest.mark.parametrize("name", LEAFLETS)
def test_every_qr_decodes_to_its_url(project: Project, name: str, profile: Profile) -> None:
    design = load_design(project, name)
    placed, pdf = make(project, design, design.sizes[0], profile)
    links = project.campaign.links
    expected = [
        sorted(i.url for i in page.items if isinstance(i, PlacedQr)) for page in placed.pages
    ]
    assert sorted(u for page in expected for u in page) == sorted(
        [links["video"].url, links["support"].url]
    )
    for page in placed.pages:
        for item in page.items:
            if isinstance(item, PlacedQr):
                assert item.symbol.w / MM >= 20 - 0.01, item.element_id
    for dpi in (150, 200):
        decoded = [sorted(urls) for urls in decode_pdf_qr(pdf, dpi=dpi)]
        assert decoded == expected, f"at {dpi} dpi"


# --- building -------------------------------------------------------------------


def test_builds_like_every_product(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["build", "--only", *LEAFLETS, "--out", str(tmp_path)])
    assert code == 0, capsys.readouterr().err
    made = sorted(p.name for p in tmp_path.glob("*.pdf"))
    assert made == [
        "leaflet-cues-A4-office.pdf",
        "leaflet-cues-A4-press.pdf",
        "leaflet-cues-a5-A5-office.pdf",
        "leaflet-cues-a5-A5-press.pdf",
    ]


def test_in_the_default_pack(built: BuildReport) -> None:
    products = {(f.product, f.size, f.profile, f.pages) for f in built.files}
    for profile in ("press", "office"):
        assert (FOLDED, "A4", profile, 2) in products
        assert (SINGLE, "A5", profile, 2) in products


def test_front_cover_logo_and_back_slot(folded: PlacedDocument) -> None:
    """The campaign mark on the cover; the organisation's slot on the back."""
    outside = folded.pages[0]
    drawings = {i.element_id: i for i in outside.items if isinstance(i, PlacedDrawing)}
    assert drawings["front-mark"].path.name == "mark.svg"
    back = panel_rects(outside)[1]
    assert back.contains(drawings["back-logo"].rect)
