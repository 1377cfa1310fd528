"""The command line starts without the heavy libraries its commands import when they run."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

HEAVY = (
    "starlette",
    "jinja2",
    "pypdfium2",
    "pikepdf",
    "pypdf",
    "fontTools",
    "reportlab",
    "pydantic",
)


def test_importing_the_cli_loads_no_heavy_library() -> None:
    code = "import sys, packgen.cli; print(' '.join(sorted(sys.modules)))"
    loaded = set(
        subprocess.run(
            [sys.executable, "-c", code], check=True, capture_output=True, text=True
        ).stdout.split()
    )
    assert "packgen.cli" in loaded
    assert sorted(name for name in HEAVY if name in loaded) == []


POSTER = """
import json, sys
import svglib.svglib
parsed = []  # the sources svglib parsed: each SVG once per process
_svg2rlg = svglib.svglib.svg2rlg
def counted(source, *args, **kwargs):
    parsed.append(1)
    return _svg2rlg(source, *args, **kwargs)
svglib.svglib.svg2rlg = counted
from packgen.cli import main
from reportlab.pdfbase import pdfmetrics
code = main(["build", "--only", "poster-speak-up", "--size", "A4", "--profile", "office",
             "--out", sys.argv[1]])
modules = sorted(sys.modules)
from packgen.model.pack import PackDocument
from packgen.resolve.fonts import with_fallback
from packgen.resolve.org import OrgProfile
before = sorted(pdfmetrics.getRegisteredFontNames())
with_fallback("\\u0645\\u0631\\u0643\\u0632", "sans")  # Arabic: a fallback face is read now
print(json.dumps({"code": code, "modules": modules, "fonts": before,
                  "after": sorted(pdfmetrics.getRegisteredFontNames()),
                  "pack_model_built": PackDocument.__pydantic_complete__,
                  "org_model_built": OrgProfile.__pydantic_complete__,
                  "svg_parses": len(parsed)}))
"""


# what a cold poster has no use for: the web stack, the QR reader, the pack's flowing layout,
# the screen images' writer, saxutils' urllib.request, http and ssl, Babel (the date range
# is kept in the cache folder after the first build)
NOT_FOR_A_POSTER = (
    "starlette",
    "jinja2",
    "uvicorn",
    "zxingcpp",
    "packgen.layout.flow",
    "packgen.render.png",
    "PIL.PngImagePlugin",
    "xml.sax",
    "urllib.request",
    "http.client",
    "ssl",
    "babel",
)


def test_a_poster_build_loads_only_what_it_uses(tmp_path: Path) -> None:
    """A cold English poster: only what it uses, no fallback font, no pack or organisation
    models, each SVG (the poster's art and the campaign mark) parsed once."""
    for _ in range(2):  # the second is the cold start of a machine that has built before
        result = subprocess.run(
            [sys.executable, "-c", POSTER, str(tmp_path)],
            check=True,
            capture_output=True,
            text=True,
        )
    found = json.loads(result.stdout.splitlines()[-1])
    assert found["code"] == 0
    assert (tmp_path / "poster-speak-up-A4-office.pdf").is_file()
    loaded = set(found["modules"])
    assert [name for name in NOT_FOR_A_POSTER if name in loaded] == []
    assert [name for name in found["fonts"] if name.startswith("fallback")] == []
    assert any(name.startswith("fallback") for name in found["after"])  # read when needed
    assert found["pack_model_built"] is False
    assert found["org_model_built"] is False
    assert found["svg_parses"] == 2  # checked when found and drawn from the same parse
