"""Line breaks that read well and reversed text: balanced headings, no lone words, URLs."""

from __future__ import annotations

from pathlib import Path

import pytest
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph

from packgen.errors import PackgenError
from packgen.layout.balance import NBSP, balanced_width, keep_lines, line_words, no_lone_word
from packgen.layout.placed import PlacedDocument, PlacedText
from packgen.units import MM
from tests.layout import probe
from tests.layout.probe import item


def place(root: Path, body: str) -> PlacedDocument:
    """The probe layout with ``body``'s own styles (the probe head has none)."""
    if body.startswith("rules:"):
        head, _, body = body.partition("\n")
        saved = probe.HEAD
        probe.HEAD = saved + head + "\n"
        try:
            return place(root, body)
        finally:
            probe.HEAD = saved
    if body.startswith("styles:"):
        head, _, rest = body.partition("\n")
        body = rest
        saved = probe.HEAD
        probe.HEAD = saved.replace("styles: {}", head)
        try:
            return probe.place(root, body)
        finally:
            probe.HEAD = saved
    return probe.place(root, body)


STYLE = ParagraphStyle("t", fontName="Helvetica", fontSize=12, leading=14)


def make(markup: str) -> Paragraph:
    return Paragraph(markup, STYLE)


def test_a_lone_last_word_brings_the_word_before_it_down() -> None:
    markup = "Speak up for the babies in your town"
    paragraph = make(markup)
    paragraph.wrap(100, 1e6)
    assert line_words(paragraph)[-1] == 1  # "town" alone
    fixed = no_lone_word(paragraph, markup, make, 100)
    assert line_words(fixed)[-1] == 2
    assert len(line_words(fixed)) == len(line_words(paragraph))


def test_no_break_spaces_never_cost_a_line() -> None:
    tied = f"aaaa bbbb cccc{NBSP}dddd eeee ffff"  # three words to a line at 90 pt
    paragraph, markup = keep_lines(make, tied, 90)
    assert NBSP not in markup  # held together it would take a third line
    assert len(line_words(paragraph)) == 2
    kept, markup = keep_lines(make, f"aaaa bbbb{NBSP}cccc dddd", 90)
    assert NBSP in markup
    assert line_words(kept) == [3, 1]  # the pair fits where the lone word was


def test_balanced_lines_keep_their_count_and_even_out() -> None:
    paragraph = make("Get to know your baby and what they are telling you")
    paragraph.wrap(200, 1e6)
    lines = len(line_words(paragraph))
    width = balanced_width(paragraph, 200)
    assert width < 200
    assert len(line_words(paragraph)) == lines
    counts = line_words(paragraph)
    assert max(counts) - min(counts) <= 2


HEADLINE = """pages:
  - id: front
    elements:
      - {type: text, id: h, box: {col: 1, span: 6, y: 20mm, h: 60mm}, copy: speak_up.headline, style: headline}
"""


def test_headings_are_balanced_in_place(project_copy: Path) -> None:
    text = item(place(project_copy, HEADLINE), "h")
    assert isinstance(text, PlacedText)
    paragraph = text.lines[0].flowable
    assert paragraph.width <= text.rect.w + 0.01
    assert line_words(paragraph)[-1] > 1


URL = """styles: {white_url: {parent: url, size: 11pt, weight: bold, colour: white}}
pages:
  - id: front
    background: teal
    elements:
      - {type: qr, id: code, link: video, box: {x: 20mm, y: 20mm, w: 80mm, h: 27mm}, size: 27mm, caption_side: end, url_style: white_url}
"""


def test_a_url_that_cannot_break_after_a_slash_or_dot_is_refused(project_copy: Path) -> None:
    campaign = project_copy / "assets" / "campaigns" / "imhaw-2024" / "campaign.yaml"
    text = campaign.read_text(encoding="utf-8")
    campaign.write_text(text.replace("    label: aaimh.org.au\n", ""), encoding="utf-8")
    with pytest.raises(PackgenError) as caught:
        place(project_copy, URL)
    message = str(caught.value)
    assert "'2024-infant-mental-health-awareness-week' is wider" in message
    assert "breaks only after '/' or '.'" in message


