"""The digital kit: email banner and social images, built through the screen profile."""

from __future__ import annotations

import io
import json
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import pytest
from PIL import Image, ImageChops

from packgen import cli
from packgen.build import BuildReport, build, make
from packgen.check.images import check_image, chunks
from packgen.distribute.bundle import make_bundle
from packgen.layout.placed import DigitalInfo, PlacedText
from packgen.model.digital import MAX_ALT
from packgen.model.profiles import SCREEN
from packgen.render.manifest import read_manifest
from packgen.render.sidecar import snippet
from packgen.resolve.design import load_design
from packgen.resolve.org import load_org
from packgen.resolve.project import Project
from tests.conftest import ROOT

RIVERSIDE = ROOT / "docs" / "examples" / "orgs" / "riverside.yaml"
SHAPES = {
    "square": (1080, 1080),
    "portrait": (1080, 1350),
    "x": (1600, 900),
    "linkedin": (1200, 627),
    "story": (1080, 1920),
}
DESIGNS = ("speak-up", "fact")


@pytest.fixture(scope="module")
def kit(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, BuildReport]:
    out = tmp_path_factory.mktemp("digital")
    report = build(Project(ROOT), out, profiles=["screen"])
    assert report.ok, {name: str(error) for name, error in report.failures.items()}
    return out, report


@pytest.fixture(scope="module")
def branded(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, BuildReport]:
    out = tmp_path_factory.mktemp("digital-org")
    report = build(Project(ROOT), out, profiles=["screen"], org=load_org(RIVERSIDE))
    assert report.ok, {name: str(error) for name, error in report.failures.items()}
    return out, report


def _pixels(path: Path) -> tuple[int, int]:
    with Image.open(path) as image:
        return image.size


def test_every_design_comes_in_every_shape_at_its_pixel_size(
    kit: tuple[Path, BuildReport],
) -> None:
    out, report = kit
    made = {file.path.name for file in report.files}
    for design in DESIGNS:
        for shape, (w, h) in SHAPES.items():
            name = f"social-{design}-{shape}-{w}x{h}-screen.png"
            assert name in made
            assert _pixels(out / "digital" / name) == (w, h)
    assert _pixels(out / "digital" / "email-banner-600x200-screen.png") == (600, 200)
    assert _pixels(out / "digital" / "email-banner-1200x400-screen.png") == (1200, 400)
    assert all(file.path.parent == out / "digital" for file in report.files)
    assert not list(out.glob("*.pdf"))  # the screen profile makes only the screen layouts


def test_banners_are_under_100_kb_and_every_image_is_srgb_without_metadata(
    kit: tuple[Path, BuildReport],
) -> None:
    _, report = kit
    for file in report.files:
        data = file.path.read_bytes()
        kinds = chunks(data)
        assert b"sRGB" in kinds
        assert not {b"tEXt", b"iTXt", b"zTXt", b"tIME", b"eXIf", b"iCCP"} & set(kinds)
        if file.product == "email-banner":
            assert len(data) < 100_000, (file.path.name, len(data))


def test_a_rebuild_gives_the_same_bytes(kit: tuple[Path, BuildReport], tmp_path: Path) -> None:
    out, _ = kit
    again = build(Project(ROOT), tmp_path, ["email-banner", "social-fact-story"], ["screen"])
    assert again.ok
    for file in again.files:
        assert file.path.read_bytes() == (out / "digital" / file.path.name).read_bytes()
        for extra in file.extras:
            assert extra.read_bytes() == (out / "digital" / extra.name).read_bytes()


def test_every_image_has_alt_text_and_posts_within_their_limits(
    kit: tuple[Path, BuildReport],
) -> None:
    out, report = kit
    manifest = read_manifest(out)
    for file in report.files:
        side = json.loads(file.path.with_suffix(".json").read_text(encoding="utf-8"))
        assert 0 < len(side["alt"]) <= MAX_ALT
        assert side["alt"] == file.alt == manifest[f"digital/{file.path.name}"].digital["alt"]  # type: ignore[index]
        if file.product.startswith("social-"):
            assert side["posts"], file.path.name
        for post in side["posts"]:
            assert post["count"] <= post["limit"]
            assert post["text"] and "{" not in post["text"]
    x_post = json.loads((out / "digital" / "social-fact-x-1600x900-screen.json").read_text())
    assert [p["platform"] for p in x_post["posts"]] == ["x"]
    assert x_post["posts"][0]["limit"] == 280


