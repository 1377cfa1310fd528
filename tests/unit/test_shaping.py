"""Shaping and the bidirectional algorithm (packgen.layout.shaping) against HarfBuzz itself."""

from __future__ import annotations

from pathlib import Path

import fontpkg
import pytest
import uharfbuzz as hb
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics

from packgen.layout.shaping import ShapedParagraph, _ltr_units, levels, reorder
from packgen.resolve.fonts import fallback_face
from packgen.resolve.project import Project


def _harfbuzz(family: str, text: str) -> list[int]:
    """Glyph ids HarfBuzz gives ``text`` in ``family``'s regular face, in visual order."""
    blob = hb.Blob(Path(fontpkg.path(family, 400, "normal")).read_bytes())
    font = hb.Font(hb.Face(blob))
    buf = hb.Buffer()
    buf.add_str(text)
    buf.guess_segment_properties()
    hb.shape(font, buf, {"kern": True, "liga": True})
    return [info.codepoint for info in buf.glyph_infos]


def _set(project: Project, text: str, rtl: bool, width: float = 1000.0) -> ShapedParagraph:
    project.register_fonts()
    style = ParagraphStyle("t", fontName="sans", fontSize=12, leading=15)
    from packgen.resolve.fonts import with_fallback

    markup, missing = with_fallback(text, "sans")
    assert missing == ""
    paragraph = ShapedParagraph(markup, style, rtl)
    paragraph.wrap(width, 1000.0)
    return paragraph


def _glyph_ids(paragraph: ShapedParagraph) -> list[list[int]]:
    """The glyph ids drawn on each line, left to right."""
    lines = []
    for line in paragraph.lines:
        ids: list[int] = []
        for run in line.runs:
            if run.text == " ":
                continue
            face = pdfmetrics.getFont(run.frag.fontName).face
            ids.extend(face.charToGlyph[ord(ch)] for ch in str(run.glyphs))
        lines.append(ids)
    return lines


@pytest.mark.parametrize(
    ("family", "text", "rtl"),
    [
        ("Noto Sans Arabic", "طفلك", True),  # joining: initial, medial, final forms
        ("Noto Sans Arabic", "لا", True),  # the lam-alef ligature
        ("Noto Sans Arabic", "بچوں", True),  # Urdu
        ("Noto Sans Devanagari", "शिशु", False),  # the i-matra before its consonant
        ("Noto Sans Devanagari", "क्षत्रिय", False),  # conjuncts
    ],
)
def test_a_word_is_shaped_as_harfbuzz_shapes_it(
    project: Project, family: str, text: str, rtl: bool
) -> None:
    paragraph = _set(project, text, rtl)
    expected = _harfbuzz(family, text)
    assert _glyph_ids(paragraph) == [expected]
    # shaping changed something: not one nominal glyph per character
    nominal = [
        hb.Font(
            hb.Face(hb.Blob(Path(fontpkg.path(family, 400, "normal")).read_bytes()))
        ).get_nominal_glyph(ord(c))
        for c in text
    ]
    assert expected != nominal and expected != nominal[::-1]


def test_words_of_a_right_to_left_line_run_from_the_right(project: Project) -> None:
    paragraph = _set(project, "الرضّع لا يتكلمون", rtl=True)
    family = "Noto Sans Arabic"
    words = ["الرضّع", "لا", "يتكلمون"]
    expected = [glyph for word in reversed(words) for glyph in _harfbuzz(family, word)]
    assert _glyph_ids(paragraph) == [expected]


def test_hashtags_numbers_and_addresses_stay_left_to_right_in_arabic() -> None:
    text = "اتصل على 0800 123 4567 أو زر www.example.org/help ثم #IMHAW2024."
    units = [text[a:b] for a, b in _ltr_units(text)]
    assert units == ["0800 123 4567", "www.example.org/help", "#IMHAW2024"]
    lv = levels(text, rtl=True)
    order = reorder(lv)
    visual = "".join(text[i] for i in order)
    # each unit reads left to right, in one piece, and the sentence runs from the right
    for unit in units:
        assert unit in visual
    assert visual.index("#IMHAW2024") < visual.index("www.example.org/help")
    assert visual.index("www.example.org/help") < visual.index("0800 123 4567")
    assert visual.startswith(".")  # the full stop ends the sentence: at its left end
    assert visual.endswith("لصتا")  # the first word, drawn from the right


