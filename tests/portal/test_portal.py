"""The download portal over HTTP: every route, and every kind of bad input.

A real Starlette app with its lifespan (the default pack is built once into a
cache folder shared by the module) and real worker processes for co-branded
packs. Pages are checked by their HTML; packs by their zip and PDFs.
"""

from __future__ import annotations

import html
import io
import json
import re
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader
from starlette.testclient import TestClient

from packgen.resolve.project import Project
from packgen.web.app import FORM_OVERHEAD, Portal, create_app
from packgen.web.jobs import RESULT
from packgen.web.pages import PageCopy
from packgen.web.upload import MAX_LOGO
from tests.conftest import ROOT
from tests.portal.portal_helpers import (
    GOOD,
    bomb_png,
    field_errors,
    field_errors_of,
    fieldset,
    files,
    group,
    png_logo,
)

KEY_PATH = re.compile(r"^/packs/([0-9a-f]{64})$")


def print_products() -> list[str]:
    """The print layouts (the digital kit is listed apart)."""
    from packgen.model.digital import SCREEN_KINDS
    from packgen.resolve.design import load_design

    project = Project(ROOT)
    return [n for n in project.products() if load_design(project, n).kind not in SCREEN_KINDS]


@pytest.fixture(scope="module")
def portal(tmp_path_factory: pytest.TempPathFactory) -> Portal:
    built = Portal(Project(ROOT), tmp_path_factory.mktemp("portal-cache"), workers=1)
    built.prepare()  # the default pack, built here rather than in the background
    return built


@pytest.fixture(scope="module")
def client(portal: Portal) -> Iterator[TestClient]:
    with TestClient(create_app(portal), follow_redirects=False) as test_client:
        yield test_client


def post(client: TestClient, data: dict[str, str] | None = None, **kwargs: object):  # type: ignore[no-untyped-def]
    kwargs.setdefault("files", files())
    return client.post("/personalise", data=GOOD if data is None else data, **kwargs)  # type: ignore[arg-type]


def wait_for(client: TestClient, key: str, timeout: float = 90) -> dict[str, object]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        status = client.get(f"/packs/{key}/status").json()
        if status["state"] != "building":
            return dict(status)
        time.sleep(0.2)
    raise AssertionError(f"pack {key} still building after {timeout} s")


def submitted_key(response) -> str:  # type: ignore[no-untyped-def]
    assert response.status_code == 303, response.text[:2000]
    match = KEY_PATH.match(response.headers["location"])
    assert match, response.headers["location"]
    return match.group(1)


# --- the listing ---------------------------------------------------------------


def test_index_lists_every_product_size_and_profile(client: TestClient, portal: Portal) -> None:
    page = client.get("/")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    text = page.text
    assert text.count("<h1") == 1
    for name in print_products():
        assert f'id="product-{name}"' in text
    for product in portal.catalogue.products:
        for info in product.files:
            assert f'href="/downloads/{info.file}"' in text
        if product.kind in ("banner", "social"):
            assert {f.profile for f in product.files} == {"screen"}
            continue
        assert f'src="/thumbnails/{product.thumbnail}"' in text
        assert {f.profile for f in product.files} == {"office", "press", "html"}
    assert f'href="/downloads/{portal.catalogue.bundle}"' in text
    copy = portal.copy
    assert copy.text("profiles.heading") in text
    assert "<strong>Office printer</strong>" in text or "<b>Office printer</b>" in text
    assert "<b>Print shop</b>" in text


def test_pages_fetch_nothing_from_elsewhere(client: TestClient) -> None:
    text = client.get("/").text
    for attribute in re.findall(r'(?:src|href|action)="([^"]*)"', text):
        assert not attribute.startswith(("http:", "https:", "//")), attribute
    assert "@import" not in client.get("/static/portal.css").text
    assert "url(" not in client.get("/static/portal.css").text


def test_every_form_field_is_labelled(client: TestClient) -> None:
    text = client.get("/").text
    form = text[text.index("<form") : text.index("</form>")]
    inputs = re.findall(r'<input type="(?!hidden)[^"]+" id="([^"]+)"', form)
    assert len(inputs) >= 6 + 5 + 2  # the fields, a box per product, one per version
    for ident in inputs:
        assert f'<label for="{ident}">' in form
    assert "support_email" not in form  # not collected: no layout prints it
    assert 'enctype="multipart/form-data"' in form and 'method="post"' in form


def test_security_headers(client: TestClient) -> None:
    headers = client.get("/").headers
    assert "default-src 'self'" in headers["content-security-policy"]
    assert headers["x-content-type-options"] == "nosniff"


def test_every_download_and_thumbnail(client: TestClient, portal: Portal) -> None:
    for product in portal.catalogue.products:
        thumb = client.get(f"/thumbnails/{product.thumbnail}")
        assert thumb.status_code == 200 and thumb.content.startswith(b"\x89PNG")
        for info in product.files:
            kind, start, disposition = {
                "html": ("text/html; charset=utf-8", b"<!DOCTYPE html>", "inline"),
                "screen": ("image/png", b"\x89PNG", "inline"),
            }.get(info.profile, ("application/pdf", b"%PDF", "attachment"))
            got = client.get(f"/downloads/{info.file}")
            assert got.status_code == 200, info.file
            assert got.headers["content-type"] == kind
            assert got.headers["content-disposition"].startswith(disposition)
            assert got.content.startswith(start) and len(got.content) == info.bytes
    bundle = client.get(f"/downloads/{portal.catalogue.bundle}")
    assert bundle.status_code == 200
    names = zipfile.ZipFile(io.BytesIO(bundle.content)).namelist()
    assert "manifest.json" in names and "HOW-TO-PRINT.txt" in names
    assert "digital/HOW-TO-USE.txt" in names
    listed = [f for p in portal.catalogue.products for f in p.files]
    assert sum(n.startswith("pdf/") for n in names) == sum(
        f.profile in ("office", "press") for f in listed
    )
    assert sum(n.startswith("html/") for n in names) == sum(f.profile == "html" for f in listed)
    assert sum(n.endswith(".png") and n.startswith("digital/") for n in names) == sum(
        f.profile == "screen" for f in listed
    )


