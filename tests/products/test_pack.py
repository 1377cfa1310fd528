"""The stakeholder pack (kind: pack): pages, contents, bookmarks, form, QR, text.

Checks read the built PDFs back (pypdf for text, outline, fields and
annotations; pypdfium2 and zxing-cpp for QR codes), so they test what a
reader gets, not what the code meant to draw.
"""

from __future__ import annotations

import re
from pathlib import Path

import pypdf
import pytest

from packgen.build import BuildReport, BuiltFile, build
from packgen.layout.flow import templates as flow_pages
from packgen.layout.flow.social import count, post_text
from packgen.model.pack import HeadingItem, PostsItem
from packgen.model.profiles import PROFILES
from packgen.render.raster import decode_pdf_qr
from packgen.resolve.design import load_design
from packgen.resolve.pack import ResolvedPack, resolve_pack
from packgen.resolve.project import Project
from packgen.units import MM
from tests.conftest import ROOT

PACK = "pack-stakeholder"
FIELDS = {"candidate", "constituency", "service", "sender", "organisation"}


def _file(built: BuildReport, profile: str) -> BuiltFile:
    return next(f for f in built.files if f.product == PACK and f.profile == profile)


@pytest.fixture(scope="session")
def resolved(project: Project) -> ResolvedPack:
    return resolve_pack(project, load_design(project, PACK), "A4")


@pytest.fixture(scope="session")
def office(built: BuildReport) -> pypdf.PdfReader:
    return pypdf.PdfReader(_file(built, "office").path)


@pytest.fixture(scope="session")
def press(built: BuildReport) -> pypdf.PdfReader:
    return pypdf.PdfReader(_file(built, "press").path)


def _squash(text: str) -> str:
    return " ".join(text.split())


def _outline(reader: pypdf.PdfReader) -> list[tuple[str, int, int]]:
    """(title, level, page from 1) of every bookmark, in order."""
    found: list[tuple[str, int, int]] = []

    def walk(items: list, level: int) -> None:  # type: ignore[type-arg]
        for item in items:
            if isinstance(item, list):
                walk(item, level + 1)
            else:
                found.append((item.title, level, reader.get_destination_page_number(item) + 1))

    walk(reader.outline, 0)
    return found


def _headings(project: Project, resolved: ResolvedPack) -> list[tuple[str, int]]:
    content = project.content()
    return [
        (content.plain(item.copy_key), item.level)
        for item in resolved.document.story
        if isinstance(item, HeadingItem)
    ]


@pytest.mark.parametrize("profile", ["office", "press"])
def test_page_count_in_range(built: BuildReport, profile: str) -> None:
    file = _file(built, profile)
    assert 8 <= file.pages <= 16
    assert len(pypdf.PdfReader(file.path).pages) == file.pages


@pytest.mark.parametrize("profile", ["office", "press"])
def test_a_bookmark_for_every_heading(
    project: Project, resolved: ResolvedPack, built: BuildReport, profile: str
) -> None:
    reader = pypdf.PdfReader(_file(built, profile).path)
    outline = _outline(reader)
    assert [(title, level) for title, level, _ in outline] == _headings(project, resolved)
    for title, _, page in outline:
        assert title in _squash(reader.pages[page - 1].extract_text()), (title, page)


def test_contents_lists_headings_with_the_pages_they_land_on(office: pypdf.PdfReader) -> None:
    outline = _outline(office)
    contents_page = next(page for title, _, page in outline if title == "Contents")
    text = _squash(office.pages[contents_page - 1].extract_text())
    listed = [(title, page) for title, level, page in outline if title != "Contents" and level < 2]
    assert len(listed) >= 10
    position = 0
    for title, page in listed:
        match = re.compile(re.escape(title) + r" (\d+)\b").search(text, position)
        assert match, f"contents has no entry '{title}'"
        assert int(match.group(1)) == page, title
        position = match.end()


