"""End to end in a real browser: Debian's chromium, driven by Playwright.

One ``packgen serve`` (one worker) on a free loopback port for the module.
Every page state (listing, form with errors, building, ready, failed, 404,
413) is checked with axe-core for WCAG 2.0, 2.1 and 2.2 A and AA: no
violation allowed. The form is completed with the keyboard alone; a chosen
pack is downloaded file by file and as a zip, and a PDF inside is read back
(the organisation's name in its text, a QR code decoding to the support URL);
previews are measured; errors are shown and followed without JavaScript.

axe-core comes from the PyPI package ``axe-playwright-python`` (pinned in the
test extras), which ships ``axe.min.js``; it is injected into each page.
Skips (with the reason) where chromium, Playwright or axe is missing;
``.ci/run`` installs them. Never ``playwright install``: it downloads a
browser build, which cannot work here.
"""

from __future__ import annotations

import io
import json
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
axe_package = pytest.importorskip(
    "axe_playwright_python",
    reason="pip install -e '.[test]' (axe-playwright-python ships axe-core)",
)
AXE = (Path(axe_package.__file__).parent / "axe.min.js").read_text(encoding="utf-8")
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
LOGO = EXAMPLES / "riverside-logo.svg"


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
    command += ["--jobs", "1"]
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
                pytest.fail("packgen serve did not answer within 600 s")
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


def assert_accessible(page, state: str) -> None:  # type: ignore[no-untyped-def]
    """axe-core over the whole page: no WCAG 2.0-2.2 A/AA violation (label-in-name too)."""
    page.evaluate(AXE)
    options = {
        "runOnly": {"type": "tag", "values": WCAG},
        "rules": {"label-content-name-mismatch": {"enabled": True}},
    }
    results = page.evaluate("options => axe.run(document, options)", options)
    found = [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes'][:3]]}"
        for v in results["violations"]
    ]
    assert found == [], f"{state}: " + json.dumps(found, indent=1)
    assert results["passes"], f"{state}: axe checked nothing"


def queue_a_pack(page, server: str, name: str) -> None:  # type: ignore[no-untyped-def]
    """Keep the one worker busy for a few seconds, so the next pack is seen building."""
    logo = {"name": "logo.svg", "mimeType": "image/svg+xml", "buffer": LOGO.read_bytes()}
    response = page.request.post(
        server + "/personalise", multipart={**GOOD, "name": name, "logo": logo}, max_redirects=0
    )
    assert response.status == 303