def test_brackets_are_mirrored_in_right_to_left_text() -> None:
    text = "شاهد الفيلم (3 دقائق)"
    visual = "".join(text[i] for i in reorder(levels(text, rtl=True)))
    # the logical closing bracket comes first from the left: drawn mirrored it reads "("
    assert visual.startswith(")") and visual.endswith("دهاش")


def test_mixed_line_is_set_in_visual_order(project: Project) -> None:
    paragraph = _set(project, "تابعوا #IMHAW2024 على 0800 123 4567", rtl=True)
    [(logical, visual)] = paragraph.visual_lines()
    assert logical == "تابعوا #IMHAW2024 على 0800 123 4567"
    assert visual.replace(" ", "").startswith("08001234567")
    assert "#IMHAW2024" in visual


def test_long_right_to_left_text_breaks_in_logical_order(project: Project) -> None:
    paragraph = _set(project, "واحد اثنان ثلاثة أربعة خمسة ستة سبعة ثمانية", rtl=True, width=80)
    lines = [logical for logical, _ in paragraph.visual_lines()]
    assert len(lines) > 1
    assert " ".join(lines) == "واحد اثنان ثلاثة أربعة خمسة ستة سبعة ثمانية"


def test_bold_fallback_text_is_set_in_the_fallback_bold(project: Project) -> None:
    project.register_fonts()
    from packgen.resolve.fonts import with_fallback

    # ẃ (w acute, rare in Welsh) is not in Atkinson Hyperlegible, nor composed for it
    markup, _ = with_fallback("<b>ẃ</b> ẃ", "sans")
    assert f'<font name="{fallback_face(0, True, False)}">ẃ</font>' in markup
    assert f'<font name="{fallback_face(0, False, False)}">ẃ</font>' in markup
    bold = pdfmetrics.getFont(fallback_face(0, True, False)).face
    regular = pdfmetrics.getFont(fallback_face(0, False, False)).face
    assert bold.name != regular.name  # a real bold instance, not the regular face again
    assert bold.charWidths[ord("ẃ")] > regular.charWidths[ord("ẃ")]
    # ŵ is composed from Atkinson's own glyphs (fonts.yaml compose:): no fallback
    assert with_fallback("<b>Gŵyl</b> Gŵyl", "sans")[0] == "<b>Gŵyl</b> Gŵyl"


def test_drawn_lines_show_their_spaces_and_a_wrapped_line_ends_in_one(project: Project) -> None:
    import io

    from reportlab.pdfgen.canvas import Canvas

    paragraph = _set(project, "طفلك لا يستطيع الكلام بعد", rtl=True, width=60)
    assert len(paragraph.lines) > 1
    canvas = Canvas(io.BytesIO(), invariant=1)
    start = len(canvas._code)
    paragraph.drawOn(canvas, 0, 0)
    shown = [c for c in canvas._code[start:] if str(c).startswith("BT")]
    spaces = sum(1 for c in shown if "( ) Tj" in str(c))
    words = sum(len(line.logical.split()) for line in paragraph.lines)
    # one space between the words of each line, one at the end of each line but the last
    assert spaces == (words - len(paragraph.lines)) + (len(paragraph.lines) - 1)


def test_a_name_with_no_break_spaces_stays_one_left_to_right_unit() -> None:
    # co-branding keeps an organisation's last words together ("Family\xa0Hub"); the
    # name once came out as "Hub Riverside Family" inside Arabic
    text = "يشاركه معكم Riverside Family\u00a0Hub"
    assert [text[a:b] for a, b in _ltr_units(text)] == ["Riverside Family\u00a0Hub"]
    visual = "".join(text[i] for i in reorder(levels(text, rtl=True)))
    assert visual.startswith("Riverside Family\u00a0Hub ")
    phone = "اتصل على 0114\u00a0496\u00a00000"
    assert [phone[a:b] for a, b in _ltr_units(phone)] == ["0114\u00a0496\u00a00000"]