def test_url_lines_break_after_slashes_and_dots_only(project_copy: Path) -> None:
    body = URL.replace("w: 80mm", "w: 75mm").replace("link: video", "link: campaign")
    body = body.replace("url_style: white_url", "url_style: url").replace(
        "background: teal", "background: cream"
    )
    placed = place(project_copy, body)
    caption = item(placed, "code.caption")
    assert isinstance(caption, PlacedText)
    paragraph = caption.lines[-1].flowable  # the URL, after the caption's words
    broken = ["".join(frag.text for frag in line.words) for line in paragraph.blPara.lines]
    assert "".join(broken) == "parentinfantfoundation.org.uk/1001-days/speak-up-for-babies"
    assert len(broken) > 1
    assert all(part[-1] in "/." for part in broken[:-1])


SMALL_REVERSED = """styles: {white: {parent: base, size: 9pt, colour: white}}
pages:
  - id: front
    background: teal
    elements:
      - {type: text, id: t, box: {col: 1, span: 3, y: 20mm, h: 20mm}, copy: poster.footer, style: white}
"""


def test_small_reversed_text_is_refused(project_copy: Path) -> None:
    with pytest.raises(PackgenError) as caught:
        place(project_copy, SMALL_REVERSED)
    assert "text 't' (white) is reversed out of teal at 9.0pt regular" in str(caught.value)
    assert "at least 11pt and bold (or 12pt regular)" in str(caught.value)


def test_reversed_text_at_11pt_bold_passes(project_copy: Path) -> None:
    body = SMALL_REVERSED.replace("size: 9pt", "size: 11pt, weight: bold")
    assert isinstance(item(place(project_copy, body), "t"), PlacedText)


HOLE = """rules: {max_empty: 0.1}
pages:
  - id: front
    elements:
      - {type: text, id: top, box: {col: 1, span: 6, y: 20mm, h: 20mm}, copy: poster.footer, style: body}
      - {type: text, id: bottom, box: {col: 1, span: 6, y: 250mm, h: 20mm}, copy: poster.footer, style: body}
"""


def test_an_empty_band_larger_than_the_rule_allows_is_refused(project_copy: Path) -> None:
    with pytest.raises(PackgenError) as caught:
        place(project_copy, HOLE)
    assert "page 'front' has an empty band" in str(caught.value)
    assert "rules.max_empty allows 10%" in str(caught.value)


def test_intended_white_space_is_allowed(project_copy: Path) -> None:
    body = HOLE.replace("  - id: front\n", "  - id: front\n    white_space: true\n")
    assert isinstance(item(place(project_copy, body), "top"), PlacedText)


FOLDED = """rules: {max_empty: 0.1}
pages:
  - id: outside
    panels: [{id: a, width: 105mm, background: sky}, {id: b, width: 105mm}]
    elements:
      - {type: text, id: t, panel: a, box: {x: 10mm, y: 20mm, w: 80mm, h: 260mm}, copy: poster.footer, style: body, valign: middle}
      - {type: text, id: u, panel: b, box: {x: 10mm, y: 20mm, w: 80mm, h: 260mm}, copy: poster.footer, style: body, valign: middle}
"""


def test_panel_colour_stops_short_of_the_fold(project_copy: Path) -> None:
    placed = place(
        project_copy,
        FOLDED.replace("background: sky", "background: sky, white_space: true").replace(
            "{id: b, width: 105mm}", "{id: b, width: 105mm, white_space: true}"
        ),
    )
    ground = item(placed, "panel-a")
    fold = placed.pages[0].folds[0]
    assert fold - ground.rect.right == pytest.approx(3 * MM, abs=0.01)


def test_a_shape_on_a_fold_is_refused(project_copy: Path) -> None:
    body = (
        FOLDED.replace("background: sky", "white_space: true").replace(
            "{id: b, width: 105mm}", "{id: b, width: 105mm, white_space: true}"
        )
        + "      - {type: shape, id: strip, box: {x: 103mm, y: 0mm, w: 10mm, h: 297mm}, fill: sky}\n"
    )
    with pytest.raises(PackgenError) as caught:
        place(project_copy, body)
    assert "shape 'strip' changes colour 2.0 mm from a fold" in str(caught.value)
