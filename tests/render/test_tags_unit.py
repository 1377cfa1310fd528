"""The tagger on its own: a block in another language gets its own /Lang."""

from __future__ import annotations

import io
from dataclasses import replace
from types import SimpleNamespace
from typing import Any

import pikepdf
import pytest
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph

from packgen.colour import Colour
from packgen.layout.placed import (
    LIST_ITEM,
    PARAGRAPH,
    PlacedText,
    Rect,
    Role,
    RoleKind,
    TextLine,
)
from packgen.render.tags import Tagger, _xmp, tag


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


def _tagged(*items: PlacedText) -> pikepdf.Pdf:
    buffer = io.BytesIO()
    canvas = Canvas(buffer, invariant=1)
    tagger = Tagger(canvas, "en-GB")
    for item in items:
        tagger.item(item, lambda: None)
    canvas.showPage()
    canvas.save()
    document: Any = SimpleNamespace(
        info=SimpleNamespace(title="T", author="A", language="en-GB"),
        reading_order=[],
        pages=[SimpleNamespace(anchors=[])],
    )
    return pikepdf.open(io.BytesIO(tag(buffer.getvalue(), tagger, document)))


def _words_by_mcid(pdf: pikepdf.Pdf) -> dict[int, str]:
    """The text each MCID's marked content shows (Helvetica: the strings as written)."""
    words: dict[int, str] = {}
    open_mcids: list[int | None] = []
    for instruction in pikepdf.parse_content_stream(pdf.pages[0]):
        op = str(instruction.operator)
        if op in ("BDC", "BMC"):
            props = instruction.operands[1] if op == "BDC" else None
            mcid = props.get("/MCID") if isinstance(props, pikepdf.Dictionary) else None
            open_mcids.append(None if mcid is None else int(mcid))
        elif op == "EMC":
            open_mcids.pop()
        elif op in ("Tj", "TJ") and open_mcids and open_mcids[-1] is not None:
            operand = instruction.operands[0]
            parts = operand if isinstance(operand, pikepdf.Array) else [operand]
            text = "".join(str(p) for p in parts if isinstance(p, pikepdf.String))
            words[open_mcids[-1]] = words.get(open_mcids[-1], "") + text
    return words


def _mcids(element: pikepdf.Object) -> list[int]:
    return [int(k.MCID) for k in element.K if k.get("/Type") == "/MCR"]


def test_a_link_inside_a_paragraph_holds_its_words_and_annotation() -> None:
    words = 'Read more at <a href="https://example.org/x">example.org/x</a> or ask your GP.'
    with _tagged(_text(words, "en-GB", PARAGRAPH)) as pdf:
        (paragraph,) = list(pdf.Root.StructTreeRoot.K.K)
        assert str(paragraph.S) == "/P"
        links = [k for k in paragraph.K if k.get("/S") == "/Link"]
        assert len(links) == 1
        link = links[0]
        said = _words_by_mcid(pdf)
        assert "".join(said[m] for m in _mcids(link)) == "example.org/x"
        outside = "".join(said.get(m, "") for m in _mcids(paragraph))
        assert " ".join(outside.split()) == "Read more at or ask your GP."
        objr = next(k for k in link.K if k.get("/Type") == "/OBJR")
        annotation = pdf.pages[0].Annots[0]
        assert objr.Obj.objgen == annotation.objgen
        assert pdf.Root.StructTreeRoot.ParentTree.Nums[-1].objgen == link.objgen
        # no marked-content sequence straddles a text object, none is nested in another
        depth, at_bt = 0, []
        for instruction in pikepdf.parse_content_stream(pdf.pages[0]):
            op = str(instruction.operator)
            depth += {"BDC": 1, "BMC": 1, "EMC": -1}.get(op, 0)
            assert depth <= 1
            if op == "BT":
                at_bt.append(depth)
            elif op == "ET":
                assert at_bt.pop() == depth


def test_a_bullet_is_a_label_and_its_words_the_body() -> None:
    paragraph = Paragraph("a cuddle", ParagraphStyle("b", fontName="Helvetica"), bulletText="•")
    paragraph.wrap(400, 100)
    item = _text("x", "en-GB", LIST_ITEM)
    item = replace(item, lines=(TextLine(paragraph, 50, 600, role=LIST_ITEM),))
    with _tagged(item) as pdf:
        (lst,) = list(pdf.Root.StructTreeRoot.K.K)
        assert str(lst.S) == "/L"
        (entry,) = list(lst.K)
        label, body = list(entry.K)
        assert (str(entry.S), str(label.S), str(body.S)) == ("/LI", "/Lbl", "/LBody")
        said = _words_by_mcid(pdf)
        assert [len(said[m]) for m in _mcids(label)] == [1]  # the bullet, one glyph
        assert "".join(said[m] for m in _mcids(body)) == "a cuddle"


