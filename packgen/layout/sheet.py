"""A page spec and an output profile into page geometry: media, trim, bleed, safe area.

Both layout modes start here. Press output grows the media by the bleed and a
slug for marks and sets the trim inside it; office output is the paper itself.
Bleed and the safe area are print rules and do not scale; margins do. On
screen output (images in ``px``) a larger size is a higher pixel density, so
the safe area and the clear bands (``page.clear``) scale with the rest.
"""

from __future__ import annotations

from dataclasses import dataclass

from packgen.layout.placed import Rect
from packgen.model.common import Direction, Margins, PageSpec
from packgen.model.profiles import Profile
from packgen.resolve.project import PaperSize


def margins_of(spec: PageSpec) -> Margins:
    margins = spec.margins
    if isinstance(margins, Margins):
        return margins
    return Margins(top=margins, right=margins, bottom=margins, left=margins)


@dataclass(frozen=True)
class Sheet:
    """Where the trim, bleed and safe area sit on one output's media (points)."""

    media: Rect
    trim: Rect
    bleed_rect: Rect
    safe: Rect
    bleed: float
    content: Rect  # the trim inside the page margins, where grid columns run


def sheet(spec: PageSpec, paper: PaperSize, scale: float, profile: Profile) -> Sheet:
    """The page geometry of one made size in one profile: press adds bleed and a slug."""
    width, height = float(paper.width), float(paper.height)
    bleed = float(spec.bleed) if profile.bleed else 0.0
    slug = float(spec.slug) if profile.marks else 0.0
    origin = bleed + slug
    media = Rect(0.0, 0.0, width + 2 * origin, height + 2 * origin)
    trim = Rect(origin, origin, width, height)
    content = inset(trim, margins_of(spec), scale)
    keep = scale if profile.screen else 1.0
    safe = trim.inset(float(spec.safe) * keep)
    if spec.clear is not None:  # bands along the edges, kept clear too: the larger inset wins
        side = float(spec.safe) * keep
        clear = spec.clear
        top, bottom = (max(side, float(clear.top) * keep), max(side, float(clear.bottom) * keep))
        left, right = (max(side, float(clear.left) * keep), max(side, float(clear.right) * keep))
        safe = Rect(trim.x + left, trim.y + bottom, trim.w - left - right, trim.h - top - bottom)
    return Sheet(media, trim, trim.outset(bleed), safe, bleed, content)


def inset(rect: Rect, margins: Margins, scale: float, direction: Direction = Direction.LTR) -> Rect:
    """``rect`` inside ``margins`` (written at the base size, scaled); left and right
    swap for right-to-left copy (a mirror)."""
    left, right = float(margins.left) * scale, float(margins.right) * scale
    if direction is Direction.RTL:
        left, right = right, left
    top, bottom = float(margins.top) * scale, float(margins.bottom) * scale
    return Rect(rect.x + left, rect.y + bottom, rect.w - left - right, rect.h - top - bottom)
