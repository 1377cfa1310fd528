"""The unpersonalised packs: the listing before anything is built, files made on demand,
the background queue giving way to visitors' packs, and every language's own page."""

from __future__ import annotations

import io
import re
from concurrent.futures import Future
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from starlette.testclient import TestClient

from packgen.resolve.project import Project
from packgen.web import app as app_module
from packgen.web.app import Portal, create_app
from packgen.web.jobs import Jobs
from packgen.web.pages import PageCopy
from packgen.web.shelf import own_products, plan_shelf
from packgen.web.shelves import BUNDLE_TASK, Shelves
from tests.conftest import ROOT

LINK = re.compile(r'<a [^>]*?href="(/[^"#]*)"([^>]*)>')


@pytest.fixture()
def fresh(tmp_path: Path) -> Portal:
    """A portal with an empty cache; its client below runs no lifespan, so nothing is built."""
    return Portal(Project(ROOT), tmp_path, workers=1)


def test_the_listing_is_served_before_anything_is_built(fresh: Portal) -> None:
    client = TestClient(create_app(fresh))  # no lifespan: no worker, no background build
    page = client.get("/")
    assert page.status_code == 200
    assert not any(p.ready for p in fresh.catalogue.products)
    links = LINK.findall(page.text)
    downloads = [(href, rest) for href, rest in links if href.startswith("/downloads/")]
    planned = {f.file for p in fresh.catalogue.products for f in p.files}
    assert {href.removeprefix("/downloads/") for href, _ in downloads} == planned | {
        fresh.catalogue.bundle
    }
    assert all("download=" not in rest for _, rest in downloads)  # a page, not a file, for now
    printed = [
        f for p in fresh.catalogue.products if p.kind not in ("banner", "social") for f in p.files
    ]
    assert page.text.count(">Being prepared<") == sum(f.profile != "html" for f in printed)
    assert page.text.count(">Web page version: being prepared<") == sum(
        f.profile == "html" for f in printed
    )
    assert "/thumbnails/" not in page.text  # no picture of a file not made
    assert 'name="products" value="pack-stakeholder" checked' in page.text  # the form is there


