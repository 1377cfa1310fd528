"""Press copy fits paper: the printed pack never asks the reader to select or type on screen."""

from __future__ import annotations

import subprocess
from pathlib import Path

from packgen.build import BuildReport
from tests.conftest import ROOT

SCREEN_ONLY = ("on screen", "select a title", "type straight")


def _text(path: Path) -> str:
    result = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True)
    return " ".join(result.stdout.lower().split())


def test_the_press_pack_says_nothing_only_a_screen_can_do(built: BuildReport) -> None:
    pack = {f.profile: f.path for f in built.files if f.product == "pack-stakeholder"}
    press, office = _text(pack["press"]), _text(pack["office"])
    assert not [phrase for phrase in SCREEN_ONLY if phrase in press]
    assert "with the page each part starts on" in press
    assert "write on the lines" in press
    assert "on screen, select a title" in office  # the office pack is read on screen too


def test_every_screen_only_sentence_in_the_copy_has_a_press_variant() -> None:
    copy = (ROOT / "assets/campaigns/imhaw-2024/copy/en-GB/pack.yaml").read_text()
    lines = copy.splitlines()
    for number, line in enumerate(lines):
        if "on screen" in line.lower() and not line.lstrip().startswith("#"):
            following = "\n".join(lines[number + 1 : number + 4])
            assert "@press:" in following, f"pack.yaml:{number + 1} has no press variant"
