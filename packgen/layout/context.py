"""What an element's layout function receives: geometry, styles, content.

A :class:`Frame` is the coordinate system an element's ``box`` is written in
(the trim, a fold panel, or a group), converted here to absolute points.
Geometry is written as for left-to-right copy: ``x`` and grid column 1 are
at the frame's start edge, so right-to-left copy mirrors the layout.
Element layout functions report problems into ``diagnostics`` and go on, so
every error in a document is found in one run. :func:`page_context` and
:func:`document_info` are the one way both layout modes make these.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from packgen.colour import Colour, unknown_colour_hint
from packgen.errors import Diagnostic, PackgenError, Severity, Span, allowed_hint
from packgen.layout.placed import DocumentInfo, PlacedLink, Rect
from packgen.layout.sheet import Sheet
from packgen.model.campaign import Link
from packgen.model.common import Box, Direction, Grid, Metadata, Rules
from packgen.model.profiles import Profile
from packgen.resolve.assets import Asset, load_asset
from packgen.resolve.content import Content
from packgen.resolve.styles import ResolvedStyle
from packgen.units import MM, PX


@dataclass(frozen=True)
class Frame:
    """An area whose top-left corner is the origin of the boxes inside it."""

    rect: Rect  # absolute, points
    content: Rect  # the area inside its margins, where grid columns run
    grid: Grid | None
    direction: Direction = Direction.LTR  # column 1 and x = 0 are at the start edge

    def column_span(self, col: int, span: int, scale: float) -> tuple[float, float] | None:
        """Absolute x and width of grid columns ``col``..``col+span-1`` (1 at the start)."""
        if self.grid is None:
            return None
        gutter = float(self.grid.gutter) * scale
        columns = self.grid.columns
        if col + span - 1 > columns:
            return None
        width = (self.content.w - gutter * (columns - 1)) / columns
        across = width * span + gutter * (span - 1)
        return self.content.across((col - 1) * (width + gutter), across, self.direction).x, across

    def columns(self, scale: float) -> list[Rect]:
        """Absolute areas of the grid's columns (full height of the content area)."""
        if self.grid is None:
            return []
        found: list[Rect] = []
        for col in range(1, self.grid.columns + 1):
            across = self.column_span(col, 1, scale)
            if across is not None:
                found.append(Rect(across[0], self.content.y, across[1], self.content.h))
        return found


