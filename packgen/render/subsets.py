"""TrueType subsets made once per glyph set: ReportLab's own bytes, kept per process.

ReportLab embeds, for each font a document uses, a subset of the font file
holding the glyphs drawn (``TTFontFile.makeSubset``), then deflates it when
the document is compressed. Both are pure functions of the face and the
subset's codes (with the glyph each code maps to: shaping adds private-use
codes to a face as it meets ligatures), and the same posters, leaflets and
pages are written again and again in a batch or by a warm worker, so the
subset's bytes are kept under that key and its deflated form beside them
(:func:`packgen.render.serialised.deflated`), and handed to the same ReportLab
objects: the file written is the same.

Only documents packgen writes use the table (those saved inside
:func:`packgen.render.serialised.packgen_save`): another ReportLab document
in the same process (a script, the benchmark's hand-written poster) is
embedded by ReportLab alone. Each face object has a token of its own (an id
may be reused once a face is freed), so a subset is never taken for another
face's; the table is bounded by the bytes it keeps, oldest first out, and
shared by threads under a lock.
"""

from __future__ import annotations

import itertools
import threading
from collections import OrderedDict
from collections.abc import Hashable
from typing import Any

from reportlab.pdfbase import ttfonts
from reportlab.pdfbase.pdfdoc import PDFArray, PDFDictionary, PDFStream, PDFTrueTypeFont

from packgen.render.serialised import ascii_bytes, deflate_once, formatted_array, saving

_reportlab_make_subset = ttfonts.TTFontFace.makeSubset
_reportlab_add_objects = ttfonts.TTFont.addObjects

_KEPT: OrderedDict[Hashable, bytes] = OrderedDict()
_KEPT_MAX_BYTES = 16 * 1024 * 1024
_kept_bytes = 0
_tokens = itertools.count(1)
_lock = threading.Lock()


def _token(face: Any) -> int:
    """A number for ``face`` that no other face object gets (an id may be reused)."""
    token: int | None = face.__dict__.get("_packgen_subset_token")
    if token is None:
        token = face.__dict__["_packgen_subset_token"] = next(_tokens)
    return token


def make_subset(face: Any, subset: list[int]) -> bytes:
    """``face.makeSubset(subset)``, made once per face, codes and the glyphs they map to."""
    global _kept_bytes
    if not saving():
        return _reportlab_make_subset(face, subset)  # type: ignore[no-any-return]
    glyphs = face.charToGlyph
    key = (_token(face), tuple(subset), tuple([glyphs.get(code, 0) for code in subset]))
    with _lock:
        kept = _KEPT.get(key)
        if kept is not None:
            _KEPT.move_to_end(key)
            return kept
    data: bytes = _reportlab_make_subset(face, subset)
    with _lock:
        _KEPT[key] = data
        _kept_bytes += len(data)
        while _kept_bytes > _KEPT_MAX_BYTES and len(_KEPT) > 1:
            _kept_bytes -= len(_KEPT.popitem(last=False)[1])
    return data


def add_objects(font: Any, doc: Any) -> None:
    """ReportLab's objects for a font's subsets, their data prepared once (the same bytes).

    Each subset's font file and ToUnicode map are deflated through the table
    when the document is compressed (its map as bytes either way), and its
    widths array is formatted once per sequence.
    """
    _reportlab_add_objects(font, doc)
    if not saving():
        return
    for pdf_font in doc.idToObject["BasicFonts"].dict.values():
        if not isinstance(pdf_font, PDFTrueTypeFont) or "_packgen_prepared" in pdf_font.__dict__:
            continue
        pdf_font.__dict__["_packgen_prepared"] = True
        widths = getattr(pdf_font, "Widths", None)
        if isinstance(widths, PDFArray):
            pdf_font.Widths = formatted_array(widths.sequence)
        streams = [
            doc.idToObject.get(getattr(reference, "name", None))
            for reference in (getattr(pdf_font, "ToUnicode", None), _font_file(doc, pdf_font))
        ]
        for stream in streams:
            if isinstance(stream, PDFStream):
                stream.content = ascii_bytes(stream.content)  # a map's text; a file's bytes
                if doc.compression:
                    deflate_once(stream)


def _font_file(doc: Any, pdf_font: Any) -> Any:
    """The reference to a subset's font file (through its font descriptor), if it has one."""
    descriptor = doc.idToObject.get(
        getattr(getattr(pdf_font, "FontDescriptor", None), "name", None)
    )
    return descriptor.dict.get("FontFile2") if isinstance(descriptor, PDFDictionary) else None


def install() -> None:
    """Use the kept subsets for every TrueType font ReportLab embeds (idempotent)."""
    ttfonts.TTFontFace.makeSubset = make_subset
    ttfonts.TTFont.addObjects = add_objects


def clear() -> None:
    """Forget every kept subset (tests)."""
    global _kept_bytes
    with _lock:
        _KEPT.clear()
        _kept_bytes = 0
