"""The HTML writer: every product as one accessible web page, read back by independent parsers.

Each page is parsed with the standard library's HTML parser (well-formed:
every element closed in order), and checked for ``lang``/``dir``, headings
in order (h1 first, no level skipped), alt on every image, no script and no
request leaving the page (images are data: URIs; only links point out).
The reading order of the folded leaflet is cover, flap, inside, back. Then
axe-core (WCAG 2.0-2.2 A/AA) runs on each page in Debian's chromium, as the
portal's browser test does; skipped with the reason where it cannot run.
"""

from __future__ import annotations

import io
import itertools
import json
from html.parser import HTMLParser
from pathlib import Path

import pikepdf
import pytest

from packgen.build import make
from packgen.model.profiles import HTML, OFFICE, PROFILES
from packgen.render.writers import output_name
from packgen.resolve.design import load_design
from packgen.resolve.project import Project
from tests.conftest import ROOT

VOID = {"meta", "img", "br", "input", "link", "hr"}


class Page(HTMLParser):
    """A page's elements: a stack check (well-formed) and what the rules look at."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.problems: list[str] = []
        self.headings: list[tuple[int, str]] = []
        self.images: list[dict[str, str | None]] = []
        self.links: list[str] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self._heading: int = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        self.tags.append((tag, found))
        if tag == "img":
            self.images.append(found)
        if tag == "a":
            self.links.append(found.get("href") or "")
        if tag in {"h1", "h2", "h3", "h4", "h5", "h6"}:
            self._heading = int(tag[1])
            self.headings.append((self._heading, ""))
        if tag not in VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.problems.append(f"</{tag}> closes {self.stack[-1:] or 'nothing'}")
            return
        self.stack.pop()
        if tag.startswith("h") and tag[1:].isdigit():
            self._heading = 0

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if self._heading and self.headings:
            level, words = self.headings[-1]
            self.headings[-1] = (level, words + data)


PRODUCTS = Project(ROOT).products()
PRINTED = [n for n in PRODUCTS if not n.startswith(("email-", "social-"))]  # have office PDFs


@pytest.fixture(scope="module")
def pages() -> dict[str, str]:
    project = Project(ROOT)
    made: dict[str, str] = {}
    for name in PRODUCTS:
        design = load_design(project, name)
        _, data = make(project, design, design.sizes[0], HTML)
        made[name] = data.decode("utf-8")
    return made


def parsed(html: str) -> Page:
    page = Page()
    page.feed(html)
    page.close()
    return page


def test_the_html_profile_names_its_files() -> None:
    assert PROFILES["html"] is HTML
    assert output_name("leaflet-cues", "A4", HTML) == "leaflet-cues-A4-html.html"


@pytest.mark.parametrize("name", PRODUCTS)
def test_each_page_is_well_formed_with_lang_dir_and_a_title(
    pages: dict[str, str], name: str
) -> None:
    page = parsed(pages[name])
    assert page.problems == [] and page.stack == []
    html = next(attrs for tag, attrs in page.tags if tag == "html")
    assert html.get("lang") == "en-GB" and html.get("dir") == "ltr"
    assert any(tag == "title" for tag, _ in page.tags)
    assert any(tag == "main" for tag, _ in page.tags)
    viewport = [a for t, a in page.tags if t == "meta" and a.get("name") == "viewport"]
    assert viewport and "width=device-width" in (viewport[0].get("content") or "")


@pytest.mark.parametrize("name", PRODUCTS)
def test_headings_start_at_h1_and_skip_no_level(pages: dict[str, str], name: str) -> None:
    levels = [level for level, _ in parsed(pages[name]).headings]
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(b <= a + 1 for a, b in itertools.pairwise(levels)), levels


def _pdf_headings(data: bytes) -> list[int]:
    levels: list[int] = []

    def walk(node: object) -> None:
        if isinstance(node, pikepdf.Array):
            for kid in node:
                walk(kid)
        elif isinstance(node, pikepdf.Dictionary) and "/S" in node:
            tag = str(node.S).lstrip("/")
            if len(tag) == 2 and tag[0] == "H" and tag[1].isdigit():
                levels.append(int(tag[1]))
            if "/K" in node:
                walk(node.K)

    with pikepdf.open(io.BytesIO(data)) as pdf:
        walk(pdf.Root.StructTreeRoot.K)
    return levels


@pytest.mark.parametrize("name", PRINTED)
def test_the_page_has_the_tagged_pdfs_headings(pages: dict[str, str], name: str) -> None:
    """The layout's roles give both: the same levels, in the same order, in PDF and HTML."""
    project = Project(ROOT)
    design = load_design(project, name)
    _, data = make(project, design, design.sizes[0], OFFICE)
    page = [level for level, _ in parsed(pages[name]).headings]
    assert _pdf_headings(data) == page


