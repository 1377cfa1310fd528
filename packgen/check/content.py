"""One PDF opened once (pikepdf) and each content stream parsed once, for the rules that run.

The colour facts, the press inks, the image placements and the tagging audit
all follow a page's content stream. Each stream is read once, keeping only the
operators that the readers which will run follow (:data:`FOLLOWED`, chosen per
file by :func:`operators_for`), and every reader is given the same
:class:`Instructions`. A stream in the plain syntax most writers produce is
split by one regular expression (``check.tokens``) and its operands are kept as
their text; any other stream is parsed by qpdf (through pikepdf) and its
operands are pikepdf's (int, Decimal, Name, String, Array, Dictionary). Readers
read operands through :func:`numbers`, :func:`count`, :func:`string` and
:func:`marked`, which give the same answers for both, so a rule cannot tell how
a stream was read. Each reader ignores the operators it does not follow, and
asks for the ones it does (``Content.page(index, follows)``): a stream parsed
without some of them is parsed again with them, so a reader is never given less
than it follows.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal
from functools import lru_cache
from itertools import compress
from pathlib import Path
from typing import Any, cast

import pikepdf
from pikepdf import Array, Dictionary, Stream

from packgen.check import tokens

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

# an instruction's operands: pikepdf's list, or their text in a plain stream (``check.tokens``)
Operands = Sequence[Any] | bytes
Instruction = tuple[str, Operands]  # (operator, operands)

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


class Instructions:
    """A content stream's kept instructions in order: each operator and its operands.

    Iterating gives ``(operator, operands)`` pairs, operands as stored (read them with
    the functions below); ``instructions[i]`` gives the i-th with its operands as
    pikepdf gives them.
    """

    __slots__ = ("operands", "operators")

    def __init__(self, operators: list[str], operands: list[Operands]) -> None:
        self.operators = operators
        self.operands = operands

    def __iter__(self) -> Iterator[Instruction]:
        return zip(self.operators, self.operands, strict=True)

    def __len__(self) -> int:
        return len(self.operators)

    def __getitem__(self, index: int) -> tuple[str, Sequence[Any]]:
        return self.operators[index], values(self.operands[index])


def parse(owner: pikepdf.Object | pikepdf.Page, keep: frozenset[str] = EVERYTHING) -> Instructions:
    """A page's (its streams joined) or a form XObject's content, as instructions.

    Only the operators in ``keep`` are kept. A plain stream is split by one regular
    expression (``check.tokens``), any other parsed by pikepdf; operands are made
    Python values only when read (a rule that only counts ``re`` never converts them).
    """
    data = _data(owner)
    split = tokens.split(data) if data is not None else None
    if split is None:
        return _parsed(owner, keep)
    operators, operands = split
    named = list(map(_kept_names(keep).get, operators))  # None for what is not kept
    return Instructions(list(filter(None, named)), list(compress(operands, named)))


def _parsed(owner: pikepdf.Object | pikepdf.Page, keep: frozenset[str]) -> Instructions:
    """Parsed by qpdf: every stream the regular expression does not read."""
    names = _NAMES
    found = pikepdf.parse_content_stream(owner, _argument(keep))
    return Instructions(
        [names.get(raw := item.operator.unparse()) or raw.decode("latin-1") for item in found],
        [cast(Sequence[Any], item.operands) for item in found],
    )


def _data(owner: pikepdf.Object | pikepdf.Page) -> bytes | None:
    """The decoded bytes qpdf would parse (a page's streams joined by a newline, as qpdf
    joins them), or None when they cannot be read so simply."""
    try:
        contents = owner.obj.get("/Contents") if isinstance(owner, pikepdf.Page) else owner
        if isinstance(contents, Stream):
            return contents.read_bytes()
        if isinstance(contents, Array) and all(isinstance(s, Stream) for s in contents):
            return b"\n".join(s.read_bytes() for s in contents)
    except Exception:  # a stream that does not decode: pikepdf's parse reports it
        return None
    return None


@lru_cache(maxsize=16)
def _kept_names(keep: frozenset[str]) -> dict[bytes, str]:
    """The kept operators' names by their bytes (a plain stream has no inline image)."""
    return {op.encode("latin-1"): op for op in keep if op != INLINE_IMAGE}


# Reading operands: the same answers from pikepdf's list and from a plain stream's text
_NUMBER_TYPES = frozenset([int, float, Decimal])  # the exact types: looked up first, per operand
_SCRATCH: list[tuple[pikepdf.Pdf, int]] = []  # owns the streams operand texts are parsed from


def is_number(value: object) -> bool:
    """A numeric operand (pikepdf gives int or Decimal; a bool is not a number)."""
    kind = type(value)
    return kind in _NUMBER_TYPES or (isinstance(value, int | float | Decimal) and kind is not bool)


def values(operands: Operands) -> Sequence[Any]:
    """The operands as pikepdf gives them (an operand text is parsed by pikepdf)."""
    if type(operands) is not bytes:
        return operands
    if not _SCRATCH or _SCRATCH[0][1] >= 1000:  # qpdf keeps every stream made: start afresh
        _SCRATCH[:] = [(pikepdf.new(), 0)]
    scratch, made = _SCRATCH[0]
    _SCRATCH[0] = (scratch, made + 1)
    # the text was between two operators of a stream qpdf reads the same way: parsed
    # before an operator of its own it gives the operands qpdf gave that instruction
    (*_, last) = pikepdf.parse_content_stream(scratch.make_stream(operands + b" n"))
    return cast(Sequence[Any], last.operands)


