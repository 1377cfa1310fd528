"""Unintended empty areas: no band of a page or panel left empty by accident.

A page with a hole in it looks unfinished. With ``rules.max_empty`` set (a
share of the height), the layout stage finds, in each page's content area
(the margins' frame, or each fold panel's), the tallest horizontal band that
nothing crosses — no text, picture, QR code or filled shape (hairline rules
do not count) — and reports it when it is taller than that share of the
page's (or panel's) height. Space the design means to leave says so:
``white_space: true`` on the page or the panel.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from packgen.layout.placed import (
    Placed,
    PlacedDrawing,
    PlacedField,
    PlacedQr,
    PlacedShape,
    PlacedText,
    Rect,
    ShapeKind,
)
from packgen.units import MM


def content_rects(items: Iterable[Placed]) -> list[Rect]:
    """What fills space on a page: text, pictures, codes, fields and filled shapes."""
    rects: list[Rect] = []
    for item in items:
        if isinstance(item, PlacedText):
            rects.append(item.used)
        elif isinstance(item, PlacedDrawing):
            rects.append(item.rect)
        elif isinstance(item, PlacedQr):
            rects.append(item.tile)
        elif isinstance(item, PlacedField) or (
            isinstance(item, PlacedShape)
            and item.fill is not None
            and item.kind is not ShapeKind.LINE
        ):
            rects.append(item.rect)
    return rects


def largest_gap(area: Rect, rects: Sequence[Rect]) -> tuple[float, float]:
    """The tallest band of ``area`` that no rect crosses: (height, its top), in points."""
    spans = sorted(
        (max(r.y, area.y), min(r.top, area.top))
        for r in rects
        if r.right > area.x + 0.5 and r.x < area.right - 0.5 and r.top > area.y and r.y < area.top
    )
    best, where = 0.0, area.top
    cursor = area.top  # scanning downwards from the top of the area
    for bottom, top in sorted(spans, key=lambda s: -s[1]):
        if top < cursor and cursor - top > best:
            best, where = cursor - top, cursor
        cursor = min(cursor, bottom)
    if cursor - area.y > best:
        best, where = cursor - area.y, cursor
    return best, where


def empty_problem(
    name: str, area: Rect, height: float, rects: Sequence[Rect], share: float, top: float
) -> str | None:
    """A message when ``area`` has an empty band taller than ``share`` of ``height``."""
    gap, at = largest_gap(area, rects)
    if gap <= share * height + 0.01:
        return None
    return (
        f"{name} has an empty band {gap / MM:.0f} mm tall, from {(top - at) / MM:.0f} mm down "
        f"({gap / height:.0%} of its height; rules.max_empty allows {share:.0%})"
    )
