"""Output profiles: the same layout made for a print shop or an office printer."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class ProfileName(str, Enum):
    PRESS = "press"
    OFFICE = "office"


@dataclass(frozen=True)
class Profile:
    """How a layout becomes a file: bleed and marks, colour model, links."""

    name: ProfileName
    bleed: bool  # extend the media by the layout's bleed and set Trim/BleedBox
    marks: bool  # crop (and fold) marks in a slug outside the bleed
    cmyk: bool  # colours as CMYK (press) or sRGB (office, screen)
    links: bool  # clickable link annotations

    @property
    def suffix(self) -> str:
        return self.name.value


PRESS = Profile(ProfileName.PRESS, bleed=True, marks=True, cmyk=True, links=False)
OFFICE = Profile(ProfileName.OFFICE, bleed=False, marks=False, cmyk=False, links=True)

PROFILES: dict[str, Profile] = {p.name.value: p for p in (PRESS, OFFICE)}
