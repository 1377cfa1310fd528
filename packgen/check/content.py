"""One PDF opened once (pikepdf) and each content stream parsed once, for every rule.

The colour facts, the press inks, the image placements and the tagging audit
all follow a page's content stream. qpdf's parser (through pikepdf) reads each
stream once, keeping only the operators some rule follows (:data:`OPERATORS`),
and every rule is given the same parsed instructions: ``(operator, operands)``
pairs, operands as pikepdf gives them (int, Decimal, Name, String, Array,
Dictionary). Each rule ignores the operators it does not follow.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pikepdf

# The operators the rules follow, and who follows them:
#   graphics state and path (press inks, images): q Q cm re m l, painting f … n
#   colour (colour facts, white overprint, press inks): k K g G rg RG cs CS sc scn SC SCN gs
#   text and marked content (press inks, tagging audit): Tj TJ ' " BDC BMC EMC
#   images: Do and inline images (BI ID EI); shadings: sh (tagging audit)
OPERATORS = " ".join(
    [
        *["q", "Q", "cm", "re", "m", "l", "f", "f*", "F", "B", "B*", "b", "b*", "S", "s", "n"],
        *["k", "K", "g", "G", "rg", "RG", "cs", "CS", "sc", "scn", "SC", "SCN", "gs"],
        *["Tj", "TJ", "'", '"', "BDC", "BMC", "EMC"],
        *["Do", "BI", "ID", "EI", "sh"],
    ]
)
INLINE_IMAGE = "INLINE IMAGE"  # the operator pikepdf gives an inline image (BI … ID … EI)

Instruction = tuple[str, Sequence[Any]]  # (operator, operands)

# operator names by their bytes: ``unparse`` and a lookup are cheaper than ``str`` per operator
_NAMES = {name.encode("latin-1"): name for name in [*OPERATORS.split(), INLINE_IMAGE]}


def parse(owner: pikepdf.Object | pikepdf.Page) -> list[Instruction]:
    """A page's (its streams joined) or a form XObject's content, as instructions.

    Operands stay pikepdf's list, whose items are made Python values when read (a
    rule that only counts ``re`` never converts its numbers).
    """
    names = _NAMES
    found: list[Any] = [
        (names.get(raw := item.operator.unparse()) or raw.decode("latin-1"), item.operands)
        for item in pikepdf.parse_content_stream(owner, OPERATORS)
    ]
    return found


class Content:
    """An open PDF and its parsed content streams, each parsed on first use and kept."""

    def __init__(self, pdf: pikepdf.Pdf) -> None:
        self.pdf = pdf
        self.pages: list[pikepdf.Page] = list(pdf.pages)
        self._page_ops: dict[int, list[Instruction] | None] = {}
        self._form_ops: dict[tuple[int, int], list[Instruction]] = {}

    @classmethod
    def open(cls, path: Path) -> Content:
        return cls(pikepdf.open(path))

    def page(self, index: int) -> list[Instruction] | None:
        """Page ``index``'s (0-based) content; None when the page has no /Contents."""
        if index not in self._page_ops:
            page = self.pages[index]
            self._page_ops[index] = parse(page) if "/Contents" in page.obj else None
        return self._page_ops[index]

    def form(self, stream: pikepdf.Object) -> list[Instruction]:
        """A form XObject's (or pattern's, appearance stream's) content."""
        key = stream.objgen
        if key == (0, 0):  # a direct stream cannot be shared: parse it each time
            return parse(stream)
        if key not in self._form_ops:
            self._form_ops[key] = parse(stream)
        return self._form_ops[key]

    def close(self) -> None:
        self._page_ops.clear()
        self._form_ops.clear()
        self.pdf.close()
