"""Shaped text in tagged PDFs reads as its copy: ActualText spans (render/actualtext.py).

Read back with independent readers: poppler's ``pdftotext`` for the words,
pikepdf for the marked content, pypdfium2 for the pixels.
"""

from __future__ import annotations

import re
import subprocess
import unicodedata
from pathlib import Path

import pikepdf
import pypdfium2 as pdfium
import pytest
from PIL import ImageChops
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfgen.canvas import Canvas

from packgen.build import BuildReport, build
from packgen.check.tagged import audit
from packgen.layout.shaping import ShapedParagraph, pieces
from packgen.render.actualtext import SPANS
from packgen.render.manifest import read_manifest
from packgen.render.tounicode import install
from packgen.resolve.fonts import with_fallback
from packgen.resolve.project import Project, embedded_root

PRODUCTS = ["poster-speak-up", "leaflet-cues-a5"]
# poppler wraps right-to-left lines in embedding controls; marks sit where their letter is
_CONTROLS = re.compile("[\\s\u200e\u200f\u202a-\u202e\u2066-\u2069]")
# a bracket and its mirror compare equal: poppler does not mirror right-to-left text
_PAIRS = str.maketrans({")": "(", "]": "[", "}": "{", "»": "«", "›": "‹"})
# what poppler orders by its own rules inside right-to-left text: digits, Latin, raised marks
_OWN_ORDER = re.compile("[A-Za-z0-9\u0660-\u0669\u06f0-\u06f9\u064b-\u065f\u0670]")


def _built(out: Path, language: str, profile: str) -> BuildReport:
    report = build(
        Project(embedded_root(), language=language),
        out,
        PRODUCTS,
        profiles=[profile],
        select=lambda _p, size, _f: size in ("A4", "A5"),
    )
    assert report.ok, report.failures
    return report


