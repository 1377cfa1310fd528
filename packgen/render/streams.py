"""PDF streams handed to ReportLab in the bytes it would write for them, made at less cost.

ReportLab writes an uncompressed stream's text through its ``extpdfdoc``
codec, a character map in Python that costs about a microsecond per hundred
characters; a tagged document's pages (left uncompressed for qpdf to deflate
once, ``render/pdf.py``) are tens of kilobytes of operators each. Content
streams are ASCII, where that codec is the identity (it refuses only
U+0018–U+001F), so :func:`page_as_bytes` encodes them as ASCII first: the
same bytes, and a page whose text is anything else is left to ReportLab.

A stream whose data is the same every time (the output condition's ICC
profile) is deflated once per process by :func:`deflated` and handed over
already filtered with the ``/Filter`` ReportLab writes for its own deflate
(ReportLab filters a stream only when its dictionary has no ``/Filter``).
"""

from __future__ import annotations

import re
import threading
import zlib
from collections import OrderedDict
from typing import Any

from reportlab.pdfbase.pdfdoc import PDFArray, PDFDictionary, PDFName, PDFStream, PDFZCompress

# the characters below U+0080 that ReportLab's extpdfdoc codec does not map to themselves
_NOT_IDENTITY = re.compile("[\x18-\x1f]")


def page_as_bytes(page: Any) -> None:
    """A page ReportLab has just made keeps its content stream as bytes (same bytes written)."""
    stream = page.stream
    if isinstance(stream, str) and stream.isascii() and not _NOT_IDENTITY.search(stream):
        page.stream = stream.encode("ascii")


_DEFLATED: OrderedDict[bytes, bytes] = OrderedDict()
_DEFLATED_MAX_BYTES = 8 * 1024 * 1024  # deflated data kept (an ICC profile, font subsets)
_deflated_bytes = 0
_lock = threading.Lock()  # the table is shared by the threads of a process


def deflated(data: bytes) -> bytes:
    """``data`` deflated as ReportLab's Flate filter does, once per process per data.

    The table holds the data it was asked for (mostly the very objects other
    caches keep: the condition's profile, a kept font subset), at most
    ``_DEFLATED_MAX_BYTES`` of data and results, oldest first out.
    """
    global _deflated_bytes
    with _lock:
        packed = _DEFLATED.get(data)
        if packed is not None:
            _DEFLATED.move_to_end(data)
            return packed
    packed = zlib.compress(data)
    with _lock:
        if data not in _DEFLATED:
            _DEFLATED[data] = packed
            _deflated_bytes += len(data) + len(packed)
        while _deflated_bytes > _DEFLATED_MAX_BYTES and len(_DEFLATED) > 1:
            gone, gone_packed = _DEFLATED.popitem(last=False)
            _deflated_bytes -= len(gone) + len(gone_packed)
    return packed


def flate() -> PDFArray:
    """The ``/Filter`` value ReportLab writes for its own Flate filter: ``[ /FlateDecode ]``."""
    return PDFArray([PDFName(PDFZCompress.pdfname)])


def flate_stream(dictionary: PDFDictionary, data: bytes) -> PDFStream:
    """A stream that ReportLab writes exactly as ``PDFStream(dictionary, data, [PDFZCompress])``."""
    filtered = PDFDictionary(dictionary.dict.copy())
    filtered["Filter"] = flate()
    return PDFStream(dictionary=filtered, content=deflated(data), filters=None)


def clear() -> None:
    """Forget every deflated stream (tests)."""
    global _deflated_bytes
    with _lock:
        _DEFLATED.clear()
        _deflated_bytes = 0
