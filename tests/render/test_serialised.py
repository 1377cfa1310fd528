"""What render hands ReportLab ready-made is written as ReportLab writes it (render/serialised.py,
render/subsets.py): the same bytes, only for packgen's own saves, within bounds."""

from __future__ import annotations

import io
import zlib
from collections.abc import Iterator

import fontpkg
import pytest
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfdoc import (
    PDFArray,
    PDFDictionary,
    PDFDocument,
    PDFName,
    PDFStream,
    PDFZCompress,
)
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from packgen.render import pdf as _installs  # noqa: F401  (installs the subset table)
from packgen.render import serialised, subsets
from packgen.render.serialised import (
    ascii_bytes,
    deflated,
    flate_stream,
    formatted_array,
    packgen_save,
    saving,
)


@pytest.fixture(autouse=True)
def _empty_tables() -> Iterator[None]:
    subsets.clear()
    serialised.clear()
    yield
    subsets.clear()
    serialised.clear()


def _font(name: str) -> str:
    path = fontpkg.path("Atkinson Hyperlegible", 400, "normal")
    pdfmetrics.registerFont(TTFont(name, str(path)))
    return name


def _written(font: str, text: str, compression: int, ours: bool) -> bytes:
    buffer = io.BytesIO()
    canvas = Canvas(buffer, invariant=1, pageCompression=compression)
    canvas.setFont(font, 12)
    canvas.drawString(72, 72, text)
    canvas.showPage()
    if ours:
        with packgen_save():
            canvas.save()
    else:
        canvas.save()
    return buffer.getvalue()


@pytest.mark.parametrize("compression", [0, 1])
def test_a_document_saved_from_the_tables_is_the_one_reportlab_writes(compression: int) -> None:
    font = _font(f"SerialisedTest{compression}")
    text = "Speak up for babies – “café” 123"
    alone = _written(font, text, compression, ours=False)
    assert not subsets._KEPT  # someone else's document: ReportLab alone
    first = _written(font, text, compression, ours=True)
    assert len(subsets._KEPT) == 1  # the subset (ASCII and the rest in one)
    again = _written(font, text, compression, ours=True)
    assert first == alone
    assert again == alone


def test_a_different_glyph_set_or_another_face_is_a_new_subset() -> None:
    font = _font("SerialisedFaces")
    _written(font, "one – two", 1, ours=True)
    _written(font, "one — two", 1, ours=True)
    assert len(subsets._KEPT) == 2
    path = str(fontpkg.path("Atkinson Hyperlegible", 400, "normal"))
    face = TTFont("SerialisedAnotherFace", path).face  # the same file read again: a new face
    codes = list(range(32, 128))
    with packgen_save():
        made = subsets.make_subset(face, codes)
    assert made == subsets._reportlab_make_subset(face, codes)
    assert len(subsets._KEPT) == 3


def test_the_subset_table_keeps_within_its_bytes(monkeypatch: pytest.MonkeyPatch) -> None:
    font = _font("SerialisedBound")
    monkeypatch.setattr(subsets, "_KEPT_MAX_BYTES", 1)
    for dash in "–—":
        _written(font, f"a {dash} b", 1, ours=True)
    assert len(subsets._KEPT) == 1  # the newest only (one is always kept)
    assert subsets._kept_bytes == sum(len(v) for v in subsets._KEPT.values())


def test_saving_is_only_inside_a_packgen_save() -> None:
    assert not saving()
    with packgen_save():
        assert saving()
    assert not saving()


def test_ascii_text_becomes_the_bytes_reportlab_would_encode() -> None:
    text = "BT /F1+0 12 Tf 1 0 0 1 72 72 Tm (Hi\\)) Tj ET\n"
    assert ascii_bytes(text) == text.encode("extpdfdoc")
    for other in ("caf\u00e9", "a\x18b", "\x1f"):  # not ASCII, or not the codec's identity
        assert ascii_bytes(other) == other
    assert ascii_bytes(b"raw") == b"raw"


def test_a_deflated_stream_formats_as_reportlabs_own() -> None:
    data = b"0 0 1 rg 0 0 10 10 re f\n" * 200
    dictionary = PDFDictionary({"N": 4, "Alternate": PDFName("DeviceCMYK")})
    own = PDFStream(dictionary=dictionary, content=data, filters=[PDFZCompress])
    document = PDFDocument(invariant=1)
    assert flate_stream(dictionary, data).format(document) == own.format(document)
    assert deflated(data) == zlib.compress(data)
    assert deflated(data) is deflated(data)  # once per process


def test_the_deflated_table_keeps_within_its_bytes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(serialised, "_DEFLATED_MAX_BYTES", 1)
    deflated(b"first" * 10)
    deflated(b"second" * 10)
    assert list(serialised._DEFLATED) == [b"second" * 10]


def test_a_formatted_array_is_reportlabs_format_of_it() -> None:
    numbers = [0, 250, 312.5, 1000, 0.001, -7]
    document = PDFDocument(invariant=1)
    assert formatted_array(numbers).format(document) == PDFArray(numbers).format(document)
    assert isinstance(formatted_array([PDFName("X")]), PDFArray)  # not numbers: as it is
