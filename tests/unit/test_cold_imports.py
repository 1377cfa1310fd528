"""The command line starts without the heavy libraries its commands import when they run."""

from __future__ import annotations

import subprocess
import sys

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
