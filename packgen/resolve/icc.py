"""A CMYK output condition (an ICC printing profile) into colour transforms and ΔE.

Press output is made for one printing condition: FOGRA39 by default
(``assets/colour/FOGRA39.icc``, built by ``assets/colour/build-profile.sh``),
or a profile the campaign file or ``--output-intent`` names. This module loads
and validates that profile and converts with it through Pillow's ImageCms
(LittleCMS): sRGB → CMYK (relative colorimetric with black-point
compensation) for raster images and SVG colours outside the palette, and
CMYK or sRGB → CIELAB (D50) for the ΔE between a palette ink and its screen
colour. The PDF/X output intent (``pdfx``) embeds the same bytes.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageCms
from pydantic import BaseModel, ConfigDict

from packgen.errors import Span, error

MAX_PROFILE_BYTES = 4 * 1024 * 1024  # printing profiles are tens to hundreds of KB

Lab = tuple[float, float, float]


@dataclass(frozen=True)
class OutputCondition:
    """The printing condition press files are made for, with its ICC profile's bytes."""

    path: Path
    data: bytes = field(repr=False)
    identifier: str  # OutputConditionIdentifier, e.g. FOGRA39
    condition: str  # OutputCondition: the printing condition in words
    registry: str | None  # RegistryName where the identifier is registered, or None
    description: str  # the profile's own description tag

    @property
    def fingerprint(self) -> str:
        return _fingerprint(self.data)

    def to_cmyk(self, image: Image.Image) -> Image.Image:
        """An RGB image (taken as sRGB) in this condition's CMYK."""
        return ImageCms.applyTransform(image.convert("RGB"), _to_cmyk(self.data))  # type: ignore[return-value]

    def cmyk_of(self, rgb: tuple[float, float, float]) -> tuple[float, float, float, float]:
        """One sRGB colour (fractions) as CMYK fractions of this condition."""
        pixel = Image.new("RGB", (1, 1), tuple(round(c * 255) for c in rgb))
        c, m, y, k = self.to_cmyk(pixel).getpixel((0, 0))  # type: ignore[misc]
        return (c / 255, m / 255, y / 255, k / 255)

    def lab_of_cmyk(self, cmyk: tuple[float, float, float, float], absolute: bool = False) -> Lab:
        """CIELAB (D50) of CMYK fractions printed in this condition: relative to the
        paper (paper white is L* 100), or ``absolute`` (as measured)."""
        pixel = Image.new("CMYK", (1, 1), tuple(round(c * 255) for c in cmyk))
        converted = ImageCms.applyTransform(pixel, _to_lab(self.data, absolute))
        return _lab_pixel(converted.getpixel((0, 0)))  # type: ignore[union-attr, arg-type]


def lab_of_srgb(rgb: tuple[float, float, float]) -> Lab:
    """CIELAB (D50) of an sRGB colour (fractions): IEC 61966-2-1, Bradford to D50."""

    def linear(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in rgb)
    # sRGB → XYZ (D50), the ICC's Bradford-adapted sRGB matrix
    x = 0.4360747 * r + 0.3850649 * g + 0.1430804 * b
    y = 0.2225045 * r + 0.7168786 * g + 0.0606169 * b
    z = 0.0139322 * r + 0.0971045 * g + 0.7141733 * b
    return _lab_of_xyz(x / 0.9642, y / 1.0, z / 0.8249)


def _lab_of_xyz(x: float, y: float, z: float) -> Lab:
    def f(t: float) -> float:
        return t ** (1 / 3) if t > (6 / 29) ** 3 else t / (3 * (6 / 29) ** 2) + 4 / 29

    fx, fy, fz = f(x), f(y), f(z)
    return (116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz))


def delta_e76(a: Lab, b: Lab) -> float:
    """CIE 1976 colour difference: the distance in CIELAB."""
    return math.dist(a, b)


def delta_e2000(a: Lab, b: Lab) -> float:
    """CIEDE2000 colour difference (Sharma, Wu and Dalal 2005), kL = kC = kH = 1."""
    l1, a1, b1 = a
    l2, a2, b2 = b
    c1, c2 = math.hypot(a1, b1), math.hypot(a2, b2)
    c_mean = (c1 + c2) / 2
    g = 0.5 * (1 - math.sqrt(c_mean**7 / (c_mean**7 + 25**7)))
    a1p, a2p = (1 + g) * a1, (1 + g) * a2
    c1p, c2p = math.hypot(a1p, b1), math.hypot(a2p, b2)
    h1p = math.degrees(math.atan2(b1, a1p)) % 360 if c1p else 0.0
    h2p = math.degrees(math.atan2(b2, a2p)) % 360 if c2p else 0.0
    dl, dc = l2 - l1, c2p - c1p
    if c1p * c2p == 0:
        dh = 0.0
    elif abs(h2p - h1p) <= 180:
        dh = h2p - h1p
    else:
        dh = h2p - h1p - 360 if h2p > h1p else h2p - h1p + 360
    dhh = 2 * math.sqrt(c1p * c2p) * math.sin(math.radians(dh / 2))
    l_mean, cp_mean = (l1 + l2) / 2, (c1p + c2p) / 2
    if c1p * c2p == 0:
        h_mean = h1p + h2p
    elif abs(h1p - h2p) <= 180:
        h_mean = (h1p + h2p) / 2
    else:
        h_mean = (h1p + h2p + 360) / 2 if h1p + h2p < 360 else (h1p + h2p - 360) / 2
    t = (
        1
        - 0.17 * math.cos(math.radians(h_mean - 30))
        + 0.24 * math.cos(math.radians(2 * h_mean))
        + 0.32 * math.cos(math.radians(3 * h_mean + 6))
        - 0.20 * math.cos(math.radians(4 * h_mean - 63))
    )
    sl = 1 + 0.015 * (l_mean - 50) ** 2 / math.sqrt(20 + (l_mean - 50) ** 2)
    sc = 1 + 0.045 * cp_mean
    sh = 1 + 0.015 * cp_mean * t
    rt = (
        -2
        * math.sqrt(cp_mean**7 / (cp_mean**7 + 25**7))
        * math.sin(math.radians(60 * math.exp(-(((h_mean - 275) / 25) ** 2))))
    )
    return math.sqrt(
        (dl / sl) ** 2 + (dc / sc) ** 2 + (dhh / sh) ** 2 + rt * (dc / sc) * (dhh / sh)
    )


