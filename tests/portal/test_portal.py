"""The download portal over HTTP: every route, and every kind of bad input.

A real Starlette app with its lifespan (the default pack is built once into a
cache folder shared by the module) and real worker processes for co-branded
packs. Pages are checked by their HTML; packs by their zip and PDFs.
"""

from __future__ import annotations

import io
import json
import re
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from pypdf import PdfReader
from starlette.testclient import TestClient

from packgen.resolve.project import Project
from packgen.web.app import FORM_OVERHEAD, Portal, create_app
from packgen.web.jobs import RESULT
from packgen.web.pages import PageCopy
from packgen.web.upload import MAX_LOGO
from tests.conftest import ROOT
from tests.portal.portal_helpers import GOOD, bomb_png, field_errors, files, group, png_logo

KEY_PATH = re.compile(r"^/packs/([0-9a-f]{64})$")


def print_products() -> list[str]:
    """The products the portal lists today: the print layouts (not yet the digital kit)."""
    from packgen.model.digital import SCREEN_KINDS
    from packgen.resolve.design import load_design

    project = Project(ROOT)
    return [n for n in project.products() if load_design(project, n).kind not in SCREEN_KINDS]


@pytest.fixture(scope="module")
def portal(tmp_path_factory: pytest.TempPathFactory) -> Portal:
    return Portal(Project(ROOT), tmp_path_factory.mktemp("portal-cache"), workers=1)


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
        assert f'src="/thumbnails/{product.thumbnail}"' in text
        for info in product.files:
            assert f'href="/downloads/{info.file}"' in text
        assert {f.profile for f in product.files} == {"office", "press"}
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
    assert len(inputs) == 7
    for ident in inputs:
        assert f'<label for="{ident}">' in form
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
            pdf = client.get(f"/downloads/{info.file}")
            assert pdf.status_code == 200, info.file
            assert pdf.headers["content-type"] == "application/pdf"
            assert pdf.headers["content-disposition"].startswith("attachment")
            assert pdf.content.startswith(b"%PDF") and len(pdf.content) == info.bytes
    bundle = client.get(f"/downloads/{portal.catalogue.bundle}")
    assert bundle.status_code == 200
    names = zipfile.ZipFile(io.BytesIO(bundle.content)).namelist()
    assert "manifest.json" in names and "HOW-TO-PRINT.txt" in names
    assert sum(n.startswith("pdf/") for n in names) == sum(
        len(p.files) for p in portal.catalogue.products
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
    assert "Choose a logo" in " ".join(field_errors(response.text, "logo"))


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("website", "javascript:alert(1)"),
        ("support_url", "data:text/html,<script>alert(1)</script>"),
        ("support_url", "ftp://riverside.example.org/"),
        ("website", "https://"),
        ("support_phone", "call us"),
        ("support_email", "not-an-address"),
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
    assert f'href="#field-{name}"' in response.text  # the summary links to the field
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
    assert len(pdfs) == sum(len(p.files) for p in portal.catalogue.products)
    text = PdfReader(io.BytesIO(bundle.read("pdf/poster-speak-up-A4-office.pdf"))).pages[0]
    assert "Riverside <Family> & Hub" in " ".join(text.extract_text().split())
    manifest = json.loads(bundle.read("manifest.json"))
    assert manifest["title"] == "Riverside <Family> & Hub"

    ready = client.get(f"/packs/{key}").text
    assert f'href="{download}"' in ready
    previews = re.findall(rf'src="(/packs/{key}/thumbnails/[^"]+)"', ready)
    assert len(previews) == len(portal.catalogue.products)
    assert all(client.get(p).content.startswith(b"\x89PNG") for p in previews)

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


def test_a_pack_that_cannot_be_built_names_the_field(client: TestClient) -> None:
    long_link = "https://" + "m" * 60 + ".example.org/"
    key = submitted_key(post(client, {**GOOD, "support_url": long_link}))
    status = wait_for(client, key)
    assert status["state"] == "failed"
    page = client.get(f"/packs/{key}").text
    assert "could not be built" in page
    assert "<strong>Support service web page</strong>: This link is too long" in page
    change = client.get(f"/?from={key}")
    assert change.status_code == 200
    errors = field_errors(change.text, "support_url")
    assert len(errors) == 1 and "too long to print" in errors[0] and " fits " in errors[0]
    assert f'value="{long_link}"' in change.text


def test_attribute_by_qr_link_and_by_quoted_words() -> None:
    from packgen.web.jobs import attribute

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
    assert kinds == sorted(kinds, key=lambda k: ("poster", "leaflet", "pack").index(k))


def test_logo_store_keeps_a_bounded_number_of_files(tmp_path: Path) -> None:
    from packgen.web.upload import FormResult, LogoStore

    store = LogoStore(tmp_path, keep=2)
    copy = PageCopy(Project(ROOT).content())
    for width in (100, 101, 102):
        assert store.add(png_logo(width), "a.png", copy, FormResult({})) is not None
    assert len(list(tmp_path.glob("*.png"))) == 2


def test_a_full_queue_is_503_busy(portal: Portal) -> None:
    busy = Portal(portal.project, portal.folder.parent, max_pending=0)
    with TestClient(create_app(busy), follow_redirects=False) as client:
        response = post(client, {**GOOD, "name": "Queue Test Hub"})
        assert response.status_code == 503
        assert response.headers["retry-after"] == "30"
        assert "Busy building other packs" in response.text


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