def numbers(operands: Operands) -> list[float]:
    """The numeric operands, as floats."""
    if type(operands) is bytes:
        found = _plain_numbers(operands)
        return list(found) if found is not None else numbers(values(operands))
    exact = _NUMBER_TYPES
    return [float(v) for v in operands if type(v) in exact or is_number(v)]


def only_numbers(operands: Operands) -> list[float] | None:
    """The operands as floats when every one is a number, else None."""
    found = _plain_numbers(operands) if type(operands) is bytes else None
    if found is not None:
        return list(found)
    listed = numbers(operands)
    return listed if len(listed) == count(operands) else None


@lru_cache(maxsize=4096)  # a colour is set again and again, and read by three readers
def _plain_numbers(text: bytes) -> tuple[float, ...] | None:
    """An operand text of numbers alone, as floats (None when it holds anything else)."""
    parts = text.split()
    try:  # float reads exactly the numbers PDF writes: sign, digits, one point (no exponent)
        found = [float(part) for part in parts]
    except ValueError:  # a name, string, array ... among them
        return None
    if parts and max(map(len, parts)) > 18:
        return None  # qpdf's integers are 64 bits (beyond: null): pikepdf reads them
    if b"-0" in text:  # the integer -0 is 0 (pikepdf's int); the real -0.0 stays -0.0
        pairs = zip(found, parts, strict=True)
        return tuple(0.0 if v == 0 and b"." not in p else v for v, p in pairs)
    return tuple(found)


def count(operands: Operands) -> int:
    """How many operands."""
    if type(operands) is bytes:
        parts = operands.split()
        if all(map(_NUMBER_OR_NAME.fullmatch, parts)):
            return len(parts)
        return len(values(operands))
    return len(operands)


def string(operands: Operands, index: int) -> str:
    """``str`` of one operand (a name gives "/Name"); IndexError beyond the operands."""
    if type(operands) is bytes:
        parts = operands.split()
        if len(parts) == 1 and tokens.NAME.fullmatch(parts[0]):
            return [parts[0].decode("latin-1")][index]
        return str(values(operands)[index])
    return str(operands[index])


_SPACE = rb"[ \t\r\n\f]*"
_MARKED = re.compile(  # a tag, and a property list of an MCID alone
    _SPACE
    + rb"("
    + tokens.NAME.pattern
    + rb")"
    + _SPACE
    + rb"(?:<<"
    + _SPACE
    + rb"/MCID[ \t\r\n\f]+([0-9]{1,9})"
    + _SPACE
    + rb">>"
    + _SPACE
    + rb")?"
)
_NUMBER_OR_NAME = re.compile(rb"[-+]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)|" + tokens.NAME.pattern)


def marked(operator: str, operands: Operands) -> tuple[str, int | None]:
    """A ``BDC``/``BMC``'s tag (without the slash) and its property list's MCID, if any."""
    if type(operands) is bytes:
        plain = _MARKED.fullmatch(operands)
        if plain is not None and (operator == "BDC" or plain.group(2) is None):
            tag, mcid = plain.group(1).decode("latin-1").lstrip("/"), plain.group(2)
            return tag, int(mcid) if mcid is not None else None
        operands = values(operands)
    tag = str(operands[0]).lstrip("/")
    props = operands[1] if operator == "BDC" and len(operands) > 1 else None
    value = props.get("/MCID") if isinstance(props, Dictionary) else None
    return tag, int(value) if value is not None else None


class Content:
    """An open PDF and its parsed content streams, each parsed on first use and kept.

    ``keep`` is what a first parse keeps (:func:`operators_for` the file); a reader
    asking for an operator a stream was parsed without gets it parsed again with it.
    """

    def __init__(self, pdf: pikepdf.Pdf, keep: frozenset[str] = EVERYTHING) -> None:
        self.pdf = pdf
        self.keep = keep
        self.pages: list[pikepdf.Page] = list(pdf.pages)
        self._page_ops: dict[int, tuple[frozenset[str], Instructions | None]] = {}
        self._form_ops: dict[tuple[int, int], tuple[frozenset[str], Instructions]] = {}

    @classmethod
    def open(cls, path: Path, keep: frozenset[str] = EVERYTHING) -> Content:
        return cls(pikepdf.open(path), keep)

    def page(self, index: int, follows: frozenset[str]) -> Instructions | None:
        """Page ``index``'s (0-based) content with at least the operators ``follows``;
        None when the page has no /Contents."""
        cached = self._page_ops.get(index)
        if cached is not None and follows <= cached[0]:
            return cached[1]
        kept = self.keep | follows | (cached[0] if cached is not None else frozenset())
        page = self.pages[index]
        found = parse(page, kept) if "/Contents" in page.obj else None
        self._page_ops[index] = (kept, found)
        return found

    def form(self, stream: pikepdf.Object, follows: frozenset[str]) -> Instructions:
        """A form XObject's (or pattern's, appearance stream's) content, as ``page``."""
        key = stream.objgen
        if key == (0, 0):  # a direct stream cannot be shared: parse it each time
            return parse(stream, self.keep | follows)
        cached = self._form_ops.get(key)
        if cached is not None and follows <= cached[0]:
            return cached[1]
        kept = self.keep | follows | (cached[0] if cached is not None else frozenset())
        found = parse(stream, kept)
        self._form_ops[key] = (kept, found)
        return found

    def close(self) -> None:
        self._page_ops.clear()
        self._form_ops.clear()
        self.pdf.close()