def test_keyboard_only_choose_build_and_download(server: str, browser, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    page = browser.new_page(accept_downloads=True, viewport={"width": 1280, "height": 900})
    page.goto(server + "/")
    assert page.title().startswith("Infant Mental Health Awareness Week 2024")
    assert_accessible(page, "listing")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip"
    # the jump link in the intro, then the form, with the keyboard alone
    page.locator(".jump a").focus()
    page.keyboard.press("Enter")
    page.locator("#field-name").focus()
    typed = {
        "name": "Riverside & <Family> Hub",
        "website": "riverside.example.org",  # completed with https://
        "support_name": GOOD["support_name"],
        "support_url": GOOD["support_url"],
        "support_phone": GOOD["support_phone"],
    }
    page.keyboard.type(typed["name"])
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "field-logo"
    page.set_input_files("#field-logo", str(LOGO))  # a file dialog is the system's, not ours
    for name in ("website", "support_name", "support_url", "support_phone"):
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.id") == f"field-{name}"
        page.keyboard.type(typed[name])
    # products: keep the first poster and the A5 leaflet; both versions; A4 only; and,
    # new choices: the email banner, the web-page version, and Welsh (a draft translation)
    keep = ["poster-know-your-baby", "leaflet-cues-a5"]
    others = page.evaluate(
        "keep => [...document.querySelectorAll('input[name=products]')]"
        ".filter(b => b.checked && !keep.includes(b.value)).map(b => b.id)",
        keep,
    )
    new = page.evaluate(
        "[...document.querySelectorAll('input[name=kit][value=banner],"
        " input[name=profiles][value=html], input[name=languages][value=cy]')].map(b => b.id)"
    )
    assert len(new) == 3
    boxes = {*others, "field-sizes-2", *new}
    for _ in range(80):
        page.keyboard.press("Tab")
        ident = page.evaluate("document.activeElement.id")
        if ident in boxes:
            page.keyboard.press("Space")
            boxes.discard(ident)
        if not boxes:
            break
    assert not boxes, f"not reached by Tab: {boxes}"
    queue_a_pack(page, server, "Queue Ahead Hub")
    page.keyboard.press("Enter")  # submits the form from a checkbox
    page.wait_for_url("**/packs/*")
    assert page.locator("h1").inner_text() == "Your pack for Riverside & <Family> Hub"
    if page.locator(".pack").get_attribute("data-state") == "building":
        assert page.locator("#progress-text[role=status]").count() == 1
        assert_accessible(page, "building")
    link = page.locator("#download")
    link.wait_for(timeout=120_000)
    assert page.title().startswith("Your pack for")
    assert_accessible(page, "ready")

    singles = page.locator(".pack-product .files a")
    assert singles.count() == 8  # 2 products × (A4 or A5) × 2 versions × English and Welsh
    webs = page.locator(".pack-product .web-version a")
    assert webs.count() == 4  # a web page of each product in each language
    assert page.locator("#language-cy .draft-note").is_visible()
    banner = page.locator(".kit-preview img").first
    assert banner.evaluate("e => e.naturalWidth") == 600 and banner.get_attribute("alt")
    page.locator(".kit-image details.snippet summary").first.focus()
    page.keyboard.press("Enter")  # the HTML to paste opens with the keyboard
    assert page.locator(".kit-image details.snippet pre").first.is_visible()
    assert_accessible(page, "ready, with the kit's details open")
    with page.expect_download() as single:
        page.locator("a[href$='poster-know-your-baby-A4-office.pdf']").click()
    assert single.value.suggested_filename == "poster-know-your-baby-A4-office.pdf"
    pdf = Path(single.value.path()).read_bytes()
    text = " ".join(PdfReader(io.BytesIO(pdf)).pages[0].extract_text().split())
    assert "Riverside & <Family> Hub" in text
    codes = [url for page_codes in decode_pdf_qr(pdf) for url in page_codes]
    assert GOOD["support_url"] in codes
    with page.expect_download() as info:
        link.click()
    zip_path = tmp_path / "pack.zip"
    info.value.save_as(zip_path)
    with zipfile.ZipFile(zip_path) as bundle:
        names = sorted(n for n in bundle.namelist() if n.endswith(".pdf"))
        assert bundle.read("pdf/poster-know-your-baby-A4-office.pdf") == pdf
    assert names == [
        "pdf/leaflet-cues-a5-A5-office.pdf",
        "pdf/leaflet-cues-a5-A5-press.pdf",
        "pdf/poster-know-your-baby-A4-office.pdf",
        "pdf/poster-know-your-baby-A4-press.pdf",
    ]

    # previews: the real first page, at least 600 px wide, opening a larger picture
    previews = page.locator(".pack-product .preview img")
    assert previews.count() == 4  # each product in each language
    sizes = previews.evaluate_all("els => els.map(e => [e.naturalWidth, e.clientWidth])")
    assert all(natural >= 600 and shown >= 320 for natural, shown in sizes), sizes
    page.locator(".preview a").first.click()
    page.wait_for_load_state()
    assert page.evaluate("document.images[0].naturalWidth") >= 1200
    page.close()


def test_every_error_state_is_accessible(server: str, browser, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(server + "/")
    page.get_by_label("Organisation name").fill("Riverside Family Hub")
    page.get_by_label("Website").fill("javascript:alert(1)")
    page.get_by_role("button", name="Build my pack").click()
    page.wait_for_load_state()
    assert page.title().startswith("Error: ")
    page.wait_for_function("document.activeElement.id === 'error-summary'", timeout=5000)
    assert "http" in page.locator("#group-website .error").inner_text()
    assert page.locator("#field-website").get_attribute("aria-invalid") == "true"
    assert page.get_by_label("Organisation name").input_value() == "Riverside Family Hub"
    assert_accessible(page, "form with errors")
    page.locator("#error-summary a[href='#group-support_phone']").click()
    assert page.evaluate("document.activeElement.id") == "field-support_phone"
    assert page.locator("label[for=field-support_phone]").is_visible()
    top = page.locator("label[for=field-support_phone]").bounding_box()
    assert top and 0 <= top["y"] < 900, top  # the label is in view, not scrolled off

    # 413: a logo over the limit (the page's own early check switched off)
    page.goto(server + "/")
    big = tmp_path / "big.png"
    big.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * (6 * 1024 * 1024))
    page.set_input_files("#field-logo", str(big))
    page.evaluate("document.querySelector('form').setAttribute('data-max-logo', '999999999999')")
    page.get_by_role("button", name="Build my pack").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "That upload is too large"
    assert page.get_by_role("link", name="Back to the form").is_visible()
    assert_accessible(page, "413")

    page.goto(server + "/no/such/page")
    assert_accessible(page, "404")

    # a pack the layouts cannot take: failed, with the way back to the filled-in form
    page.goto(server + "/")
    for name in ("name", "website", "support_name", "support_phone"):
        page.fill(f"#field-{name}", GOOD[name])
    page.fill("#field-support_url", "https://" + "m" * 60 + ".example.org/")
    page.set_input_files("#field-logo", str(LOGO))
    for box in page.locator("input[name=products]").all()[1:]:
        box.uncheck()
    page.uncheck("input[name=profiles][value=press]")
    page.get_by_role("button", name="Build my pack").click()
    page.locator(".pack[data-state=failed]").wait_for(timeout=120_000)
    assert page.title().startswith("Error: ")
    assert_accessible(page, "failed")
    page.get_by_role("link", name="Change your details").click()
    assert page.locator("#field-support_url").input_value().startswith("https://mmmm")
    page.close()


def test_files_being_prepared_and_each_language_are_accessible(  # type: ignore[no-untyped-def]
    server: str, browser, tmp_path: Path
) -> None:
    from starlette.testclient import TestClient

    from packgen.resolve.project import Project
    from packgen.web.app import Portal, create_app
    from packgen.web.links import ServerLinks
    from packgen.web.views import preparing_page

    page = browser.new_page(viewport={"width": 1280, "height": 900})
    # another language's page, at its first visit: nothing of it is built yet
    page.goto(server + "/languages/ar")
    assert page.locator("h1").inner_text() == "The resource pack in العربية (Arabic)"
    assert page.get_by_text("Being prepared").count() > 0
    assert_accessible(page, "a language's page, its files being prepared")
    # the listing of a server that has built nothing yet (no lifespan: nothing starts)
    fresh = Portal(Project(REPO), tmp_path, workers=1)
    listing = TestClient(create_app(fresh)).get("/").text
    assert "Being prepared" in listing
    page.goto(server + "/")
    page.set_content(listing)  # same address, so its style sheet and script load as served
    assert_accessible(page, "listing, files being prepared")
    # a file asked for before it is made (the page a slow build shows after 8 s)
    href = "/downloads/pack-stakeholder-A4-office.pdf"
    html = preparing_page(
        fresh.project, fresh.copy, ServerLinks(), "pack-stakeholder-A4-office.pdf", href, "/"
    )
    page.set_content(html)
    assert page.get_by_role("status").inner_text().startswith("We are making")
    assert_accessible(page, "a file being prepared")
    page.close()


def test_without_javascript_errors_show_and_a_pack_downloads(
    server: str, browser, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(
        java_script_enabled=False, accept_downloads=True, viewport={"width": 375, "height": 740}
    )
    page = context.new_page()
    page.goto(server + "/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    with page.expect_download() as pdf:
        page.locator("a[href$='poster-speak-up-A4-office.pdf']").click()
    assert pdf.value.suggested_filename == "poster-speak-up-A4-office.pdf"
    page.get_by_role("button", name="Build my pack").click()
    page.wait_for_load_state()
    assert page.title().startswith("Error: ")
    assert page.url.endswith("/personalise#personalise")
    summary = page.locator("#error-summary").bounding_box()
    assert summary and 0 <= summary["y"] < 740, summary  # in view at once, not pages down
    assert "Enter your organisation's name" in page.locator("#error-summary").inner_text()
    page.locator("#error-summary a[href='#group-name']").click()
    label = page.locator("label[for=field-name]").bounding_box()
    assert label and 0 <= label["y"] < 740, label

    page.get_by_label("Organisation name").fill("No Script Family Hub")
    page.set_input_files("#field-logo", str(LOGO))
    for name in ("website", "support_name", "support_url", "support_phone"):
        page.fill(f"#field-{name}", GOOD[name])
    for box in page.locator("input[name=products]").all()[:-1]:
        box.uncheck()  # the stakeholder pack alone
    page.get_by_role("button", name="Build my pack").click()
    page.wait_for_url("**/packs/*")
    page.locator("#download").wait_for(timeout=120_000)  # the page refreshed itself
    with page.expect_download() as info:
        page.locator("#download").click()
    info.value.save_as(tmp_path / "pack.zip")
    with zipfile.ZipFile(tmp_path / "pack.zip") as bundle:
        assert sorted(n for n in bundle.namelist() if n.endswith(".pdf")) == [
            "pdf/pack-stakeholder-A4-office.pdf",
            "pdf/pack-stakeholder-A4-press.pdf",
        ]
    context.close()


def test_the_check_page_is_accessible_in_every_state(server: str, browser, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """/check: the form, a missing file, and a report with its marked pictures: no axe violation."""
    from reportlab.lib.colors import Color
    from reportlab.pdfgen.canvas import Canvas

    pdf = tmp_path / "partner-poster.pdf"
    canvas = Canvas(str(pdf), pagesize=(842, 1191))  # A3 in RGB, text near the edge
    canvas.setFillColor(Color(0.9, 0.3, 0.2))
    canvas.rect(0, 0, 842, 300, fill=1, stroke=0)
    canvas.setFillColor(Color(0, 0, 0))
    canvas.setFont("Helvetica", 24)
    canvas.drawString(4, 1170, "Printed for the local family hub")
    canvas.save()

    page = browser.new_page()
    page.goto(server + "/check")
    assert page.locator("h1").inner_text() == "Will it print well?"
    assert_accessible(page, "check form")

    # the browser's own check stops an empty form; the server's message is what shows without it
    page.evaluate("document.querySelector('input[type=file]').removeAttribute('required')")
    page.get_by_role("button", name="Check this PDF").click()
    page.wait_for_load_state()
    assert page.title().startswith("Error: ")
    assert page.get_by_text("Choose a PDF file to check.").first.is_visible()
    assert_accessible(page, "check error")

    page.set_input_files("input[type=file]", str(pdf))
    page.get_by_role("button", name="Check this PDF").click()
    page.locator("#report-heading").wait_for(timeout=120_000)
    assert "partner-poster.pdf" in page.locator("#report-heading").inner_text()
    assert_accessible(page, "check report")
    page.close()