@dataclass
class LayoutContext:
    file: str
    scale: float
    profile: Profile
    trim: Rect
    bleed_rect: Rect
    safe: Rect
    bleed: float  # pt of bleed drawn on this output (0 for office)
    styles: dict[str, ResolvedStyle]
    palette: dict[str, Colour]
    rules: Rules
    body_styles: frozenset[str]
    content: Content
    assets_dir: Path
    has_org: bool
    org_logo: Asset | None = None
    org_file: str | None = None  # the organisation profile, for messages about it
    diagnostics: list[Diagnostic] = field(default_factory=list)
    links: list[PlacedLink] = field(default_factory=list)
    qr_urls: list[str] = field(default_factory=list)
    safe_areas: list[Rect] = field(default_factory=list)

    def __post_init__(self) -> None:
        # every style sets this copy: its runs carry the copy's language and direction
        language, direction = self.content.language, self.content.direction
        self.styles = {n: s.for_copy(language, direction) for n, s in self.styles.items()}

    @property
    def direction(self) -> Direction:
        """Which way the copy runs; start and end, columns and panels follow it."""
        return self.content.direction

    def report(
        self,
        message: str,
        span: Span | None,
        hint: str | None = None,
        field_name: str | None = None,
        severity: Severity = Severity.ERROR,
    ) -> None:
        self.diagnostics.append(
            Diagnostic(message, span or Span(self.file), hint, severity, field_name)
        )

    def place(self, box: Box, frame: Frame, span: Span | None, square: bool = False) -> Rect:
        """Absolute rect of ``box`` written in ``frame`` (y measured downwards)."""
        s = self.scale
        if box.col is not None:
            across = frame.column_span(box.col, box.span or 1, s)
            if across is None:
                columns = frame.grid.columns if frame.grid else 0
                self.report(
                    f"columns {box.col}–{box.col + (box.span or 1) - 1} do not exist",
                    span,
                    f"the grid here has {columns} columns" if columns else "no grid is defined",
                    "box",
                )
                across = (frame.rect.x, frame.rect.w)
            x, w = across
        else:
            assert box.x is not None and box.w is not None
            w = float(box.w) * s
            x = frame.rect.across(float(box.x) * s, w, frame.direction).x
        h = float(box.h) * s if box.h is not None else (w if square else 0.0)
        top = frame.rect.top - float(box.y) * s
        return Rect(x, top - h, w, h)

    def colour(self, name: str, span: Span | None, field_name: str) -> Colour | None:
        if name in self.palette:
            return self.palette[name]
        self.report(
            f"unknown colour '{name}'", span, unknown_colour_hint(name, self.palette), field_name
        )
        return None

    def style(self, name: str, span: Span | None, field_name: str) -> ResolvedStyle | None:
        if name in self.styles:
            return self.styles[name]
        self.report(
            f"unknown style '{name}'",
            span,
            allowed_hint(name, list(self.styles), "styles"),
            field_name,
        )
        return None

    def asset(self, relative: str, span: Span | None) -> Asset | None:
        try:
            return load_asset(self.assets_dir, relative, span)
        except PackgenError as exc:
            self.diagnostics.extend(exc.diagnostics)
            return None

    def link(self, key: str, span: Span | None, field_name: str) -> Link | None:
        found = self.content.link(key)
        if found is None:
            self.report(
                f"unknown link '{key}'",
                span,
                allowed_hint(key, self.content.link_names(), "links"),
                field_name,
            )
        return found

    def require_safe(self, element_id: str, rect: Rect, span: Span | None) -> None:
        """Text, QR codes and logos must lie inside the safe area (and clear of folds)."""
        areas = self.safe_areas or [self.safe]
        if any(area.contains(rect) for area in areas):
            return
        nearest = min(areas, key=lambda area: area.overshoot(rect))
        by = nearest.overshoot(rect)
        if self.profile.screen:  # images are measured in px, and may keep bands clear
            self.report(
                f"element '{element_id}' reaches {by / PX:.0f}px outside the safe area",
                span,
                "keep text and logos inside the safe area (see page.safe and page.clear)",
            )
            return
        self.report(
            f"element '{element_id}' reaches {by / MM:.1f} mm outside the safe area",
            span,
            "keep text, QR codes and logos inside the safe area (see page.safe and "
            "page.fold_clearance)",
        )


def page_context(
    file: str,
    scale: float,
    profile: Profile,
    page: Sheet,
    styles: dict[str, ResolvedStyle],
    rules: Rules,
    body_styles: Iterable[str],
    content: Content,
    assets_dir: Path,
    org_logo: Asset | None = None,
    org_file: str | None = None,
) -> LayoutContext:
    """The context element layout functions get, for a page of either layout mode."""
    return LayoutContext(
        file=file,
        scale=scale,
        profile=profile,
        trim=page.trim,
        bleed_rect=page.bleed_rect,
        safe=page.safe,
        bleed=page.bleed,
        styles=styles,
        palette=content.palette,
        rules=rules,
        body_styles=frozenset(body_styles),
        content=content,
        assets_dir=assets_dir,
        has_org=org_logo is not None or "org.name" in content.data,
        org_logo=org_logo,
        org_file=org_file,
    )


def document_info(metadata: Metadata, content: Content, author: str) -> DocumentInfo:
    """The document information of either layout mode, from its metadata copy keys."""
    return DocumentInfo(
        title=content.plain(metadata.title),
        author=author,
        subject=content.plain(metadata.subject),
        keywords=content.plain(metadata.keywords),
        language=content.language,
    )