def _lab_pixel(pixel: tuple[int, int, int]) -> Lab:
    """Pillow's 8-bit LAB pixel (L scaled to 0–255, a and b offset by 128) as CIELAB."""
    lightness, a, b = pixel
    return (lightness * 100 / 255, a - 128.0, b - 128.0)


@lru_cache(maxsize=8)
def _fingerprint(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@lru_cache(maxsize=8)
def _profile(data: bytes) -> ImageCms.ImageCmsProfile:
    import io

    return ImageCms.ImageCmsProfile(io.BytesIO(data))


@lru_cache(maxsize=8)
def _to_cmyk(data: bytes) -> ImageCms.ImageCmsTransform:
    return ImageCms.buildTransform(
        ImageCms.createProfile("sRGB"),
        _profile(data),
        "RGB",
        "CMYK",
        ImageCms.Intent.RELATIVE_COLORIMETRIC,
        flags=ImageCms.Flags.BLACKPOINTCOMPENSATION,
    )


@lru_cache(maxsize=8)
def _to_lab(data: bytes, absolute: bool) -> ImageCms.ImageCmsTransform:
    intent = (
        ImageCms.Intent.ABSOLUTE_COLORIMETRIC if absolute else ImageCms.Intent.RELATIVE_COLORIMETRIC
    )
    return ImageCms.buildTransform(
        _profile(data), ImageCms.createProfile("LAB", 5000), "CMYK", "LAB", intent
    )


def load_condition(
    path: Path,
    shown: str,
    *,
    identifier: str | None = None,
    condition: str | None = None,
    registry: str | None = None,
    span: Span | None = None,
) -> OutputCondition:
    """Read and validate a CMYK printing profile; the identifier defaults to its description.

    Refuses, with what was found and what would work, anything that is not an
    ICC output (printer) profile for CMYK of version 2 or 4.
    """
    where = span or Span(shown)
    hint = (
        "name an ICC output profile for CMYK printing (your print shop's, or the"
        " default assets/colour/FOGRA39.icc)"
    )
    if not path.is_file():
        raise error(f"output intent profile '{shown}' not found", where, hint)
    size = path.stat().st_size
    if size > MAX_PROFILE_BYTES:
        raise error(
            f"output intent profile '{shown}' is {size // 1024} KB"
            f" (at most {MAX_PROFILE_BYTES // 1024 // 1024} MB)",
            where,
            hint,
        )
    data = path.read_bytes()
    try:
        profile = _profile(data)
    except (OSError, ImageCms.PyCMSError) as exc:
        raise error(
            f"output intent profile '{shown}' is not an ICC profile ({exc})", where, hint
        ) from None
    header = profile.profile
    problems = []
    if header.device_class != "prtr":
        problems.append(f"device class '{header.device_class}', not 'prtr' (output)")
    if header.xcolor_space.strip() != "CMYK":
        problems.append(f"colour space '{header.xcolor_space.strip()}', not CMYK")
    if not 2 <= int(header.version) <= 4:
        problems.append(f"ICC version {header.version}, not 2 or 4")
    if problems:
        raise error(f"output intent profile '{shown}' has {'; '.join(problems)}", where, hint)
    description = (ImageCms.getProfileDescription(profile) or path.stem).strip()
    return OutputCondition(
        path=path,
        data=data,
        identifier=identifier or description,
        condition=condition or description,
        registry=registry,
        description=description,
    )


class IntentFile(BaseModel):
    """An output-intent file (``assets/colour/FOGRA39.yaml``): a profile and what it is for."""

    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)  # press builds only

    profile: str  # the ICC profile, relative to this file
    identifier: str  # OutputConditionIdentifier (a registered name such as FOGRA39)
    registry: str | None = None  # RegistryName, where the identifier is registered
    condition: str | None = None  # OutputCondition: the printing condition in words


def load_intent(path: Path, shown: str, span: Span | None = None) -> OutputCondition:
    """An output condition from an intent file (``.yaml``) or a bare ICC profile (``.icc``).

    A bare profile is identified by its own description (as PDF/X allows for a
    condition that is not registered).
    """
    from packgen.source.load import load_yaml
    from packgen.source.validate import validate

    if path.suffix.lower() in (".yaml", ".yml"):
        spec = validate(IntentFile, load_yaml(path, shown), shown)
        profile = path.parent / spec.profile
        return load_condition(
            profile,
            str(Path(shown).parent / spec.profile),
            identifier=spec.identifier,
            condition=spec.condition,
            registry=spec.registry,
            span=Span(shown),
        )
    if path.suffix.lower() not in (".icc", ".icm"):
        raise error(
            f"output intent '{shown}' is neither an ICC profile (.icc, .icm)"
            " nor an output-intent file (.yaml)",
            span or Span(shown),
            "name a CMYK printing profile such as assets/colour/FOGRA39.icc,"
            " or a file like assets/colour/FOGRA39.yaml",
        )
    return load_condition(path, shown, span=span)
