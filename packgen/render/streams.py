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
_DEFLATED_MAX = 8  # distinct data kept (output profiles: one or two per process)


def deflated(data: bytes) -> bytes:
    """``data`` deflated as ReportLab's Flate filter does, once per process per data."""
    packed = _DEFLATED.get(data)
    if packed is None:
        packed = _DEFLATED[data] = zlib.compress(data)
        if len(_DEFLATED) > _DEFLATED_MAX:
            _DEFLATED.popitem(last=False)
    return packed


def flate_stream(dictionary: PDFDictionary, data: bytes) -> PDFStream:
    """A stream that ReportLab writes exactly as ``PDFStream(dictionary, data, [PDFZCompress])``."""
    filtered = PDFDictionary(dictionary.dict.copy())
    filtered["Filter"] = PDFArray([PDFName(PDFZCompress.pdfname)])
    return PDFStream(dictionary=filtered, content=deflated(data), filters=None)
