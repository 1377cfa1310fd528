"""One PDF opened once (pikepdf) and each content stream parsed once, for the rules that run.

The colour facts, the press inks, the image placements and the tagging audit
all follow a page's content stream. qpdf's parser (through pikepdf) reads each
stream once, keeping only the operators that the readers which will run follow
(:data:`FOLLOWED`, chosen per file by :func:`operators_for`), and every reader
is given the same parsed instructions: ``(operator, operands)`` pairs, operands
as pikepdf gives them (int, Decimal, Name, String, Array, Dictionary). Each
reader ignores the operators it does not follow, and asks for the ones it does
(``Content.page(index, follows)``): a stream parsed without some of them is
parsed again with them, so a reader is never given less than it follows.

A batch writes the same pages for every organisation (those that carry no
co-brand), so a process also keeps the parse of a stream whose bytes it has
seen before (:class:`Kept`, bounded): the next file with those bytes is given
the same instructions without parsing.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import pikepdf

INLINE_IMAGE = "INLINE IMAGE"  # the operator pikepdf gives an inline image (BI … ID … EI)
TEXT = ("Tj", "TJ", "'", '"')  # show text
PAINT = ("f", "f*", "F", "B", "B*", "b", "b*", "S", "s")  # paint the current path
_STATE = ("q", "Q", "gs")
_COLOUR = ("k", "K", "g", "G", "rg", "RG", "cs", "CS")
_PATTERN = ("sc", "scn", "SC", "SCN")  # colour in a colour space: the ink scan, not the press inks
_PATH = ("re", "m", "l", "n")

# Who follows which operators (each reader's own code ignores every other operator):
FOLLOWED: dict[str, frozenset[str]] = {
    # facts: rgb/cmyk operators and the white overprint / scn ink scan (resources.scan)
    "colour": frozenset([*_STATE, *_COLOUR, *_PATTERN, *PAINT, *TEXT]),
    # image placements (placed.py): the CTM, form and image XObjects, inline images
    "images": frozenset(["q", "Q", "cm", "Do", INLINE_IMAGE]),
    # the press inks' interpreter (press.py): colour, overprint, paths and their painting
    "press inks": frozenset([*_STATE, "cm", *_COLOUR, *_PATH, *PAINT, *TEXT]),
    # the tagging audit (tagged.py): marked content and what marks the page
    "tagging": frozenset(["BDC", "BMC", "EMC", *TEXT, *PAINT, "sh", "Do", INLINE_IMAGE]),
}
EVERYTHING = frozenset().union(*FOLLOWED.values())
# the operators every file's facts read (colour facts, images), whatever the file is for
FACTS = FOLLOWED["colour"] | FOLLOWED["images"]

Instruction = tuple[str, Sequence[Any]]  # (operator, operands)

# operator names by their bytes: ``unparse`` and a lookup are cheaper than ``str`` per operator
_NAMES = {name.encode("latin-1"): name for name in EVERYTHING}


def operators_for(press: bool | None) -> frozenset[str]:
    """What to keep for a file whose purpose is known (True: press, False: not) or not (None).

    The press inks run on press files only and the tagging audit on the others
    (``press.py``, ``tagged.py``); with the purpose unknown, everything is kept.
    """
    if press is None:
        return EVERYTHING
    return FACTS | FOLLOWED["press inks" if press else "tagging"]


def _argument(operators: Iterable[str]) -> str:
    """pikepdf's whitelist: an inline image is asked for as ``BI ID EI``."""
    names = sorted(op for op in operators if op != INLINE_IMAGE)
    if INLINE_IMAGE in operators:
        names += ["BI", "ID", "EI"]
    return " ".join(names)


# kept for callers that want every operator any reader follows
OPERATORS = _argument(EVERYTHING)


def parse(
    owner: pikepdf.Object | pikepdf.Page, keep: frozenset[str] = EVERYTHING
) -> list[Instruction]:
    """A page's (its streams joined) or a form XObject's content, as instructions.

    Only the operators in ``keep`` are kept. Operands stay pikepdf's list, whose
    items are made Python values when read (a rule that only counts ``re`` never
    converts its numbers).
    """
    names = _NAMES
    found: list[Any] = [
        (names.get(raw := item.operator.unparse()) or raw.decode("latin-1"), item.operands)
        for item in pikepdf.parse_content_stream(owner, _argument(keep))
    ]
    return found