@pytest.mark.parametrize(
    "path",
    [
        "/downloads/..%2F..%2Fpyproject.toml",
        "/downloads/%2e%2e%2fcatalogue.json",
        "/downloads/..%2Fcatalogue.json",
        "/downloads/catalogue.json",
        "/downloads/manifest.json",
        "/thumbnails/..%2Fcatalogue.json",
        "/thumbnails/..%2F..%2Fdefault%2Fcatalogue.json",
        "/packs/..%2Fdefault",
        "/packs/..%2F..%2Fdefault%2Fcatalogue.json/x.zip",
        "/packs/" + "0" * 64 + "/..%2F..%2Fdefault%2Fimhaw-2024.zip",
        "/packs/" + "0" * 64 + "/thumbnails/..%2Frequest.json",
        "/static/..%2Fapp.py",
        "/static/%2e%2e/app.py",
        "/no/such/page",
    ],
)
def test_paths_outside_the_output_are_404(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 404, path
    assert "<h1>" in response.text  # a page, not a traceback


def test_raw_dot_segments_are_404(client: TestClient) -> None:
    """A client that sends '../' literally (no normalisation) still gets nothing."""
    import httpx

    for raw in (b"/downloads/../pyproject.toml", b"/downloads/../../etc/passwd"):
        request = client.build_request("GET", "http://testserver/")
        request.url = httpx.URL("http://testserver/").copy_with(raw_path=raw)
        response = client.send(request)
        assert response.status_code == 404, raw


def test_unknown_pack_is_404(client: TestClient) -> None:
    key = "a" * 64
    assert client.get(f"/packs/{key}").status_code == 404
    assert client.get(f"/packs/{key}/status").status_code == 404
    assert client.get(f"/packs/{key}/pack.zip").status_code == 404
    assert client.get("/packs/NOT-A-KEY/status").status_code == 404


def test_get_personalise_goes_to_the_form(client: TestClient) -> None:
    response = client.get("/personalise")
    assert response.status_code == 303 and response.headers["location"] == "/#personalise"


# --- personalising: bad input ----------------------------------------------------


def test_oversized_upload_is_413(client: TestClient) -> None:
    big = b"\x89PNG\r\n\x1a\n" + b"\0" * (MAX_LOGO + FORM_OVERHEAD)
    response = post(client, files=files(big, "big.png", "image/png"))
    assert response.status_code == 413
    assert "too large" in response.text
    # the same limit as the logo field's hint, and a way back to the form
    assert "at most 5 MB" in response.text
    assert "up to 5 MB" in client.get("/").text
    assert 'href="/#personalise"' in response.text and "Back button" in response.text


def test_oversized_streamed_upload_without_length_is_413(client: TestClient) -> None:
    boundary = "xyzzy"

    def body() -> Iterator[bytes]:
        yield f'--{boundary}\r\nContent-Disposition: form-data; name="logo"; filename="a.png"\r\n'.encode()
        yield b"Content-Type: image/png\r\n\r\n"
        for _ in range((MAX_LOGO + FORM_OVERHEAD) // 65536 + 2):
            yield b"\0" * 65536
        yield f"\r\n--{boundary}--\r\n".encode()

    response = client.post(
        "/personalise",
        content=body(),
        headers={"content-type": f"multipart/form-data; boundary={boundary}"},
    )
    assert response.status_code == 413


def test_logo_over_its_own_limit_is_a_field_error(client: TestClient) -> None:
    logo = b"\x89PNG\r\n\x1a\n" + b"\0" * MAX_LOGO
    response = post(client, files=files(logo, "big.png", "image/png"))
    assert response.status_code == 422
    assert any("too large" in e for e in field_errors(response.text, "logo"))


def test_fake_png_is_a_logo_error(client: TestClient) -> None:
    response = post(client, files=files(b"I am not a picture", "logo.png", "image/png"))
    assert response.status_code == 422
    errors = field_errors(response.text, "logo")
    assert errors and "PNG, JPEG or SVG" in errors[0]
    assert field_errors(response.text, "name") == []


def test_broken_png_is_a_logo_error(client: TestClient) -> None:
    broken = png_logo()[:60]
    response = post(client, files=files(broken, "logo.png", "image/png"))
    assert response.status_code == 422
    assert "not a readable PNG" in " ".join(field_errors(response.text, "logo"))


def test_decompression_bomb_is_a_logo_error(client: TestClient) -> None:
    bomb = bomb_png()
    assert len(bomb) < 100_000
    response = post(client, files=files(bomb, "bomb.png", "image/png"))
    assert response.status_code == 422
    assert "pixel limit" in " ".join(field_errors(response.text, "logo"))


@pytest.mark.parametrize(
    "svg",
    [
        b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"'
        b' viewBox="0 0 10 10"><image xlink:href="../default/thumbnails/poster-speak-up.png"'
        b' width="10" height="10"/></svg>',
        b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">'
        b'<image href="data:image/png;base64,iVBORw0KGgo=" width="10" height="10"/></svg>',
        b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaaaaaa">]>'
        b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><text>&a;</text></svg>',
    ],
    ids=["file-reference", "embedded-image", "entity"],
)
def test_unsafe_svg_is_a_logo_error(client: TestClient, svg: bytes) -> None:
    response = post(client, files=files(svg, "logo.svg"))
    assert response.status_code == 422
    assert field_errors(response.text, "logo")


def test_missing_logo_is_a_logo_error(client: TestClient) -> None:
    response = client.post("/personalise", data=GOOD)
    assert response.status_code == 422
    assert "Choose your logo file" in " ".join(field_errors(response.text, "logo"))


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("website", "javascript:alert(1)"),
        ("support_url", "data:text/html,<script>alert(1)</script>"),
        ("support_url", "ftp://riverside.example.org/"),
        ("website", "https://"),
        ("support_phone", "call us"),
    ],
)
def test_bad_values_are_errors_next_to_their_field(
    client: TestClient, name: str, value: str
) -> None:
    response = post(client, {**GOOD, name: value})
    assert response.status_code == 422
    errors = field_errors(response.text, name)
    assert errors, response.text[:3000]
    assert 'aria-invalid="true"' in group(response.text, name)
    assert f'href="#group-{name}"' in response.text  # the summary links to label and field
    assert "<title>Error: " in response.text
    others = [n for n in GOOD if n != name]
    assert all(field_errors(response.text, other) == [] for other in others)
    assert "<script>alert(1)</script>" not in response.text


