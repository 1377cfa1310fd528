"""Tagged office PDFs, read back with independent readers (pikepdf, poppler's pdfinfo)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pikepdf
import pytest

from packgen.build import BuildReport, build
from packgen.check import check_file
from packgen.check.tagged import Tree, audit, heading_problems, walk
from packgen.errors import PackgenError
from packgen.resolve.project import Project
from tests.render.structure import elements


def _files(built: BuildReport, profile: str) -> list[Path]:
    return [f.path for f in built.files if f.profile == profile and f.path.suffix == ".pdf"]


def _tree(path: Path) -> Tree:
    with pikepdf.open(path) as pdf:
        tree = Tree()
        walk(pdf.Root.StructTreeRoot.K, tree)
        return tree


def test_every_office_pdf_is_soundly_tagged(built: BuildReport) -> None:
    office = _files(built, "office")
    assert len(office) >= 9
    for path in office:
        assert audit(path) == [], path.name


def test_press_pdfs_stay_untagged(built: BuildReport) -> None:
    for path in _files(built, "press"):
        with pikepdf.open(path) as pdf:
            assert "/StructTreeRoot" not in pdf.Root, path.name


def test_structure_has_headings_lists_figures_links_and_form(built: BuildReport) -> None:
    pack = next(p for p in _files(built, "office") if p.name.startswith("pack-"))
    tree = _tree(pack)
    for tag in ("Document", "H1", "H2", "P", "L", "LI", "LBody", "Figure", "Link", "Form"):
        assert tag in tree.tags, tag
    assert tree.tags[0] == "Document"
    assert heading_problems(tree.tags) == []
    with pikepdf.open(pack) as pdf:
        assert pdf.Root.MarkInfo.Marked
        assert bool(pdf.Root.ViewerPreferences.DisplayDocTitle)
        assert str(pdf.Root.Lang) == "en-GB"
        xmp = pdf.Root.Metadata.read_bytes()
        assert b"<pdfuaid:part>1</pdfuaid:part>" in xmp and b"<dc:title>" in xmp
        linked = [a for page in pdf.pages for a in page.get("/Annots", []) if a.Subtype == "/Link"]
        assert linked and all(str(a.Contents) for a in linked)
        assert all("/StructParent" in a for a in linked)


def _figure_alts(node: object, alts: list[str]) -> None:
    if isinstance(node, pikepdf.Array):
        for kid in node:
            _figure_alts(kid, alts)
    elif isinstance(node, pikepdf.Dictionary) and "/S" in node:
        if node.S == "/Figure":
            alts.append(str(node.get("/Alt", "")))
        if "/K" in node:
            _figure_alts(node.K, alts)


def test_every_figure_and_qr_code_has_alt_text(built: BuildReport) -> None:
    for path in _files(built, "office"):
        with pikepdf.open(path) as pdf:
            alts: list[str] = []
            _figure_alts(pdf.Root.StructTreeRoot.K, alts)
        assert alts and all(alt.strip() for alt in alts), path.name
        # "QR code: …" in the copy's language (the bilingual poster's alt text is Welsh)
        assert any(alt.startswith(("QR code: ", "Cod QR: ")) for alt in alts), path.name


def _struct_text(path: Path) -> str:
    result = subprocess.run(
        ["pdfinfo", "-struct-text", str(path)], capture_output=True, text=True, check=True
    )
    return result.stdout


def test_folded_leaflet_reads_cover_flap_inside_spread_then_back(built: BuildReport) -> None:
    leaflet = next(p for p in _files(built, "office") if p.name.startswith("leaflet-cues-A4"))
    text = _struct_text(leaflet)
    # front cover, flap (seen on opening), inside left, middle, right (tuck), back cover
    order = [
        "Reading your",
        "Why the first",
        "Your baby’s cues",  # typographic apostrophes, as printed
        "When your baby cries",
        "Watch the film",
        "Where to get support",
    ]
    positions = [text.index(phrase) for phrase in order]
    assert positions == sorted(positions), dict(zip(order, positions, strict=True))


def test_untagged_text_is_caught_by_the_check(built: BuildReport, tmp_path: Path) -> None:
    source = next(p for p in _files(built, "office") if p.name.startswith("poster-speak-up-A4"))
    broken = tmp_path / source.name
    with pikepdf.open(source) as pdf:
        page = pdf.pages[0]
        font = next(iter(page.Resources.Font.keys()))
        page.contents_add(pdf.make_stream(f"BT {font} 12 Tf 72 72 Td (loose) Tj ET".encode()))
        pdf.save(broken)
    problems = audit(broken)
    assert problems == ["page 1: 1 text operator(s) outside marked content and artifacts"]
    expect = next(f for f in built.files if f.path == source)
    report = check_file(broken, fast=True)
    tagged = [f for f in report.findings if f.check == "tagged"]
    assert tagged and "outside marked content" in tagged[0].message
    assert expect.profile == "office"


def test_an_untagged_pdf_is_reported_as_such(built: BuildReport) -> None:
    press = _files(built, "press")[0]
    assert audit(press) == ["not tagged: the PDF has no structure tree"]


def test_heading_levels_may_not_skip_going_down() -> None:
    assert heading_problems(["Document", "H1", "P", "H2", "H3", "H2", "H1"]) == []
    assert heading_problems(["H1", "H3"]) == ["heading H3 follows H1"]
    assert heading_problems(["H2"]) == ["heading H2 follows no heading"]
    assert heading_problems(["H", "P", "H"]) == []
    assert heading_problems(["H1", "H"]) == ["the document mixes H and numbered headings (H1–H6)"]


def test_tagged_output_is_reproducible(tmp_path: Path, project: Project) -> None:
    first = build(project, tmp_path / "a", only=["poster-speak-up"], profiles=["office"])
    second = build(project, tmp_path / "b", only=["poster-speak-up"], profiles=["office"])
    assert first.ok and second.ok
    for a, b in zip(first.files, second.files, strict=True):
        assert a.path.read_bytes() == b.path.read_bytes()


def test_reading_order_naming_an_unknown_panel_is_an_error(project_copy: Path) -> None:
    layout = project_copy / "layouts" / "leaflet-cues.yaml"
    text = layout.read_text()
    layout.write_text(text.replace("reading_order: [front,", "reading_order: [frnot,"))
    report = build(Project(project_copy), project_copy / "out", only=["leaflet-cues"])
    assert not report.ok
    message = next(iter(report.failures.values())).format()
    assert "reading_order names 'frnot', which is not a fold panel" in message
    assert "use one of: flap, back, front" in message
    assert isinstance(next(iter(report.failures.values())), PackgenError)


@pytest.mark.parametrize("name", ["leaflet-cues-A4", "pack-stakeholder-A4"])
def test_poppler_reads_the_structure(built: BuildReport, name: str) -> None:
    path = next(p for p in _files(built, "office") if p.name.startswith(name))
    text = _struct_text(path)
    assert text.startswith("Document")
    assert "H1" in text and "Figure" in text


def test_layout_heading_marks_titles_and_unmarks_a_big_figure(built: BuildReport) -> None:
    leaflet = next(p for p in _files(built, "office") if p.name.startswith("leaflet-cues-A4"))
    lines = _struct_text(leaflet).splitlines()
    tagged_as = {
        line.strip().strip('"'): lines[number - 1].split()[0]
        for number, line in enumerate(lines)
        if line.strip().startswith('"')
    }
    assert tagged_as["Reading your baby’s cues"] == "H1"  # heading: 1 on the front title
    assert tagged_as["1 million"] == "P"  # heading: 0 on the fact card
    assert tagged_as["Watch the film"] == "H2"


def test_pack_contents_is_a_toc_of_entries_each_linking_to_its_page(built: BuildReport) -> None:
    pack = next(p for p in _files(built, "office") if p.name.startswith("pack-"))
    with pikepdf.open(pack) as pdf:
        tocs: list[pikepdf.Dictionary] = []
        elements(pdf.Root.StructTreeRoot.K, "/TOC", tocs)
        top = [t for t in tocs if str(t.P.S) == "/Document"]
        assert len(top) == 1  # one contents, its sub-entries in TOCs of their own inside it
        entries: list[pikepdf.Dictionary] = []
        elements(top[0], "/TOCI", entries)
        rows = [a for a in pdf.pages[1].Annots if a.Subtype == "/Link"]
        assert len(entries) == len(rows) == 19  # every row of the contents page: 14 + 5 sub
        assert all(str(e.P.S) == "/TOC" for e in entries)
        for entry in entries:
            kinds = _kinds(entry)
            assert kinds in (["/Reference"], ["/Reference", "/TOC"]), kinds
            reference = entry.K[0]
            assert _kinds(reference) == ["/Link"]
            link = reference.K[0]
            # the entry's words and its page number, then the annotation that goes there
            assert _kinds(link) == ["/MCR", "/MCR", "/OBJR"]
            annot = link.K[2].Obj
            assert annot.Subtype == "/Link" and "/Dest" in annot and str(annot.Contents)
        nested = [t for t in tocs if str(t.P.S) == "/TOCI"]
        assert len(nested) == 4  # under the four entries with sub-entries
    text = _struct_text(pack)
    assert (
        "  TOC\n    TOCI\n      Reference (inline)\n        Link (inline)\n"
        '          "About the week "\n          "3"\n          Object'
    ) in text
    assert (
        '"Why infant mental health matters "\n          "3"\n          Object 47 0\n'
        "      TOC\n        TOCI\n          Reference (inline)\n            Link (inline)\n"
        '              "Key facts "\n              "4"'
    ) in text
    assert "TOC" not in _struct_text(next(p for p in _files(built, "office") if "poster" in p.name))


@pytest.mark.parametrize(
    ("name", "kicker"),
    [
        ("poster-speak-up-A4", "Infant Mental Health Awareness Week 2024 10–16 June 2024"),
        ("poster-know-your-baby-A4", "Infant Mental Health Awareness Week 2024 10–16 June 2024"),
        ("leaflet-cues-A4", "Infant Mental Health Awareness Week 2024 10–16 June 2024"),
        ("leaflet-cues-a5", "Infant Mental Health Awareness Week 2024 · 10–16 June 2024"),
        ("leaflet-cues-large-print", "Infant Mental Health Awareness Week 2024 10–16 June 2024"),
        ("leaflet-cues-easy-read", "Infant Mental Health Awareness Week 2024 10–16 June 2024"),
        ("pack-stakeholder", "Infant Mental Health Awareness Week 2024 10–16 June 2024"),
        (
            "poster-speak-up-cy-en-A4",
            "Wythnos Ymwybyddiaeth Iechyd Meddwl Babanod 2024 10–16 Mehefin 2024",
        ),
    ],
)
def test_the_weeks_name_and_dates_read_as_one_paragraph(
    built: BuildReport, name: str, kicker: str
) -> None:
    """Printed on two lines (a hard break), read as one P holding one run of words."""
    path = next(p for p in _files(built, "office") if p.name.startswith(name))
    lines = _struct_text(path).splitlines()
    at = lines.index(f'    "{kicker}"')
    assert lines[at - 1].strip() == "P (block)"
    assert not lines[at + 1].strip().startswith('"')  # nothing more in that P
    with pikepdf.open(path) as pdf:
        paragraphs: list[pikepdf.Dictionary] = []
        elements(pdf.Root.StructTreeRoot.K, "/P", paragraphs)
        first = paragraphs[0]
        assert _kinds(first) == ["/MCR"]  # one marked-content sequence, not a P per line


def _kinds(element: pikepdf.Dictionary) -> list[str]:
    kids = element.K if isinstance(element.K, pikepdf.Array) else [element.K]
    return [str(k.get("/S", k.get("/Type"))) for k in kids]


def test_list_items_are_a_label_and_a_body(built: BuildReport) -> None:
    for path in _files(built, "office"):
        with pikepdf.open(path) as pdf:
            items: list[pikepdf.Dictionary] = []
            elements(pdf.Root.StructTreeRoot.K, "/LI", items)
            labelled = [i for i in items if _kinds(i) == ["/Lbl", "/LBody"]]
            assert all(_kinds(i) in (["/Lbl", "/LBody"], ["/LBody"]) for i in items), path.name
            if path.name.startswith(("leaflet-cues-A4", "pack-")):
                assert len(labelled) >= 3, path.name
    leaflet = next(p for p in _files(built, "office") if p.name.startswith("leaflet-cues-A4"))
    text = _struct_text(leaflet)
    assert (
        'LI (block)\n      Lbl (block)\n        "•"\n      LBody (block)\n        "a cuddle"'
        in text
    )


def test_every_link_holds_its_words_or_its_figure(built: BuildReport) -> None:
    for path in _files(built, "office"):
        with pikepdf.open(path) as pdf:
            links: list[pikepdf.Dictionary] = []
            elements(pdf.Root.StructTreeRoot.K, "/Link", links)
            assert links, path.name
            for link in links:
                kinds = _kinds(link)
                assert "/OBJR" in kinds and len(kinds) >= 2, (path.name, kinds)
    # a web address inside a paragraph: its words are the Link's, the sentence the P's
    pack = next(p for p in _files(built, "office") if p.name.startswith("pack-"))
    assert (
        '"Find out more: "\n    Link (inline)\n'
        '      "parentinfantfoundation.org.uk/1001-days/speak-up-for-babies"\n'
        "      Object"
    ) in _struct_text(pack)
    # a QR code's caption, all of it a link: both its lines in one Link
    poster = next(p for p in _files(built, "office") if p.name.startswith("poster-speak-up-A4"))
    assert (
        '  P (block)\n    Link (inline)\n      "Watch the 3-minute film"\n'
        '      "aaimh.org.au"\n'
        "      Object"
    ) in _struct_text(poster)


def _broken(source: Path, target: Path, change: object) -> Path:
    with pikepdf.open(source) as pdf:
        change(pdf)  # type: ignore[operator]
        pdf.save(target)
    return target


def _first(pdf: pikepdf.Pdf, kind: str) -> pikepdf.Dictionary:
    found: list[pikepdf.Dictionary] = []
    elements(pdf.Root.StructTreeRoot.K, kind, found)
    return found[0]


def test_a_list_item_without_label_and_body_is_caught(built: BuildReport, tmp_path: Path) -> None:
    source = next(p for p in _files(built, "office") if p.name.startswith("leaflet-cues-A4"))

    def flatten(pdf: pikepdf.Pdf) -> None:  # the LI holds its content directly
        item = _first(pdf, "/LI")
        item.K = pikepdf.Array([k for part in item.K for k in part.K])

    broken = _broken(source, tmp_path / source.name, flatten)
    assert audit(broken) == [
        "a list item (LI) is not a label (Lbl) and a body (LBody)",
        # the ParentTree still names the Lbl and LBody that held the words
        "page 1: the ParentTree does not lead MCID 11 to its element (2 MCIDs)",
    ]
    tagged = [f for f in check_file(broken, fast=True).findings if f.check == "tagged"]
    assert tagged and "a list item (LI) is not a label (Lbl)" in tagged[0].message


def test_a_link_without_its_words_is_caught(built: BuildReport, tmp_path: Path) -> None:
    source = next(p for p in _files(built, "office") if p.name.startswith("pack-"))

    def unword(pdf: pikepdf.Pdf) -> None:  # the words move out to the P: only the OBJR stays
        links: list[pikepdf.Dictionary] = []
        elements(pdf.Root.StructTreeRoot.K, "/Link", links)
        link = next(k for k in links if "/MCR" in _kinds(k) and "/P" in str(k.P.S))
        words = [k for k in link.K if k.get("/Type") == "/MCR"]
        link.K = pikepdf.Array([k for k in link.K if k.get("/Type") == "/OBJR"])
        link.P.K = pikepdf.Array([*link.P.K, *words])

    broken = _broken(source, tmp_path / source.name, unword)
    assert audit(broken) == [
        "a Link element holds no words (only its annotation)",
        "page 4: the ParentTree does not lead MCID 3 to its element",  # it still names the Link
    ]


def test_a_skipped_heading_level_is_caught(built: BuildReport, tmp_path: Path) -> None:
    source = next(p for p in _files(built, "office") if p.name.startswith("leaflet-cues-A4"))

    def skip(pdf: pikepdf.Pdf) -> None:  # the first H2 becomes an H4
        _first(pdf, "/H2").S = pikepdf.Name.H4

    broken = _broken(source, tmp_path / source.name, skip)
    assert audit(broken) == ["heading H4 follows H1"]
    tagged = [f for f in check_file(broken, fast=True).findings if f.check == "tagged"]
    assert tagged and "heading H4 follows H1" in tagged[0].message


def test_wrapped_lines_read_as_separate_words(built: BuildReport) -> None:
    leaflet = next(p for p in _files(built, "office") if p.name.startswith("leaflet-cues-A4"))
    text = _struct_text(leaflet)
    assert "Reading your baby’s cues" in text  # the title is set on two lines
    assert "Week 2024 10–16 June" in text  # the kicker's two lines
    assert "yourbaby" not in text and "202410" not in text


def test_bilingual_posters_english_headline_is_a_heading(built: BuildReport) -> None:
    poster = next(p for p in _files(built, "office") if p.name.startswith("poster-speak-up-cy-en"))
    with pikepdf.open(poster) as pdf:
        kids = list(pdf.Root.StructTreeRoot.K.K)
        headings = [(str(k.S), str(k.get("/Lang", ""))) for k in kids if str(k.S)[1] == "H"]
    assert headings[:2] == [("/H1", ""), ("/H2", "en-GB")]  # Welsh title, then the English


def test_tagged_streams_are_compressed(built: BuildReport) -> None:
    """ReportLab writes a tagged file's streams plain; pikepdf's save compresses them."""
    for path in _files(built, "office"):
        with pikepdf.open(path) as pdf:
            for obj in pdf.objects:
                if isinstance(obj, pikepdf.Stream) and obj.get("/Type") != pikepdf.Name.Metadata:
                    assert obj.get("/Filter") is not None, (path.name, obj.objgen)