def _digest(owner: pikepdf.Object | pikepdf.Page) -> tuple[bytes, ...]:
    """What a parse of ``owner`` depends on: the bytes of its stream (a page's streams)."""
    if isinstance(owner, pikepdf.Page):
        streams = owner.obj.get("/Contents")
        if isinstance(streams, pikepdf.Array):
            return tuple(hashlib.sha1(s.read_bytes()).digest() for s in streams)
        if streams is None:
            return ()
        return (hashlib.sha1(streams.read_bytes()).digest(),)
    return (hashlib.sha1(owner.read_bytes()).digest(),)


class Kept:
    """Parses kept between files by the bytes parsed and the operators kept.

    A stream is kept the second time its bytes are seen (a batch repeats its
    organisation-free pages in every pack; most other streams are seen once), at
    most ``limit`` instructions in all, the least recently used given up first.
    Streams with inline images are not kept (their data is not plain operands).
    """

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.seen: OrderedDict[tuple[bytes, ...], None] = OrderedDict()
        self.kept: OrderedDict[tuple[tuple[bytes, ...], frozenset[str]], list[Instruction]]
        self.kept = OrderedDict()
        self.size = 0  # instructions kept

    def parse(
        self, owner: pikepdf.Object | pikepdf.Page, keep: frozenset[str]
    ) -> list[Instruction]:
        """As :func:`parse`, from what is kept when the same bytes were parsed before."""
        if self.limit <= 0:
            return parse(owner, keep)
        digest = _digest(owner)
        key = (digest, keep)
        found = self.kept.get(key)
        if found is not None:
            self.kept.move_to_end(key)
            return found
        found = parse(owner, keep)
        if digest not in self.seen:
            self.seen[digest] = None
            if len(self.seen) > self.limit:  # sightings too are bounded
                self.seen.popitem(last=False)
        elif len(found) <= self.limit and all(op != INLINE_IMAGE for op, _ in found):
            self.kept[key] = found
            self.size += len(found)
            while self.size > self.limit:
                _, dropped = self.kept.popitem(last=False)
                self.size -= len(dropped)
        return found


KEPT_INSTRUCTIONS = 40_000  # about 20 MB: the repeated pages of a co-branded pack
KEPT = Kept(KEPT_INSTRUCTIONS)


class Content:
    """An open PDF and its parsed content streams, each parsed on first use and kept.

    ``keep`` is what a first parse keeps (:func:`operators_for` the file); a reader
    asking for an operator a stream was parsed without gets it parsed again with it.
    """

    def __init__(self, pdf: pikepdf.Pdf, keep: frozenset[str] = EVERYTHING) -> None:
        self.pdf = pdf
        self.keep = keep
        self.pages: list[pikepdf.Page] = list(pdf.pages)
        self._page_ops: dict[int, tuple[frozenset[str], list[Instruction] | None]] = {}
        self._form_ops: dict[tuple[int, int], tuple[frozenset[str], list[Instruction]]] = {}

    @classmethod
    def open(cls, path: Path, keep: frozenset[str] = EVERYTHING) -> Content:
        return cls(pikepdf.open(path), keep)

    def page(self, index: int, follows: frozenset[str]) -> list[Instruction] | None:
        """Page ``index``'s (0-based) content with at least the operators ``follows``;
        None when the page has no /Contents."""
        cached = self._page_ops.get(index)
        if cached is not None and follows <= cached[0]:
            return cached[1]
        kept = self.keep | follows | (cached[0] if cached is not None else frozenset())
        page = self.pages[index]
        found = KEPT.parse(page, kept) if "/Contents" in page.obj else None
        self._page_ops[index] = (kept, found)
        return found

    def form(self, stream: pikepdf.Object, follows: frozenset[str]) -> list[Instruction]:
        """A form XObject's (or pattern's, appearance stream's) content, as ``page``."""
        key = stream.objgen
        if key == (0, 0):  # a direct stream cannot be shared: parse it each time
            return parse(stream, self.keep | follows)
        cached = self._form_ops.get(key)
        if cached is not None and follows <= cached[0]:
            return cached[1]
        kept = self.keep | follows | (cached[0] if cached is not None else frozenset())
        found = KEPT.parse(stream, kept)
        self._form_ops[key] = (kept, found)
        return found

    def close(self) -> None:
        self._page_ops.clear()
        self._form_ops.clear()
        self.pdf.close()