def test_every_problem_is_reported_at_once(client: TestClient) -> None:
    data = {**GOOD, "name": "", "website": "javascript:alert(1)", "support_phone": "12"}
    response = post(client, data, files=files(b"nope", "x.png", "image/png"))
    assert response.status_code == 422
    for name in ("name", "website", "support_phone", "logo"):
        assert field_errors(response.text, name), name


@pytest.mark.parametrize("name", ["name", "website", "support_name", "support_url"])
def test_long_fields_are_refused(client: TestClient, name: str) -> None:
    value = (
        "https://example.org/" + "a" * 5000 if "url" in name or name == "website" else "A" * 5000
    )
    response = post(client, {**GOOD, name: value})
    assert response.status_code == 422
    assert "the limit is" in " ".join(field_errors(response.text, name))
    assert "a" * 1000 not in response.text and "A" * 1000 not in response.text


def test_html_in_the_name_is_escaped(client: TestClient) -> None:
    data = {**GOOD, "name": '<script>alert("x")</script> & <b>Hub</b>', "support_phone": "12"}
    response = post(client, data)
    assert response.status_code == 422
    assert "<script>alert" not in response.text and "<b>Hub</b>" not in response.text
    assert "&lt;script&gt;alert(" in response.text


def test_a_form_that_is_not_multipart_is_an_error_page(client: TestClient) -> None:
    response = client.post(
        "/personalise", content=b"name=x", headers={"content-type": "text/plain"}
    )
    assert response.status_code == 422
    response = client.post(
        "/personalise",
        content=b"--b\r\nnonsense",
        headers={"content-type": "multipart/form-data; boundary=b"},
    )
    assert response.status_code in (400, 422)
    assert "<h1>" in response.text or "<h2" in response.text


def test_more_than_one_file_is_400(client: TestClient) -> None:
    response = client.post(
        "/personalise",
        data=GOOD,
        files=[("logo", ("a.svg", b"<svg/>", "image/svg+xml")), ("x", ("b.svg", b"<svg/>", "x"))],
    )
    assert response.status_code == 400
    assert "<h1>" in response.text


def test_a_logo_sent_once_is_kept_when_another_field_is_wrong(client: TestClient) -> None:
    response = post(client, {**GOOD, "support_phone": "12"})
    assert response.status_code == 422
    ref = re.search(r'name="logo_ref" value="([0-9a-f]{64})"', response.text)
    assert ref and "riverside" not in ref.group(1)
    assert "Using the logo you sent (logo.svg)" in response.text
    again = client.post(
        "/personalise", data={**GOOD, "logo_ref": ref.group(1), "logo_name": "logo.svg"}
    )
    assert again.status_code == 303
    forged = client.post("/personalise", data={**GOOD, "logo_ref": "../../etc/passwd"})
    assert forged.status_code == 422 and field_errors(forged.text, "logo")


# --- personalising: building, caching, downloading -----------------------------


def test_a_pack_is_built_cached_and_downloaded(client: TestClient, portal: Portal) -> None:
    data = {**GOOD, "name": "Riverside <Family> & Hub"}
    key = submitted_key(post(client, data))
    page = client.get(f"/packs/{key}")
    assert page.status_code == 200
    assert "Riverside &lt;Family&gt; &amp; Hub" in page.text and "<Family>" not in page.text
    status = wait_for(client, key)
    assert status["state"] == "ready", status
    download = str(status["download"])
    archive = client.get(download)
    assert archive.status_code == 200 and archive.headers["content-type"] == "application/zip"
    bundle = zipfile.ZipFile(io.BytesIO(archive.content))
    pdfs = [n for n in bundle.namelist() if n.endswith(".pdf")]
    made = portal.offer.files(portal.offer.default())  # all products, A4 and A3, both versions
    assert len(pdfs) == len(made) == 22  # with large print, Easy Read and the bilingual poster
    text = PdfReader(io.BytesIO(bundle.read("pdf/poster-speak-up-A4-office.pdf"))).pages[0]
    assert "Riverside <Family> & Hub" in " ".join(text.extract_text().split())
    manifest = json.loads(bundle.read("manifest.json"))
    assert manifest["title"] == "Riverside <Family> & Hub"

    ready = client.get(f"/packs/{key}").text
    assert f'href="{download}"' in ready
    previews = re.findall(rf'src="(/packs/{key}/thumbnails/[^"]+)"', ready)
    assert len(previews) == len(print_products())
    for src in previews:  # the real first page at a readable size, linked to a larger one
        image = Image.open(io.BytesIO(client.get(src).content))
        assert image.format == "PNG" and image.width >= 600
        large = re.search(rf'<a href="([^"]+)"><img src="{re.escape(src)}"', ready)
        assert large, src
        assert Image.open(io.BytesIO(client.get(large.group(1)).content)).width >= 1200
    # every file singly, by its own link, byte for byte the zip's
    singles = re.findall(rf'href="(/packs/{key}/([^"/]+\.pdf))"', ready)
    assert sorted(name for _, name in singles) == sorted(n.removeprefix("pdf/") for n in pdfs)
    for href, name in singles[:3]:
        single = client.get(href)
        assert single.headers["content-type"] == "application/pdf"
        assert single.content == bundle.read(f"pdf/{name}")
    # a link to come back to, and how long it is kept
    assert f"http://testserver/packs/{key}" in ready and "up to 7 days" in ready

    # the same request again is served from the cache: same key, already ready, no rebuild
    result = portal.jobs.folder / key / RESULT
    stamp = result.stat().st_mtime_ns
    again = post(client, data)
    assert submitted_key(again) == key
    assert client.get(f"/packs/{key}/status").json()["state"] == "ready"
    assert result.stat().st_mtime_ns == stamp
    # a different logo is a different request
    other = post(client, data, files=files(png_logo(), "logo.png", "image/png"))
    assert submitted_key(other) != key
    # only the pack's own zip name is served
    assert client.get(f"/packs/{key}/other.zip").status_code == 404
    assert client.get(f"/packs/{key}/{RESULT}").status_code == 404
    assert client.get(f"/packs/{key}/profile.yaml").status_code == 404
    assert client.get(f"/packs/{key}/request.json").status_code == 404
    assert client.get(f"/packs/{key}/logo.svg").status_code == 404