def test_contents_entries_link_to_their_headings(office: pypdf.PdfReader) -> None:
    outline = _outline(office)
    contents_page = next(page for title, _, page in outline if title == "Contents")
    annotations = [a.get_object() for a in office.pages[contents_page - 1]["/Annots"]]
    targets = []
    for annotation in annotations:
        if annotation["/Subtype"] == "/Link" and "/Dest" in annotation:
            page_ref = annotation["/Dest"][0]
            targets.append(
                next(i for i, p in enumerate(office.pages) if p.indirect_reference == page_ref) + 1
            )
    expected = [page for title, level, page in outline if title != "Contents" and level < 2]
    assert targets == expected


def test_no_heading_ends_a_page(office: pypdf.PdfReader) -> None:
    for title, _, page in _outline(office):
        text = _squash(office.pages[page - 1].extract_text())
        assert not text.endswith(title), f"'{title}' is the last thing on page {page}"


def test_running_footer_counts_pages(office: pypdf.PdfReader) -> None:
    total = len(office.pages)
    for number in range(2, total):  # cover and back cover carry no footer
        assert f"Page {number} of {total}" in office.pages[number - 1].extract_text()


def test_office_letter_has_named_fillable_fields(office: pypdf.PdfReader) -> None:
    fields = office.get_fields() or {}
    assert set(fields) == FIELDS
    for name, field in fields.items():
        assert field.get("/FT") == "/Tx", name
        assert field.get("/TU"), f"field '{name}' has no tooltip"
    outline = dict((title, page) for title, _, page in _outline(office))
    letter = outline["A letter to a candidate"]
    widgets = [a.get_object() for a in office.pages[letter - 1]["/Annots"]]
    assert {w["/T"] for w in widgets if w["/Subtype"] == "/Widget"} == FIELDS


def test_press_has_no_annotations_or_form(press: pypdf.PdfReader) -> None:
    assert "/AcroForm" not in press.trailer["/Root"]
    for page in press.pages:
        assert not page.get("/Annots")


def test_press_boxes_colour_and_fonts(press: pypdf.PdfReader) -> None:
    mm = MM
    for page in press.pages:
        trim, bleed = page.trimbox, page.bleedbox
        assert float(trim.width) == pytest.approx(210 * mm, abs=0.01)
        assert float(trim.height) == pytest.approx(297 * mm, abs=0.01)
        assert float(bleed.width) == pytest.approx(216 * mm, abs=0.01)
        stream = page.get_contents().get_data().decode("latin-1")
        assert not re.search(r"\s(rg|RG)\s", stream), "RGB colour in press output"
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font.get("/FontDescriptor")
            if descriptor is None and "/DescendantFonts" in font:
                descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            assert descriptor is not None and "/FontFile2" in descriptor.get_object(), font


@pytest.mark.parametrize("profile", ["office", "press"])
def test_metadata(built: BuildReport, profile: str) -> None:
    reader = pypdf.PdfReader(_file(built, profile).path)
    info = reader.metadata
    assert info is not None
    assert info.title == "Speak up for babies: stakeholder communications pack"
    assert info.author and info.subject and "#IMHAW2024" in str(info.get("/Keywords"))
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "en-GB"
    assert root["/ViewerPreferences"]["/DisplayDocTitle"]


@pytest.mark.parametrize("dpi", [150, 200])
@pytest.mark.parametrize("profile", ["office", "press"])
def test_every_qr_code_decodes_to_its_url(
    project: Project, built: BuildReport, profile: str, dpi: int
) -> None:
    file = _file(built, profile)
    found = [url for page in decode_pdf_qr(file.path, dpi) for url in page]
    assert sorted(found) == sorted(file.qr_urls)
    links = project.campaign.links
    assert links["video"].url in found
    assert links["support"].url in found


def test_qr_symbols_are_at_least_20mm(project: Project, resolved: ResolvedPack) -> None:
    from packgen.elements.qr import QrElement
    from packgen.model.pack import PanelItem
    from packgen.resolve.qr import QUIET_ZONE, encode

    codes = [
        element
        for item in resolved.document.story
        if isinstance(item, PanelItem)
        for element in item.elements
        if isinstance(element, QrElement)
    ]
    assert {code.link for code in codes} == {"video", "support", "campaign"}
    for code in codes:
        url = project.campaign.links[code.link].url
        modules = len(encode(url, resolved.document.rules.qr_error_correction))
        assert code.size is not None
        symbol = code.size.mm * modules / (modules + 2 * QUIET_ZONE)
        assert symbol >= 20.0, (code.id, symbol)


