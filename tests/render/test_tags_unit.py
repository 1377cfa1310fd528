"""The tagger on its own: a block in another language gets its own /Lang."""

from __future__ import annotations

import io
from types import SimpleNamespace
from typing import Any

import pikepdf
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph

from packgen.colour import Colour
from packgen.layout.placed import PARAGRAPH, PlacedText, Rect, Role, TextLine
from packgen.render.tags import Tagger, tag


def _text(words: str, language: str, role: Role) -> PlacedText:
    paragraph = Paragraph(words, ParagraphStyle("p", fontName="Helvetica"))
    paragraph.wrap(400, 100)
    return PlacedText(
        element_id="t",
        rect=Rect(50, 600, 400, 50),
        used=Rect(50, 600, 400, 50),
        lines=(TextLine(paragraph, 50, 600, role=role),),
        font_sizes=(10.0,),
        colours=(Colour(cmyk=(0, 0, 0, 100), rgb="#000000"),),
        is_body=True,
        language=language,
        role=role,
    )


def test_a_block_in_another_language_has_its_own_lang() -> None:
    buffer = io.BytesIO()
    canvas = Canvas(buffer, invariant=1)
    tagger = Tagger(canvas, "en-GB")
    for item in (_text("Hello", "en-GB", Role.heading(1)), _text("Croeso", "cy", PARAGRAPH)):
        tagger.item(item, lambda: None)
    canvas.showPage()
    canvas.save()
    document: Any = SimpleNamespace(
        info=SimpleNamespace(title="T", author="A", language="en-GB"),
        reading_order=[],
        pages=[SimpleNamespace(anchors=[])],
    )
    with pikepdf.open(io.BytesIO(tag(buffer.getvalue(), tagger, document))) as pdf:
        kids = list(pdf.Root.StructTreeRoot.K.K)
        assert [str(k.S) for k in kids] == ["/H1", "/P"]
        assert "/Lang" not in kids[0]
        assert str(kids[1].Lang) == "cy"
        assert str(pdf.Root.StructTreeRoot.K.Lang) == "en-GB"
        assert pdf.pages[0].obj.StructParents == 0
