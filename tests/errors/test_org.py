"""Organisation profiles: validation with exact messages, and co-branded builds."""

from __future__ import annotations

import zlib
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader

from packgen.build import build
from packgen.cli import main
from packgen.render.raster import decode_pdf_qr
from packgen.resolve.org import load_org, slug
from packgen.resolve.project import Project
from tests.conftest import ROOT

EXAMPLES = ROOT / "docs" / "examples" / "orgs"
GOOD = """name: Riverside Family Hub
logo: logo.png
website: https://riverside.example.org
support:
  name: Riverside Parent-Infant Team
  url: https://riverside.example.org/parent-infant
  phone: 0114 496 0000
  email: parents@riverside.example.org
"""


def profile(
    tmp_path: Path, text: str = GOOD, logo: bytes | None = None, size: tuple[int, int] = (1200, 400)
) -> Path:
    if logo is None:
        Image.new("RGB", size, (28, 141, 199)).save(tmp_path / "logo.png")
    else:
        (tmp_path / "logo.png").write_bytes(logo)
    path = tmp_path / "org.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def error_of(tmp_path: Path, capsys: pytest.CaptureFixture[str], path: Path) -> str:
    code = main(
        ["build", "--org", str(path), "--only", "poster-speak-up", "--out", str(tmp_path / "out")]
    )
    err = capsys.readouterr().err
    assert code == 1
    assert "Traceback" not in err
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").glob("*.pdf"))
    return err


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (("name: Riverside", "nmae: Riverside"), "org.yaml:1:1: error: unknown field 'nmae'"),
        (
            ("  phone: 0114 496 0000\n", ""),
            "org.yaml:5:3: error: support: missing required field 'phone'",
        ),
        (
            ("https://riverside.example.org\n", "javascript:alert(1)\n"),
            "org.yaml:3:10: error: website: only http:// and https:// links are allowed, found 'javascript:alert(1)'",
        ),
        (
            (
                "url: https://riverside.example.org/parent-infant",
                "url: ftp://riverside.example.org/x",
            ),
            "error: support.url: only http:// and https:// links are allowed",
        ),
        (
            ("0114 496 0000", "call us"),
            "org.yaml:7:10: error: support.phone: 'call us' is not a phone number",
        ),
        (
            ("parents@riverside.example.org", "parents-at-riverside"),
            "org.yaml:8:10: error: support.email: 'parents-at-riverside' is not an e-mail address",
        ),
        (
            ("logo: logo.png", "logo: missing.png"),
            "org.yaml:2:7: error: logo: logo 'missing.png' not found",
        ),
        (
            ("logo: logo.png", "logo: ../../etc/passwd"),
            "error: logo: logo path '../../etc/passwd' leaves its folder",
        ),
    ],
)
def test_bad_profiles(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], change: tuple[str, str], expected: str
) -> None:
    path = profile(tmp_path, GOOD.replace(*change))
    assert expected in error_of(tmp_path, capsys, path)


