"""The portal's "check a PDF" page: uploads judged by content, limits, the report and pictures."""

from __future__ import annotations

import html
import re
import shutil
import tempfile
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from packgen.check.worker import UPLOAD, run_limited
from packgen.resolve.project import Project
from packgen.web.app import Portal, create_app
from packgen.web.check import MAX_PDF
from tests.conftest import ROOT
from tests.portal.portal_helpers import png_logo
from tests.products.foreign import typst_no_trimbox


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> TestClient:
    portal = Portal(Project(ROOT), tmp_path_factory.mktemp("check-cache"), workers=1)
    return TestClient(create_app(portal), follow_redirects=False)  # no lifespan: no pack build


@pytest.fixture(scope="module")
def poster(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    return typst_no_trimbox(tmp_path_factory.mktemp("poster") / "poster.pdf").read_bytes()


def errors_of(page: str) -> list[str]:
    return [
        html.unescape(m) for m in re.findall(r'<p class="error" id="error-pdf-\d+">(.*?)</p>', page)
    ]


def leftovers() -> set[str]:
    return {p.name for p in Path(tempfile.gettempdir()).glob("packgen-check-*")}


def test_the_form_works_without_javascript(client: TestClient) -> None:
    response = client.get("/check")
    assert response.status_code == 200
    page = response.text
    assert 'method="post" action="/check" enctype="multipart/form-data"' in page
    assert '<label for="field-pdf">PDF file' in page
    assert 'aria-describedby="hint-pdf"' in page and "up to 20 MB" in page
    assert "content-security-policy" in response.headers


def test_a_poster_gets_both_verdicts_and_pictures(client: TestClient, poster: bytes) -> None:
    before = leftovers()
    response = client.post(
        "/check", files={"pdf": ("partner poster.pdf", poster, "application/pdf")}
    )
    assert response.status_code == 200, errors_of(response.text)
    page = html.unescape(response.text)
    assert "What we found in partner poster.pdf" in page
    assert "A3 (297 × 420 mm) with 3 mm bleed on the page, but no TrimBox says where to cut" in page
    assert "For an office printer: ready" in page
    assert "For a print shop: not ready — 1 thing to fix" in page
    assert "the colours are RGB (screen colours)" in page
    assert "Ask for a CMYK or PDF/X export." in page
    (picture,) = re.findall(r'<img src="(data:image/png;base64,[^"]+)" alt="([^"]+)"', page)
    assert "Page 1 of partner poster.pdf with the problems marked" in picture[1]
    assert leftovers() <= before  # the upload and pictures are gone


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ({"pdf": ("logo.pdf", png_logo(), "application/pdf")}, "This file is not a PDF"),
        ({"pdf": ("empty.pdf", b"", "application/pdf")}, "Choose a PDF file to check."),
        ({}, "Choose a PDF file to check."),
    ],
)
def test_bad_uploads_are_errors_next_to_the_field(
    client: TestClient, files: dict[str, tuple[str, bytes, str]], message: str
) -> None:
    response = client.post("/check", files=files or None, data={} if files else {"x": "1"})
    assert response.status_code == 422
    found = errors_of(response.text)
    assert found and found[0].startswith(message)
    assert 'aria-invalid="true"' in response.text
    assert 'href="#field-pdf"' in response.text  # the summary links to the field


def test_a_broken_pdf_gets_a_report_not_an_error(client: TestClient) -> None:
    response = client.post(
        "/check", files={"pdf": ("broken.pdf", b"%PDF-1.7\nnot really", "application/pdf")}
    )
    assert response.status_code == 200
    assert "cannot read the PDF" in html.unescape(response.text)


def test_an_upload_over_the_limit_is_413_with_the_form(client: TestClient) -> None:
    big = b"%PDF-1.7\n" + b"0" * (MAX_PDF + 70 * 1024)
    response = client.post("/check", files={"pdf": ("big.pdf", big, "application/pdf")})
    assert response.status_code == 413
    assert errors_of(response.text) == ["The file is too large: the limit is 20 MB."]


def test_the_personalise_limit_is_unchanged(client: TestClient) -> None:
    response = client.post(
        "/personalise", files={"logo": ("l.png", b"0" * (6 * 1024 * 1024), "image/png")}
    )
    assert response.status_code == 413


def test_the_worker_stops_at_its_limits(tmp_path: Path, poster: bytes) -> None:
    (tmp_path / UPLOAD).write_bytes(poster)
    assert run_limited(tmp_path, wall=0.05).problem == "time"
    starved = run_limited(tmp_path, memory=64 * 1024 * 1024)
    assert starved.report is None and starved.problem in ("memory", "failed")
    done = run_limited(tmp_path)
    assert done.report is not None and done.report["verdicts"]["shop"]["ready"] is False  # type: ignore[index]
    assert len(done.pictures) == 1
    shutil.rmtree(tmp_path)
