"""A plain content stream split by one regular expression reads as pikepdf reads it.

``check/tokens.py`` splits a stream in the plain syntax most writers produce,
and ``check/content.py`` reads its operands from their text; every other
stream is parsed by pikepdf. Here both readings of the same streams are
compared instruction by instruction, through every accessor the rules use:
every page packgen builds, streams made of hostile token soup, and PDFs made
to break the colour and press rules (whose findings must not change).
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pikepdf
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from reportlab.lib.colors import CMYKColor, Color
from reportlab.pdfgen.canvas import Canvas

from packgen.build import BuildReport
from packgen.check import check_file, content, tokens
from packgen.check.content import (
    EVERYTHING,
    INLINE_IMAGE,
    Instructions,
    count,
    marked,
    numbers,
    only_numbers,
    parse,
    string,
)
from tests.products.test_check import MM, black_text, pdf
from tests.products.test_check_press import _marks, _qr_like, pdfx_file, press_entry

OWNER = pikepdf.new()  # a stream lives as long as its PDF


def _answer(read: Callable[[], object]) -> object:
    """What an accessor gives, or the exception it raises (type and message)."""
    try:
        return read()
    except Exception as exc:
        return (type(exc).__name__, str(exc))


def _read(instructions: Instructions) -> list[tuple[object, ...]]:
    """Every answer a rule can get from each instruction (an inline image is pikepdf's
    either way: only its operator is compared)."""
    found: list[tuple[object, ...]] = []
    for op, operands in instructions:
        if op == INLINE_IMAGE:
            found.append((op,))
            continue
        found.append(
            (
                op,
                _answer(lambda o=operands: numbers(o)),  # type: ignore[misc]
                _answer(lambda o=operands: only_numbers(o)),  # type: ignore[misc]
                _answer(lambda o=operands: count(o)),  # type: ignore[misc]
                _answer(lambda o=operands: string(o, 0)),  # type: ignore[misc]
                _answer(lambda o=operands: string(o, -1)),  # type: ignore[misc]
                _answer(lambda o=operands, p=op: marked(p, o)) if op in ("BDC", "BMC") else None,  # type: ignore[misc]
            )
        )
    return found


def _both(owner: Any) -> tuple[object, object]:
    """(the expression's reading, pikepdf's) of one page or stream, everything kept."""
    with warnings.catch_warnings():  # qpdf warns of what it recovers from in hostile soup
        warnings.simplefilter("ignore")
        plain = _answer(lambda: _read(parse(owner, EVERYTHING)))
        parsed = _answer(lambda: _read(content._parsed(owner, EVERYTHING)))
    return plain, parsed


def test_every_page_packgen_builds_is_plain_and_reads_the_same(built: BuildReport) -> None:
    pages = 0
    for built_file in built.files:
        if built_file.path.suffix != ".pdf":
            continue
        with pikepdf.open(built_file.path) as document:
            for page in document.pages:
                data = content._data(page)
                assert data is not None and tokens.split(data) is not None, built_file.path.name
                plain, parsed = _both(page)
                assert plain == parsed, built_file.path.name
                pages += 1
    assert pages > 50  # posters, leaflets, the pack: press and office


NUMBERS = ["0", "1", "-0", "-0.0", "+.5", "5.", "007", ".78", "-1.5", "9" * 20, "1" + "0" * 18]
NUMBERS += ["3.14159265358979323846"]
WORDS = sorted(op.decode() for op in tokens.OPERATORS)
OTHER = ["/F1+0", "/", "/MCID", "/Artifact", "/P", "(a)", "(a\\)b)", "(x\\\\)", "()", "(\\053)"]
OTHER += ["<00ff>", "<0 f>", "<FEFF0041>", "[1 (a) /N]", "<</MCID 3>>", "<</MCID 3 /A (s)>>"]
OTHER += ["<<>>", "<</MCID /X>>", "[]"]
# what a plain stream cannot hold, or what reads differently when run together
JUNK = ["1.2.3", "--1", "-", ".", "true", "false", "null", "R", "1e5", "(a (b) c)", "[[1]]"]
JUNK += ["<</A true>>", "/A#20B", "<", ")", "]", "%c\n", "0Tw", "Tj-5", "/F1Tf"]
JUNK += ["BI /W 1 /H 1 /BPC 8 /CS /G ID \x00 EI"]
SPACES = [" ", " ", " ", "\n", "", "\r\n", "\t", "\x00", "\x0b"]


@st.composite
def soup(draw: st.DrawFn) -> bytes:
    """A content stream of numbers, names, strings, arrays, operators and some junk."""
    item = st.one_of(*(st.sampled_from(kind) for kind in (NUMBERS, WORDS, WORDS, OTHER, JUNK)))
    text = ""
    for token in draw(st.lists(item, max_size=30)):
        text += token + draw(st.sampled_from(SPACES))
    return text.encode("latin-1")


@settings(
    max_examples=400,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(soup())
def test_hostile_streams_read_the_same_either_way(data: bytes) -> None:
    plain, parsed = _both(OWNER.make_stream(data))
    assert plain == parsed


@pytest.mark.parametrize(
    "data",
    [
        b"/F1Tf",  # one name, no operator: the expression must not read /F1T then f
        b"0Tw 1 0 0 RG",  # one token 0Tw (unknown to PDF), not 0 and Tw
        b"(a (b) c) Tj",  # nested parentheses
        b"1 0 0 1 k % a comment\n",
        b"<</A true>> BDC",
        b"q BI /W 1 /H 1 /BPC 8 /CS /G ID \x00 EI Q",
        b"1 2 3 4 re q\x00Q",  # NUL is white space to PDF, not to bytes.split
        b"1 0 0",  # operands and no operator
    ],
)
def test_what_the_expression_does_not_read_is_left_to_pikepdf(data: bytes) -> None:
    assert tokens.split(data) is None
    plain, parsed = _both(OWNER.make_stream(data))
    assert plain == parsed


def test_operands_are_read_as_pikepdf_gives_them() -> None:
    ops = parse(OWNER.make_stream(b"-0 .5 -0.0 0 k /P <</MCID 7>> BDC /CS0 cs 1.2.3 1 K"))
    assert [op for op, _ in ops] == ["k", "BDC", "cs", "K"]
    operands = ops.operands
    assert numbers(operands[0]) == [0.0, 0.5, -0.0, 0.0]  # the integer -0 is 0
    assert str(numbers(operands[0])[2]) == "-0.0" and str(numbers(operands[0])[0]) == "0.0"
    assert marked("BDC", operands[1]) == ("P", 7)
    assert string(operands[2], 0) == "/CS0"
    assert numbers(operands[3]) == [1.0]  # qpdf reads 1.2.3 as an operator of its own
    assert ops[0][1] == pikepdf.parse_content_stream(OWNER.make_stream(b"-0 .5 -0.0 0 k"))[0][0]


def _faults(canvas: Canvas) -> None:
    """RGB, a navy QR code, black marks, black text that knocks out, white overprint."""
    _marks(CMYKColor(0, 0, 0, 1))(canvas)
    _qr_like(canvas, CMYKColor(0.88, 0.72, 0.36, 0.38))
    canvas.setFillColor(Color(0.2, 0.4, 0.6))
    canvas.rect(20 * MM, 20 * MM, 10 * MM, 10 * MM, stroke=0, fill=1)
    canvas.setFillOverprint(True)
    canvas.setFillColor(CMYKColor(0, 0, 0, 0))
    canvas.rect(50 * MM, 20 * MM, 10 * MM, 10 * MM, stroke=0, fill=1)


def _plain_faults(canvas: Canvas) -> None:
    """On a plain canvas too: black text that knocks out, white set to overprint."""
    black_text(canvas)
    canvas.saveState()
    _faults(canvas)
    canvas.restoreState()


@pytest.mark.parametrize(
    ("made", "failing"),
    [
        ("pdfx", {"colour", "qr-ink", "marks"}),
        ("plain canvas", {"pdfx", "colour", "qr-ink", "k-overprint", "overprint"}),
    ],
)
def test_a_file_made_to_fail_fails_the_same_read_either_way(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, made: str, failing: set[str]
) -> None:
    if made == "pdfx":
        path = pdfx_file(tmp_path / "x.pdf", _faults)
    else:
        path = pdf(tmp_path / "x.pdf", _plain_faults, press=True)
    with pikepdf.open(path) as document:
        assert tokens.split(content._data(document.pages[0]) or b"") is not None  # plain
    split = check_file(path, fast=True, expect=press_entry(path)).as_dict()["findings"]
    monkeypatch.setattr(tokens, "split", lambda data: None)  # every stream to pikepdf
    parsed = check_file(path, fast=True, expect=press_entry(path)).as_dict()["findings"]
    assert split == parsed
    assert {f["check"] for f in split if f["level"] == "fail"} == failing  # type: ignore[index]
