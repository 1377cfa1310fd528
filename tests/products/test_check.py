"""The preflight: every rule fails a PDF made to break it, with a clear message."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image
from reportlab.lib.colors import CMYKColor, Color
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

from packgen.build import BuildReport
from packgen.check import check_file
from packgen.check.rules import Level
from packgen.cli import main
from packgen.resolve.fonts import FontFamily, register
from packgen.resolve.qr import encode
from packgen.units import MM

A4 = (210 * MM, 297 * MM)


def pdf(
    path: Path, draw: Callable[[Canvas], None], press: bool = False, bleed_mm: float = 3
) -> Path:
    """A one-page A4 PDF; with ``press``, trim + bleed boxes inside a larger media."""
    register(FontFamily("sans", "Atkinson Hyperlegible"))
    extra = (bleed_mm + 10) * MM if press else 0
    canvas = Canvas(
        str(path),
        pagesize=(A4[0] + 2 * extra, A4[1] + 2 * extra),
        invariant=1,
        initialFontName="sans",
    )
    if press:
        canvas.setTrimBox((extra, extra, extra + A4[0], extra + A4[1]))
        b = extra - bleed_mm * MM
        canvas.setBleedBox((b, b, extra + A4[0] + bleed_mm * MM, extra + A4[1] + bleed_mm * MM))
        canvas.translate(extra, extra)
    draw(canvas)
    canvas.showPage()
    canvas.save()
    return path


def black_text(
    canvas: Canvas,
    size: float = 12,
    x: float = 30 * MM,
    y: float = 200 * MM,
    text: str = "Speak up for babies",
) -> None:
    canvas.setFillColor(CMYKColor(0, 0, 0, 1))
    canvas.setFont("sans", size)
    canvas.drawString(x, y, text)


def failures(path: Path, check: str, fast: bool = True) -> list[str]:
    report = check_file(path, fast=fast)
    return [f.message for f in report.findings if f.check == check and f.level is Level.FAIL]


def test_a_clean_press_file_passes(tmp_path: Path) -> None:
    report = check_file(pdf(tmp_path / "ok.pdf", black_text, press=True))
    assert report.ok, report.findings
    assert report.profile == "press"


def test_missing_bleed_box(tmp_path: Path) -> None:
    path = tmp_path / "x.pdf"
    canvas = Canvas(str(path), pagesize=(A4[0] + 20, A4[1] + 20), invariant=1)
    canvas.setTrimBox((10, 10, A4[0] + 10, A4[1] + 10))
    canvas.showPage()
    canvas.save()
    assert failures(path, "boxes") == ["BleedBox not set"]


def test_bleed_under_3mm(tmp_path: Path) -> None:
    path = pdf(tmp_path / "x.pdf", black_text, press=True, bleed_mm=1)
    assert failures(path, "boxes") == ["bleed is 1.0 mm; at least 3 mm is needed"]


def test_unembedded_font(tmp_path: Path) -> None:
    def draw(canvas: Canvas) -> None:
        canvas.setFont("Helvetica", 12)
        canvas.drawString(30 * MM, 200 * MM, "Hello")

    assert failures(pdf(tmp_path / "x.pdf", draw), "fonts") == ["font Helvetica is not embedded"]


def test_rgb_in_a_press_file(tmp_path: Path) -> None:
    def draw(canvas: Canvas) -> None:
        canvas.setFillColor(Color(1, 0, 0))
        canvas.rect(20 * MM, 20 * MM, 30 * MM, 30 * MM, fill=1, stroke=0)

    found = failures(pdf(tmp_path / "x.pdf", draw, press=True), "colour")
    assert found and "RGB colour operators" in found[0]


def test_rgb_image_in_a_press_file(tmp_path: Path) -> None:
    image = Image.new("RGB", (600, 600), (200, 30, 30))

    def draw(canvas: Canvas) -> None:
        canvas.drawImage(ImageReader(image), 20 * MM, 20 * MM, 40 * MM, 40 * MM)

    found = failures(pdf(tmp_path / "x.pdf", draw, press=True), "colour")
    assert any("RGB image" in message for message in found)


def test_total_ink_over_300(tmp_path: Path) -> None:
    def draw(canvas: Canvas) -> None:
        canvas.setFillColor(CMYKColor(1, 1, 1, 1))
        canvas.rect(20 * MM, 20 * MM, 30 * MM, 30 * MM, fill=1, stroke=0)

    assert failures(pdf(tmp_path / "x.pdf", draw, press=True), "ink") == [
        "total ink reaches 400% (limit 300%)"
    ]


def test_annotations_in_a_press_file(tmp_path: Path) -> None:
    def draw(canvas: Canvas) -> None:
        black_text(canvas)
        canvas.linkURL("https://example.org/", (20 * MM, 20 * MM, 60 * MM, 30 * MM))

    found = failures(pdf(tmp_path / "x.pdf", draw, press=True), "annotations")
    assert found == ["1 annotation(s) (/Link) in a press file"]


@pytest.mark.parametrize(
    ("pixels", "level", "ppi"), [(100, Level.FAIL, 51), (400, Level.WARN, 203)]
)
def test_image_resolution(tmp_path: Path, pixels: int, level: Level, ppi: int) -> None:
    image = Image.new("L", (pixels, pixels), 128)

    def draw(canvas: Canvas) -> None:
        canvas.drawImage(ImageReader(image), 20 * MM, 20 * MM, 50 * MM, 50 * MM)

    report = check_file(pdf(tmp_path / "x.pdf", draw), fast=True)
    found = [f for f in report.findings if f.check == "images"]
    assert [f.level for f in found] == [level]
    assert f"prints at {ppi} ppi" in found[0].message


def test_text_outside_the_safe_area(tmp_path: Path) -> None:
    path = pdf(tmp_path / "x.pdf", lambda c: black_text(c, x=1 * MM), press=True)
    assert failures(path, "safe-area") == ["text 'Speak up for babies' lies outside the safe area"]


def test_text_under_8pt(tmp_path: Path) -> None:
    path = pdf(tmp_path / "x.pdf", lambda c: black_text(c, size=6))
    assert failures(path, "text-size") == ["text 'Speak up for babies' is 6.0pt (minimum 8pt)"]


def test_low_contrast_text(tmp_path: Path) -> None:
    def draw(canvas: Canvas) -> None:
        canvas.setFillColor(Color(0.8, 0.8, 0.8))
        canvas.setFont("sans", 12)
        canvas.drawString(30 * MM, 200 * MM, "Pale words")

    found = failures(pdf(tmp_path / "x.pdf", draw), "contrast", fast=False)
    assert len(found) == 1 and "has contrast 1.6" in found[0] and "needs 4.5:1" in found[0]


def _qr(canvas: Canvas, url: str, x: float, y: float, module: float, quiet: bool = True) -> None:
    matrix = encode(url, "M")
    n = len(matrix)
    canvas.setFillColor(Color(0.1, 0.1, 0.1))
    canvas.rect(
        x - 10 * MM, y - 10 * MM, n * module + 20 * MM, n * module + 20 * MM, fill=1, stroke=0
    )
    canvas.setFillColor(Color(1, 1, 1))
    pad = 4 * module if quiet else module
    canvas.rect(x - pad, y - pad, n * module + 2 * pad, n * module + 2 * pad, fill=1, stroke=0)
    canvas.setFillColor(Color(0, 0, 0))
    for r, row in enumerate(matrix):
        for c, dark in enumerate(row):
            if dark:
                canvas.rect(
                    x + c * module, y + (n - 1 - r) * module, module, module, fill=1, stroke=0
                )


def test_qr_without_quiet_zone(tmp_path: Path) -> None:
    path = pdf(
        tmp_path / "x.pdf",
        lambda c: _qr(c, "https://example.org/", 60 * MM, 150 * MM, 1 * MM, quiet=False),
    )
    found = failures(path, "qr", fast=False)
    assert found == ["QR code for https://example.org/ lacks a clear 4-module quiet zone"]


def test_qr_modules_too_small(tmp_path: Path) -> None:
    path = pdf(
        tmp_path / "x.pdf", lambda c: _qr(c, "https://example.org/", 60 * MM, 150 * MM, 0.3 * MM)
    )
    report = check_file(path)
    messages = [f.message for f in report.findings if f.check == "qr" and f.level is Level.FAIL]
    assert len(messages) == 1 and "mm modules (minimum 0.4 mm)" in messages[0]


def test_qr_that_does_not_match_the_layout(built: BuildReport, tmp_path: Path) -> None:
    """A manifest entry says which URLs a file must carry; a swapped file is caught."""
    source = next(
        f
        for f in built.files
        if f.product == "poster-speak-up" and f.size == "A4" and f.profile == "office"
    )
    manifest = json.loads((source.path.parent / "manifest.json").read_text())
    entry = next(e for e in manifest["files"] if e["file"] == source.path.name)
    target = pdf(
        tmp_path / source.path.name,
        lambda c: _qr(c, "https://example.org/", 60 * MM, 150 * MM, 1 * MM),
    )
    entry["sha256"] = hashlib.sha256(target.read_bytes()).hexdigest()
    (tmp_path / "manifest.json").write_text(json.dumps({"format": 1, "files": [entry]}))
    found = failures(target, "qr", fast=False)
    assert "QR code decodes to https://example.org/, which the layout did not place" in found
    assert any(
        message.startswith("no QR code decodes to https://www.aaimh.org.au/") for message in found
    )


def test_a_file_that_is_not_a_pdf_gets_a_report(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "broken.pdf"
    bad.write_bytes(b"%PDF-1.4 this is not really a PDF")
    assert main(["check", str(bad)]) == 1
    out = capsys.readouterr()
    assert "cannot read the PDF" in out.out
    assert "Traceback" not in out.err


def test_the_default_pack_passes_in_both_profiles(
    built: BuildReport, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = built.files[0].path.parent
    assert main(["check", str(folder), "--json"]) == 0
    reports = json.loads(capsys.readouterr().out)
    assert {r["profile"] for r in reports} == {"press", "office"}
    assert all(r["ok"] for r in reports)
    assert len(reports) == len(built.files)


def test_build_ran_the_fast_checks(built: BuildReport) -> None:
    assert len(built.preflight) == len(built.files)
    assert all(r.ok for r in built.preflight)


def test_a_builds_preflight_trusts_the_layout_only_for_text(built: BuildReport) -> None:
    """Text size and safe area are the layout's proof; what the writer made is still read."""
    trusted = {f.check for report in built.preflight for f in report.findings}
    assert not trusted & {"safe-area", "text-size"}
    assert {"boxes", "fonts", "colour", "qr-ink", "tagged"} <= trusted
    pdf_path = next(r.path for r in built.preflight if r.path.suffix == ".pdf")
    everything = {f.check for f in check_file(pdf_path, fast=True).findings}
    assert {"safe-area", "text-size"} <= everything