def _wrapped(words: str, width: float, **style: Any) -> PlacedText:
    paragraph = Paragraph(words, ParagraphStyle("w", fontName="Helvetica", **style))
    paragraph.wrap(width, 200)
    item = _text("x", "en-GB", PARAGRAPH)
    return replace(item, lines=(TextLine(paragraph, 50, 600, role=PARAGRAPH),))


def test_a_wrapped_line_ends_in_a_space_so_words_do_not_run_together() -> None:
    item = _wrapped("Reading your baby's cues, one little sign at a time", 60)
    assert len(item.lines[0].flowable.blPara.lines) > 2
    with _tagged(item) as pdf:
        said = "".join(_words_by_mcid(pdf).values())
    assert said == "Reading your baby's cues, one little sign at a time"  # no trailing space


def test_a_wrapped_line_with_bold_words_ends_in_a_space() -> None:
    item = _wrapped("Watch <b>your baby</b> and <b>listen</b> to the sounds they make", 70)
    with _tagged(item) as pdf:
        said = "".join(_words_by_mcid(pdf).values())
    assert said == "Watch your baby and listen to the sounds they make"


def test_lines_of_a_hard_break_read_as_separate_words() -> None:
    item = _wrapped("Awareness Week 2024<br/>10–16 June 2024", 300)
    with _tagged(item) as pdf:
        said = "".join(_words_by_mcid(pdf).values())
    assert "2024 10" in said.replace("\x96", "–") and "202410" not in said


def test_a_line_that_breaks_at_a_hyphen_gets_no_space() -> None:
    item = _wrapped("a well-known first-time parent", 60, hyphenationLang="en_GB")
    assert [words[-1] for _, words in item.lines[0].flowable.blPara.lines[:2]] == [
        "well-known",
        "par-",
    ]
    with _tagged(item) as pdf:
        said = "".join(_words_by_mcid(pdf).values())
    assert said == "a well-known first-time par-ent"  # the hyphen's word goes on


def _shape(element: pikepdf.Object) -> object:
    """An element as (type, [its kids' shapes]); marked content as the words it shows."""
    kids = element.K if isinstance(element.K, pikepdf.Array) else [element.K]
    return (
        str(element.S).lstrip("/"),
        [_shape(k) if "/S" in k else int(k.MCID) for k in kids if k.get("/Type") != "/OBJR"],
    )


def test_contents_entries_are_a_toc_nested_by_level_with_their_page_numbers() -> None:
    def entry(words: str, level: int) -> PlacedText:
        return _text(words, "en-GB", Role(RoleKind.CONTENTS_ENTRY, level=level))

    def number(words: str) -> PlacedText:
        return _text(words, "en-GB", Role(RoleKind.CONTENTS_PAGE))

    items = [
        *(entry("About", 1), number("3")),
        *(entry("Facts", 2), number("4"), entry("Sources", 2), number("5")),
        *(entry("Letter", 1), number("6")),
        _text("After the contents", "en-GB", PARAGRAPH),
        *(entry("Again", 1), number("7")),
    ]
    with _tagged(*items) as pdf:
        words = _words_by_mcid(pdf)
        shape = _shape(pdf.Root.StructTreeRoot.K)

    def linked(first: int) -> object:  # Reference > Link holding the title and its number
        return ("Reference", [("Link", [first, first + 1])])

    assert shape == (
        "Document",
        [
            (
                "TOC",
                [
                    ("TOCI", [linked(0), ("TOC", [("TOCI", [linked(2)]), ("TOCI", [linked(4)])])]),
                    ("TOCI", [linked(6)]),
                ],
            ),
            ("P", [8]),
            ("TOC", [("TOCI", [linked(9)])]),
        ],
    )
    # a title ends in a space, so it and its number read "About 3", not "About3"
    assert [words[m] for m in (0, 1, 9, 10)] == ["About ", "3", "Again ", "7"]


@pytest.mark.parametrize(
    ("title", "author", "language"),
    [
        ("Speak up for babies", "The campaign", "en-GB"),
        ("A & B <c> \"quoted\" 'too'", "Tab\there, a\u00a0space", "cy"),
        ("تحدث من أجل الرضع", "الحملة", "ar"),
        ("", "", ""),  # empty items are written self-closed
        ("Two\rlines\nhere", " ", "pl"),
    ],
)
def test_xmp_is_written_as_pikepdf_would_rewrite_it(title: str, author: str, language: str) -> None:
    """Saving skips pikepdf's XMP round trip, so the packet must already be in its form."""
    info = SimpleNamespace(title=title, author=author, language=language)
    packet = _xmp(SimpleNamespace(info=info))  # type: ignore[arg-type]
    pdf = pikepdf.new()
    pdf.Root.Metadata = pdf.make_stream(packet)
    with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as meta:
        assert (meta.get("dc:title") or "") == title  # and it parses
    assert pdf.Root.Metadata.read_bytes() == packet