def test_display_lines_are_headings_below_the_one_title(pages: dict[str, str]) -> None:
    def outline(name: str) -> list[tuple[int, str]]:
        return [(level, words) for level, words in parsed(pages[name]).headings]

    assert outline("poster-know-your-baby") == [
        (1, "Get to know your baby"),  # the print line break is a space on the web
        (2, "Watch"),
        (2, "Respond"),
    ]
    leaflet = outline("leaflet-cues")
    assert leaflet[:2] == [(1, "Reading your baby’s cues"), (2, "Why the first two years matter")]
    assert (3, "It’s fine not to know straight away") in leaflet


def test_easy_read_rows_keep_picture_and_words_together(pages: dict[str, str]) -> None:
    html = pages["leaflet-cues-easy-read"]
    rows = html.split('<div class="row">')[1:]
    assert len(rows) >= 12
    for row in rows:
        picture, words = row.split("><div>", 1)
        assert picture.startswith("<img ") and 'alt="Picture: ' in picture
        assert words.lstrip().startswith("<p>")


@pytest.mark.parametrize("name", PRODUCTS)
def test_no_script_no_request_and_every_image_has_alt(pages: dict[str, str], name: str) -> None:
    page = parsed(pages[name])
    assert not any(tag in {"script", "link", "iframe", "object"} for tag, _ in page.tags)
    assert not any(k.startswith("on") for _, attrs in page.tags for k in attrs)
    assert page.images, "the illustrations are in the page"
    for image in page.images:
        assert image.get("alt") is not None
        assert (image.get("src") or "").startswith("data:image/")
        if image.get("alt") == "":
            assert image.get("aria-hidden") == "true"  # decoration
    assert "url(" not in pages[name] and "@import" not in pages[name]
    for tag, attrs in page.tags:  # only links point out of the page
        for key in ("src", "href"):
            value = attrs.get(key) or ""
            if value.startswith(("http:", "https:", "//")):
                assert (tag, key) == ("a", "href"), (tag, value)


def test_figures_have_their_copy_alt_text(pages: dict[str, str]) -> None:
    alts = [i.get("alt") for i in parsed(pages["leaflet-cues"]).images]
    assert "Illustration: a parent holds up a smiling baby" in " ".join(a or "" for a in alts)


def test_qr_codes_become_links_with_their_captions(pages: dict[str, str]) -> None:
    page = parsed(pages["leaflet-cues"])
    assert "https://parentinfantfoundation.org.uk/" in page.links
    assert any("aaimh.org.au" in link for link in page.links)
    assert "Support near you" in "".join(page.text)  # the support card the code sits in


def test_the_folded_leaflet_reads_cover_flap_inside_back(pages: dict[str, str]) -> None:
    text = " ".join(parsed(pages["leaflet-cues"]).text)
    order = [
        "baby’s cues",  # typographic apostrophes, as printed
        "Why the first",
        "Your baby’s cues",
        "When your baby cries",
        "Watch the film",
        "Where to get support",
    ]
    places = [text.index(words) for words in order]
    assert places == sorted(places), dict(zip(order, places, strict=True))


def test_the_pack_skips_running_heads_and_page_numbers(pages: dict[str, str]) -> None:
    text = " ".join(parsed(pages["pack-stakeholder"]).text)
    assert "Page 2 of" not in text
    headings = [words for _, words in parsed(pages["pack-stakeholder"]).headings]
    assert headings[0].startswith("Speak up for babies") and "Contents" in headings