def test_json_output_shape(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = pdf(tmp_path / "x.pdf", lambda c: black_text(c, size=6))
    assert main(["check", str(path), "--json", "--fast"]) == 1
    (report,) = json.loads(capsys.readouterr().out)
    assert report["ok"] is False
    assert {"check": "text-size", "level": "fail", "page": 1}.items() <= next(
        f for f in report["findings"] if f["check"] == "text-size"
    ).items()


def test_body_text_under_the_layouts_minimum(tmp_path: Path) -> None:
    """Which text is body text is the layout's knowledge: it comes from the manifest."""
    path = pdf(tmp_path / "leaflet.pdf", lambda c: black_text(c, size=10))
    entry = {
        "file": path.name,
        "product": "leaflet",
        "size": "A4",
        "profile": "office",
        "pages": 1,
        "bytes": path.stat().st_size,
        "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
        "qr_urls": [],
        "min_text": 8.0,
        "min_body": 12.0,
        "page_expect": [
            {
                "trim": [0, 0, A4[0], A4[1]],
                "safe_areas": [[5 * MM, 5 * MM, A4[0] - 10 * MM, A4[1] - 10 * MM]],
                "folds": [],
                "body_text": [[25 * MM, 195 * MM, 120 * MM, 15 * MM]],
            }
        ],
    }
    (tmp_path / "manifest.json").write_text(json.dumps({"format": 1, "files": [entry]}))
    assert failures(path, "text-size") == [
        "body text 'Speak up for babies' is 10.0pt (minimum 12pt)"
    ]
