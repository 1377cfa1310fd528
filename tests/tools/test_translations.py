"""Translation workflow: coverage report, lock hashes, fallback, dates, bilingual, shipped languages."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from packgen.build import build
from packgen.cli import main
from packgen.designer.translations import languages_of, record, report
from packgen.layout import lay_out
from packgen.layout.placed import PlacedText
from packgen.model.dates import date_range
from packgen.model.profiles import PROFILES
from packgen.resolve.design import load_design
from packgen.resolve.project import Project

from ..conftest import ROOT

COPY = Path("assets/campaigns/imhaw-2024/copy")


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_report_lists_missing_extra_and_outdated_keys_with_percentages(
    project_copy: Path,
) -> None:
    copy = project_copy / COPY
    record(Project(project_copy), "cy")  # the translation matches today's English
    # missing: a Welsh key removed; extra: a misspelt one; outdated: English changed since
    _edit(copy / "cy/posters.yaml", "  body: |\n    Mae'r cariad", "  bodyy: |\n    Mae'r cariad")
    _edit(copy / "en-GB/posters.yaml", "Babies can't talk yet", "Babies cannot talk yet")
    found = {r.language: r for r in report(Project(project_copy))}
    welsh = found["cy"]
    assert welsh.recorded and welsh.extra == ["speak_up.bodyy"]
    speak_up = next(p for p in welsh.products if p.product == "poster-speak-up")
    assert speak_up.missing == ["speak_up.body"] and speak_up.outdated == []
    assert speak_up.percent == round(100 * (speak_up.keys - 1) / speak_up.keys, 1)
    know = next(p for p in welsh.products if p.product == "poster-know-your-baby")
    assert know.missing == [] and know.outdated == ["know_baby.lead"]


def test_report_as_json_and_unrecorded_translation_is_all_outdated(
    project_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project_copy / COPY / "pl/source.lock").unlink()
    code = main(["translations", "--project", str(project_copy), "--language", "pl", "--json"])
    assert code == 0
    (polish,) = json.loads(capsys.readouterr().out)
    assert polish["review"] == "draft" and polish["recorded"] is False
    leaflet = next(p for p in polish["products"] if p["product"] == "leaflet-cues")
    assert leaflet["missing"] == [] and len(leaflet["outdated"]) == leaflet["keys"]
    assert leaflet["percent"] == 0.0


def test_shipped_translations_are_current() -> None:
    for entry in report(Project(ROOT)):
        for product in entry.products:
            assert (product.missing, product.outdated) == ([], []), (entry.language, product)


def test_dates_come_from_cldr() -> None:
    start, end = dt.date(2024, 6, 10), dt.date(2024, 6, 16)
    assert date_range(start, end, "cy") == "10\u201316 Mehefin 2024"
    assert date_range(start, end, "pl") == "10\u201316 czerwca 2024"
    assert date_range(start, end, "en-GB") == "10\u201316 June 2024"
    assert date_range(dt.date(2024, 5, 30), dt.date(2024, 6, 2), "pl") == (
        "30 maja \u2013 2 czerwca 2024"
    )


def test_campaign_name_theme_and_dates_in_the_copy_language() -> None:
    welsh = Project(ROOT, language="cy").content()
    assert welsh.data["campaign.name"] == "Wythnos Ymwybyddiaeth Iechyd Meddwl Babanod 2024"
    assert welsh.data["campaign.theme"] == "Codi llais dros fabanod"
    assert welsh.data["campaign.dates"] == "10\u201316 Mehefin 2024"
    english = Project(ROOT).content()
    assert english.data["campaign.name"] == "Infant Mental Health Awareness Week 2024"


def test_missing_key_fails_naming_it_or_falls_back_with_a_warning(project_copy: Path) -> None:
    copy = project_copy / COPY
    _edit(
        copy / "cy/posters.yaml", "  body: |\n    Mae'r cariad", "  body_old: |\n    Mae'r cariad"
    )
    failed = build(Project(project_copy, language="cy"), project_copy / "out", ["poster-speak-up"])
    message = failed.failures["poster-speak-up"].format()
    assert "poster-speak-up: 1 of 17 copy keys have no cy text: speak_up.body" in message
    assert "copy_fallback: true" in message
    assert not list((project_copy / "out").glob("poster-speak-up*.pdf"))
    _edit(project_copy / "assets/campaigns/imhaw-2024/campaign.yaml", "copy_fallback: false",
          "copy_fallback: true")  # fmt: skip
    built = build(Project(project_copy, language="cy"), project_copy / "out", ["poster-speak-up"])
    assert built.ok
    (warning,) = [w for w in built.warnings if "printed in en-GB" in w.message]
    assert warning.severity.value == "warning" and warning.message.endswith(": speak_up.body")


def test_language_yaml_must_match_its_folder(project_copy: Path) -> None:
    _edit(project_copy / COPY / "pl/language.yaml", "language: pl", "language: cy")
    failed = build(Project(project_copy, language="pl"), project_copy / "out", ["poster-speak-up"])
    message = failed.failures["poster-speak-up"].format()
    assert "copy/pl/language.yaml: error: language: language is 'cy', but the folder is 'pl'" in (
        message
    )


def test_bilingual_poster_tags_each_text_with_its_language() -> None:
    project = Project(ROOT, language="cy")
    design = load_design(project, "poster-speak-up-cy-en")
    placed = lay_out(project, design, "A4", PROFILES["press"])
    texts = {i.element_id: i for p in placed.pages for i in p.items if isinstance(i, PlacedText)}
    assert texts["headline"].language == "cy" and texts["headline-en"].language == "en-GB"
    assert "Codi llais" in " ".join(
        line.flowable.getPlainText() for line in texts["headline"].lines
    )
    assert "Speak up" in " ".join(
        line.flowable.getPlainText() for line in texts["headline-en"].lines
    )
    # Welsh first and larger
    assert texts["headline"].rect.y > texts["headline-en"].rect.y  # y up: higher on the page
    assert max(texts["headline"].font_sizes) > max(texts["headline-en"].font_sizes)


def test_bilingual_poster_manifest_records_both_languages(tmp_path: Path) -> None:
    report_ = build(Project(ROOT, language="cy"), tmp_path, ["poster-speak-up-cy-en"])
    assert report_.ok, report_.failures
    entry = json.loads((tmp_path / "manifest.json").read_text(encoding="utf-8"))["files"][0]
    assert entry["languages"] == ["cy", "en-GB"]
    assert [1, "footer-en", "en-GB"] in entry["text_languages"]


def test_list_shows_languages_of_each_product(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["list", "--project", str(ROOT)]) == 0
    out = capsys.readouterr().out
    every = "en-GB (complete), ar (draft), cy (draft), hi (draft), pl (draft), ur (draft)"
    assert f"  languages: {every}" in out
    assert "  languages: cy+en-GB (draft)" in out
    statuses = {
        lang.language: lang.status for lang in languages_of(Project(ROOT), "leaflet-cues-a5")
    }
    assert statuses == {code: "draft" for code in ("ar", "cy", "hi", "pl", "ur")} | {
        "en-GB": "complete"
    }
    # both leaflets, both posters and the digital kit in every shipped language
    shipped = {"en-GB", "cy", "pl", "ar", "ur", "hi"}
    for product in ("leaflet-cues", "poster-speak-up"):
        assert {lang.language for lang in languages_of(Project(ROOT), product)} == shipped
    for product in ("email-banner", "social-speak-up-story", "social-fact-x", "social-fact-story"):
        statuses = {lang.language: lang.status for lang in languages_of(Project(ROOT), product)}
        assert statuses == {"en-GB": "complete"} | {c: "draft" for c in shipped - {"en-GB"}}
    pack = {lang.language: lang.status for lang in languages_of(Project(ROOT), "pack-stakeholder")}
    assert pack == {"en-GB": "complete", "cy": "draft", "pl": "draft"}
    # large print and Easy Read: English and Welsh
    for product in ("leaflet-cues-large-print", "leaflet-cues-easy-read"):
        statuses = {lang.language: lang.status for lang in languages_of(Project(ROOT), product)}
        assert statuses == {"en-GB": "complete", "cy": "draft"}


@pytest.mark.parametrize("language", ["cy", "pl", "ar", "ur", "hi"])
def test_every_shipped_language_builds_every_product_it_lists(
    language: str, tmp_path: Path
) -> None:
    project = Project(ROOT)
    products = [
        name
        for name in project.products()
        if any(language in lang.language.split("+") for lang in languages_of(project, name))
    ]
    assert products
    # press for the print products, screen for the digital kit (each makes only its own)
    result = build(Project(ROOT, language=language), tmp_path, products, ["press", "screen"])
    assert result.ok, {name: failure.format() for name, failure in result.failures.items()}
    assert {file.product for file in result.files} == set(products)
