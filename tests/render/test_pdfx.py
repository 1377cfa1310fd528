"""PDF/X-4 press output: every clause packgen implements, read back with pikepdf (qpdf).

No PDF/X validator is available here, so each clause listed in the README's
"PDF/X-4" section has its own assertion on every press file of the default
pack, made with a reader other than the one that wrote it.
"""

from __future__ import annotations

import re
import uuid
from pathlib import Path

import pikepdf
import pytest

from packgen.build import BuildReport
from packgen.resolve.project import Project, embedded_root

NS = {
    "dc": "http://purl.org/dc/elements/1.1/",
    "pdf": "http://ns.adobe.com/pdf/1.3/",
    "xmp": "http://ns.adobe.com/xap/1.0/",
    "xmpMM": "http://ns.adobe.com/xap/1.0/mm/",
    "pdfxid": "http://www.npes.org/pdfx/ns/id/",
}


def _q(prefix: str, name: str) -> str:
    return f"{{{NS[prefix]}}}{name}"


@pytest.fixture(scope="module")
def press(built: BuildReport) -> list[Path]:
    files = [f.path for f in built.files if f.profile == "press"]
    assert len(files) == 14  # 3 posters x 3 sizes, 4 leaflets and the pack
    return files


@pytest.fixture(scope="module")
def office(built: BuildReport) -> list[Path]:
    return [f.path for f in built.files if f.profile == "office"]


def _each(paths: list[Path]):  # type: ignore[no-untyped-def]
    for path in paths:
        with pikepdf.open(path) as pdf:
            yield path, pdf


def test_output_intent_with_the_embedded_profile(press: list[Path]) -> None:
    """Clause: one /OutputIntents entry, /S /GTS_PDFX, identifier, registry, condition,
    /DestOutputProfile an ICC stream (N 4) equal to the committed FOGRA39 profile."""
    profile = (embedded_root() / "assets" / "colour" / "FOGRA39.icc").read_bytes()
    for path, pdf in _each(press):
        intents = pdf.Root.OutputIntents
        assert len(intents) == 1, path
        intent = intents[0]
        assert intent.Type == pikepdf.Name.OutputIntent
        assert intent.S == pikepdf.Name.GTS_PDFX
        assert str(intent.OutputConditionIdentifier) == "FOGRA39"
        assert str(intent.RegistryName) == "http://www.color.org"
        assert "ISO 12647-2:2004" in str(intent.OutputCondition)
        assert str(intent.Info).startswith("FOGRA39")
        stream = intent.DestOutputProfile
        assert int(stream.N) == 4
        data = stream.read_bytes()
        assert data == profile
        assert data[12:16] == b"prtr" and data[16:20] == b"CMYK"


def test_pdfx_version_in_info_and_xmp_with_matching_values(press: list[Path]) -> None:
    """Clause: GTS_PDFXVersion (PDF/X-4) in Info and pdfxid:GTS_PDFXVersion in XMP; XMP
    title, creator, description, keywords, producer, creator tool, dates and trapped
    equal the Info dictionary's."""
    for path, pdf in _each(press):
        info = pdf.docinfo
        assert str(info.GTS_PDFXVersion) == "PDF/X-4", path
        meta = pdf.open_metadata()
        assert meta[_q("pdfxid", "GTS_PDFXVersion")] == "PDF/X-4"
        assert meta[_q("dc", "title")] == str(info.Title)
        assert meta[_q("dc", "creator")] == [str(info.Author)]
        assert meta[_q("dc", "description")] == str(info.Subject)
        assert meta[_q("pdf", "Keywords")] == str(info.Keywords)
        assert meta[_q("pdf", "Producer")] == str(info.Producer)
        assert meta[_q("xmp", "CreatorTool")] == str(info.Creator)
        assert meta[_q("pdf", "Trapped")] == "False"
        created = str(info.CreationDate)  # D:20000101000000+00'00'
        iso = meta[_q("xmp", "CreateDate")]
        assert re.sub(r"[-:T+]", "", iso)[:14] == created[2:16]
        assert meta[_q("xmp", "ModifyDate")] == iso == meta[_q("xmp", "MetadataDate")]
        assert str(info.ModDate) == created


def test_xmp_is_an_uncompressed_metadata_stream_in_the_catalog(press: list[Path]) -> None:
    """Clause: Catalog /Metadata is a /Type /Metadata /Subtype /XML stream, not filtered,
    wrapped in an xpacket."""
    for _, pdf in _each(press):
        metadata = pdf.Root.Metadata
        assert metadata.Type == pikepdf.Name.Metadata
        assert metadata.Subtype == pikepdf.Name.XML
        assert "/Filter" not in metadata
        text = metadata.read_bytes().decode("utf-8")
        assert text.startswith("<?xpacket begin=") and text.rstrip().endswith("?>")


def test_trapped_is_false(press: list[Path]) -> None:
    """Clause: /Trapped in Info is /True or /False (packgen does no trapping: /False)."""
    for _, pdf in _each(press):
        assert pdf.docinfo.Trapped == pikepdf.Name("/False")


def test_document_id_matches_xmp_and_differs_per_file(press: list[Path]) -> None:
    """Clause: the trailer /ID is present (two 16-byte strings); xmpMM:DocumentID is the
    same bytes as a UUID; VersionID and RenditionClass are set; no two files share an ID."""
    seen = set()
    for path, pdf in _each(press):
        first, second = (bytes(v) for v in pdf.trailer.ID)
        assert len(first) == 16 and first == second, path
        meta = pdf.open_metadata()
        assert meta[_q("xmpMM", "DocumentID")] == f"uuid:{uuid.UUID(bytes=first)}"
        assert meta[_q("xmpMM", "VersionID")] == "1"
        assert meta[_q("xmpMM", "RenditionClass")] == "default"
        seen.add(first)
    assert len(seen) == len(press)