def test_story_button_bands_are_empty_of_text(kit: tuple[Path, BuildReport]) -> None:
    out, _ = kit
    for design in DESIGNS:
        name = f"digital/social-{design}-story-1080x1920-screen.png"
        texts = read_manifest(out)[name].digital["texts"]  # type: ignore[index]
        assert texts
        for text in texts:
            _, y, _, h = text["box"]
            assert y >= 250 and y + h <= 1920 - 340, text


def test_text_is_never_under_28px_at_1080_wide_and_scales_with_width(
    kit: tuple[Path, BuildReport],
) -> None:
    out, _ = kit
    for entry in read_manifest(out).values():
        digital = entry.digital
        assert digital is not None
        width = digital["pixels"][0]
        assert digital["min_text_px"] == pytest.approx(28 * width / 1080, abs=0.01)
        assert min(t["size_px"] for t in digital["texts"]) >= digital["min_text_px"] - 0.01


def test_nothing_essential_in_the_outer_five_percent(kit: tuple[Path, BuildReport]) -> None:
    out, _ = kit
    for name, entry in read_manifest(out).items():
        digital = entry.digital
        assert digital is not None
        if digital["kind"] != "social":
            continue
        w, h = digital["pixels"]
        sx, sy, sw, sh = digital["safe_px"]
        assert sx >= 0.05 * w - 0.5 and sy >= 0.05 * h - 0.5, name
        assert sx + sw <= 0.95 * w + 0.5 and sy + sh <= 0.95 * h + 0.5, name


