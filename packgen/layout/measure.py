"""The measure of flowing text: how many characters its lines hold on average.

Comfortable reading wants lines of about 45–75 characters; longer lines make
the eye lose its place on the way back. A layout states its range in
``rules.measure`` ([least, most]); after pagination every full-width line of
body text (the layout's ``body_styles``, in paragraphs as wide as the flow's
frame, so not cards or tables) except each paragraph's last is counted, and
an average outside the range is an error at ``rules.measure``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from packgen.errors import Diagnostic, Span
from packgen.layout.placed import PlacedPage, PlacedText

FULL_WIDTH = 0.85  # a paragraph this share of its frame's width or wider is the flow's


def line_lengths(paragraph: Any) -> list[int]:
    """Characters on each line of a wrapped ReportLab paragraph."""
    para = getattr(paragraph, "blPara", None)
    if para is None:
        return []
    lengths: list[int] = []
    for line in para.lines:
        if isinstance(line, tuple):
            words = [str(w) for w in line[1]]
            lengths.append(sum(len(w) for w in words) + max(0, len(words) - 1))
        else:
            lengths.append(sum(len(str(getattr(f, "text", ""))) for f in line.words))
    return lengths


def body_lines(pages: Sequence[PlacedPage]) -> list[int]:
    """Characters per line of the flowing body text (paragraph ends left out)."""
    counted: list[int] = []
    for page in pages:
        widest = max((r.w for r in page.body_regions), default=0.0)
        for item in page.items:
            if not isinstance(item, PlacedText) or not item.is_body:
                continue
            for text_line in item.lines:
                paragraph = text_line.flowable
                if widest and float(getattr(paragraph, "width", 0.0)) < FULL_WIDTH * widest:
                    continue
                counted.extend(line_lengths(paragraph)[:-1])
    return counted


def measure_problem(
    pages: Sequence[PlacedPage], measure: tuple[int, int] | None, span: Span | None
) -> Diagnostic | None:
    """An error when the flowing text's average line is outside ``measure``."""
    if measure is None:
        return None
    lines = body_lines(pages)
    if not lines:
        return None
    average = sum(lines) / len(lines)
    least, most = measure
    if least <= average <= most:
        return None
    longest = max(lines)
    advice = (
        "narrow the flow's frames (wider margins, a side column or two columns), "
        "or set the body larger"
        if average > most
        else "widen the flow's frames or set the body smaller"
    )
    return Diagnostic(
        f"flowing body text averages {average:.0f} characters a line (longest {longest}, "
        f"over {len(lines)} lines); rules.measure asks {least}–{most}",
        span,
        advice,
        field="rules.measure",
    )
