"""packgen check reads shaped and right-to-left text back from the PDF (check/extraction.py)."""

from __future__ import annotations

from pathlib import Path

from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph

from packgen.check.extraction import extract, problems, run_problem
from packgen.layout.shaping import ShapedParagraph
from packgen.render.manifest import FileEntry, PageExpect, TextRunExpect
from packgen.render.tounicode import install
from packgen.resolve.fonts import fallback_face, with_fallback
from packgen.resolve.project import Project

TEXT = "طفلك لا يستطيع الكلام بعد"
FRAME = (50.0, 300.0, 400.0, 40.0)


def _pdf(path: Path, shaped: bool, project: Project) -> ShapedParagraph:
    """A page with TEXT in FRAME: shaped by packgen, or drawn unshaped by ReportLab."""
    project.register_fonts()
    install()
    style = ParagraphStyle("t", fontName="sans", fontSize=14, leading=18, alignment=2)
    markup, _ = with_fallback(TEXT, "sans")
    intended = ShapedParagraph(markup, style, rtl=True)
    intended.wrap(FRAME[2], FRAME[3])
    canvas = Canvas(str(path), pagesize=(500, 500), invariant=1)
    x, y = FRAME[0], FRAME[1] + FRAME[3] - intended.height
    if shaped:
        intended.drawOn(canvas, x, y)
    else:  # one glyph per character, left to right: what packgen printed before shaping
        plain = Paragraph(f'<font name="{fallback_face(1, False, False)}">{TEXT}</font>', style)
        plain.wrap(FRAME[2], FRAME[3])
        plain.drawOn(canvas, x, FRAME[1] + FRAME[3] - plain.height)
    canvas.save()
    return intended


def _entry(path: Path, run: TextRunExpect) -> FileEntry:
    page = PageExpect(trim=(0, 0, 500, 500), safe_areas=[], folds=[], body_text=[])
    page.text_runs.append(run)
    return FileEntry(path.name, "t", "A4", "office", 1, 0, "", [], 0, 0, page_expect=[page])


def _run(paragraph: ShapedParagraph, shaped: bool = True) -> TextRunExpect:
    [(logical, visual)] = paragraph.visual_lines()
    return TextRunExpect("t", FRAME, "ar", "rtl", logical, visual if shaped else "", shaped)


def test_shaped_arabic_reads_back_as_its_copy(tmp_path: Path, project: Project) -> None:
    pdf = tmp_path / "shaped.pdf"
    paragraph = _pdf(pdf, shaped=True, project=project)
    assert problems(pdf, _entry(pdf, _run(paragraph))) == []


def test_an_unshaped_run_is_caught(tmp_path: Path, project: Project) -> None:
    pdf = tmp_path / "unshaped.pdf"
    paragraph = _pdf(pdf, shaped=False, project=project)
    # the layout meant it shaped; the PDF has the letters in logical order, left to right
    [(page, message)] = problems(pdf, _entry(pdf, _run(paragraph)))
    assert page == 1
    assert "text 't' (ar, rtl) is drawn in logical order (letters left to right, unshaped)" in (
        message
    )


def test_a_run_that_needs_shaping_but_was_not_shaped_is_an_error() -> None:
    run = TextRunExpect("t", FRAME, "ar", "rtl", TEXT, "", shaped=False)
    message = run_problem(run, TEXT)
    assert message is not None and "needs shaping but was set one glyph per character" in message


def test_missing_text_is_caught() -> None:
    run = TextRunExpect("t", FRAME, "ar", "rtl", "لا بعد", "دعب ال", shaped=True)
    message = run_problem(run, "دعب")
    assert message is not None and "reads differently from its copy: missing «ال»" in message


def _bulleted_pdf(path: Path, project: Project) -> ShapedParagraph:
    """A page with one right-to-left bullet point, as the leaflets set their lists."""
    project.register_fonts()
    install()
    style = ParagraphStyle(
        "b", fontName="sans", fontSize=14, leading=18, alignment=2, rightIndent=14,
        bulletFontName="sans", bulletFontSize=14, bulletIndent=0, bulletColor="#000000",
    )  # fmt: skip
    markup, _ = with_fallback("حضنًا", "sans")
    paragraph = ShapedParagraph(markup, style, rtl=True, bullet="•")
    paragraph.wrap(FRAME[2], FRAME[3])
    canvas = Canvas(str(path), pagesize=(500, 500), invariant=1)
    paragraph.drawOn(canvas, FRAME[0], FRAME[1] + FRAME[3] - paragraph.height)
    canvas.save()
    return paragraph


def test_a_bullet_is_part_of_its_first_line_at_the_start_edge(project: Project) -> None:
    project.register_fonts()
    style = ParagraphStyle("b", fontName="sans", fontSize=14, leading=18)
    markup, _ = with_fallback("حضنًا", "sans")
    rtl = ShapedParagraph(markup, style, rtl=True, bullet="•")
    rtl.wrap(200, 100)
    [(logical, visual)] = rtl.visual_lines()
    assert logical == "• حضنًا"  # before the text in reading order
    assert visual.endswith(" •") and not visual.startswith("•")  # at the right, on the page


def test_right_to_left_bullets_read_back_as_the_copy(tmp_path: Path, project: Project) -> None:
    # the leaflets' lists: the bullet is drawn, so the run must expect it (it once did not:
    # "reads differently from its copy: unexpected «•»" for every Arabic list)
    pdf = tmp_path / "bullets.pdf"
    paragraph = _bulleted_pdf(pdf, project)
    assert problems(pdf, _entry(pdf, _run(paragraph))) == []


def test_a_web_address_broken_after_a_hyphen_keeps_the_hyphen(tmp_path: Path) -> None:
    # pdfium reports a '-' that ends a line as a soft hyphen (U+FFFE), which looked like
    # a lost hyphen in every QR caption whose address breaks after one
    pdf = tmp_path / "url.pdf"
    canvas = Canvas(str(pdf), pagesize=(500, 500), invariant=1)
    canvas.setFont("Helvetica", 10)
    canvas.drawString(60, 330, "2024-infant-mental-health-")
    canvas.drawString(60, 318, "awareness-week")
    canvas.save()
    assert extract(pdf, 0, FRAME).split() == ["2024-infant-mental-health-", "awareness-week"]
    url = "2024-infant-mental-health-awareness-week"
    run = TextRunExpect("t", FRAME, "ar", "rtl", url, url, shaped=True)
    assert problems(pdf, _entry(pdf, run)) == []