def test_unknown_field_suggests(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    err = error_of(tmp_path, capsys, profile(tmp_path, GOOD.replace("website:", "webiste:")))
    assert "unknown field 'webiste'" in err and "did you mean 'website'?" in err


def test_logo_that_is_not_an_image(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    err = error_of(tmp_path, capsys, profile(tmp_path, logo=b"<html>not an image</html>"))
    assert "logo 'logo.png': not a PNG, JPEG or SVG file (checked by content, not by name)" in err


def test_truncated_png(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    err = error_of(tmp_path, capsys, profile(tmp_path, logo=b"\x89PNG\r\n\x1a\n" + b"\x00" * 40))
    assert "logo 'logo.png': not a readable PNG or JPEG image" in err


def _bomb_png(width: int, height: int) -> bytes:
    """A tiny PNG that claims (and decompresses to) a huge 1-bit image."""
    import struct

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    row = b"\x00" + b"\x00" * ((width + 7) // 8)
    raw = zlib.compress(row * height, 9)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", raw) + chunk(b"IEND", b"")


def test_decompression_bomb_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    err = error_of(tmp_path, capsys, profile(tmp_path, logo=_bomb_png(20000, 20000)))
    assert "logo 'logo.png': image is" in err and ("limit" in err)


def test_logo_too_many_bytes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    err = error_of(
        tmp_path,
        capsys,
        profile(tmp_path, logo=b"\x89PNG\r\n\x1a\n" + b"\x00" * (21 * 1024 * 1024)),
    )
    assert "logo 'logo.png': file is 22.0 MB; the limit is 21 MB" in err, err


def test_soft_logo_is_a_warning(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = profile(tmp_path, size=(1000, 333))  # ~500 ppi on A4, ~250 ppi on A2
    code = main(
        [
            "build",
            "--org",
            str(path),
            "--only",
            "poster-speak-up",
            "--out",
            str(tmp_path / "out"),
            "--profile",
            "office",
        ]
    )
    err = capsys.readouterr().err
    assert code == 0, err
    assert (
        "org.yaml: warning: logo: the logo is 1000 pixels wide and prints 102 mm wide here: 249 ppi, under 300 ppi"
        in err
    )


def test_coarse_logo_is_an_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    err = error_of(tmp_path, capsys, profile(tmp_path, size=(120, 40)))
    assert (
        "org.yaml: error: logo: the logo is 120 pixels wide and prints 51 mm wide here: 60 ppi, under 150 ppi, so it would print blurred"
        in err
    )


def test_hostile_name_prints_literally_and_qr_goes_to_the_org(tmp_path: Path) -> None:
    org = load_org(EXAMPLES / "hostile.yaml")
    report = build(Project(ROOT), tmp_path, only=["poster-speak-up"], profiles=["office"], org=org)
    assert report.ok, report.failures
    a4 = next(f for f in report.files if f.size == "A4")
    text = PdfReader(a4.path).pages[0].extract_text()
    assert "Tom & Jerry's <Hub>" in text
    assert "Ysbyty Gŵyr *Best*" in text
    assert "Tom & Jerry's <Support>" in text
    codes = decode_pdf_qr(a4.path, dpi=150)[0]
    support = [c for c in codes if "tom-and-jerry" in c]
    assert support == [
        "https://tom-and-jerry.example.org/?lang=en&from=qr&utm_source=tom-jerry-s-hub-ysbyty-gwyr-best&utm_medium=print&utm_campaign=imhaw-2024&utm_content=poster-speak-up"
    ]
    assert sorted(a4.qr_urls) == sorted(codes)


def test_co_branded_pack_has_logo_name_and_local_service(tmp_path: Path) -> None:
    org = load_org(EXAMPLES / "riverside.yaml")
    report = build(Project(ROOT), tmp_path, profiles=["press"], org=org)
    assert report.ok, report.failures
    for file in report.files:
        text = " ".join(page.extract_text() for page in PdfReader(file.path).pages)
        assert "Riverside" in text, file.path.name
        assert "https://riverside.example.org/parent-infant" in file.qr_urls, file.path.name
        assert "https://parentinfantfoundation.org.uk/" not in file.qr_urls
    poster = next(f for f in report.files if f.product == "poster-speak-up" and f.size == "A4")
    text = " ".join(PdfReader(poster.path).pages[0].extract_text().split())
    assert "Riverside Parent-Infant Team" in text and "0114 496 0000" in text
    assert PdfReader(poster.path).metadata.author.startswith("Riverside Family Hub")  # type: ignore[union-attr]


def test_without_org_tracking_is_off_and_campaign_links_are_used(tmp_path: Path) -> None:
    report = build(Project(ROOT), tmp_path, only=["poster-speak-up"], profiles=["office"])
    for file in report.files:
        assert all("utm_" not in url for url in file.qr_urls)


def test_too_long_a_name_is_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = profile(
        tmp_path, GOOD.replace("name: Riverside Family Hub", "name: " + "Very Long Name " * 10)
    )
    err = error_of(tmp_path, capsys, path)
    assert "error: name: the organisation name is 149 characters; the limit is 120" in err


def test_name_that_fits_the_limit_but_not_the_footer(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    long = "The Riverside, Hillside, Brookside and Meadowside Family Hubs and Children's Centres Partnership Trust Group"
    path = profile(tmp_path, GOOD.replace("Riverside Family Hub", long))
    # the posters' two-line footers take it; the bilingual poster's name line does not
    only = ["--only", "poster-speak-up-cy-en", "poster-speak-up"]
    assert main(["build", "--org", str(path), *only, "--out", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err and not list((tmp_path / "out").glob("*.pdf"))
    # refused at the profile's field, with the slot's capacity, before anything is built
    assert (
        "org.yaml:1:7: error: name: 108 characters; 'footer-org' of poster-speak-up-cy-en (A2)"
        " fits 94 at 22 pt\n  hint: shorten it to 94 characters or fewer"
    ) in err
    assert "the profile does not fit the layouts: nothing built" in err


def test_slug() -> None:
    assert slug("Tom & Jerry's <Hub>") == "tom-jerry-s-hub"
    assert slug("Ysbyty Gŵyr") == "ysbyty-gwyr"
    assert slug("!!!") == "organisation"


def test_examples_are_valid() -> None:
    examples = sorted(EXAMPLES.glob("*.yaml"))
    assert examples, f"no example profiles in {EXAMPLES}"
    for path in examples:
        org = load_org(path)
        assert org.profile.name and org.slug, path


def test_a_short_support_url_still_gets_a_full_size_symbol(tmp_path: Path) -> None:
    """A short URL needs few modules; the 4-module quiet zone would then shrink the
    symbol under 20 mm in the same tile, so the next QR version is used instead."""
    path = profile(
        tmp_path,
        GOOD.replace("url: https://riverside.example.org/parent-infant", "url: https://a.org"),
    )
    report = build(
        Project(ROOT),
        tmp_path / "out",
        only=["poster-speak-up"],
        profiles=["office"],
        org=load_org(path),
    )
    assert report.ok, report.failures
    a4 = next(f for f in report.files if f.size == "A4")
    assert "https://a.org" in decode_pdf_qr(a4.path, dpi=150)[0]
