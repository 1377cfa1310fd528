"""ActualText spans for shaped lines of a tagged document (``layout.shaping.ActualText``).

A shaped line is drawn in visual order, and some of its clusters do not read
as their characters: a Devanagari i-matra is drawn before its consonant, a
conjunct as glyphs that stand for its letters together (``layout/shaping.py``
finds them: a run's pieces), and vowel signs set with an offset are read by
position, apart from their letter. In a tagged document each left-to-right
shaped line (``SetLine.whole``) is drawn inside ``/Span <</MCID n /ActualText
<FEFF…>>> BDC … EMC``, and in right-to-left lines each such piece (see
:class:`packgen.render.tags.TaggedSpans`), so a reader that honours
ActualText (a screen reader, copy and paste, ``pdftotext``) takes the
characters instead of the glyphs. Only operators are added around
ReportLab's own: the page looks exactly the same.
"""

from __future__ import annotations

from typing import Any

from packgen.layout.shaping import Run
from packgen.render.textops import split


def text_string(text: str) -> str:
    """``text`` as a PDF text string: UTF-16BE with its byte order mark, in hex."""
    return "<FEFF" + text.encode("utf-16-be").hex().upper() + ">"


class Spans:
    """Opens and closes ActualText spans in a ReportLab canvas's content stream.

    These spans are nested marked content (``/Span``, no MCID). A tagged
    document uses :class:`packgen.render.tags.TaggedSpans`, which gives each
    span an MCID of the item's own structure element instead.
    """

    def open(self, code: list[str], text: str) -> None:
        """Open a span reading as ``text`` in ``code`` (a canvas's or a text object's)."""
        code.append(f"/Span <</ActualText {text_string(text)}>> BDC")

    def close(self, code: list[str]) -> None:
        code.append("EMC")

    def begin(self, canvas: Any, text: str) -> None:
        self.open(canvas._code, text)

    def end(self, canvas: Any) -> None:
        self.close(canvas._code)

    def show(self, canvas: Any, x: float, y: float, run: Run) -> None:
        """Draw ``run`` as ``canvas.drawString`` does, each piece with ActualText in a span."""
        if not any(p.actual is not None for p in run.pieces):
            canvas.drawString(x, y, run.glyphs)
            return
        text = canvas.beginText(x, y)
        # ReportLab's own operators for the whole run, cut between pieces
        parts = split(text._formatText(run.glyphs), [p.start for p in run.pieces[1:]])
        for piece, part in zip(run.pieces, parts, strict=True):
            if piece.actual is not None:
                self.open(text._code, piece.actual)
            if part:
                text._code.append(part)
            if piece.actual is not None:
                self.close(text._code)
        text._code.append("T*")  # as drawString's textLine ends
        canvas.drawText(text)


SPANS = Spans()
