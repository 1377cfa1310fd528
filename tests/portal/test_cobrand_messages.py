"""Co-branding failures in the visitor's words, at the form field they come from."""

from __future__ import annotations

from pathlib import Path

from packgen.errors import Diagnostic
from packgen.layout.cobrand import TooLong, check_profile
from packgen.resolve.org import load_org
from packgen.resolve.project import Project
from packgen.web.jobs import run_job
from packgen.web.pages import PageCopy
from packgen.web.problems import cobrand_message
from tests.conftest import ROOT
from tests.errors.test_org import GOOD, profile

LONG_NAME = (
    "The Riverside and Hillside Family Hub for Parents, Carers, Babies and Young Children "
    "of the Valley"
)


def _copy() -> PageCopy:
    return PageCopy(Project(ROOT).content())


def test_each_field_too_long_is_said_in_plain_words() -> None:
    copy = _copy()
    name = TooLong("x", field="name", fits=85, kind="poster", slot_id="footer-org")
    assert cobrand_message(name, copy) == (
        "Your organisation's name is too long for the poster footer: at most 85 characters."
    )
    support = TooLong("x", field="support.name", fits=52, kind="leaflet", slot_id="support-contact")
    assert cobrand_message(support, copy) == (
        "Your support service's name is too long for the leaflet's contact box: "
        "at most 52 characters."
    )
    link = TooLong("x", field="support.url", fits=40, kind="poster", slot_id="qr-support-org")
    assert cobrand_message(link, copy) == (
        "Your support service's web address is too long to print beside its QR code on the "
        "posters: at most 40 characters, without https://. Use a shorter link, for example "
        "your service's main page."
    )
    unknown = TooLong("x", field="name", fits=30, kind="flyer", slot_id="new-slot")
    assert cobrand_message(unknown, copy) == (
        "Your organisation's name is too long for one of the products: at most 30 characters."
    )
    assert cobrand_message(Diagnostic("other", field="name"), copy) is None


def test_every_slot_the_check_can_refuse_has_plain_words(tmp_path: Path) -> None:
    """Each refusal the check makes of the shipped layouts names a place the copy knows."""
    copy = _copy()
    long = "Riverside and Hillside Parent-Infant Relationship and Perinatal Mental Health Team"
    text = GOOD.replace("Riverside Family Hub", LONG_NAME + " " + LONG_NAME[:20]).replace(
        "Riverside Parent-Infant Team", long
    )
    errors, _ = check_profile(Project(ROOT), load_org(profile(tmp_path, text)))
    assert {e.field for e in errors} == {"name", "support.name"}
    for error in errors:
        assert isinstance(error, TooLong)
        message = cobrand_message(error, copy)
        assert message is not None and "one of the products" not in message, error


def test_the_portal_job_reports_the_field_in_plain_words(tmp_path: Path) -> None:
    import json
    import shutil

    folder = tmp_path / "job"
    folder.mkdir()
    shutil.copy(ROOT / "docs" / "examples" / "orgs" / "riverside-logo.svg", folder / "logo.svg")
    text = GOOD.replace("Riverside Family Hub", LONG_NAME).replace(
        "logo: logo.png", "logo: logo.svg"
    )
    (folder / "profile.yaml").write_text(text, encoding="utf-8")
    values = {"name": LONG_NAME}
    request = {"values": values, "choice": {}, "files": []}
    (folder / "request.json").write_text(json.dumps(request), encoding="utf-8")
    run_job(str(ROOT), None, None, str(folder))
    result = json.loads((folder / "result.json").read_text(encoding="utf-8"))
    assert result["ok"] is False
    (problem,) = result["problems"]
    assert problem["field"] == "name" and problem["kind"] is None
    assert problem["message"].startswith(
        "Your organisation's name is too long for the poster footer: at most "
    )
    assert not (folder / "pdf").exists()