def test_a_pack_that_cannot_be_built_names_the_field(client: TestClient) -> None:
    long_link = "https://" + "m" * 60 + ".example.org/"
    key = submitted_key(post(client, {**GOOD, "support_url": long_link}))
    status = wait_for(client, key)
    assert status["state"] == "failed"
    page = client.get(f"/packs/{key}").text
    assert "could not be built" in page
    plain = "Your support service&#39;s web address is too long to print beside its QR code on the"
    assert f"<strong>Support service web page</strong>: {plain}" in page
    change = client.get(f"/?from={key}")
    assert change.status_code == 200
    errors = field_errors(change.text, "support_url")
    assert len(errors) == 1 and "too long to print" in errors[0], errors
    assert re.search(r"at most \d+ characters, without https://", errors[0]), errors
    assert f'value="{long_link}"' in change.text


def test_attribute_by_qr_link_and_by_quoted_words() -> None:
    from packgen.web.problems import attribute

    project = Project(ROOT)
    values = dict(GOOD)
    qr = "the caption of QR code 'qr-support' overflows its box by 3.7 mm"
    assert attribute(qr, values, project, "leaflet-cues-a5") == ("support_url", "qr")
    word = "text 'back-contact': the word 'Parent-Infant0114' is wider than its frame"
    assert attribute(word, values, project, "leaflet-cues") == ("support_name", "text")
    assert attribute("something else entirely", values, project, "leaflet-cues") == (None, None)


# --- the static site and the pieces ----------------------------------------------


def test_site_is_a_self_contained_folder(tmp_path: Path) -> None:
    from packgen.cli import main

    out = tmp_path / "site"
    assert main(["site", "--out", str(out)]) == 0
    page = (out / "index.html").read_text(encoding="utf-8")
    links = re.findall(r'(?:src|href)="([^"#]+)"', page)
    assert links
    for link in links:
        assert not link.startswith(("/", "http:", "https:")), link
        assert (out / link).is_file(), link
    assert "<form" not in page and "packgen build --org" in page
    for name in print_products():
        assert f'id="product-{name}"' in page
    assert sum(1 for link in links if link.endswith(".pdf")) == len(
        list((out / "pdf").glob("*.pdf"))
    )


def test_products_are_listed_posters_first(portal: Portal) -> None:
    kinds = [p.kind for p in portal.catalogue.products]
    order = ("poster", "leaflet", "pack", "banner", "social")  # the print pack, then the kit
    assert kinds == sorted(kinds, key=order.index)


def test_logo_store_keeps_a_bounded_number_of_files(tmp_path: Path) -> None:
    from packgen.web.upload import FormResult, LogoStore

    store = LogoStore(tmp_path, keep=2)
    copy = PageCopy(Project(ROOT).content())
    for width in (100, 101, 102):
        assert store.add(png_logo(width), "a.png", copy, FormResult({})) is not None
    assert len(list(tmp_path.glob("*.png"))) == 2


def test_a_bug_is_a_500_page_not_a_traceback(portal: Portal) -> None:
    broken = Portal(portal.project, portal.folder.parent)

    def fail(request: object) -> None:
        raise RuntimeError("a bug")

    broken.thumbnail = fail  # type: ignore[assignment, method-assign]
    with TestClient(create_app(broken), raise_server_exceptions=False) as client:
        response = client.get("/thumbnails/poster-speak-up.png")
        assert response.status_code == 500
        assert "Sorry, something went wrong" in response.text
        assert "RuntimeError" not in response.text and "a bug" not in response.text


# --- choosing what to build ------------------------------------------------------


def choose(**ticked: list[str]) -> dict[str, object]:
    return {**GOOD, "choices": "1", **ticked}


def test_the_form_offers_products_sizes_and_versions(client: TestClient, portal: Portal) -> None:
    form = client.get("/").text
    for product in print_products():
        assert f'name="products" value="{product}" checked' in form
    assert 'name="sizes" value="A4" checked' in form and 'name="sizes" value="A3" checked' in form
    assert re.search(r'name="sizes" value="A2"(?! checked)', form)
    assert "Print shop version only" in fieldset(form, "sizes")
    assert 'name="profiles" value="office" checked' in form
    assert re.search(r'name="profiles" value="html"(?! checked)', form)  # asked for
    assert re.search(r'name="kit" value="banner"(?! checked)', form)
    assert re.search(r'name="kit" value="social"(?! checked)', form)


def test_a2_is_offered_for_print_shops_only(portal: Portal, client: TestClient) -> None:
    for product in portal.catalogue.products:
        assert product.file("A2", "office") is None
        if "A2" in product.sizes:
            assert product.file("A2", "press") is not None
    assert "Print shop only" in client.get("/").text


def test_a_chosen_pack_has_only_the_chosen_files(client: TestClient) -> None:
    data = choose(products=["poster-speak-up"], sizes=["A2"], profiles=["press"])
    key = submitted_key(post(client, {**data, "name": "Chosen Files Hub"}))
    status = wait_for(client, key)
    assert status["state"] == "ready", status
    bundle = zipfile.ZipFile(io.BytesIO(client.get(str(status["download"])).content))
    assert [n for n in bundle.namelist() if n.endswith(".pdf")] == [
        "pdf/poster-speak-up-A2-press.pdf"
    ]
    ready = client.get(f"/packs/{key}").text
    assert "1 files" not in ready and "poster-speak-up-A2-press.pdf" in ready
    # the same fields with another choice are another pack
    other = post(client, {**data, "name": "Chosen Files Hub", "profiles": ["office", "press"]})
    assert submitted_key(other) != key


