"""End to end in a real browser: Debian's chromium, driven by Playwright.

Starts ``packgen serve`` on a free loopback port, fills the form with the
keyboard and a logo upload, waits for the pack, downloads the zip, and reads a
PDF inside: the organisation's name in its text, a QR code decoding to the
support URL. Also checks the page at phone width and its keyboard order.
Skips (with the reason) where chromium or Playwright is missing; ``.ci/run``
installs chromium so CI runs it. Never ``playwright install``: it downloads a
browser build, which cannot work here.
"""

from __future__ import annotations

import io
import os
import socket
import subprocess
import sys
import time
import urllib.request
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from pypdf import PdfReader

from packgen.render.raster import decode_pdf_qr
from tests.portal.portal_helpers import EXAMPLES, GOOD

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
REPO = Path(__file__).resolve().parents[2]

if not CHROMIUM.exists():
    pytest.skip(
        "browser test needs Debian's chromium at /usr/bin/chromium "
        "(apt-get install -y chromium; .ci/run installs it)",
        allow_module_level=True,
    )
sync_api = pytest.importorskip("playwright.sync_api", reason="pip install playwright")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    port = _free_port()
    cache = tmp_path_factory.mktemp("browser-cache")
    env = dict(
        os.environ, PYTHONPATH=os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")])
    )
    command = [sys.executable, "-m", "packgen", "serve", "--port", str(port), "--cache", str(cache)]
    process = subprocess.Popen(
        command, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            if process.poll() is not None:
                output = process.stdout.read().decode() if process.stdout else ""
                pytest.fail(f"packgen serve exited with {process.returncode}:\n{output}")
            try:
                with urllib.request.urlopen(url + "/", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail("packgen serve did not answer within 120 s")
            time.sleep(0.3)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if process.stdout is not None:
            process.stdout.close()  # else an unclosed-file ResourceWarning (an error here)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with sync_api.sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            yield instance
        finally:
            instance.close()


def test_personalise_and_download_in_a_browser(server: str, browser, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    page = browser.new_page(accept_downloads=True)
    page.goto(server + "/")
    assert page.title().startswith("Infant Mental Health Awareness Week 2024")
    page.get_by_label("Organisation name").fill("Riverside & <Family> Hub")
    page.set_input_files("#field-logo", str(EXAMPLES / "riverside-logo.svg"))
    page.get_by_label("Website").fill(GOOD["website"])
    page.get_by_label("Support service name").fill(GOOD["support_name"])
    page.get_by_label("Support service web page").fill(GOOD["support_url"])
    page.get_by_label("Support service phone number").fill(GOOD["support_phone"])
    page.get_by_role("button", name="Build my pack").click()
    page.wait_for_url("**/packs/*")
    assert page.locator("h1").inner_text() == "Your pack for Riverside & <Family> Hub"
    link = page.locator("#download")
    link.wait_for(timeout=90_000)
    with page.expect_download() as info:
        link.click()
    zip_path = tmp_path / "pack.zip"
    info.value.save_as(zip_path)
    assert info.value.suggested_filename.endswith(".zip")

    with zipfile.ZipFile(zip_path) as bundle:
        pdf = bundle.read("pdf/poster-know-your-baby-A4-office.pdf")
    text = " ".join(PdfReader(io.BytesIO(pdf)).pages[0].extract_text().split())
    assert "Riverside & <Family> Hub" in text
    codes = [url for page_codes in decode_pdf_qr(pdf) for url in page_codes]
    assert GOOD["support_url"] in codes
    assert page.locator(".previews img").count() >= 4
    page.close()


def test_field_errors_show_next_to_the_field(server: str, browser) -> None:  # type: ignore[no-untyped-def]
    page = browser.new_page()
    page.goto(server + "/#personalise")
    page.get_by_label("Organisation name").fill("Riverside Family Hub")
    page.get_by_label("Website").fill("javascript:alert(1)")
    page.get_by_role("button", name="Build my pack").click()
    page.wait_for_load_state()
    summary = page.locator("#error-summary")
    assert summary.is_visible()
    assert page.evaluate("document.activeElement.id") == "error-summary"
    website = page.locator("#group-website .error")
    assert "http" in website.inner_text()
    assert page.locator("#field-website").get_attribute("aria-invalid") == "true"
    assert page.locator("#group-logo .error").count() == 1
    assert page.get_by_label("Organisation name").input_value() == "Riverside Family Hub"
    page.close()


def test_keyboard_order_and_phone_width(server: str, browser) -> None:  # type: ignore[no-untyped-def]
    page = browser.new_page(viewport={"width": 360, "height": 740}, is_mobile=True)
    page.goto(server + "/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip"
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.getAttribute('href')")
    assert focused and focused.endswith(".zip")  # "download everything" comes first
    headings = page.locator("h1, h2, h3").all_inner_texts()
    assert headings[0].startswith("Speak up for babies")
    assert len(page.locator("h1").all()) == 1
    page.close()


def test_everything_works_without_javascript(server: str, browser, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(java_script_enabled=False, accept_downloads=True)
    page = context.new_page()
    page.goto(server + "/")
    with page.expect_download() as pdf:
        page.locator("a[href$='poster-speak-up-A4-office.pdf']").click()
    assert pdf.value.suggested_filename == "poster-speak-up-A4-office.pdf"
    page.get_by_label("Organisation name").fill("No Script Family Hub")
    page.set_input_files("#field-logo", str(EXAMPLES / "riverside-logo.svg"))
    for name in ("website", "support_name", "support_url", "support_phone"):
        page.fill(f"#field-{name}", GOOD[name])
    page.get_by_role("button", name="Build my pack").click()
    page.wait_for_url("**/packs/*")
    page.locator("#download").wait_for(timeout=90_000)  # the page refreshed itself
    with page.expect_download() as info:
        page.locator("#download").click()
    info.value.save_as(tmp_path / "pack.zip")
    assert zipfile.is_zipfile(tmp_path / "pack.zip")
    context.close()
