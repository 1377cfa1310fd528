"""SVG text (a logo's wordmark) drawn as glyph outlines in the project's font."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pypdf
import pytest
from reportlab.graphics.shapes import Group, String
from reportlab.graphics.shapes import Path as RlPath
from reportlab.pdfbase.pdfmetrics import stringWidth
from svglib.svglib import svg2rlg

from packgen.build import build
from packgen.render.outlines import face_for, family_of, outline, outline_text
from packgen.resolve.org import load_org
from packgen.resolve.project import Project
from tests.conftest import FIXTURES, ROOT
from tests.errors.test_org import GOOD

WORDMARK = FIXTURES / "art" / "wordmark.svg"


def test_faces_follow_the_strings_weight_and_style() -> None:
    assert family_of("sans-BoldItalic") == "sans" and family_of("sans") == "sans"
    assert face_for("Helvetica-Bold", "sans") == "sans-Bold"
    assert face_for("Times-Italic", "sans") == "sans-Italic"
    assert face_for("Helvetica-BoldOblique", "sans") == "sans-BoldItalic"
    assert face_for("Helvetica", "sans") == "sans"


def test_a_string_becomes_its_outlines_where_it_was(project: Project) -> None:
    project.register_fonts()
    string = String(10, 20, "Harbourside", fontName="Helvetica-Bold", fontSize=34)
    path = outline(string, "sans-Bold")
    x0, y0, x1, y1 = path.getBounds()
    width = stringWidth("Harbourside", "sans-Bold", 34)
    assert x0 == pytest.approx(10, abs=4) and x1 == pytest.approx(10 + width, abs=4)
    assert y0 == pytest.approx(20, abs=2)  # no descenders: the baseline
    assert 20 + 0.6 * 34 < y1 < 20 + 34  # the cap height
    middle = outline(String(100, 0, "Hub", fontSize=10, textAnchor="middle"), "sans")
    left, _, right, _ = middle.getBounds()
    assert (left + right) / 2 == pytest.approx(100, abs=1)


def test_every_svg_string_is_outlined(project: Project) -> None:
    project.register_fonts()
    drawing = svg2rlg(str(WORDMARK))
    assert drawing is not None

    def strings(node: object) -> int:
        if isinstance(node, String):
            return 1
        return sum(strings(c) for c in getattr(node, "contents", []))

    assert strings(drawing) == 2
    assert outline_text(drawing, "sans") == 2
    assert strings(drawing) == 0

    def paths(node: object) -> list[RlPath]:
        if isinstance(node, RlPath):
            return [node]
        if isinstance(node, Group) or hasattr(node, "contents"):
            return [p for c in getattr(node, "contents", []) for p in paths(c)]
        return []

    filled = [p.fillColor.hexval() for p in paths(drawing)]
    assert "0x1f2a44" in filled and "0x1c8dc7" in filled  # each word keeps its colour


def test_a_wordmark_logo_builds_with_every_font_embedded(tmp_path: Path) -> None:
    shutil.copy(WORDMARK, tmp_path / "logo.svg")
    text = GOOD.replace("logo: logo.png", "logo: logo.svg").replace(
        "Riverside Family Hub", "Harbourside Family Hub"
    )
    (tmp_path / "org.yaml").write_text(text, encoding="utf-8")
    org = load_org(tmp_path / "org.yaml")
    products = ["poster-speak-up", "leaflet-cues-a5", "pack-stakeholder"]
    report = build(Project(ROOT), tmp_path / "out", products, ["press", "office"], org=org)
    assert report.ok, {k: str(v) for k, v in report.failures.items()}
    for built in report.files:
        reader = pypdf.PdfReader(built.path)
        for page in reader.pages:
            fonts = page["/Resources"].get_object().get("/Font", {})
            for font in fonts.values():
                name = str(font.get_object()["/BaseFont"])
                assert "+" in name and "Helvetica" not in name and "Times" not in name, name
        # the wordmark is drawn, not text: its words are not extracted from the page
        words = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
        named = words.count("Harbourside Family Hub")  # the name, printed by the layout
        assert named >= 1 and words.count("Harbourside") == named, built.path.name
    if shutil.which("pdffonts"):  # an independent reader: every font embedded
        for built in report.files:
            lines = subprocess.run(
                ["pdffonts", str(built.path)], capture_output=True, text=True, check=True
            ).stdout.splitlines()[2:]
            assert lines and all(line.split()[-5] == "yes" for line in lines), lines