@pytest.fixture(scope="module")
def office(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    outs = {}
    for language in ("ar", "ur", "hi"):
        out = tmp_path_factory.mktemp(f"office-{language}")
        _built(out, language, "office")
        outs[language] = out
    return outs


def _pdfs(out: Path) -> list[Path]:
    files = sorted(out.glob("*-office.pdf"))
    assert len(files) == 2
    return files


def _bare(text: str, marks: bool) -> str:
    """Text as compared: NFC, no whitespace or direction controls (and no marks if not ``marks``)."""
    text = _CONTROLS.sub("", unicodedata.normalize("NFC", text)).translate(_PAIRS)
    return text if marks else "".join(c for c in text if unicodedata.category(c) != "Mn")


def _letters(text: str) -> str:
    """Only the letters and marks of ``text`` (NFC)."""
    return "".join(
        c for c in unicodedata.normalize("NFC", text) if unicodedata.category(c)[0] in "LM"
    )


def _pdftotext(path: Path) -> str:
    result = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return result.stdout


def _shaped_runs(out: Path, name: str) -> list[str]:
    entry = read_manifest(out)[name]
    return [run.logical for page in entry.page_expect for run in page.text_runs if run.shaped]


def test_pdftotext_reads_hindi_in_logical_order(office: dict[str, Path]) -> None:
    """Every shaped line's copy (after typography) is in poppler's text, exactly: the
    i-matra drawn before its consonant reads after it, vowel signs stay with their letters."""
    checked = 0
    for path in _pdfs(office["hi"]):
        text = _pdftotext(path)
        assert "\u200b" not in text and "\ufffe" not in text, path.name
        words = _bare(text, marks=True)
        for logical in _shaped_runs(office["hi"], path.name):
            for line in logical.split("\n"):
                assert _bare(line, marks=True) in words, (path.name, line)
                checked += 1
    assert checked > 50


@pytest.mark.parametrize("language", ["ar", "ur"])
def test_pdftotext_reads_right_to_left_text_in_logical_order(
    office: dict[str, Path], language: str
) -> None:
    """Lines of letters alone read in logical order, with no zero-width spaces between them.

    Poppler orders right-to-left text by where its glyphs are; a letter drawn
    as a body and its dots reads as the letter (the dots' ActualText is empty)
    and a reordered cluster as its characters. Lines with digits, Latin words
    or raised vowel marks are left out, and punctuation is not compared:
    poppler puts those in its own order.
    """
    checked = 0
    for path in _pdfs(office[language]):
        text = _pdftotext(path)
        assert "\u200b" not in text and "\ufffe" not in text, path.name
        words = _letters(text)
        for logical in _shaped_runs(office[language], path.name):
            for line in logical.split("\n"):
                if not _OWN_ORDER.search(line):
                    assert _letters(line) in words, (path.name, line)
                    checked += 1
    assert checked > 20


def test_hindi_words_keep_their_spaces(office: dict[str, Path]) -> None:
    text = _pdftotext(office["hi"] / "poster-speak-up-A4-office.pdf")
    assert "पहले दो वर्षों में शिशु का दिमाग़" in text


def _spans(path: Path, tagged: bool = True) -> tuple[int, int]:
    """(spans, text-showing operators in them) on every page; asserts how the spans sit.

    In a tagged file a span is a sequence with an MCID of its own (never inside
    another tagged sequence: poppler's structure reader would end that one at the
    span's EMC); a span opened in a text object closes in it.
    """
    spans = shows = 0
    with pikepdf.open(path) as pdf:
        for page in pdf.pages:
            stack: list[str] = []  # per open sequence: "mcid", "span", "artifact" or "other"
            in_text = False
            opened_in_text = 0
            for operands, operator in pikepdf.parse_content_stream(page):
                op = str(operator)
                if op == "BT":
                    in_text = True
                elif op == "ET":
                    assert opened_in_text == 0, "a sequence left open at the end of a text object"
                    in_text = False
                elif op in ("BDC", "BMC"):
                    props = operands[1] if op == "BDC" else None
                    kind = "other"
                    if isinstance(props, pikepdf.Dictionary) and "/ActualText" in props:
                        assert str(operands[0]) == "/Span"  # where poppler reads ActualText
                        # empty: glyphs that stand for nothing (a letter's dots drawn apart)
                        assert not set(str(props.ActualText)) & {"\u200b", "\ufffe", "\ufeff"}
                        assert ("/MCID" in props) == tagged, "an ActualText span not tagged"
                        assert "mcid" not in stack and "span" not in stack, "a nested span"
                        spans += 1
                        kind = "span"
                    elif isinstance(props, pikepdf.Dictionary) and "/MCID" in props:
                        assert "mcid" not in stack and "span" not in stack, "nested MCIDs"
                        kind = "mcid"
                    elif str(operands[0]) == "/Artifact":
                        kind = "artifact"
                    stack.append(kind)
                    opened_in_text += in_text
                elif op == "EMC":
                    assert stack, "EMC without a sequence"
                    stack.pop()
                    opened_in_text -= in_text
                    assert opened_in_text >= 0, "a sequence opened outside a text object ends in it"
                elif op in ("Tj", "TJ") and "span" in stack:
                    shows += 1
            assert stack == [], "marked content left open at the end of a page"
    return spans, shows


def test_actual_text_spans_are_balanced_tagged_sequences(office: dict[str, Path]) -> None:
    for language in ("ar", "ur", "hi"):
        spans, shown = 0, 0
        for path in _pdfs(office[language]):
            assert audit(path) == [], path.name  # every MCID has its structure element
            found = _spans(path)
            spans, shown = spans + found[0], shown + found[1]
        assert spans > 20 and shown > 20, language


def test_poppler_reads_the_structure_to_its_end(office: dict[str, Path]) -> None:
    """``pdfinfo -struct-text`` gives every run's words (it stopped at a nested span's EMC)."""
    path = office["hi"] / "poster-speak-up-A4-office.pdf"
    result = subprocess.run(["pdfinfo", "-struct-text", str(path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "10–16 जून 2024" in result.stdout  # the second line of the first paragraph


def test_press_files_carry_no_actual_text(tmp_path: Path) -> None:
    _built(tmp_path, "hi", "press")
    for path in sorted(tmp_path.glob("*-press.pdf")):
        assert _spans(path) == (0, 0), path.name


def _set(project: Project, text: str, rtl: bool) -> ShapedParagraph:
    project.register_fonts()
    install()
    style = ParagraphStyle("t", fontName="sans", fontSize=20, leading=26, alignment=2 if rtl else 0)
    markup, _ = with_fallback(text, "sans")
    paragraph = ShapedParagraph(markup, style, rtl=rtl)
    paragraph.wrap(300, 200)
    return paragraph


def test_a_reordered_cluster_is_a_piece_with_its_characters(project: Project) -> None:
    hindi = _set(project, "शिशु", rtl=False)
    [run] = [r for r in hindi.lines[0].runs if r.text.strip()]
    assert [p.actual for p in run.pieces if p.actual] == ["शि"]  # i-matra drawn first
    assert hindi.lines[0].whole and hindi.visual_lines(actual_text=True)[0][1] == "शिशु"
    assert hindi.visual_lines()[0][1].startswith("ि")  # the glyphs alone: matra first
    arabic = _set(project, "يونيو", rtl=True)
    [run] = arabic.lines[0].runs
    assert not arabic.lines[0].whole  # right to left: spans for single glyphs, never the line
    # waw is one glyph and reads as itself; yeh and noon are drawn as a body and its
    # dots: the body reads as the letter, the dots (a zero-width space) as nothing
    assert {p.actual for p in run.pieces} == {None, ""}
    # the dots already read as nothing to the check: the same characters either way
    assert arabic.visual_lines(actual_text=True) == arabic.visual_lines()
    assert pieces("sans", "", "", rtl=False)[0].actual is None


def _render(path: Path) -> object:
    document = pdfium.PdfDocument(path)
    try:
        return document[0].render(scale=2).to_pil().convert("RGB")
    finally:
        document.close()


@pytest.mark.parametrize(
    ("text", "rtl"),
    [
        ("पहले दो वर्षों में शिशु का दिमाग़ हर सेकंड लगभग दस लाख नए संपर्क बनाता है", False),
        ("تحدّث عن الرضّع في العمل وفي البيت ومع أصحاب القرار", True),
        ("آپ کا بچہ ابھی بول نہیں سکتا، لیکن وہ ہر وقت", True),
    ],
)
def test_spans_change_nothing_drawn(tmp_path: Path, project: Project, text: str, rtl: bool) -> None:
    paragraph = _set(project, text, rtl)
    paths = []
    for name, actual in (("plain", None), ("spans", SPANS)):
        path = tmp_path / f"{name}.pdf"
        canvas = Canvas(str(path), pagesize=(400, 300), invariant=1)
        paragraph.drawOn(canvas, 50, 50, actual=actual)
        canvas.save()
        paths.append(path)
    assert _spans(paths[0], tagged=False) == (0, 0) and _spans(paths[1], tagged=False)[0] > 1
    assert ImageChops.difference(_render(paths[0]), _render(paths[1])).getbbox() is None
