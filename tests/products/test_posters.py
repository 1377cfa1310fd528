"""The poster family, built: sizes, fonts, text, QR codes, boxes, reproducibility."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader

from packgen.build import BuildReport, BuiltFile, build
from packgen.render.raster import decode_pdf_qr
from packgen.resolve.project import Project
from packgen.units import MM
from tests.conftest import ROOT

POSTERS = ("poster-speak-up", "poster-know-your-baby")
TRIM_MM = {"A4": (210, 297), "A3": (297, 420), "A2": (420, 594)}
HEADLINES = {"poster-speak-up": "Speak up", "poster-know-your-baby": "Get to know"}
VIDEO = "https://www.aaimh.org.au/events-and-training/2024-infant-mental-health-awareness-week/"
SUPPORT = "https://parentinfantfoundation.org.uk/"


def posters(report: BuildReport) -> list[BuiltFile]:
    return [f for f in report.files if f.product in POSTERS]


def test_every_poster_size_and_profile_is_built(built: BuildReport) -> None:
    made = {(f.product, f.size, f.profile) for f in posters(built)}
    expected = {(p, s, r) for p in POSTERS for s in TRIM_MM for r in ("press", "office")}
    assert made == expected


@pytest.mark.parametrize("profile", ["press", "office"])
def test_trim_size(built: BuildReport, profile: str) -> None:
    for file in posters(built):
        if file.profile != profile:
            continue
        page = PdfReader(file.path).pages[0]
        box = page.trimbox if profile == "press" else page.mediabox
        width, height = float(box.width) / MM, float(box.height) / MM
        assert (round(width, 1), round(height, 1)) == TRIM_MM[file.size], file.path.name


def test_press_boxes_nest_with_3mm_bleed(built: BuildReport) -> None:
    for file in posters(built):
        if file.profile != "press":
            continue
        page = PdfReader(file.path).pages[0]
        trim, bleed, media = page.trimbox, page.bleedbox, page.mediabox
        for side in ("left", "bottom"):
            assert float(getattr(trim, side)) - float(getattr(bleed, side)) == pytest.approx(
                3 * MM, abs=0.01
            )
            assert float(getattr(bleed, side)) >= float(getattr(media, side))
        assert float(trim.right) + 3 * MM == pytest.approx(float(bleed.right), abs=0.01)
        assert float(bleed.top) <= float(media.top)


def test_office_page_is_the_paper(built: BuildReport) -> None:
    for file in posters(built):
        if file.profile == "office":
            page = PdfReader(file.path).pages[0]
            assert "/TrimBox" not in page or page.trimbox == page.mediabox


def _fonts(reader: PdfReader) -> list[tuple[str, bool]]:
    found = []
    for page in reader.pages:
        resources = page["/Resources"].get_object()
        for font in resources.get("/Font", {}).values():
            font = font.get_object()
            descriptor = font.get("/FontDescriptor")
            if descriptor is None and "/DescendantFonts" in font:
                descriptor = font["/DescendantFonts"][0].get_object().get("/FontDescriptor")
            descriptor = descriptor.get_object() if descriptor is not None else {}
            embedded = any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
            found.append((str(font["/BaseFont"]), embedded))
    return found


def test_all_fonts_embedded_and_subset(built: BuildReport) -> None:
    for file in posters(built):
        fonts = _fonts(PdfReader(file.path))
        assert fonts, file.path.name
        for name, embedded in fonts:
            assert embedded, f"{file.path.name}: {name} not embedded"
            assert "+" in name, f"{file.path.name}: {name} not subset"


def test_headline_is_extractable_text(built: BuildReport) -> None:
    for file in posters(built):
        text = PdfReader(file.path).pages[0].extract_text()
        assert HEADLINES[file.product] in text
        assert "#IMHAW2024" in text or "Lots of parents" in text


def test_qr_codes_decode_to_their_exact_urls(built: BuildReport) -> None:
    for file in posters(built):
        dpi = 150 if file.size == "A4" else 100
        found = decode_pdf_qr(file.path, dpi=dpi)[0]
        assert sorted(found) == sorted([VIDEO, SUPPORT]), file.path.name
        assert sorted(file.qr_urls) == sorted([VIDEO, SUPPORT])


def test_metadata_is_set(built: BuildReport) -> None:
    for file in posters(built):
        reader = PdfReader(file.path)
        info = reader.metadata
        assert info is not None
        assert info.title and "poster" in info.title.lower()
        assert info.author and info.subject and "#IMHAW2024" in str(info.get("/Keywords"))
        assert reader.trailer["/Root"]["/Lang"] == "en-GB"


def test_press_has_no_rgb_and_office_no_cmyk(built: BuildReport) -> None:
    for file in posters(built):
        content = b"".join(
            page.get_contents().get_data()
            for page in PdfReader(file.path).pages  # type: ignore[union-attr]
        )
        rgb = b" rg" in content or b" RG" in content
        cmyk = b" k\n" in content or b" K\n" in content or b" k " in content
        if file.profile == "press":
            assert not rgb, file.path.name
        else:
            assert not cmyk, file.path.name


def test_two_builds_give_identical_bytes(tmp_path: Path) -> None:
    first = build(Project(ROOT), tmp_path / "a", only=["poster-speak-up"])
    second = build(Project(ROOT), tmp_path / "b", only=["poster-speak-up"])
    assert first.ok and second.ok
    for one, two in zip(first.files, second.files, strict=True):
        assert one.path.read_bytes() == two.path.read_bytes(), one.path.name


def test_a3_poster_is_small(built: BuildReport) -> None:
    for file in posters(built):
        assert file.bytes < 120_000, f"{file.path.name} is {file.bytes} bytes"


def test_press_without_marks_is_trim_plus_bleed(tmp_path: Path) -> None:
    report = build(
        Project(ROOT), tmp_path, only=["poster-speak-up"], profiles=["press"], marks=False
    )
    page = PdfReader(next(f for f in report.files if f.size == "A4").path).pages[0]
    assert float(page.mediabox.width) / MM == pytest.approx(216, abs=0.01)
    assert page.bleedbox == page.mediabox
