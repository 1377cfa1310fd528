"""Co-branding checked up front: profile values against every layout's co-brand slots."""

from __future__ import annotations

from pathlib import Path

import pytest

from packgen.build import ORG_PROFILE, build
from packgen.cli import main
from packgen.layout.cobrand import check_profile
from packgen.layout.typeset import typeset
from packgen.model.common import VAlign
from packgen.resolve.design import load_design, resolve
from packgen.resolve.markup import Block, BlockKind
from packgen.resolve.org import NO_BREAK, keep_last_words, load_org
from packgen.resolve.project import Project
from tests.conftest import ROOT
from tests.errors.test_org import GOOD, profile

LONG_SUPPORT = "Riverside and Hillside Parent-Infant Relationship and Perinatal Mental Health Team"


def test_a_support_name_too_long_for_the_qr_captions_is_refused_at_its_field(
    tmp_path: Path,
) -> None:
    path = profile(tmp_path, GOOD.replace("Riverside Parent-Infant Team", LONG_SUPPORT))
    org = load_org(path)
    errors, warnings = check_profile(Project(ROOT), org, ["poster-speak-up", "leaflet-cues-a5"])
    assert not warnings
    (error,) = errors  # the URL in the same caption fits: only the name is refused
    assert error.field == "support.name" and str(error.span) == f"{path}:5:9"
    assert (
        error.message == "82 characters; 'support-contact' of leaflet-cues-a5 (A5) fits 52 at 12 pt"
    )
    assert error.hint == (
        "shorten it to 52 characters or fewer; also too long for 'qr-support-org' of poster-speak-up"
    )
    # the limit it names is the real one: 52 characters pass, 53 do not
    for count, refused in ((52, False), (53, True)):
        name = LONG_SUPPORT[:count].rstrip()
        shorter = profile(tmp_path, GOOD.replace("Riverside Parent-Infant Team", name))
        found, _ = check_profile(Project(ROOT), load_org(shorter), ["leaflet-cues-a5"])
        assert bool(found) is refused, (name, found)


def test_a_refused_profile_builds_nothing(tmp_path: Path) -> None:
    path = profile(tmp_path, GOOD.replace("Riverside Parent-Infant Team", LONG_SUPPORT))
    report = build(Project(ROOT), tmp_path / "out", org=load_org(path))
    assert list(report.failures) == [ORG_PROFILE] and not report.files
    assert not (tmp_path / "out").exists()