def test_the_accent_and_ink_pass_4_5_to_1_on_white(pages: dict[str, str]) -> None:
    from packgen.colour import contrast_ratio
    from packgen.render.html import _fraction

    for html in pages.values():
        for var in ("--ink", "--accent"):
            value = html.split(f"{var}: ")[1][:7]
            assert contrast_ratio(_fraction(value), (1.0, 1.0, 1.0)) >= 4.5, (var, value)


# -- axe-core in the browser (as tests/portal/test_portal_browser.py loads it) ----------------

CHROMIUM = Path("/usr/bin/chromium")
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]


def test_every_page_is_axe_clean_at_320_and_1280_px(pages: dict[str, str], tmp_path: Path) -> None:
    if not CHROMIUM.exists():
        pytest.skip("axe check needs Debian's chromium at /usr/bin/chromium")
    sync_api = pytest.importorskip("playwright.sync_api", reason="pip install playwright")
    axe_package = pytest.importorskip(
        "axe_playwright_python", reason="pip install -e '.[test]' (ships axe-core)"
    )
    axe = (Path(axe_package.__file__).parent / "axe.min.js").read_text(encoding="utf-8")
    found: dict[str, list[str]] = {}
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=["--headless", "--no-sandbox", "--disable-gpu"]
        )
        try:
            for name, html in pages.items():
                path = tmp_path / f"{name}.html"
                path.write_text(html, encoding="utf-8")
                for width in (320, 1280):
                    page = browser.new_page(viewport={"width": width, "height": 900})
                    requests: list[str] = []
                    page.on("request", lambda r, seen=requests: seen.append(r.url))
                    page.goto(path.as_uri())
                    page.evaluate(axe)
                    results = page.evaluate(
                        "o => axe.run(document, o)", {"runOnly": {"type": "tag", "values": WCAG}}
                    )
                    scroll = page.evaluate("document.documentElement.scrollWidth")
                    page.close()
                    problems = [f"{v['id']}: {v['help']}" for v in results["violations"]]
                    if scroll > width:
                        problems.append(f"scrolls sideways at {width} px ({scroll} px wide)")
                    outside = [u for u in requests if not u.startswith(("file:", "data:"))]
                    problems += [f"request to {u}" for u in outside]
                    if problems:
                        found[f"{name}@{width}"] = problems
                    assert results["passes"], "axe checked nothing"
        finally:
            browser.close()
    assert found == {}, json.dumps(found, indent=1)


def test_easy_read_pictures_sit_left_of_their_words_on_a_wide_screen(
    pages: dict[str, str], tmp_path: Path
) -> None:
    if not CHROMIUM.exists():
        pytest.skip("the layout check needs Debian's chromium at /usr/bin/chromium")
    sync_api = pytest.importorskip("playwright.sync_api", reason="pip install playwright")
    path = tmp_path / "easy-read.html"
    path.write_text(pages["leaflet-cues-easy-read"], encoding="utf-8")
    boxes = """() => [...document.querySelectorAll('.row')].map(r => {
        const i = r.querySelector('img').getBoundingClientRect();
        const t = r.querySelector('div').getBoundingClientRect();
        return [i.left, i.right, i.top, i.bottom, t.left, t.top, t.bottom, i.width];
    })"""
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=["--headless", "--no-sandbox", "--disable-gpu"]
        )
        try:
            found = {}
            for width in (1280, 320):
                page = browser.new_page(viewport={"width": width, "height": 900})
                page.goto(path.as_uri())
                found[width] = page.evaluate(boxes)
                page.close()
        finally:
            browser.close()
    assert len(found[1280]) >= 12
    for _, right, top, bottom, text_left, text_top, text_bottom, _ in found[1280]:
        assert right <= text_left  # beside: the picture on the left
        assert min(bottom, text_bottom) - max(top, text_top) > 0  # and level with the words
    for left, *_, width in found[320]:
        assert left >= 0 and width >= 64  # stacked or not, the picture stays whole on screen
