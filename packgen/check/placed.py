"""Where each raster image is placed on a page, read from the parsed content streams.

Follows the current transformation matrix (``q``/``Q``/``cm``) through the
page's content and the form XObjects it draws (their ``/Matrix`` too, nested
up to :data:`MAX_DEPTH`), and for every image drawn (``Do`` of an image
XObject, or an inline image) gives the page-space box of its unit square and
its pixel size: what a print shop's preflight reads to tell the ppi.
"""

from __future__ import annotations

from typing import Any

from pikepdf import Dictionary, Stream

from packgen.check.content import (
    FOLLOWED,
    INLINE_IMAGE,
    Content,
    Instructions,
    count,
    numbers,
    string,
    values,
)

MAX_DEPTH = 8  # form XObjects inside form XObjects
MAX_IMAGES = 20_000  # per page; a hostile file, not artwork, beyond this

Matrix = tuple[float, float, float, float, float, float]
IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)

# (x0, y0, x1, y1) in page points, and (width, height) in pixels
Placement = tuple[tuple[float, float, float, float], tuple[int, int]]


def multiply(m: Matrix, n: Matrix) -> Matrix:
    """``m`` then ``n`` (PDF order: a ``cm`` of ``m`` inside a CTM of ``n``)."""
    a, b, c, d, e, f = m
    a2, b2, c2, d2, e2, f2 = n
    return (
        a * a2 + b * c2,
        a * b2 + b * d2,
        c * a2 + d * c2,
        c * b2 + d * d2,
        e * a2 + f * c2 + e2,
        e * b2 + f * d2 + f2,
    )


def unit_square(ctm: Matrix) -> tuple[float, float, float, float]:
    """The page-space box of the unit square under ``ctm`` (where an image is painted)."""
    a, b, c, d, e, f = ctm
    xs = (e, a + e, c + e, a + c + e)
    ys = (f, b + f, d + f, b + d + f)
    return (min(xs), min(ys), max(xs), max(ys))


def _matrix(found: list[float]) -> Matrix | None:
    """Six numbers as a matrix (a ``cm``'s operands, a form's ``/Matrix``), else None."""
    return (found[0], found[1], found[2], found[3], found[4], found[5]) if len(found) == 6 else None


def _array(value: Any) -> list[float]:
    """The numbers of a PDF array (a form's ``/Matrix``); none when absent."""
    return numbers(list(value)) if value is not None else []


def _pixels(image: Any) -> tuple[int, int] | None:
    """An image's (width, height) in pixels, or None when it does not say."""
    width, height = image.get("/Width"), image.get("/Height")
    if isinstance(width, int) and isinstance(height, int) and not isinstance(width, bool):
        return (width, height)
    return None


_DRAWS = frozenset(["Do", INLINE_IMAGE])
_FOLLOWS = FOLLOWED["images"]


def images(content: Content, index: int) -> list[Placement]:
    """Every raster image drawn on page ``index`` (0-based), in drawing order."""
    found: list[Placement] = []
    page = content.pages[index].obj
    instructions = content.page(index, FOLLOWED["images"])
    if instructions is not None:
        _follow(content, instructions, page.get("/Resources"), IDENTITY, 0, found, set())
    return found


def _follow(
    content: Content,
    instructions: Instructions,
    resources: Any,
    ctm: Matrix,
    depth: int,
    found: list[Placement],
    open_forms: set[tuple[int, int]],
) -> None:
    if len(found) >= MAX_IMAGES or _DRAWS.isdisjoint(instructions.operators):
        return  # nothing drawn here can be an image: the matrices need not be followed
    xobjects = resources.get("/XObject") if isinstance(resources, Dictionary) else None
    stack: list[Matrix] = []
    for operator, operands in instructions:
        if operator not in _FOLLOWS:  # the colour and painting operators other readers keep
            continue
        if len(found) >= MAX_IMAGES:
            return
        if operator == "q":
            stack.append(ctm)
        elif operator == "Q":
            if stack:
                ctm = stack.pop()
        elif operator == "cm":
            matrix = _matrix(numbers(operands))
            if matrix is not None:
                ctm = multiply(matrix, ctm)
        elif operator == INLINE_IMAGE and count(operands):
            try:  # pikepdf's inline image reads /W or /Width (always pikepdf's: not plain)
                image = values(operands)[0]
                pixels = (int(image.width), int(image.height))
            except Exception:  # an inline image that does not say its size: not measured
                continue
            found.append((unit_square(ctm), pixels))
        elif operator == "Do" and count(operands) and isinstance(xobjects, Dictionary):
            xobject = xobjects.get(string(operands, 0))
            if not isinstance(xobject, Stream):
                continue
            subtype = xobject.get("/Subtype")
            if subtype == "/Image":
                size = _pixels(xobject)
                if size is not None:
                    found.append((unit_square(ctm), size))
            elif subtype == "/Form" and depth < MAX_DEPTH and xobject.objgen not in open_forms:
                inner = multiply(_matrix(_array(xobject.get("/Matrix"))) or IDENTITY, ctm)
                own = xobject.get("/Resources")
                # a form without resources of its own uses the page's (an old PDF habit)
                using = own if isinstance(own, Dictionary) else resources
                key = xobject.objgen
                open_forms.add(key)
                try:
                    _follow(
                        content,
                        content.form(xobject, FOLLOWED["images"]),
                        using,
                        inner,
                        depth + 1,
                        found,
                        open_forms,
                    )
                finally:
                    open_forms.discard(key)