@pytest.mark.parametrize(
    ("ticked", "name", "words"),
    [
        (
            {"products": [], "sizes": ["A4"], "profiles": ["office"]},
            "products",
            "Select at least one product",
        ),
        (
            {"products": ["poster-speak-up"], "sizes": ["A4"], "profiles": []},
            "profiles",
            "Select at least one version",
        ),
        (
            {"products": ["poster-speak-up"], "sizes": [], "profiles": ["office"]},
            "sizes",
            "Select at least one poster size",
        ),
        (
            {"products": ["poster-speak-up"], "sizes": ["A2"], "profiles": ["office"]},
            "sizes",
            "A2 is made for print shops only",
        ),
    ],
)
def test_a_choice_that_makes_nothing_is_an_error(
    client: TestClient, ticked: dict[str, list[str]], name: str, words: str
) -> None:
    response = post(client, choose(**ticked))
    assert response.status_code == 422
    assert any(words in e for e in field_errors_of(response.text, name)), response.text[-4000:]
    assert f'href="#group-{name}"' in response.text


def test_the_leaflet_alone_needs_no_poster_size(client: TestClient) -> None:
    response = post(
        client,
        choose(products=["leaflet-cues-a5"], sizes=[], profiles=["office"], support_phone="12"),
    )
    assert response.status_code == 422
    assert field_errors_of(response.text, "sizes") == []


# --- plain words, completed addresses -----------------------------------------------


def test_each_empty_field_says_what_to_enter(client: TestClient) -> None:
    response = client.post("/personalise", data={"choices": "1"})
    assert response.status_code == 422
    expected = {
        "name": "Enter your organisation's name",
        "website": "Enter your organisation's website address",
        "support_name": "Enter the name of your local support service",
        "support_url": "Enter the web address of your local support service",
        "support_phone": "Enter the phone number of your local support service",
        "logo": "Choose your logo file",
    }
    for name, words in expected.items():
        assert any(words in e for e in field_errors(response.text, name)), name
    assert response.text.index('id="error-summary"') < response.text.index('id="group-name"')
    assert 'action="/personalise#personalise"' in response.text


def test_a_bare_domain_gets_https(client: TestClient) -> None:
    data = {
        **GOOD,
        "website": "www.riverside.example.org",
        "support_url": "riverside.example.org/help",
        "support_phone": "12",
    }
    response = post(client, data)
    assert response.status_code == 422  # the phone number, so the form comes back
    assert field_errors(response.text, "website") == []
    assert 'value="https://www.riverside.example.org"' in response.text
    assert 'value="https://riverside.example.org/help"' in response.text


# --- limits: busy, rate, cache ---------------------------------------------------------


def test_a_refused_request_stores_nothing_and_keeps_the_form(portal: Portal) -> None:
    busy = Portal(portal.project, portal.folder.parent, max_pending=0)
    before = set(busy.jobs.folder.iterdir()) if busy.jobs.folder.is_dir() else set()
    with TestClient(create_app(busy), follow_redirects=False) as client:
        response = post(client, {**GOOD, "name": "Nothing Stored Hub"})
        assert response.status_code == 503 and response.headers["retry-after"] == "30"
        assert 'value="Nothing Stored Hub"' in response.text and "Wait a minute" in response.text
    after = set(busy.jobs.folder.iterdir()) if busy.jobs.folder.is_dir() else set()
    assert after == before


def test_a_change_link_while_the_queue_is_full_is_not_500(
    client: TestClient, portal: Portal
) -> None:
    key = submitted_key(post(client, {**GOOD, "name": "Change Me Hub"}))
    wait_for(client, key)
    # a request left without a result (a killed server), then a full queue
    pending = portal.jobs.folder / ("e" * 64)
    pending.mkdir(exist_ok=True)
    (pending / "request.json").write_bytes((portal.jobs.folder / key / "request.json").read_bytes())
    busy = Portal(portal.project, portal.folder.parent, max_pending=0)
    with TestClient(create_app(busy), follow_redirects=False) as other:
        for target in (key, pending.name):
            page = other.get(f"/?from={target}")
            assert page.status_code == 200, page.text[:500]
            assert 'value="Change Me Hub"' in page.text
        waiting = other.get(f"/packs/{pending.name}")
        assert waiting.status_code == 503  # and the way back to the form as it was sent
        assert f'href="/?from={pending.name}#personalise"' in waiting.text
        assert other.get(f"/packs/{pending.name}/status").status_code == 503
    import shutil

    shutil.rmtree(pending)


def test_new_builds_are_limited_per_client(portal: Portal) -> None:
    from packgen.web.limits import RateLimit

    limited = Portal(portal.project, portal.folder.parent, rate=RateLimit(burst=1, per=3600))
    with TestClient(create_app(limited), follow_redirects=False) as client:
        first = post(client, {**GOOD, "name": "Rate One Hub"})
        assert first.status_code == 303
        second = post(client, {**GOOD, "name": "Rate Two Hub"})
        assert second.status_code == 429
        assert int(second.headers["retry-after"]) > 0
        assert "many new packs" in second.text and 'value="Rate Two Hub"' in second.text
        again = post(client, {**GOOD, "name": "Rate One Hub"})  # cached or under way: free
        assert again.status_code == 303


def test_rate_limit_memory_is_bounded_and_refills() -> None:
    from packgen.web.limits import RateLimit

    limit = RateLimit(burst=2, per=10, clients=3)
    assert limit.allow("a", 0) and limit.allow("a", 0) and not limit.allow("a", 0)
    assert limit.wait("a", 0) == 5
    assert limit.allow("a", 5.1)
    for n in range(100):
        limit.allow(f"client-{n}", 6)
    assert len(limit) == 3


