"""Shaped runs into text objects whose reordered clusters carry ``/ActualText``.

A shaped run is drawn in visual order, and some of its clusters do not read
as their characters: a Devanagari i-matra is drawn before its consonant, a
conjunct or an Arabic letter is drawn as glyphs that stand for the cluster
together (``layout/shaping.py`` finds them: a run's pieces). In a tagged
document each such cluster is drawn inside ``/Span <</ActualText (…)>> BDC …
EMC``, nested in the item's own tagged sequence and inside the run's text
object, so a reader that honours ActualText (a screen reader, copy and paste,
``pdftotext``) takes the cluster's characters instead of its glyphs. Clusters
stay in visual order on the page, as every reader that orders right-to-left
text by position expects; only what is inside one cluster is given logically.

The glyphs, their positions and their operators are ReportLab's own, piece by
piece: the page looks exactly as it does without the spans.
"""

from __future__ import annotations

from typing import Any

from reportlab.pdfbase.ttfonts import ShapedStr

from packgen.layout.shaping import Run


def text_string(text: str) -> str:
    """``text`` as a PDF text string: UTF-16BE with its byte order mark, in hex."""
    return "<FEFF" + text.encode("utf-16-be").hex().upper() + ">"


def _bdc(text: str) -> str:
    return f"/Span <</ActualText {text_string(text)}>> BDC"


class Spans:
    """Draws shaped lines and runs with ActualText spans (``layout.shaping.ActualText``)."""

    def begin(self, canvas: Any, text: str) -> None:
        canvas._code.append(_bdc(text))

    def end(self, canvas: Any) -> None:
        canvas._code.append("EMC")

    def show(self, canvas: Any, x: float, y: float, run: Run) -> None:
        show(canvas, x, y, run)


SPANS = Spans()


def show(canvas: Any, x: float, y: float, run: Run) -> None:
    """Draw ``run`` at (x, y) as ``canvas.drawString`` does, its reordered clusters in spans."""
    if not any(p.actual is not None for p in run.pieces):
        canvas.drawString(x, y, run.glyphs)
        return
    glyphs = str(run.glyphs)
    data = run.glyphs.__shapeData__  # type: ignore[attr-defined]
    text = canvas.beginText(x, y)
    for piece in run.pieces:
        part = ShapedStr(glyphs[piece.start : piece.end], shapeData=data[piece.start : piece.end])
        if piece.actual is not None:
            text._code.append(_bdc(piece.actual))
        # ReportLab's own operators for these glyphs (font subset, rise, kerning); each
        # piece selects its font again, which ReportLab needs before it sets a rise
        text._curSubset = None
        text._code.append(text._formatText(part))
        if piece.actual is not None:
            text._code.append("EMC")
    text._code.append("T*")  # as drawString's textLine ends
    canvas.drawText(text)
