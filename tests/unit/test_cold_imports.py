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
from packgen.cli import main
from reportlab.pdfbase import pdfmetrics
code = main(["build", "--only", "poster-speak-up", "--size", "A4", "--profile", "office",
             "--out", sys.argv[1]])
from packgen.model.pack import PackDocument
from packgen.resolve.fonts import with_fallback
before = sorted(pdfmetrics.getRegisteredFontNames())
with_fallback("\\u0645\\u0631\\u0643\\u0632", "sans")  # Arabic: a fallback face is read now
print(json.dumps({"code": code, "modules": sorted(sys.modules), "fonts": before,
                  "after": sorted(pdfmetrics.getRegisteredFontNames()),
                  "pack_model_built": PackDocument.__pydantic_complete__}))
"""


def test_a_poster_build_loads_only_what_it_uses(tmp_path: Path) -> None:
    """A cold English poster: no web stack or QR reader, no fallback font, no pack models."""
    result = subprocess.run(
        [sys.executable, "-c", POSTER, str(tmp_path)], check=True, capture_output=True, text=True
    )
    found = json.loads(result.stdout.splitlines()[-1])
    assert found["code"] == 0
    assert (tmp_path / "poster-speak-up-A4-office.pdf").is_file()
    loaded = {name.split(".")[0] for name in found["modules"]}
    assert sorted(loaded & {"starlette", "jinja2", "uvicorn", "zxingcpp"}) == []
    assert [name for name in found["fonts"] if name.startswith("fallback")] == []
    assert any(name.startswith("fallback") for name in found["after"])  # read when needed
    assert found["pack_model_built"] is False
