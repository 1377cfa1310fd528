"""The preflight's one reader: each PDF opened once, each content stream parsed once.

The colour facts, the press inks, the image placements and the tagging audit
share one parse (``check/content.py``); image placements are read from it
(``check/placed.py``), not from pdfium; a build's preflight loads neither
pypdf nor pdfium.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pikepdf
import pytest
from PIL import Image
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

from packgen.build import BuildReport
from packgen.check import check_file, content
from packgen.check.content import INLINE_IMAGE, Content, parse
from packgen.check.placed import images, multiply, unit_square
from packgen.check.resources import _SCANNED
from packgen.check.tagged import PAINT_OPERATORS, TEXT_OPERATORS
from packgen.units import MM

OWNER = pikepdf.new()  # a stream lives as long as its PDF


def _stream(data: bytes) -> pikepdf.Object:
    return OWNER.make_stream(data)


def test_parse_keeps_only_the_operators_rules_follow() -> None:
    ops = parse(_stream(b"BT /F1 12 Tf 1 0 0 1 5 5 Tm (Hi) Tj ET 0 0 10 10 re 0.5 1 0 0 k f"))
    assert [op for op, _ in ops] == ["Tj", "re", "k", "f"]
    assert [float(v) for v in ops[2][1]] == [0.5, 1, 0, 0]  # operands of the kept operator only


def test_parse_names_an_inline_image() -> None:
    ops = parse(_stream(b"q 20 0 0 10 5 5 cm BI /W 2 /H 1 /BPC 8 /CS /G ID \x00\xff EI Q"))
    assert [op for op, _ in ops] == ["q", "cm", INLINE_IMAGE, "Q"]


def test_each_page_is_parsed_once_for_every_rule(
    built: BuildReport, monkeypatch: pytest.MonkeyPatch
) -> None:
    parsed: list[object] = []
    real = content.parse

    def counting(owner: object, keep: frozenset[str]) -> list[content.Instruction]:
        parsed.append(owner)
        return real(owner, keep)  # type: ignore[arg-type]

    monkeypatch.setattr(content, "parse", counting)
    for name in ("pack-stakeholder-A4-press.pdf", "pack-stakeholder-A4-office.pdf"):
        path = next(f.path for f in built.files if f.path.name == name)
        parsed.clear()
        report = check_file(path, fast=True)  # from the manifest: the file's purpose is known
        pages = len(pikepdf.open(path).pages)
        # colour facts, images and (press) inks or (office) the tagging audit all ran
        checks = {f.check for f in report.findings}
        assert {"colour", "images"} <= checks
        assert ("qr-ink" in checks) == name.endswith("press.pdf")
        assert ("tagged" in checks) == name.endswith("office.pdf")
        assert len(parsed) == pages  # one parse per page, shared by all of them


def test_content_keeps_each_parse() -> None:
    pdf = pikepdf.new()
    pdf.add_blank_page()
    pdf.pages[0].obj.Contents = pdf.make_stream(b"0 0 1 rg 0 0 5 5 re f")
    opened = Content(pdf)
    colour = content.FOLLOWED["colour"]
    assert opened.page(0, colour) is opened.page(0, colour)
    assert [op for op, _ in opened.page(0, colour) or []] == ["rg", "re", "f"]


def test_matrices_compose_in_pdf_order() -> None:
    scale, move = (2.0, 0.0, 0.0, 3.0, 0.0, 0.0), (1.0, 0.0, 0.0, 1.0, 10.0, 20.0)
    # a cm of ``scale`` inside a CTM that moves: the unit square is scaled, then moved
    assert unit_square(multiply(scale, move)) == (10.0, 20.0, 12.0, 23.0)
    quarter = (0.0, 1.0, -1.0, 0.0, 0.0, 0.0)  # rotated 90°: the box still bounds it
    assert unit_square(multiply(scale, quarter)) == (-3.0, 0.0, 0.0, 2.0)


def _image_pdf(path: Path, in_form: bool) -> Path:
    canvas = Canvas(str(path), pagesize=(210 * MM, 297 * MM), invariant=1)
    picture = ImageReader(Image.new("L", (120, 60), 128))
    if in_form:  # a form XObject drawn at half size, holding the image
        canvas.beginForm("held")
        canvas.drawImage(picture, 0, 0, 100 * MM, 50 * MM)
        canvas.endForm()
        canvas.saveState()
        canvas.translate(30 * MM, 40 * MM)
        canvas.scale(0.5, 0.5)
        canvas.doForm("held")
        canvas.restoreState()
    else:
        canvas.drawImage(picture, 30 * MM, 40 * MM, 50 * MM, 25 * MM)
    canvas.showPage()
    canvas.save()
    return path


@pytest.mark.parametrize("in_form", [False, True])
def test_images_are_placed_in_page_space(tmp_path: Path, in_form: bool) -> None:
    path = _image_pdf(tmp_path / "x.pdf", in_form)
    opened = Content.open(path)
    try:
        ((x0, y0, x1, y1), pixels) = images(opened, 0)[0]
    finally:
        opened.close()
    assert pixels == (120, 60)
    expected = (30 * MM, 40 * MM, 80 * MM, 65 * MM)  # 50 × 25 mm either way
    assert (x0, y0, x1, y1) == pytest.approx(expected, abs=0.01)
    (finding,) = [f for f in check_file(path, fast=True).findings if f.check == "images"]
    assert finding.message == "an image prints at 61 ppi (minimum 150)"  # 120 px over 50 mm


def test_a_build_loads_neither_pypdf_nor_pdfium(tmp_path: Path) -> None:
    script = (
        "import sys\n"
        "from packgen.cli import main\n"
        f"code = main(['build', '--only', 'poster-speak-up', '--size', 'A4',"
        f" '--profile', 'press', '--out', {str(tmp_path)!r}])\n"
        "print(code, 'pypdf' in sys.modules, 'pypdfium2' in sys.modules)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert done.stdout.split()[-3:] == ["0", "False", "False"], done.stderr
    assert (tmp_path / "poster-speak-up-A4-press.pdf").is_file()  # built and preflighted


def _findings(path: Path) -> list[tuple[str, str, str, int | None]]:
    report = check_file(path, fast=True)
    return [(f.check, f.level.value, f.message, f.page) for f in report.findings]


def test_what_each_kind_of_file_parses() -> None:
    office, press = content.operators_for(False), content.operators_for(True)
    assert not {"re", "m", "l", "n"} & office  # only the press inks follow paths
    assert not {"BDC", "BMC", "EMC", "sh"} & press  # only the tagging audit follows these
    assert content.operators_for(None) == content.EVERYTHING == office | press
    # each reader's declared operators are those its code follows
    assert content.FOLLOWED["tagging"] == {"BDC", "BMC", "EMC"} | TEXT_OPERATORS | PAINT_OPERATORS
    assert _SCANNED | {"rg", "RG", "cs", "CS", "k", "K"} <= content.FOLLOWED["colour"]


def test_a_reader_gets_what_it_follows_from_a_stream_parsed_without_it() -> None:
    pdf = pikepdf.new()
    pdf.add_blank_page()
    pdf.pages[0].obj.Contents = pdf.make_stream(b"/P <</MCID 0>> BDC 0 0 5 5 re 1 0 0 0 k f EMC")
    opened = Content(pdf, content.operators_for(False))  # kept as for an office file
    first = opened.page(0, content.FOLLOWED["colour"]) or []
    assert [op for op, _ in first] == ["BDC", "k", "f", "EMC"]  # no path: no reader asked
    assert opened.page(0, content.FOLLOWED["tagging"]) is first  # kept: not parsed again
    inks = opened.page(0, content.FOLLOWED["press inks"]) or []
    assert [op for op, _ in inks] == ["BDC", "re", "k", "f", "EMC"]  # parsed again, with paths
    assert opened.page(0, content.FOLLOWED["colour"]) is inks


@pytest.mark.parametrize(
    "name", ["pack-stakeholder-A4-press.pdf", "pack-stakeholder-A4-office.pdf"]
)
def test_findings_do_not_depend_on_what_is_parsed_first(
    built: BuildReport, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    import packgen.check as check

    path = next(f.path for f in built.files if f.path.name == name)
    chosen = _findings(path)  # parsed for what the file is (the manifest says)
    checks = {check for check, *_ in chosen}
    assert ("qr-ink" in checks and "marks" in checks) == name.endswith("press.pdf")
    assert ("tagged" in checks) == name.endswith("office.pdf")
    monkeypatch.setattr(check, "operators_for", lambda press: content.EVERYTHING)
    assert _findings(path) == chosen
    # parsed first as for the other kind of file: a press file's inks still see paths
    monkeypatch.setattr(check, "operators_for", lambda press: content.operators_for(not press))
    assert _findings(path) == chosen