def test_a_file_not_made_yet_is_made_next_and_the_page_says_so(
    fresh: Portal, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(app_module, "PREPARE_WAIT", 0.0)
    client = TestClient(create_app(fresh))
    fresh.shelves.want(fresh.shelves.own)
    asked = client.get("/downloads/pack-stakeholder-A4-office.pdf")
    assert asked.status_code == 202 and asked.headers["retry-after"] == "10"
    assert "Your file is being prepared" in asked.text
    assert "pack-stakeholder-A4-office.pdf" in asked.text
    assert 'http-equiv="refresh" content="10; url=/downloads/pack-stakeholder-A4-office.pdf"' in (
        asked.text
    )
    assert fresh.shelves._queue[0] == (fresh.shelves.own, "pack-stakeholder")  # next to build
    state = client.get(
        "/downloads/pack-stakeholder-A4-office.pdf", headers={"accept": "application/json"}
    )
    assert state.json() == {"ready": False}
    assert client.get("/downloads/no-such-file.pdf").status_code == 404
    # built (here, in this process): the same address is the file, and the listing says so
    fresh.shelves.prepare(only=["pack-stakeholder"])
    made = client.get("/downloads/pack-stakeholder-A4-office.pdf")
    assert made.status_code == 200 and made.content.startswith(b"%PDF-")
    assert len(PdfReader(io.BytesIO(made.content)).pages) > 8
    listing = client.get("/").text
    assert 'href="/downloads/pack-stakeholder-A4-office.pdf" download=' in listing
    assert "/thumbnails/pack-stakeholder.png" in listing
    assert client.get("/thumbnails/pack-stakeholder.png").status_code == 200
    assert client.get("/thumbnails/poster-speak-up.png").status_code == 404  # not made yet
    zipped = client.get(f"/downloads/{fresh.catalogue.bundle}")
    assert zipped.status_code == 202  # the zip waits for every product


def test_the_plan_names_the_files_a_build_makes(tmp_path: Path) -> None:
    project = Project(ROOT)
    names = ["poster-speak-up", "email-banner"]
    plan = plan_shelf(project, tmp_path, names, PageCopy(project.content()), "x.zip")
    shelves = Shelves(
        project, tmp_path, Jobs(tmp_path / "packs", ROOT), PageCopy(project.content())
    )
    shelves._plans[project.language_code] = plan
    built = shelves.prepare(only=names)
    assert all(p.ready for p in built.products)
    assert [(p.name, [(f.file, f.size, f.profile) for f in p.files]) for p in plan.products] == [
        (p.name, [(f.file, f.size, f.profile) for f in p.files]) for p in built.products
    ]
    assert "poster-speak-up-A2-press.pdf" in {f.file for f in built.products[0].files}
    assert "poster-speak-up-A2-office.pdf" not in {f.file for f in built.products[0].files}
    assert own_products(project)[0] == project.products()[0]


class _Pool:
    """Records what the background queue asks of the pool; nothing runs."""

    def __init__(self) -> None:
        self.asked: list[tuple[Any, ...]] = []

    def submit(self, fn, *args):  # type: ignore[no-untyped-def]
        self.asked.append(args)
        return Future()


def test_the_background_build_gives_way_to_visitors_packs_unless_a_file_is_asked_for(
    tmp_path: Path,
) -> None:
    project = Project(ROOT)
    jobs = Jobs(tmp_path / "packs", ROOT)
    pool = _Pool()
    jobs._pool = pool  # type: ignore[assignment]
    shelves = Shelves(project, tmp_path, jobs, PageCopy(project.content()))
    own = shelves.own
    shelves.want(own)
    waiting: Future[None] = Future()
    jobs._running["a-pack"] = waiting
    shelves._next()
    assert pool.asked == []  # a visitor's pack is waiting: no background work
    shelves.demand(own, "leaflet-cues-a5")
    shelves._next()
    assert [a[-1] for a in pool.asked] == ["leaflet-cues-a5"]  # asked for: made at once
    shelves._next()
    assert len(pool.asked) == 1  # one background task at a time
    assert shelves._queue[-1] == (own, BUNDLE_TASK)  # the zip last


def test_every_language_has_its_own_downloadable_pack(
    fresh: Portal, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(app_module, "PREPARE_WAIT", 0.0)
    client = TestClient(create_app(fresh))
    listing = client.get("/").text
    for option in fresh.offer.languages[1:]:
        assert f'href="/languages/{option.code}#product-{option.products[0]}"' in listing
    page = client.get("/languages/cy")
    assert page.status_code == 200
    heading = 'The resource pack in <span lang="cy" dir="ltr">Cymraeg</span> (Welsh)'
    assert heading in page.text and "draft translation" in page.text
    assert '<html lang="en-GB">' in page.text  # the page's own words are the portal's
    welsh = fresh.offer.language("cy")
    assert welsh is not None
    for product in welsh.products:
        assert f'id="product-{product}"' in page.text
    assert "/languages/cy/downloads/leaflet-cues-a5-A5-office.pdf" in page.text
    assert "/languages/cy/downloads/leaflet-cues-a5-A5-html.html" in page.text  # its web page
    assert any(code == "cy" for code, _ in fresh.shelves._queue)  # queued when looked at
    fresh.shelves.prepare("cy", only=["leaflet-cues-a5"])
    made = client.get("/languages/cy/downloads/leaflet-cues-a5-A5-office.pdf")
    assert made.status_code == 200
    assert 'filename="leaflet-cues-a5-A5-office-cy.pdf"' in made.headers["content-disposition"]
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(made.content)).pages)
    assert "babi" in text  # Welsh words, not the English copy
    assert client.get("/languages/cy/thumbnails/leaflet-cues-a5.png").status_code == 200
    assert client.get("/languages/cy/downloads/leaflet-cues-a5-A5-html.html").status_code == 200
    for missing in (
        "/languages/xx",
        f"/languages/{fresh.shelves.own}",
        "/languages/cy/downloads/..%2F..%2Fdefault%2Fbundle.json",
        "/languages/cy/downloads/bundle.json",
        "/languages/cy/thumbnails/..%2Fproducts%2Fleaflet-cues-a5.json",
    ):
        assert client.get(missing).status_code == 404, missing


def test_a_restarted_server_serves_what_was_built_before(tmp_path: Path) -> None:
    first = Portal(Project(ROOT), tmp_path, workers=1)
    first.shelves.prepare(only=["leaflet-cues-a5"])
    again = Portal(Project(ROOT), tmp_path, workers=1)
    ready = {p.name for p in again.catalogue.products if p.ready}
    assert ready == {"leaflet-cues-a5"}
