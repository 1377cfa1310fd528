"""A pack's `languages:` overlay reaches its templates' and story panels' elements."""

from __future__ import annotations

from typing import Any

from packgen.resolve.design import apply_overlay, load_design
from packgen.resolve.project import Project

from ..conftest import ROOT


def _element(elements: Any, element_id: str) -> Any:
    return next(e for e in elements if e.get("id") == element_id)


def _panel(data: Any, panel_id: str) -> Any:
    return next(i for i in data["story"] if i.get("id") == panel_id)


def test_template_and_panel_elements_move_for_their_language_only() -> None:
    design = load_design(Project(ROOT, language="pl"), "pack-stakeholder")
    english, polish = apply_overlay(design, "A4", "en-GB"), apply_overlay(design, "A4", "pl")
    kicker = [
        _element(d["templates"]["cover"]["elements"], "kicker")["box"] for d in (english, polish)
    ]
    assert (str(kicker[0]["y"]), str(kicker[0]["h"])) == ("18mm", "15mm")
    assert (str(kicker[1]["y"]), str(kicker[1]["h"])) == ("15mm", "22mm")
    # 'title' is in the cover, the back and the banner preview: the overlay names the panel
    titles = [
        _element(_panel(d, "banner-preview")["elements"], "title")["box"] for d in (english, polish)
    ]
    assert str(titles[0]["h"]) == "10.27mm" and str(titles[1]["h"]) == "16.33mm"
    for data in (english, polish):
        cover_title = _element(data["templates"]["cover"]["elements"], "title")["box"]
        assert str(cover_title["y"]) == "40mm"  # untouched
    raw = _element(design.raw["templates"]["cover"]["elements"], "kicker")["box"]
    assert str(raw["y"]) == "18mm"  # the design itself is not changed by an overlay