def test_a_layout_without_cobrand_elements_is_a_warning_under_org(
    project_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plain = """\
extends: _base.yaml
kind: poster
metadata: {title: speak_up.meta.title, subject: speak_up.meta.subject, keywords: speak_up.meta.keywords}
sizes: {A4: {}}
styles: {}
pages:
  - id: front
    elements:
      - {type: text, id: t, box: {x: 20mm, y: 20mm, w: 150mm, h: 60mm}, copy: speak_up.body, style: body}
"""
    (project_copy / "layouts" / "plain.yaml").write_text(plain, encoding="utf-8")
    org = profile(tmp_path)
    args = ["build", "--project", str(project_copy), "--only", "plain", "--profile", "office"]
    assert main([*args, "--out", str(tmp_path / "out"), "--org", str(org)]) == 0
    err = capsys.readouterr().err
    assert (
        "layouts/plain.yaml: warning: layout 'plain' has no co-brand elements (show: with_org, "
        "or a logo slot), so it will not carry the organisation's name or logo"
    ) in err
    assert main([*args, "--out", str(tmp_path / "out2")]) == 0  # without --org: no warning
    assert "warning" not in capsys.readouterr().err


def test_the_shipped_layouts_have_cobrand_elements(project: Project) -> None:
    org = load_org(ROOT / "docs" / "examples" / "orgs" / "riverside.yaml")
    assert check_profile(project, org) == ([], [])


def test_names_keep_their_last_two_words_together() -> None:
    assert (
        keep_last_words("Riverside Parent-Infant Team") == f"Riverside Parent-Infant{NO_BREAK}Team"
    )
    assert keep_last_words("Riverside Hub") == "Riverside Hub"  # two words may still break
    assert keep_last_words("A B Averyveryverylongword Anotherlongword") == (
        "A B Averyveryverylongword Anotherlongword"
    )


def _words_per_line(project: Project, text: str, width: float) -> list[list[str]]:
    resolved = resolve(project, load_design(project, "poster-speak-up"), "A4")
    block = Block(BlockKind.PARAGRAPH, text)
    result = typeset(
        [(block, resolved.styles["body"])],
        x=0,
        top=500,
        width=width,
        height=400,
        scale=1.0,
        min_factor=1.0,
        valign=VAlign.TOP,
        cmyk=False,
    )
    return [list(words) for line in result.lines for _, words in line.flowable.blPara.lines]


def test_no_lone_last_word_when_a_name_wraps(project: Project) -> None:
    project.register_fonts()
    name = "Riverside Parent-Infant Team"
    # the engine itself never leaves one word alone on a last line (typographic
    # finishing), and the co-brand values keep their last two words together too
    assert _words_per_line(project, name, 150) == [["Riverside"], [f"Parent-Infant{NO_BREAK}Team"]]
    assert _words_per_line(project, keep_last_words(name), 150) == [
        ["Riverside"],
        [f"Parent-Infant{NO_BREAK}Team"],
    ]


def test_packs_are_checked_up_front_at_their_panels_and_pages(tmp_path: Path) -> None:
    """The flowing layouts (the pack, large print, Easy Read) are in the check too."""
    path = profile(tmp_path, GOOD.replace("Riverside Parent-Infant Team", LONG_SUPPORT))
    names = ["pack-stakeholder", "leaflet-cues-easy-read"]
    errors, _ = check_profile(Project(ROOT), load_org(path), names)
    (error,) = errors
    assert error.field == "support.name" and str(error.span) == f"{path}:5:9"
    assert (
        error.message == "82 characters; 'row-support/text' of leaflet-cues-easy-read (A4) fits 67"
    )
    # the limit it names is the real one: at 67 characters the Easy Read leaflet builds
    for count, refused in ((67, False), (68, True)):
        name = LONG_SUPPORT[:count].rstrip()
        shorter = load_org(profile(tmp_path, GOOD.replace("Riverside Parent-Infant Team", name)))
        found, _ = check_profile(Project(ROOT), shorter, ["leaflet-cues-easy-read"])
        assert bool(found) is refused, (name, found)
        if not refused:
            out = tmp_path / "out"
            report = build(Project(ROOT), out, ["leaflet-cues-easy-read"], ["office"], org=shorter)
            assert report.ok, {k: str(v) for k, v in report.failures.items()}


LEAFLETS = ["leaflet-cues", "leaflet-cues-a5", "leaflet-cues-large-print", "leaflet-cues-easy-read"]
LONG_NAME = "Riverside and Hillside Family Hub for Parents, Carers and Babies of the Upper Valley"


def test_every_leaflet_prints_the_organisations_name(tmp_path: Path) -> None:
    import re

    import pypdf

    org = load_org(profile(tmp_path, GOOD.replace("Riverside Family Hub", LONG_NAME)))
    report = build(Project(ROOT), tmp_path / "out", LEAFLETS, ["office", "press"], org=org)
    assert report.ok, {k: str(v) for k, v in report.failures.items()}
    assert len(report.files) == 2 * len(LEAFLETS)
    for built in report.files:
        text = " ".join(page.extract_text() for page in pypdf.PdfReader(built.path).pages)
        words = " ".join(re.sub(r"\s+", " ", text).split())
        assert f"Shared with you by {LONG_NAME}" in words, (built.path.name, words[-400:])
    # without an organisation, no line for one
    plain = build(Project(ROOT), tmp_path / "plain", ["leaflet-cues-a5"], ["office"])
    (built,) = plain.files
    text = " ".join(page.extract_text() for page in pypdf.PdfReader(built.path).pages)
    assert "Shared with you by" not in text


NHS_NAME = "Birmingham and Solihull Women's and Children's NHS Foundation Trust Family Hub Service"
DIGITAL_KIT = ["email-banner", *sorted(p.stem for p in (ROOT / "layouts").glob("social-*.yaml"))]


def test_every_kit_image_takes_an_nhs_length_name(tmp_path: Path) -> None:
    assert len(NHS_NAME) == 86 and len(DIGITAL_KIT) == 11
    path = profile(tmp_path, GOOD.replace("Riverside Family Hub", f'"{NHS_NAME}"'))
    assert check_profile(Project(ROOT), load_org(path), DIGITAL_KIT) == ([], [])


def test_the_kit_fits_at_least_eighty_characters_of_any_name(tmp_path: Path) -> None:
    longer = f"{NHS_NAME} and the Riverside Children's Hubs"
    assert len(longer) == 120  # the longest name a profile may have
    path = profile(tmp_path, GOOD.replace("Riverside Family Hub", f'"{longer}"'))
    (error,) = check_profile(Project(ROOT), load_org(path), DIGITAL_KIT)[0]
    assert error.field == "name" and error.hint.startswith("shorten it to ")
    fits = int(error.hint.removeprefix("shorten it to ").split()[0])  # the tightest slot's
    assert 80 <= fits < 120, error.message