def test_hashtag_and_video_credits_are_text(office: pypdf.PdfReader) -> None:
    text = _squash(" ".join(page.extract_text() for page in office.pages))
    for words in (
        "#IMHAW2024",
        "Building a Relationship with your Baby Matters",
        "three-minute",
        "Dr Victoria Carter and Dr Naomi Thomas, animated by Jerrica Kuan",
        "Victoria Carter, Naomi Thomas, Valerie Aylesbury, Timothy Packham, "
        "Caroline Diamond and Stacey Butcher",
        "approved by the National AAIMH Board",
    ):
        assert words in text, words


def test_every_social_post_fits_its_limit(project: Project, resolved: ResolvedPack) -> None:
    content = project.content()
    posts = [item for item in resolved.document.story if isinstance(item, PostsItem)]
    assert any(item.limit == 280 and item.counting == "x" for item in posts)
    checked = 0
    for item in posts:
        for key in item.items:
            text = post_text(content.copy[key], content.data)
            assert "#IMHAW2024" in text, key
            assert count(text, item.counting) <= item.limit, key
            checked += 1
    assert checked >= 4


def test_printed_post_counts_are_within_limits(office: pypdf.PdfReader) -> None:
    text = _squash(" ".join(page.extract_text() for page in office.pages))
    counts = [int(n) for n in re.findall(r"X post · (\d+) of 280 characters", text)]
    assert len(counts) >= 3
    assert all(0 < n <= 280 for n in counts)


def test_x_counts_links_as_23() -> None:
    text = "Watch this https://www.example.org/a/very/long/path/indeed/that/goes/on #Tag"
    assert count(text, "x") == len("Watch this ") + 23 + len(" #Tag")
    assert count("see example.org/page.", "x") == len("see ") + 23 + 1
    assert count(text, "plain") == len(text)


def _text_sizes(page: pypdf.PageObject) -> list[tuple[float, float, float, str]]:
    """(x, y, size in pt, text) of every run of text drawn on the page."""
    runs: list[tuple[float, float, float, str]] = []

    def visit(text: str, cm: list, tm: list, font: object, size: float) -> None:  # type: ignore[type-arg]
        if text.strip():
            x, y = tm[4] * cm[0] + cm[4], tm[5] * cm[3] + cm[5]
            runs.append((x, y, size * abs(tm[3] * cm[3]), text.strip()))

    page.extract_text(visitor_text=visit)
    return runs


def test_body_text_at_least_12pt(
    project: Project, resolved: ResolvedPack, office: pypdf.PdfReader
) -> None:
    """Everything in the story's frames (all but running heads and covers) is 12pt or more."""
    sheet = flow_pages.sheet(resolved, PROFILES["office"])
    ctx = flow_pages.context(resolved, PROFILES["office"], project.content(), sheet, Path("."))
    frames = [r for rects in flow_pages.frames(resolved, ctx, sheet).values() for r in rects]
    measured, small = 0, []
    for number, page in enumerate(office.pages, start=1):
        for x, y, size, text in _text_sizes(page):
            if any(f.x - 1 <= x <= f.right + 1 and f.y - 1 <= y <= f.top + 1 for f in frames):
                measured += 1
                if size < 12 - 0.01:
                    small.append((number, size, text[:30]))
    assert measured > 100
    assert not small, small


def test_two_builds_are_identical(tmp_path: Path) -> None:
    project = Project(ROOT)
    first = build(project, tmp_path / "a", only=[PACK])
    second = build(Project(project.root), tmp_path / "b", only=[PACK])
    assert first.ok and second.ok
    for a, b in zip(first.files, second.files, strict=True):
        assert a.path.read_bytes() == b.path.read_bytes(), a.path.name


