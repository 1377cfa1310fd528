"""Page geometry and page decorations of a pack, placed in absolute points.

``sheet`` puts the trim, bleed and safe area on the media of an output
profile (as the fixed-page layout does). ``frames`` turns every template's
frame boxes into rectangles the story flows into. ``decorate`` lays out each
page's template elements with the page's own values (``{page}``, ``{pages}``,
``{section}``) into :class:`PlacedPage` objects that the renderer only draws.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from packgen.colour import Colour, contrast_ratio
from packgen.elements import layout_element
from packgen.errors import Diagnostic
from packgen.layout.context import Frame, LayoutContext
from packgen.layout.fixed import Sheet, check_text_sizes
from packgen.layout.fixed import sheet as page_sheet
from packgen.layout.placed import Placed, PlacedPage, PlacedShape, PlacedText, Rect
from packgen.model.common import ElementBase
from packgen.model.profiles import Profile
from packgen.resolve.assets import Asset
from packgen.resolve.content import Content
from packgen.resolve.pack import ResolvedPack
from packgen.units import MM

MIN_CONTRAST = 4.5  # WCAG 2 AA for text
PAPER = Colour(cmyk=(0, 0, 0, 0), rgb="#FFFFFF")  # behind text where no background is set


@dataclass(frozen=True)
class PageInfo:
    """What pagination decided about one page."""

    number: int  # from 1
    template: str
    section: str  # plain title of the section in force on the page


def sheet(resolved: ResolvedPack, profile: Profile) -> Sheet:
    """The pack's page geometry, as for any layout (see ``packgen.layout.fixed.sheet``)."""
    return page_sheet(resolved.document.page, resolved.paper, resolved.scale, profile)


def context(
    resolved: ResolvedPack,
    profile: Profile,
    content: Content,
    page: Sheet,
    assets_dir: Path,
    org_logo: Asset | None = None,
    org_file: str | None = None,
) -> LayoutContext:
    """The context element layout functions expect, for a page of this pack."""
    document = resolved.document
    return LayoutContext(
        file=resolved.file,
        scale=resolved.scale,
        profile=profile,
        trim=page.trim,
        bleed_rect=page.bleed_rect,
        safe=page.safe,
        bleed=page.bleed,
        styles=resolved.styles,
        palette=content.palette,
        rules=document.rules,
        body_styles=frozenset(document.body_styles),
        content=content,
        assets_dir=assets_dir,
        has_org="org.name" in content.data,
        org_logo=org_logo,
        org_file=org_file,
    )


def frames(resolved: ResolvedPack, ctx: LayoutContext, page: Sheet) -> dict[str, list[Rect]]:
    """Every template's flow frames as absolute rectangles, checked against the safe area."""
    grid = resolved.document.page.grid
    found: dict[str, list[Rect]] = {}
    for name, template in resolved.document.templates.items():
        rects: list[Rect] = []
        for spec in template.frames:
            rect = ctx.place(spec.box, Frame(page.trim, page.content, grid), spec.field_span("box"))
            if spec.box.h is None:
                ctx.report("a frame needs a height", spec.field_span("box"), "add h: 200mm", "box")
                continue
            if not page.safe.contains(rect):
                ctx.report(
                    f"frame '{spec.id}' of template '{name}' reaches "
                    f"{page.safe.overshoot(rect) / MM:.1f} mm outside the safe area",
                    spec.field_span("box"),
                    "keep text inside the safe area (see page.safe)",
                    f"templates.{name}.frames",
                )
            rects.append(rect)
        found[name] = rects
    return found


def decorate(
    resolved: ResolvedPack,
    profile: Profile,
    content: Content,
    page: Sheet,
    assets_dir: Path,
    pages: list[PageInfo],
    org_logo: Asset | None = None,
    org_file: str | None = None,
) -> tuple[list[PlacedPage], list[Diagnostic], list[str]]:
    """Placed decorations of every page; diagnostics (each once) and QR URLs."""
    document = resolved.document
    grid = document.page.grid
    placed_pages: list[PlacedPage] = []
    diagnostics: list[Diagnostic] = []
    qr_urls: list[str] = []
    for info in pages:
        template = document.templates[info.template]
        values = {"page": str(info.number), "pages": str(len(pages)), "section": info.section}
        own = dataclasses.replace(content, data={**content.data, **values}, _blocks={})
        ctx = context(resolved, profile, own, page, assets_dir, org_logo, org_file)
        background = None
        if template.background:
            background = ctx.colour(
                template.background,
                template.field_span("background"),
                f"templates.{info.template}.background",
            )
        placed = PlacedPage(
            media=page.media,
            trim=page.trim,
            bleed=page.bleed_rect,
            safe=page.safe,
            background=background,
            marks=profile.marks,
        )
        frame = Frame(page.trim, page.content, grid)
        for element in template.elements:
            placed.items.extend(layout_element(element, frame, ctx))
        check_text_sizes(placed, ctx)
        behind = (str(template.background), background) if background else ("the paper", PAPER)
        check_contrast(placed.items, behind, ctx, template.elements)
        placed.links.extend(ctx.links)
        qr_urls.extend(ctx.qr_urls)
        for diagnostic in ctx.diagnostics:
            if diagnostic not in diagnostics:
                diagnostics.append(diagnostic)
        placed_pages.append(placed)
    return placed_pages, diagnostics, qr_urls


def check_contrast(
    items: list[Placed],
    behind_all: tuple[str, Colour],
    ctx: LayoutContext,
    elements: Sequence[ElementBase],
) -> None:
    """Text against the filled shape under it (the last drawn before it), else the page."""
    shapes: list[PlacedShape] = []
    names = {colour.rgb: name for name, colour in ctx.palette.items()}
    spans = {element.id: element.span for element in elements}
    for item in items:
        if isinstance(item, PlacedShape) and item.fill is not None:
            shapes.append(item)
        if not isinstance(item, PlacedText):
            continue
        under = next((s.fill for s in reversed(shapes) if s.rect.contains(item.used, 0.5)), None)
        name, colour = (names.get(under.rgb, under.rgb), under) if under else behind_all
        for ink in item.colours:
            ratio = contrast_ratio(ink.rgb_fraction, colour.rgb_fraction)
            if ratio + 1e-6 < MIN_CONTRAST:
                ctx.report(
                    f"text '{item.element_id}' ({names.get(ink.rgb, ink.rgb)}) on {name} has a "
                    f"contrast of {ratio:.1f}:1; at least {MIN_CONTRAST:g}:1 is needed",
                    spans.get(item.element_id.split(".")[0]),
                    "choose a darker text colour or a lighter background",
                )