def test_the_cache_is_bounded_in_count_bytes_and_age_and_loses_orphans(tmp_path: Path) -> None:
    import os

    from packgen.web.jobs import ORPHAN_AGE, Jobs

    jobs = Jobs(tmp_path, ROOT, keep=3, max_bytes=2500, max_age=1000)
    now = 1_000_000.0
    for n in range(5):  # finished packs of 1000 bytes, oldest first
        folder = tmp_path / (f"{n}" * 64)
        folder.mkdir()
        (folder / "pack.zip").write_bytes(b"x" * 1000)
        (folder / RESULT).write_text("{}")
        os.utime(folder / RESULT, (now - 100 + n, now - 100 + n))
    orphan = tmp_path / ("a" * 64)  # a request never finished, long ago
    orphan.mkdir()
    (orphan / "request.json").write_text("{}")
    os.utime(orphan, (now - ORPHAN_AGE - 1, now - ORPHAN_AGE - 1))
    fresh = tmp_path / ("b" * 64)  # one just written: may still be starting
    fresh.mkdir()
    os.utime(fresh, (now, now))
    stray = tmp_path / "not-a-pack"
    stray.write_text("?")
    jobs._evict(now)
    left = sorted(p.name[0] for p in tmp_path.iterdir())
    assert left == ["3", "4", "b"]  # two packs fit in 2,500 bytes; orphan and stray gone
    jobs._evict(now + 2000)  # past max_age, and "b" never got a result
    assert list(tmp_path.iterdir()) == []


# --- workers die with the server ---------------------------------------------------


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        tree.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    return tree


