"""Flowables place themselves where pagination landed them: placed items, no drawing.

Small, PDF-free checks of the story boxes (cards, rows of cards, fill-in
lines, fixed boxes) and of the shared rules they are held to.
"""

from __future__ import annotations

from reportlab.lib.styles import ParagraphStyle

from packgen.colour import Colour
from packgen.layout.checks import contrast_needed, is_large
from packgen.layout.flow.flowables import (
    BIG,
    Card,
    CardRow,
    FieldLine,
    FieldSpec,
    FixedBox,
    Look,
    Meta,
    StoryParagraph,
)
from packgen.layout.placed import (
    PARAGRAPH,
    PlacedField,
    PlacedLink,
    PlacedShape,
    PlacedText,
    Rect,
    RoleKind,
    ShapeKind,
)
from packgen.resolve.project import Project, embedded_root

INK = Colour(cmyk=(0, 0, 0, 100), rgb="#000000")
SKY = Colour(cmyk=(16, 0, 8, 0), rgb="#D5EDEA")
META = Meta("t", PARAGRAPH, INK, True)


def _style() -> ParagraphStyle:
    Project(embedded_root()).register_fonts()
    return ParagraphStyle("body", fontName="sans", fontSize=12, leading=16)


def _card(text: str) -> Card:
    paragraph = StoryParagraph(text, _style(), meta=META)
    return Card([paragraph], Look(SKY, None, 0.0, 3.0, 5.0))


def test_a_card_places_its_box_and_its_text_inside() -> None:
    card = _card("Hello")
    card.wrap(200, BIG)
    placed = card.place(100, 300)
    box, text = placed.items
    assert isinstance(box, PlacedShape) and box.kind is ShapeKind.ROUNDED
    assert box.rect == Rect(100, 300, 200, card.height)
    assert box.role.kind is RoleKind.ARTIFACT
    assert isinstance(text, PlacedText) and text.role.kind is RoleKind.PARAGRAPH
    assert box.rect.contains(text.rect)
    assert text.rect.x == 105  # the padding


def test_a_row_of_cards_runs_from_the_end_in_right_to_left_text() -> None:
    def first_box(direction: str) -> Rect:
        row = CardRow([_card("One"), _card("Two")], 10.0, direction)  # type: ignore[arg-type]
        row.wrap(210, BIG)
        shapes = [i for i in row.place(0, 0).items if isinstance(i, PlacedShape)]
        return shapes[0].rect

    assert first_box("ltr").x == 0
    assert first_box("rtl").x == 110


def test_a_field_line_places_words_line_and_field() -> None:
    style = _style()
    before = StoryParagraph("Dear", style, meta=META)
    spec = FieldSpec("candidate", "The candidate", 120)
    line = FieldLine(before, None, style, META, spec, INK, 0.75, True)
    line.wrap(300, BIG)
    items = line.place(0, 0).items
    words = next(i for i in items if isinstance(i, PlacedText))
    rule = next(i for i in items if isinstance(i, PlacedShape))
    field = next(i for i in items if isinstance(i, PlacedField))
    assert rule.stroke_width == 0.75 and rule.rect.h == 0
    assert words.rect.right < rule.rect.x  # a word space between
    assert rule.rect.right == 300
    assert field.rect.y == rule.rect.y and field.rect.w == rule.rect.w
    assert field.font == "sans" and field.role.kind is RoleKind.FORM_FIELD


def test_a_fixed_box_moves_its_items_and_links() -> None:
    shape = PlacedShape("band", ShapeKind.RECT, Rect(0, 0, 50, 20), SKY, None, 0.0)
    box = FixedBox([shape], [PlacedLink(Rect(1, 2, 3, 4), "https://example.org/")], 50, 20)
    placed = box.place(10, 100)
    assert placed.items[0].rect == Rect(10, 100, 50, 20)
    assert placed.links[0].rect == Rect(11, 102, 3, 4)


def test_large_text_needs_less_contrast() -> None:
    assert is_large(18, bold=False) and is_large(14, bold=True)
    assert not is_large(14, bold=False) and not is_large(12, bold=True)
    assert contrast_needed(True) == 3.0 and contrast_needed(False) == 4.5
