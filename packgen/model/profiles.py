"""Output profiles: the same layout made for a print shop or an office printer.

A profile says how a layout becomes a file (bleed, marks, colour model,
whether the file is used on screen) and which writer makes it (its
``format``, a key of :data:`packgen.render.writers.WRITERS`). Print profiles
(press, office) make the print layouts; the ``screen`` profile makes the
screen layouts (``kind: banner`` and ``kind: social``, measured in ``px``) as
PNG images, and only those: each layout is made in the profiles of its medium. The command
line's ``--profile`` choices and their help come from :data:`PROFILES`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum

ALL = "all"  # the --profile choice meaning every profile in PROFILES


class ProfileName(str, Enum):
    PRESS = "press"
    OFFICE = "office"
    SCREEN = "screen"
    HTML = "html"


@dataclass(frozen=True)
class Profile:
    """How a layout becomes a file: bleed and marks, colour model, screen use, format."""

    name: ProfileName
    bleed: bool  # extend the media by the layout's bleed and set Trim/BleedBox
    marks: bool  # crop (and fold) marks in a slug outside the bleed
    cmyk: bool  # colours as CMYK (press) or sRGB (office, screen)
    interactive: bool  # read on screen too: clickable links, open outline, fillable fields
    description: str  # for --help: what the output is
    format: str = "pdf"  # the writer that makes the file (packgen.render.writers)
    screen: bool = False  # makes screen layouts (images in px) instead of print layouts

    def makes(self, kind: str) -> bool:
        """Whether this profile makes layouts of ``kind`` (screen kinds or print kinds)."""
        from packgen.model.digital import SCREEN_KINDS

        return (kind in SCREEN_KINDS) == self.screen

    @property
    def suffix(self) -> str:
        return self.name.value


PRESS = Profile(
    ProfileName.PRESS,
    bleed=True,
    marks=True,
    cmyk=True,
    interactive=False,
    description="bleed, crop marks, CMYK",
)
OFFICE = Profile(
    ProfileName.OFFICE,
    bleed=False,
    marks=False,
    cmyk=False,
    interactive=True,
    description="the paper size, sRGB, clickable links",
)

HTML = Profile(
    ProfileName.HTML,
    bleed=False,
    marks=False,
    cmyk=False,
    interactive=True,
    description="an accessible web page, one per product",
    format="html",
)

SCREEN = Profile(
    ProfileName.SCREEN,
    bleed=False,
    marks=False,
    cmyk=False,
    interactive=False,
    description="banners and social images as PNG, sRGB, one pixel per px",
    format="png",
    screen=True,
)

PROFILES: dict[str, Profile] = {p.name.value: p for p in (PRESS, OFFICE, SCREEN, HTML)}
# What a library caller gets without naming profiles (the portal's catalogue and jobs, until
# they list images): the print profiles. The command line's `all` is every profile.
PRINT_PROFILES: tuple[str, ...] = tuple(
    n for n, p in PROFILES.items() if not p.screen and p.format == "pdf"
)
PDF_PROFILES = PRINT_PROFILES  # press and office: the API's default
PREVIEW = PRESS.name.value  # previews show trim, bleed and marks by default


def profile_names(choice: str) -> list[str]:
    """The profiles a ``--profile`` choice stands for (``all``: every one)."""
    return list(PROFILES) if choice == ALL else [choice]


def choices(with_all: bool = True) -> list[str]:
    """``--profile`` choices: every profile's name, then ``all``."""
    return [*PROFILES, ALL] if with_all else list(PROFILES)


def help_text(names: Iterable[str] | None = None, default: str | None = None) -> str:
    """``press (bleed, crop marks, CMYK), office (…) or all (default)``, from PROFILES."""
    parts = [
        f"{name} ({PROFILES[name].description}{'; default' if name == default else ''})"
        for name in (names or PROFILES)
    ]
    if default == ALL:
        parts.append(f"{ALL} (default)")
    return ", ".join(parts[:-1]) + " or " + parts[-1] if len(parts) > 1 else parts[0]