def _descendants(pid: int) -> list[int]:
    tree, found, todo = _children(), [], [pid]
    while todo:
        for child in tree.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state not in ("Z", "X")


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads processes from /proc")
def test_killing_the_server_leaves_no_worker(portal: Portal) -> None:
    import os
    import signal
    import socket
    import subprocess
    import sys
    import urllib.request

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = [sys.executable, "-m", "packgen", "serve", "--port", str(port)]
    command += ["--cache", str(portal.folder.parent)]  # the default pack is built already
    server = subprocess.Popen(
        command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    workers: list[int] = []
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and not workers:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as answer:
                    assert answer.status == 200
                workers = _descendants(server.pid)  # the warm-up starts the worker at once
            except OSError:
                pass
            time.sleep(0.2)
        assert workers, "no worker process was started"
    finally:
        server.send_signal(signal.SIGKILL)
        server.wait()
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and any(_alive(pid) for pid in workers):
        time.sleep(0.1)
    survivors = [pid for pid in workers if _alive(pid)]
    for pid in survivors:  # never leave them running, even when the test fails
        os.kill(pid, signal.SIGKILL)
    assert survivors == []


def test_every_language_of_the_copy_folders_is_offered_and_drafts_say_so(
    portal: Portal, client: TestClient
) -> None:
    from packgen.designer.translations import languages_of

    project = portal.project
    expected: dict[str, set[str]] = {}
    for product in print_products():
        for entry in languages_of(project, product):
            if not entry.bilingual:
                expected.setdefault(entry.language, set()).add(product)
    offered = {o.code: set(o.products) for o in portal.offer.languages}
    assert offered == expected  # read from the files, not listed in code
    assert portal.offer.languages[0].code == project.language_code
    box = fieldset(client.get("/").text, "languages")
    assert f'name="languages" value="{project.language_code}" checked' in box
    for option in portal.offer.languages[1:]:
        assert re.search(rf'name="languages" value="{option.code}"(?! checked)', box)
        if option.status == "draft":
            hint = re.search(rf'value="{option.code}" aria-describedby="(hint-languages-\d+)"', box)
            assert hint, option.code
            words = re.search(rf'id="{hint.group(1)}">([^<]+)<', box)
            assert words and "draft translation, not yet checked" in words.group(1)


def test_each_language_is_named_in_itself_marked_with_its_language_and_direction(
    client: TestClient,
) -> None:
    """The form names a translation by its own name (CLDR), marked up so a screen
    reader voices it in that language, then in the portal's words; English alone."""
    box = fieldset(client.get("/").text, "languages")
    assert ">English</label>" in box
    for code, native, gloss, direction in (
        ("cy", "Cymraeg", "Welsh", "ltr"),
        ("pl", "Polski", "Polish", "ltr"),
        ("ar", "العربية", "Arabic", "rtl"),
        ("ur", "اردو", "Urdu", "rtl"),
        ("hi", "हिन्दी", "Hindi", "ltr"),
    ):
        assert f'<span lang="{code}" dir="{direction}">{native}</span> ({gloss})</label>' in box
    page = client.get("/languages/ar").text
    assert '<h1 id="downloads-heading">The resource pack in <span lang="ar" dir="rtl">' in page
    assert "<title>The pack in العربية (Arabic)" in page  # a title holds no markup


def test_a_portal_worker_is_bounded_in_memory_and_tied_to_the_server() -> None:
    """A visitor's pack is built in a worker whose address space is bounded (PORTAL_BUDGET)."""
    import subprocess
    import sys

    from packgen.web.worker import PORTAL_BUDGET

    code = (
        "import os, resource\n"
        "from packgen.web.worker import start_worker\n"
        "start_worker(os.getppid())\n"
        "print(resource.getrlimit(resource.RLIMIT_AS)[0])\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert int(result.stdout.strip()) == PORTAL_BUDGET.memory_mb * 1024 * 1024


def test_the_listing_links_to_the_check_page(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200
    assert '<a href="/check">Check whether a PDF of your own will print well</a>' in page.text


# --- the digital kit, web pages and languages ----------------------------------------


def test_the_listing_offers_the_digital_kit_with_alt_text_and_posts(
    client: TestClient, portal: Portal
) -> None:
    text = client.get("/").text
    kit = [p for p in portal.catalogue.products if p.kind in ("banner", "social")]
    assert {p.name for p in kit} >= {"email-banner", "social-fact-square"}
    for product in kit:
        for info in product.files:
            assert info.file.startswith("digital/") and info.alt
            assert f'href="/downloads/{info.file}"' in text
            assert info.alt in html.unescape(text)
            image = client.get(f"/downloads/{info.file}")
            assert image.status_code == 200 and image.headers["content-type"] == "image/png"
            width, height = Image.open(io.BytesIO(image.content)).size
            assert f"{width}x{height}" == info.size
            for extra in info.extras:
                assert client.get(f"/downloads/{extra}").status_code == 200
    assert "Words to post with it" in text and "#IMHAW2024" in text
    assert "HTML to paste into your email signature" in text
    assert client.get("/downloads/digital/../catalogue.json").status_code == 404
    assert client.get("/downloads/digital/nothing.png").status_code == 404


def test_the_listing_links_each_web_page_and_it_opens_in_the_browser(
    client: TestClient, portal: Portal
) -> None:
    text = client.get("/").text
    for product in portal.catalogue.products:
        web = [f for f in product.files if f.profile == "html"]
        if product.kind in ("banner", "social"):
            assert web == []
            continue
        assert len(web) == 1 and f'<a href="/downloads/{web[0].file}">Web page version' in text
    page = client.get("/downloads/poster-speak-up-A4-html.html")
    assert page.headers["content-type"].startswith("text/html")
    assert page.headers["content-disposition"].startswith("inline")
    policy = page.headers["content-security-policy"]
    assert "style-src 'unsafe-inline'" in policy and "script-src" not in policy
    assert page.text.startswith("<!DOCTYPE html>")


def test_a_pack_with_the_kit_a_web_page_and_a_draft_language(
    client: TestClient, portal: Portal
) -> None:
    data = choose(
        products=["poster-know-your-baby"],
        sizes=["A4"],
        profiles=["office", "html"],
        kit=["banner"],
        languages=["en-GB", "cy"],
    )
    key = submitted_key(post(client, {**data, "name": "Kit and Cymraeg Hub"}))
    status = wait_for(client, key)
    assert status["state"] == "ready", status
    ready = client.get(f"/packs/{key}").text
    singles = set(re.findall(rf'href="/packs/{key}/([^"/]+)"', ready))
    assert {
        "poster-know-your-baby-A4-office.pdf",
        "poster-know-your-baby-A4-html.html",
        "email-banner-600x200-screen.png",
        "email-banner-1200x400-screen.png",
        "email-banner-600x200-screen.html",
        "email-banner-600x200-screen.json",
        "poster-know-your-baby-A4-office-cy.pdf",
        "poster-know-your-baby-A4-html-cy.html",
        "kit-and-cymraeg-hub.zip",
        "kit-and-cymraeg-hub-cy.zip",
    } <= singles
    welsh_kit = portal.offer.language("cy")
    assert welsh_kit is not None
    banners = {n for n in singles if n.startswith("email-banner") and n.endswith("-cy.png")}
    assert bool(banners) == ("email-banner" in welsh_kit.kit)  # the kit where it is translated
    # the banner: previewed as itself, with its alt text, link and HTML to paste
    banner = client.get(f"/packs/{key}/email-banner-600x200-screen.png")
    assert banner.headers["content-type"] == "image/png"
    assert f'<img src="/packs/{key}/email-banner-600x200-screen.png" alt="' in ready
    plain = client.get("/downloads/digital/email-banner-600x200-screen.png").content
    assert banner.content != plain  # co-branded: "Shared by" and the logo are drawn in
    assert "&lt;a href=" in ready  # the snippet, escaped, to copy
    # the Welsh files: their own zip, a draft label, the name and Welsh words in the PDF
    welsh_name = '<span lang="cy" dir="ltr">Cymraeg</span> (Welsh)'  # marked as Welsh
    assert f">In {welsh_name}</h2>" in ready
    assert ">Download the files in English (zip, " in ready  # not "all files": one per language
    assert f">Download the files in {welsh_name} (zip, " in ready
    assert "A draft translation, not yet checked by a qualified translator" in ready
    welsh = client.get(f"/packs/{key}/poster-know-your-baby-A4-office-cy.pdf")
    assert welsh.headers["content-type"] == "application/pdf"
    words = " ".join(PdfReader(io.BytesIO(welsh.content)).pages[0].extract_text().split())
    assert "Kit and Cymraeg Hub" in words and "babi" in words
    english = client.get(f"/packs/{key}/poster-know-your-baby-A4-office.pdf").content
    assert english != welsh.content
    bundle = zipfile.ZipFile(
        io.BytesIO(client.get(f"/packs/{key}/kit-and-cymraeg-hub-cy.zip").content)
    )
    assert bundle.read("pdf/poster-know-your-baby-A4-office.pdf") == welsh.content
    assert "html/poster-know-your-baby-A4-html.html" in bundle.namelist()
    own = zipfile.ZipFile(io.BytesIO(client.get(str(status["download"])).content))
    assert "digital/email-banner-1200x400-screen.png" in own.namelist()
    assert "digital/HOW-TO-USE.txt" in own.namelist()
    previews = re.findall(rf'src="(/packs/{key}/thumbnails/[^"]+)"', ready)
    assert len(previews) == 2  # the poster in each language
    page = client.get(f"/packs/{key}/poster-know-your-baby-A4-html-cy.html")
    assert page.headers["content-type"].startswith("text/html") and 'lang="cy"' in page.text


def test_a_language_makes_the_kit_images_its_copy_folder_lists(portal: Portal) -> None:
    from packgen.designer.translations import languages_of
    from packgen.web.choice import Choice

    offer = portal.offer
    arabic = offer.language("ar")
    assert arabic is not None
    translated = {
        name
        for names in offer.kit.values()
        for name in names
        if any(e.language == "ar" for e in languages_of(portal.project, name))
    }
    assert set(arabic.kit) == translated and "email-banner" in translated
    choice = Choice(("poster-speak-up",), ("A4",), ("office",), ("en-GB", "ar"), ("banner",))
    made = offer.files(choice)
    assert ("ar", "email-banner", "*", "screen") in made
    assert ("en-GB", "email-banner", "*", "screen") in made
    assert not any(f[0] == "ar" and f[1].startswith("social") for f in made)  # not chosen


def test_a_pack_with_the_kit_in_arabic(client: TestClient) -> None:
    data = choose(products=[], kit=["banner"], sizes=[], profiles=[], languages=["en-GB", "ar"])
    key = submitted_key(post(client, {**data, "name": "Kit in Arabic Hub"}))
    status = wait_for(client, key)
    assert status["state"] == "ready", status
    ready = client.get(f"/packs/{key}").text
    singles = set(re.findall(rf'href="/packs/{key}/([^"/]+)"', ready))
    assert {"email-banner-1200x400-screen.png", "email-banner-1200x400-screen-ar.png"} <= singles
    arabic = client.get(f"/packs/{key}/email-banner-1200x400-screen-ar.png").content
    english = client.get(f"/packs/{key}/email-banner-1200x400-screen.png").content
    assert Image.open(io.BytesIO(arabic)).size == (1200, 400) and arabic != english
    bundle = zipfile.ZipFile(
        io.BytesIO(client.get(f"/packs/{key}/kit-in-arabic-hub-ar.zip").content)
    )
    assert "digital/email-banner-1200x400-screen.png" in bundle.namelist()


def test_the_kit_alone_needs_no_version_or_size(client: TestClient) -> None:
    response = post(
        client, choose(products=[], kit=["social"], sizes=[], profiles=[], support_phone="1")
    )
    assert response.status_code == 422
    for name in ("products", "sizes", "profiles"):
        assert field_errors_of(response.text, name) == []


def test_a_request_is_shared_between_workers_dearest_first() -> None:
    from packgen.web.jobs import _preview_sources, tasks

    files = [
        ["en-GB", "pack-stakeholder", "A4", "office"],
        ["en-GB", "pack-stakeholder", "A4", "press"],
        ["en-GB", "poster-speak-up", "A4", "office"],
        ["en-GB", "poster-speak-up", "A3", "office"],
        ["en-GB", "poster-speak-up", "*", "html"],
        ["en-GB", "leaflet-cues", "A4", "press"],
        ["cy", "leaflet-cues", "A4", "press"],
        ["en-GB", "email-banner", "*", "screen"],
    ]
    request = {"files": files, "weights": {"pack-stakeholder": 16}}
    shares = tasks(request, "en-GB")
    found = sorted(
        [code, *item] for share in shares for code, items in share.items() for item in items
    )
    assert found == sorted(files)  # every file once
    assert shares[0] == {
        "en-GB": [f[1:] for f in files[:2]]
    }  # the dearest first, versions together
    assert {"en-GB": [["poster-speak-up", "A4", "office"], ["poster-speak-up", "*", "html"]]} in (
        shares
    )  # the web page with the product's first size
    assert {"cy": [["leaflet-cues", "A4", "press"]]} in shares  # each language apart
    assert len(shares) == 6
    sources = _preview_sources(request, "en-GB")
    assert sources[("en-GB", "poster-speak-up")] == ("A4", "office")
    assert sources[("cy", "leaflet-cues")] == ("A4", "press")  # no office version chosen
    assert ("en-GB", "email-banner") not in sources  # an image is its own preview


def test_two_workers_share_one_pack(portal: Portal, tmp_path: Path) -> None:
    shared = Portal(portal.project, portal.folder.parent, workers=2)  # the same catalogue
    with TestClient(create_app(shared), follow_redirects=False) as two:
        data = choose(
            products=["poster-speak-up", "leaflet-cues-a5"], sizes=["A4"], profiles=["office"]
        )
        key = submitted_key(post(two, {**data, "name": "Two Workers Hub"}))
        status = wait_for(two, key)
        assert status["state"] == "ready", status
        where = shared.jobs.folder / key
        assert sorted(p.name for p in where.glob("part-*") if p.is_dir()) == ["part-0", "part-1"]
        previews = [p for p in (where / "previews").glob("*.png") if "-zip" not in p.name]
        assert len(previews) == 2  # one preview per product, whichever task drew it
        bundle = zipfile.ZipFile(io.BytesIO(two.get(str(status["download"])).content))
        assert sorted(n for n in bundle.namelist() if n.endswith(".pdf")) == [
            "pdf/leaflet-cues-a5-A5-office.pdf",
            "pdf/poster-speak-up-A4-office.pdf",
        ]
        ready = two.get(f"/packs/{key}").text
        for name in ("leaflet-cues-a5-A5-office.pdf", "poster-speak-up-A4-office.pdf"):
            single = two.get(f"/packs/{key}/{name}")
            assert single.status_code == 200 and single.content == bundle.read(f"pdf/{name}")
            assert name in ready


def test_the_warm_up_gives_way_to_a_visitors_pack(tmp_path: Path) -> None:
    from concurrent.futures import Future

    from packgen.web.jobs import Jobs

    class Pool:  # records what the warm-up asks of the pool
        def __init__(self) -> None:
            self.steps: list[int] = []

        def submit(self, fn, *args):  # type: ignore[no-untyped-def]
            self.steps.append(args[-1])
            done: Future[None] = Future()
            return done

    jobs = Jobs(tmp_path, ROOT)
    pool = Pool()
    jobs._pool = pool  # type: ignore[assignment]
    jobs.warm()
    assert pool.steps == [0]  # the first step; the next waits for it
    waiting: Future[None] = Future()
    jobs._running["a-pack"] = waiting
    jobs._warm_next(pool, 1)  # type: ignore[arg-type]
    assert pool.steps == [0]  # a pack is waiting: no more warming
    waiting.set_result(None)
    jobs._warm_next(pool, 1)  # type: ignore[arg-type]
    deadline = time.monotonic() + 10
    while pool.steps == [0] and time.monotonic() < deadline:
        time.sleep(0.01)
    assert pool.steps == [0, 1]