def test_packgen_check_passes_the_kit_and_fails_a_wrong_image(
    kit: tuple[Path, BuildReport], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out, _ = kit
    assert cli.main(["check", str(out)]) == 0
    shown = capsys.readouterr().out
    assert "12 file(s) checked, 0 not ready" in shown
    for rule in ("pixels", "bytes", "alt", "text size", "contrast"):
        assert rule in shown
    # a banner shrunk by hand: wrong pixel size, and no longer the manifest's bytes
    entry = read_manifest(out)["digital/email-banner-600x200-screen.png"]
    resized = tmp_path / "digital" / "email-banner-600x200-screen.png"
    resized.parent.mkdir()
    with Image.open(out / "digital" / resized.name) as image:
        image.resize((300, 100)).save(resized)
    report = check_image(resized, expect=entry)
    failed = {f.check for f in report.findings if f.level.value == "fail"}
    assert "pixels" in failed and "colour" in failed  # and Pillow's file has no sRGB chunk


def test_co_branded_images_carry_the_organisation_name(
    kit: tuple[Path, BuildReport], branded: tuple[Path, BuildReport]
) -> None:
    plain_out, _ = kit
    org_out, org_report = branded
    project = Project(ROOT)
    org = load_org(RIVERSIDE)
    names = {file.product: file for file in org_report.files}
    assert len(org_report.files) == 12
    for product in names:
        design = load_design(project, product)
        size = design.sizes[0]
        placed, _ = make(project, design, size, SCREEN, org)
        texts = {
            item.element_id: " ".join(line.flowable.text for line in item.lines)
            for item in placed.pages[0].items
            if isinstance(item, PlacedText)
        }
        assert "Riverside Family Hub" in texts.get("org-name", "").replace("\xa0", " "), product
        # the pixels differ from the unbranded image where the name is drawn
        file = next(f for f in org_report.files if f.product == product and f.size == size)
        entry = read_manifest(org_out)[f"digital/{file.path.name}"]
        box = next(t["box"] for t in entry.digital["texts"] if t["id"] == "org-name")  # type: ignore[index]
        with (
            Image.open(file.path) as mine,
            Image.open(plain_out / "digital" / file.path.name) as plain,
        ):
            area = (int(box[0]), int(box[1]), int(box[0] + box[2]), int(box[1] + box[3]))
            diff = ImageChops.difference(mine.convert("RGB"), plain.convert("RGB")).crop(area)
            assert diff.getbbox() is not None, product


def test_the_banner_snippet_is_valid_escaped_html() -> None:
    info = DigitalInfo(
        "banner",
        'Tom & Jerry\'s "week" <2024>',
        (600, 200),
        "https://example.org/page?a=1&utm_source=x",
    )
    text = snippet("banner & co.png", info)
    tag, alt_line, link_line = text.splitlines()
    assert '&amp;utm_source=x"' in tag and "&quot;week&quot;" in tag and "&lt;2024&gt;" in tag
    assert alt_line == 'Tom &amp; Jerry\'s "week" &lt;2024&gt;'
    assert link_line == "https://example.org/page?a=1&amp;utm_source=x"

    class Reader(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.tags: list[tuple[str, dict[str, str | None]]] = []
            self.open: list[str] = []

        def handle_starttag(self, name: str, attrs: list[tuple[str, str | None]]) -> None:
            self.tags.append((name, dict(attrs)))
            if name != "img":
                self.open.append(name)

        def handle_endtag(self, name: str) -> None:
            assert self.open.pop() == name

    reader = Reader()
    reader.feed(tag)
    reader.close()
    assert not reader.open
    (a, a_attrs), (img, img_attrs) = reader.tags
    assert (a, img) == ("a", "img")
    assert a_attrs["href"] == "https://example.org/page?a=1&utm_source=x"
    assert img_attrs["src"] == "banner & co.png"
    assert img_attrs["alt"] == info.alt
    assert (img_attrs["width"], img_attrs["height"]) == ("600", "200")


def test_the_banner_links_to_the_campaign_page_with_tracking_when_asked(
    kit: tuple[Path, BuildReport], tmp_path: Path
) -> None:
    out, _ = kit
    link = Project(ROOT).content().link("campaign")
    assert link is not None
    html = (out / "digital" / "email-banner-1200x400-screen.html").read_text(encoding="utf-8")
    assert f'href="{link.url}"' in html and 'width="600" height="200"' in html
    assert 'src="email-banner-1200x400-screen.png"' in html
    profile = RIVERSIDE.read_text(encoding="utf-8") + "tracking: {enabled: true}\n"
    (tmp_path / "org.yaml").write_text(profile, encoding="utf-8")
    (tmp_path / "riverside-logo.svg").write_bytes(
        RIVERSIDE.with_name("riverside-logo.svg").read_bytes()
    )
    project = Project(ROOT)
    placed, _ = make(
        project,
        load_design(project, "email-banner"),
        "600x200",
        SCREEN,
        load_org(tmp_path / "org.yaml"),
    )
    assert placed.digital is not None and placed.digital.link is not None
    assert placed.digital.link.startswith(link.url + "?")
    assert "utm_source=riverside-family-hub" in placed.digital.link
    assert "utm_content=email-banner" in placed.digital.link


def test_the_bundle_has_a_digital_folder_with_how_to_use(
    kit: tuple[Path, BuildReport], tmp_path: Path
) -> None:
    _, report = kit
    zip_path = make_bundle(tmp_path / "kit.zip", report.files, Project(ROOT).content(), "Kit")
    with zipfile.ZipFile(zip_path) as archive:
        names = archive.namelist()
        note = archive.read("digital/HOW-TO-USE.txt").decode("utf-8")
        manifest = json.loads(archive.read("manifest.json"))
        thumb = Image.open(io.BytesIO(archive.read("thumbnails/email-banner.png")))
    assert "digital/email-banner-1200x400-screen.png" in names
    assert "digital/email-banner-1200x400-screen.html" in names
    assert "digital/social-fact-square-1080x1080-screen.json" in names
    assert not any(name.startswith("pdf/") for name in names)
    assert "Outlook" in note and "Gmail" in note and "#IMHAW2024" in note and "{" not in note
    images = [f for f in manifest["files"] if f["file"].startswith("digital/")]
    assert len(images) == 12 and all(f["alt"] and f["sha256"] for f in images)
    assert thumb.width == 360


@pytest.fixture(scope="module")
def arabic_kit(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, BuildReport]:
    out = tmp_path_factory.mktemp("digital-ar")
    products = ["email-banner", "social-speak-up-square", "social-fact-x"]
    report = build(Project(ROOT, language="ar"), out, products, profiles=["screen"])
    assert report.ok, {name: str(error) for name, error in report.failures.items()}
    return out, report


def _ink_columns(path: Path, box: list[float], ground: tuple[int, int, int]) -> tuple[int, int]:
    """The first and last pixel columns inside ``box`` that differ from the ground colour."""
    with Image.open(path) as image:
        area = (int(box[0]), int(box[1]), int(box[0] + box[2]), int(box[1] + box[3]))
        crop = image.convert("RGB").crop(area)
    found = ImageChops.difference(crop, Image.new("RGB", crop.size, ground)).getbbox()
    assert found is not None, f"no ink in {box}"
    return int(box[0]) + found[0], int(box[0]) + found[2]


def test_right_to_left_images_are_mirrored_and_shaped(
    kit: tuple[Path, BuildReport], arabic_kit: tuple[Path, BuildReport]
) -> None:
    en_out, _ = kit
    ar_out, ar_report = arabic_kit
    assert len(ar_report.files) == 4  # the banner at 1x and 2x, two social images
    name = "digital/social-speak-up-square-1080x1080-screen.png"
    en, ar = read_manifest(en_out)[name], read_manifest(ar_out)[name]
    en_runs = {r.element: r for r in en.page_expect[0].text_runs}
    ar_runs = {r.element: r for r in ar.page_expect[0].text_runs}
    # frames are mirrored about the image's vertical axis (the kicker: 80-720 px, 360-1000 px)
    width = 1080 * 0.75  # points
    x, y, w, h = en_runs["kicker"].rect
    assert ar_runs["kicker"].rect == pytest.approx((width - x - w, y, w, h))
    # the headline went through HarfBuzz and the bidirectional algorithm, as in a PDF
    run = ar_runs["headline"]
    assert run.shaped and run.direction == "rtl" and run.language == "ar"
    assert run.visual != run.logical  # set right to left: letters drawn in visual order
    # the set text starts at the frame's right edge (1000 px), the English at its left (80 px)
    ar_box = next(t["box"] for t in ar.digital["texts"] if t["id"] == "headline")  # type: ignore[index]
    en_box = next(t["box"] for t in en.digital["texts"] if t["id"] == "headline")  # type: ignore[index]
    assert ar_box[0] + ar_box[2] == pytest.approx(1000, abs=1) and ar_box[0] > 120
    assert en_box[0] == pytest.approx(80, abs=1) and en_box[0] + en_box[2] < 960
    # and the pixels say the same: ink hugs the right edge of the frame
    cream = (0xFF, 0xF6, 0xEC)
    left, right = _ink_columns(ar_out / name, [80, 200, 920, 220], cream)  # below the mark
    assert 1000 - right < 12 and left > 120


def test_right_to_left_images_carry_their_language_s_alt_text_and_posts(
    arabic_kit: tuple[Path, BuildReport],
) -> None:
    out, report = arabic_kit
    for file in report.files:
        side = json.loads(file.path.with_suffix(".json").read_text(encoding="utf-8"))
        assert 0 < len(side["alt"]) <= MAX_ALT
        assert "تحدّث" in side["alt"] or "مليون" in side["alt"]  # the image's words, in Arabic
        for post in side["posts"]:
            assert post["count"] <= post["limit"] and "#IMHAW2024" in post["text"]
    x = json.loads((out / "digital" / "social-fact-x-1600x900-screen.json").read_text())
    assert x["posts"][0]["platform"] == "x" and "رضّع" in x["posts"][0]["text"]


@pytest.mark.parametrize("language", ["cy", "pl", "ar", "ur", "hi"])
def test_every_language_of_the_digital_kit_has_how_to_use(language: str) -> None:
    content = Project(ROOT, language=language).content()
    assert content.has("digital.how_to_use")
    english = Project(ROOT).content().copy["digital.how_to_use"]
    note = content.copy["digital.how_to_use"]
    assert note != english
    # file names, app and menu names are kept as the apps and the bundle show them
    for kept in (
        "email-banner-1200x400-screen.png",
        "Outlook",
        "Gmail",
        "Edit Alt Text",
        "See all settings",
        "{campaign.hashtag}",
        "{campaign.dates}",
    ):
        assert kept in note, kept