def test_every_page_has_trim_and_bleed_boxes(press: list[Path]) -> None:
    """Clause: every page has a TrimBox inside its BleedBox inside its MediaBox."""
    for _, pdf in _each(press):
        for page in pdf.pages:
            media = [float(v) for v in page.MediaBox]
            trim = [float(v) for v in page.TrimBox]
            bleed = [float(v) for v in page.BleedBox]
            assert media[0] <= bleed[0] < trim[0] and trim[2] < bleed[2] <= media[2]
            assert media[1] <= bleed[1] < trim[1] and trim[3] < bleed[3] <= media[3]


def _fonts(pdf: pikepdf.Pdf):  # type: ignore[no-untyped-def]
    for page in pdf.pages:
        resources = page.obj.get("/Resources", {})
        for font in resources.get("/Font", {}).values():
            yield font
        for xobject in resources.get("/XObject", {}).values():
            for font in xobject.get("/Resources", {}).get("/Font", {}).values():
                yield font


def test_every_font_is_embedded(press: list[Path]) -> None:
    """Clause: every font is embedded (FontFile2 for TrueType subsets)."""
    for path, pdf in _each(press):
        fonts = list(_fonts(pdf))
        assert fonts, path
        for font in fonts:
            if font.get("/Subtype") == pikepdf.Name.Type0:
                font = font.DescendantFonts[0]
            descriptor = font.FontDescriptor
            assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")), (
                path,
                font.BaseFont,
            )


def _colour_spaces(pdf: pikepdf.Pdf):  # type: ignore[no-untyped-def]
    for page in pdf.pages:
        resources = page.obj.get("/Resources", {})
        for space in resources.get("/ColorSpace", {}).values():
            yield str(space[0]) if isinstance(space, pikepdf.Array) else str(space)
        for xobject in resources.get("/XObject", {}).values():
            if xobject.get("/Subtype") == pikepdf.Name.Image:
                space = xobject.ColorSpace
                yield str(space[0]) if isinstance(space, pikepdf.Array) else str(space)


def test_no_rgb_anywhere(press: list[Path]) -> None:
    """Clause: no DeviceRGB operators, images or colour spaces (only DeviceCMYK and the
    /All separation of the marks)."""
    for path, pdf in _each(press):
        assert set(_colour_spaces(pdf)) <= {"/DeviceCMYK", "/Separation"}, path
        for page in pdf.pages:
            for _operands, operator in pikepdf.parse_content_stream(page):
                assert str(operator) not in ("rg", "RG"), path


def test_no_annotations_forms_or_actions(press: list[Path]) -> None:
    """Clause: no annotations, no AcroForm, no JavaScript or OpenAction, no encryption."""
    for path, pdf in _each(press):
        assert "/AcroForm" not in pdf.Root
        assert "/OpenAction" not in pdf.Root and "/Names" not in pdf.Root
        assert not pdf.is_encrypted
        for page in pdf.pages:
            assert "/Annots" not in page.obj, path
            assert "/AA" not in page.obj
        with pdf.open_outline() as outline:  # bookmarks go to a destination, not an action
            for item in outline.root:
                assert item.destination is not None and item.action is None, path


def test_no_transparency_or_transfer_functions(press: list[Path]) -> None:
    """Clause (X-4 allows transparency; packgen uses none on press): no soft masks, no
    blend modes other than Normal, no alpha below 1, no transfer functions or halftones."""
    for path, pdf in _each(press):
        for page in pdf.pages:
            resources = page.obj.get("/Resources", {})
            for state in resources.get("/ExtGState", {}).values():
                assert not {"/TR", "/TR2", "/HT", "/SMask"} & set(state.keys()), path
                assert float(state.get("/CA", 1)) == 1 and float(state.get("/ca", 1)) == 1
                assert state.get("/BM", pikepdf.Name.Normal) == pikepdf.Name.Normal
            for xobject in resources.get("/XObject", {}).values():
                assert "/SMask" not in xobject and "/Mask" not in xobject, path


def test_office_files_are_not_pdfx(office: list[Path]) -> None:
    for path, pdf in _each(office):
        assert "/OutputIntents" not in pdf.Root, path
        assert "/GTS_PDFXVersion" not in pdf.docinfo


def test_another_printing_condition_is_embedded(project_copy: Path, tmp_path: Path) -> None:
    """`--output-intent` (here: Project.output_intent) replaces the profile and identifier."""
    from packgen.build import build

    shop = tmp_path / "shop.icc"
    shop.write_bytes((project_copy / "assets" / "colour" / "FOGRA39.icc").read_bytes())
    project = Project(project_copy, output_intent=shop)
    report = build(project, tmp_path / "out", only=["poster-speak-up"], profiles=["press"])
    assert report.ok, report.failures
    with pikepdf.open(report.files[0].path) as pdf:
        intent = pdf.Root.OutputIntents[0]
        assert str(intent.OutputConditionIdentifier) == project.output_condition.description
        assert "/RegistryName" not in intent


def test_the_pack_is_a_booklet(built: BuildReport) -> None:
    """The stakeholder pack saddle-stitches: a multiple of 4 pages, and the check agrees."""
    from packgen.check import check_file

    pack = next(f for f in built.files if f.product == "pack-stakeholder" and f.profile == "press")
    assert pack.pages % 4 == 0
    booklet = [f for f in check_file(pack.path, fast=True).findings if f.check == "booklet"]
    assert [f.level.value for f in booklet] == ["pass"]
