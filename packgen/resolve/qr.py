"""URL → QR module matrix (a pure function), and the matrix as runs of dark modules.

Encoding is cached per process: a national batch co-brands thousands of packs
that share a handful of URLs.
"""

from __future__ import annotations

from functools import lru_cache

import qrcode
import qrcode.constants

QUIET_ZONE = 4  # modules of light margin on every side (ISO/IEC 18004)
MAX_VERSION = 40

_LEVELS = {
    "M": qrcode.constants.ERROR_CORRECT_M,
    "Q": qrcode.constants.ERROR_CORRECT_Q,
    "H": qrcode.constants.ERROR_CORRECT_H,
}

Matrix = tuple[tuple[bool, ...], ...]


@lru_cache(maxsize=512)
def encode(url: str, level: str = "M", min_version: int = 1) -> Matrix:
    """The symbol's modules (True = dark), without a quiet zone.

    The smallest version that holds ``url``, but not below ``min_version``.
    """
    code = qrcode.QRCode(version=min_version, error_correction=_LEVELS[level], border=0, box_size=1)
    code.add_data(url)
    code.make(fit=True)
    return tuple(tuple(bool(cell) for cell in row) for row in code.get_matrix())


@lru_cache(maxsize=512)
def version(url: str, level: str = "M") -> int:
    """The smallest version that holds ``url``: :func:`encode`'s, without drawing the symbol.

    (Drawing it means scoring all eight mask patterns, most of an encoding's cost.)
    """
    code = qrcode.QRCode(version=1, error_correction=_LEVELS[level], border=0, box_size=1)
    code.add_data(url)
    return int(code.best_fit(start=1))


@lru_cache(maxsize=512)
def runs(url: str, level: str = "M", min_version: int = 1) -> tuple[tuple[int, int, int], ...]:
    """Horizontal runs of dark modules as (row, first column, length)."""
    found: list[tuple[int, int, int]] = []
    for r, row in enumerate(encode(url, level, min_version)):
        start = None
        for c, dark in enumerate((*row, False)):
            if dark and start is None:
                start = c
            elif not dark and start is not None:
                found.append((r, start, c - start))
                start = None
    return tuple(found)
