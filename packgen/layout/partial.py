"""What a failed layout still knows: the pages that could be placed, and where it failed.

A layout with errors is never written as a product. For the designer's
preview it is still worth drawing: :class:`LayoutError` carries the placed
pages (every element that laid out) and a :class:`FailedElement` per element
that reported an error, with the box it was meant to fill and its messages,
so the preview can outline each mistake in red where it is on the page.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from packgen.errors import Diagnostic, PackgenError, Severity
from packgen.layout.placed import Placed, PlacedDocument, PlacedQr, Rect


@dataclass(frozen=True)
class FailedElement:
    """One element with errors: its page (from 0), id, box (points) and messages."""

    page: int
    element_id: str
    rect: Rect
    messages: tuple[str, ...]


class LayoutError(PackgenError):
    """Layout errors, with the partly placed document they leave (for previews)."""

    def __init__(
        self,
        diagnostics: Iterable[Diagnostic],
        partial: PlacedDocument,
        failed: Sequence[FailedElement],
    ) -> None:
        super().__init__(diagnostics)
        self.partial = partial
        self.failed = list(failed)
        self.pdf: bytes | None = None  # the partial document rendered, when asked for

    def unplaced(self) -> list[str]:
        """Error messages no element's box shows (drawn in a list on the preview)."""
        shown = {m for f in self.failed for m in f.messages}
        return [
            d.message
            for d in self.diagnostics
            if d.severity is Severity.ERROR and d.message not in shown
        ]


def bounds(items: Sequence[Placed]) -> Rect | None:
    """The rect around what an element placed (a QR code's whole tile), or None."""
    rects = [item.tile if isinstance(item, PlacedQr) else item.rect for item in items]
    rects = [r for r in rects if r.w > 0 or r.h > 0]
    if not rects:
        return None
    left, bottom = min(r.x for r in rects), min(r.y for r in rects)
    right, top = max(r.right for r in rects), max(r.top for r in rects)
    return Rect(left, bottom, right - left, top - bottom)


def errors_since(diagnostics: Sequence[Diagnostic], start: int) -> tuple[str, ...]:
    """The messages of the errors reported after the first ``start`` diagnostics."""
    return tuple(d.message for d in diagnostics[start:] if d.severity is Severity.ERROR)