def test_a_post_over_its_limit_is_an_error_at_its_copy(
    project_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from packgen.cli import main

    words = "Speak up for babies this week. " * 9 + "{campaign.hashtag} {link.campaign}"
    copy = project_copy / "assets/campaigns/imhaw-2024/copy/en-GB/extra.yaml"
    copy.write_text(f"extra:\n  post: |\n    {words}\n", encoding="utf-8")
    layout = project_copy / "layouts/pack-posts.yaml"
    layout.write_text(
        "extends: _base.yaml\nkind: pack\n"
        "metadata: {title: pack.meta.title, subject: pack.meta.subject, "
        "keywords: pack.meta.keywords}\n"
        "sizes: {A4: {}}\nstyles: {}\nstart: page\n"
        "templates:\n  page: {frames: [{id: main, box: {col: 1, span: 6, y: 20mm, h: 250mm}}]}\n"
        "story:\n  - {type: posts, items: [extra.post], limit: 280, counting: x,\n"
        "     label: pack.social.x_label, label_style: body, style: body}\n",
        encoding="utf-8",
    )
    code = main(["build", "--project", str(project_copy), "--only", "pack-posts",
                 "--out", str(tmp_path / "out")])  # fmt: skip
    err = capsys.readouterr().err
    length = len("Speak up for babies this week. " * 9) + len("#IMHAW2024 ") + 23
    assert code == 1
    assert (
        "assets/campaigns/imhaw-2024/copy/en-GB/extra.yaml:2:9: error: post 'extra.post' "
        f"is {length} characters; the limit here is 280"
    ) in err
    assert f"hint: shorten it by {length - 280} characters" in err


def _paragraph_lines(paragraph: object) -> list[str]:
    """The text of each line of a wrapped paragraph, as it will be drawn."""
    lines = paragraph.blPara.lines  # type: ignore[attr-defined]
    found = []
    for line in lines:
        if isinstance(line, tuple):
            found.append(" ".join(line[1]))
        else:
            found.append("".join(getattr(frag, "text", "") for frag in line.words))
    return [text.strip() for text in found if text.strip()]


def _flow_pack(root: Path, frame_h: float, story: str, copy: dict[str, str]) -> list[list[str]]:
    """Lay out a one-frame pack in ``root`` (no PDF); the text lines of each placed page."""
    from packgen.layout import lay_out
    from packgen.layout.placed import PlacedText

    lines = "".join(f"  {key}: |\n    {text}\n" for key, text in copy.items())
    (root / "assets/campaigns/imhaw-2024/copy/en-GB/flow.yaml").write_text(
        f"flow:\n{lines}", encoding="utf-8"
    )
    (root / "layouts/pack-flow.yaml").write_text(
        "extends: _base.yaml\nkind: pack\n"
        "metadata: {title: pack.meta.title, subject: pack.meta.subject, "
        "keywords: pack.meta.keywords}\n"
        "sizes: {A4: {}}\nstyles: {}\nstart: page\n"
        f"templates:\n  page: {{frames: [{{id: main, box: {{col: 1, span: 6, y: 20mm, "
        f"h: {frame_h:.3f}pt}}}}]}}\n"
        f"story:\n{story}",
        encoding="utf-8",
    )
    project = Project(root)
    placed = lay_out(project, load_design(project, "pack-flow"), "A4", PROFILES["office"])
    return [
        [
            text
            for item in page.items
            if isinstance(item, PlacedText)
            for line in item.lines
            for text in _paragraph_lines(line.flowable)
        ]
        for page in placed.pages
    ]


def _body(project_copy: Path) -> tuple[object, float, float]:
    """The paragraph style of 'body', its line height and its space after (pt)."""
    from packgen.layout.typeset import paragraph_style

    project = Project(project_copy)
    style = resolve_pack(project, load_design(project, PACK), "A4").styles["body"]
    pstyle = paragraph_style(style, cmyk=False)
    return pstyle, pstyle.leading, pstyle.spaceAfter


LONG = " ".join(f"Bravo{n} sentence that goes on for a while." for n in range(12))


def test_no_orphan_line_at_a_page_foot(project_copy: Path) -> None:
    _, leading, after = _body(project_copy)
    # room for the one-line paragraph and a single line of the next: not allowed
    pages = _flow_pack(
        project_copy,
        leading + after + leading * 1.5,
        "  - {type: text, copy: flow.a, style: body}\n"
        "  - {type: text, copy: flow.b, style: body}\n",
        {"a": "Alpha.", "b": LONG},
    )
    assert pages[0] == ["Alpha."]
    assert pages[1][0].startswith("Bravo0")


def test_no_widow_line_at_a_page_top(project_copy: Path) -> None:
    from reportlab.platypus import Paragraph

    pstyle, leading, _ = _body(project_copy)
    paragraph = Paragraph(LONG, pstyle)
    paragraph.wrap(170 * MM, 1e6)
    count = len(paragraph.blPara.lines)
    assert count >= 4
    # room for all lines but the last: the last would be alone on page 2
    pages = _flow_pack(
        project_copy,
        leading * (count - 1) + leading * 0.5,
        "  - {type: text, copy: flow.b, style: body}\n",
        {"b": LONG},
    )
    assert len(pages) == 2
    assert len(pages[1]) >= 2
    assert len(pages[0]) + len(pages[1]) == count


def test_heading_moves_with_its_text(project_copy: Path) -> None:
    _, leading, after = _body(project_copy)
    pages = _flow_pack(
        project_copy,
        leading + after + leading * 3.2,
        "  - {type: text, copy: flow.a, style: body}\n"
        "  - {type: heading, copy: flow.h, style: body}\n"
        "  - {type: text, copy: flow.b, style: body}\n",
        {"a": "Alpha.", "h": "Heading here", "b": LONG},
    )
    assert pages[0] == ["Alpha."]
    assert pages[1][0] == "Heading here"


def test_a_plan_hint_from_another_build_never_changes_the_bytes(tmp_path: Path) -> None:
    """Pagination starts from the last plan made for the same pack (one pass when it
    holds); a pass is kept only when it reproduces its plan, so bytes are the same."""
    from packgen.resolve.org import load_org

    org = load_org(ROOT / "docs" / "examples" / "orgs" / "hostile.yaml")
    warm = Project(ROOT)
    build(warm, tmp_path / "org", only=["pack-stakeholder"], profiles=["office"], org=org)
    hinted = build(warm, tmp_path / "hinted", only=["pack-stakeholder"], profiles=["office"])
    fresh = build(Project(ROOT), tmp_path / "fresh", only=["pack-stakeholder"], profiles=["office"])
    assert hinted.ok and fresh.ok
    assert hinted.files[0].path.read_bytes() == fresh.files[0].path.read_bytes()


def test_pagination_writes_no_pdf(project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    """Measuring passes record where flowables land; only the writer makes a PDF."""
    from reportlab.pdfgen.canvas import Canvas

    from packgen.layout import lay_out
    from packgen.layout.placed import PlacedText

    def refuse(self: object) -> None:
        raise AssertionError("a layout pass wrote a PDF")

    monkeypatch.setattr(Canvas, "save", refuse)
    project.cache.clear()
    placed = lay_out(project, load_design(project, PACK), "A4", PROFILES["office"])
    assert 10 <= len(placed.pages) <= 16
    body = [i for p in placed.pages[1:-1] for i in p.items if isinstance(i, PlacedText)]
    assert len(body) > 100
    anchors = [a.name for page in placed.pages for a in page.anchors]
    assert "about" in anchors and "letter" in anchors


def test_every_placed_item_has_a_role(project: Project) -> None:
    """Headings, list items, figures with alt text, QR codes, fields and artifacts."""
    from packgen.layout import lay_out
    from packgen.layout.placed import (
        PlacedDrawing,
        PlacedField,
        PlacedQr,
        PlacedShape,
        PlacedText,
        Role,
        RoleKind,
    )

    placed = lay_out(project, load_design(project, PACK), "A4", PROFILES["office"])
    items = [item for page in placed.pages for item in page.items]
    assert all(isinstance(item.role, Role) for item in items)
    kinds = {item.role.kind for item in items}
    assert {
        RoleKind.HEADING,
        RoleKind.PARAGRAPH,
        RoleKind.LIST_ITEM,
        RoleKind.FIGURE,
        RoleKind.QR,
        RoleKind.FORM_FIELD,
        RoleKind.CONTENTS_ENTRY,
        RoleKind.CONTENTS_PAGE,
        RoleKind.ARTIFACT,
    } <= kinds
    entries = [i for i in items if i.role.kind is RoleKind.CONTENTS_ENTRY]
    assert {e.role.level for e in entries} == {1, 2}  # a TOC with sub-entries nested in it
    numbers = [i for i in items if i.role.kind is RoleKind.CONTENTS_PAGE]
    assert len(numbers) == len(entries)  # each entry's page number, read with it
    headings = [i for i in items if isinstance(i, PlacedText) and i.role.kind is RoleKind.HEADING]
    assert {h.role.level for h in headings} >= {1, 2}
    assert all(i.role.kind is RoleKind.ARTIFACT for i in items if isinstance(i, PlacedShape))
    qrs = [i for i in items if isinstance(i, PlacedQr)]
    assert qrs and all(q.role.alt.startswith("QR code: ") for q in qrs)
    art = [i for i in items if isinstance(i, PlacedDrawing) and i.role.kind is RoleKind.FIGURE]
    assert art and all(a.role.alt for a in art)
    fields = [i for i in items if isinstance(i, PlacedField)]
    assert {f.name for f in fields} == FIELDS
    running = [i for i in placed.pages[2].items if getattr(i, "element_id", "") == "footer-page"]
    assert running and running[0].role.kind is RoleKind.ARTIFACT


def _text_runs_by_fill(page: pypdf.PageObject) -> list[tuple[tuple[float, ...], float, str]]:
    """(fill colour operands, font size, text) of every text run, read from the content."""
    state: dict[str, object] = {"fill": (), "size": 0.0}
    runs: list[tuple[tuple[float, ...], float, str]] = []

    def before(operator: bytes, args: list, cm: object, tm: object) -> None:  # type: ignore[type-arg]
        if operator in (b"k", b"rg", b"g"):
            state["fill"] = tuple(float(a) for a in args)
        elif operator == b"Tf":
            state["size"] = float(args[1])

    def text(value: str, cm: object, tm: object, font: object, size: float) -> None:
        if value.strip():
            runs.append((state["fill"], float(tm[0]) * size if tm else size, value))  # type: ignore[arg-type,index]

    page.extract_text(visitor_operand_before=before, visitor_text=text)
    return runs


def test_press_body_text_prints_in_100_k(press: pypdf.PdfReader) -> None:
    """Body text (bullets too) and dark text under 12pt are black only; none is 4-colour navy."""
    navy = (0.88, 0.72, 0.36, 0.38)
    runs = [run for page in press.pages for run in _text_runs_by_fill(page)]
    black = [r for r in runs if r[0] == (0.0, 0.0, 0.0, 1.0)]
    small_navy = [r for r in runs if r[0] == navy and r[1] < 11.99]
    assert len(black) > 200
    assert not small_navy, small_navy[:5]
    bullets = [r for r in black if r[2].strip() == "\u2022"]
    assert bullets


def test_form_fields_use_embedded_fonts(office: pypdf.PdfReader) -> None:
    """Every font, those of the AcroForm's resources and field appearances too, is embedded."""
    fonts = []
    for number in range(1, len(office.xref_objStm) + 5000):
        try:
            obj = office.get_object(number)
        except Exception:
            continue
        if isinstance(obj, pypdf.generic.DictionaryObject) and obj.get("/Type") == "/Font":
            fonts.append(obj)
    assert len(fonts) >= 5
    for font in fonts:
        descriptor = font.get("/FontDescriptor")
        assert descriptor is not None, font.get("/BaseFont")
        descriptor = descriptor.get_object()
        assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")), font
    form = office.trailer["/Root"]["/AcroForm"]
    names = [f.get_object()["/BaseFont"] for f in form["/DR"]["/Font"].values()]
    assert names and all("Helvetica" not in str(n) for n in names)
