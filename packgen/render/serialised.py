"""PDF objects handed to ReportLab ready-made, in exactly the bytes it would write for them.

ReportLab serialises every object of a file when it is saved, in Python:
an uncompressed stream's text goes through its ``extpdfdoc`` codec (a
character map at about a microsecond per hundred characters; a tagged
document's pages are left uncompressed for qpdf to deflate once, so each is
tens of kilobytes of it), every number of an array through ``fp_str`` and
the codec again, and every compressed stream through zlib. What is the same
every time it is written is prepared once here and handed over so that
ReportLab writes it as it is:

- :func:`ascii_bytes`: text that is ASCII without U+0018–U+001F, where the
  codec (and the UTF-8 ReportLab deflates) is the identity, as bytes;
- :func:`deflated`: data deflated as ReportLab's Flate filter does (zlib's
  default level), once per process per data, and :func:`deflate_once`, which
  gives a stream ReportLab would deflate its data already filtered, with the
  ``/Filter [ /FlateDecode ]`` ReportLab writes (it filters a stream only
  when its dictionary has no ``/Filter``);
- :func:`formatted_array`: an array's bytes as ReportLab formats them, made
  once per process per sequence of numbers (a font subset's widths).

Only documents packgen saves are prepared (inside :func:`packgen_save`):
another ReportLab document in the same process (a script, the benchmark's
hand-written poster) is written by ReportLab alone. The tables are bounded
and shared by a process's threads under a lock.
"""

from __future__ import annotations

import re
import threading
import zlib
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from typing import Any

from reportlab import rl_config
from reportlab.pdfbase.pdfdoc import (
    PDFArray,
    PDFDictionary,
    PDFName,
    PDFObject,
    PDFStream,
    PDFZCompress,
)

_saving = threading.local()  # whether this thread is saving a document of packgen's


@contextmanager
def packgen_save() -> Iterator[None]:
    """While a document of packgen's is saved: its fonts' objects are prepared here."""
    _saving.on = True
    try:
        yield
    finally:
        _saving.on = False


def saving() -> bool:
    """Whether this thread is saving a document of packgen's (not someone else's)."""
    return bool(getattr(_saving, "on", False))


# the characters below U+0080 that ReportLab's extpdfdoc codec does not map to themselves
_NOT_IDENTITY = re.compile("[\x18-\x1f]")


def ascii_bytes(text: str | bytes) -> str | bytes:
    """``text`` as the bytes ReportLab would encode it to, when that is plain ASCII."""
    if isinstance(text, str) and text.isascii() and not _NOT_IDENTITY.search(text):
        return text.encode("ascii")
    return text


def page_as_bytes(page: Any) -> None:
    """A page ReportLab has just made keeps its content stream as bytes (same bytes written)."""
    page.stream = ascii_bytes(page.stream)


_DEFLATED: OrderedDict[bytes, bytes] = OrderedDict()
_DEFLATED_MAX_BYTES = 8 * 1024 * 1024  # data and results kept (an ICC profile, font subsets)
_deflated_bytes = 0
_lock = threading.Lock()


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


def deflate_once(stream: PDFStream) -> None:
    """A stream ReportLab is to deflate, given its data deflated through the table instead."""
    content = stream.content
    if (
        isinstance(content, bytes)
        and stream.filters == [PDFZCompress]
        and "Filter" not in stream.dictionary.dict
    ):
        stream.content = deflated(content)
        stream.dictionary["Filter"] = flate()
        stream.filters = None


def flate_stream(dictionary: PDFDictionary, data: bytes) -> PDFStream:
    """A stream that ReportLab writes exactly as ``PDFStream(dictionary, data, [PDFZCompress])``."""
    stream = PDFStream(dictionary=PDFDictionary(dictionary.dict.copy()), content=data)
    stream.filters = [PDFZCompress]
    deflate_once(stream)
    return stream


class _Formatted(PDFObject):  # type: ignore[misc]
    """An object whose bytes are already made: ReportLab's ``format`` returns them."""

    def __init__(self, data: bytes) -> None:
        self.data = data

    def format(self, document: Any) -> bytes:
        return self.data


@lru_cache(maxsize=1024)
def _array_bytes(numbers: tuple[int | float, ...], multiline: bool) -> bytes:
    # numbers format alike in every document (fp_str), so any document will do
    formatted: bytes = PDFArray(list(numbers)).format(None)
    return formatted


def formatted_array(numbers: list[Any]) -> PDFObject:
    """``PDFArray(numbers)`` for ReportLab to write, formatted once per process per sequence."""
    if not all(type(n) is int or type(n) is float for n in numbers):
        return PDFArray(numbers)
    return _Formatted(_array_bytes(tuple(numbers), bool(rl_config.pdfMultiLine)))


def clear() -> None:
    """Forget every deflated stream and formatted array (tests)."""
    global _deflated_bytes
    with _lock:
        _DEFLATED.clear()
        _deflated_bytes = 0
    _array_bytes.cache_clear()
