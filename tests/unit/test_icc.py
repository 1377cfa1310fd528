"""The output condition: the committed FOGRA39 profile, its conversions, and its validation."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from PIL import ImageCms

from packgen.errors import PackgenError
from packgen.resolve.icc import delta_e76, delta_e2000, lab_of_srgb, load_condition, load_intent
from packgen.resolve.project import Project, embedded_root

ROOT = embedded_root()
PROFILE = ROOT / "assets" / "colour" / "FOGRA39.icc"

# FOGRA39L.ti3 patches (CMYK %, measured CIELAB D50): paper, primaries, overprints, black
PATCHES = [
    ((0, 0, 0, 0), (95.00, 0.00, -2.00)),
    ((100, 0, 0, 0), (55.00, -37.00, -50.00)),
    ((0, 100, 0, 0), (48.00, 74.00, -3.00)),
    ((0, 0, 100, 0), (89.00, -5.00, 93.00)),
    ((100, 100, 0, 0), (24.00, 22.00, -46.00)),
    ((0, 100, 100, 0), (47.00, 68.00, 48.00)),
    ((100, 0, 100, 0), (50.00, -65.00, 27.00)),
    ((40, 40, 40, 0), (61.53, 5.42, 3.75)),
    ((0, 0, 0, 40), (69.28, 0.00, -1.35)),
    ((40, 100, 0, 40), (27.43, 40.91, -15.53)),
]


@pytest.fixture(scope="module")
def condition():  # type: ignore[no-untyped-def]
    return Project(embedded_root()).output_condition


def test_the_profile_loads_with_imagecms() -> None:
    profile = ImageCms.getOpenProfile(str(PROFILE))
    assert profile.profile.device_class == "prtr"
    assert profile.profile.xcolor_space.strip() == "CMYK"
    assert ImageCms.getProfileDescription(profile).startswith("FOGRA39")
    assert PROFILE.stat().st_size < 32 * 1024  # embedded in every press PDF: keep it small


def test_the_default_condition_is_fogra39(condition) -> None:  # type: ignore[no-untyped-def]
    assert condition.identifier == "FOGRA39"
    assert condition.registry == "http://www.color.org"
    assert "ISO 12647-2:2004" in condition.condition
    assert condition.data == PROFILE.read_bytes()


@pytest.mark.parametrize(("cmyk", "measured"), PATCHES)
def test_measured_patches_within_2_5_delta_e(condition, cmyk, measured) -> None:  # type: ignore[no-untyped-def]
    lab = condition.lab_of_cmyk(tuple(v / 100 for v in cmyk), absolute=True)
    assert delta_e76(lab, measured) < 2.5, (cmyk, lab, measured)


def test_srgb_converts_within_the_ink_limit_and_near_its_colour(condition) -> None:  # type: ignore[no-untyped-def]
    for hexed in ("#6B2D5C", "#0E7C7B", "#F4B63F", "#000000", "#FFF6EC"):
        rgb = tuple(int(hexed[i : i + 2], 16) / 255 for i in (1, 3, 5))
        cmyk = condition.cmyk_of(rgb)
        assert sum(cmyk) * 100 <= 300 + 1, hexed
        if hexed != "#000000":  # black is out of any print gamut
            printed = condition.lab_of_cmyk(cmyk)
            assert delta_e76(printed, lab_of_srgb(rgb)) < 8, hexed
    assert condition.cmyk_of((1.0, 1.0, 1.0)) == (0, 0, 0, 0)


def test_delta_e2000_reference_pairs() -> None:
    # Sharma, Wu and Dalal (2005), table 1, pairs 1, 7 and 17
    assert delta_e2000((50, 2.6772, -79.7751), (50, 0, -82.7485)) == pytest.approx(2.0425, abs=1e-4)
    assert delta_e2000((50, 0, 0), (50, -1, 2)) == pytest.approx(2.3669, abs=1e-4)
    assert delta_e2000((50, 2.5, 0), (73, 25, -18)) == pytest.approx(27.1492, abs=1e-4)
    assert lab_of_srgb((1, 1, 1)) == pytest.approx((100, 0, 0), abs=0.05)


def test_a_profile_that_is_not_icc_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "printer.icc"
    bad.write_bytes(b"not a profile")
    with pytest.raises(PackgenError) as caught:
        load_intent(bad, "printer.icc")
    message = caught.value.format()
    assert (
        "printer.icc: error: output intent profile 'printer.icc' is not an ICC profile" in message
    )
    assert "hint: name an ICC output profile for CMYK printing" in message


def test_an_rgb_profile_is_refused(tmp_path: Path) -> None:
    srgb = tmp_path / "srgb.icc"
    srgb.write_bytes(ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes())
    with pytest.raises(PackgenError) as caught:
        load_condition(srgb, "srgb.icc")
    assert "device class 'mntr', not 'prtr' (output); colour space 'RGB', not CMYK" in str(
        caught.value.format()
    )


def test_a_missing_profile_and_a_wrong_kind_of_file(tmp_path: Path) -> None:
    with pytest.raises(PackgenError, match=r"'nope\.icc' not found"):
        load_intent(tmp_path / "nope.icc", "nope.icc")
    with pytest.raises(PackgenError, match="neither an ICC profile"):
        load_intent(tmp_path / "x.pdf", "x.pdf")


def test_build_refuses_a_bad_output_intent_before_writing(tmp_path: Path) -> None:
    bad = tmp_path / "bad.icc"
    bad.write_bytes(b"\0" * 200)
    out = tmp_path / "out"
    run = subprocess.run(
        [sys.executable, "-m", "packgen", "build", "--output-intent", str(bad), "--out", str(out)],
        capture_output=True,
        text=True,
    )
    assert run.returncode == 1
    assert "is not an ICC profile" in run.stderr
    assert "Traceback" not in run.stderr
    assert not out.exists()


def test_a_bare_profile_is_identified_by_its_description(tmp_path: Path) -> None:
    copy = tmp_path / "shop.icc"
    copy.write_bytes(PROFILE.read_bytes())
    condition = load_intent(copy, "shop.icc")
    assert condition.identifier == condition.description
    assert condition.registry is None


def test_a_campaign_names_a_missing_profile(project_copy: Path) -> None:
    campaign = project_copy / "assets" / "campaigns" / "imhaw-2024" / "campaign.yaml"
    text = campaign.read_text(encoding="utf-8")
    campaign.write_text(
        text.replace("output_intent: colour/FOGRA39.yaml", "output_intent: colour/shop.icc"),
        encoding="utf-8",
    )
    line = next(
        n for n, row in enumerate(campaign.read_text().splitlines(), 1) if "shop.icc" in row
    )
    with pytest.raises(PackgenError) as caught:
        _ = Project(project_copy).output_condition
    message = caught.value.format()
    assert message.startswith(
        f"assets/campaigns/imhaw-2024/campaign.yaml:{line}:16: error: output intent profile"
        " 'assets/colour/shop.icc' not found"
    ), message


def test_a_campaign_may_name_a_bare_profile(project_copy: Path) -> None:
    campaign = project_copy / "assets" / "campaigns" / "imhaw-2024" / "campaign.yaml"
    text = campaign.read_text(encoding="utf-8")
    campaign.write_text(
        text.replace("output_intent: colour/FOGRA39.yaml", "output_intent: colour/FOGRA39.icc"),
        encoding="utf-8",
    )
    condition = Project(project_copy).output_condition
    assert condition.identifier.startswith("FOGRA39 (ISO 12647-2:2004/Amd 1")
