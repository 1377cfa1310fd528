"""Page geometry and page decorations of a pack, placed in absolute points.

``sheet`` puts the trim, bleed and safe area on the media of an output
profile (as the fixed-page layout does), and ``context`` is the shared page
context. ``frames`` turns every template's frame boxes into rectangles the
story flows into. ``decorate`` lays out each page's template elements with the
page's own values (``{page}``, ``{pages}``, ``{section}``) into
:class:`PlacedPage` objects, checked by the shared rules. What a template
repeats on every page (it is not ``once``) is a running head or footer: an
artifact to a reader.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path

from packgen.elements import layout_element
from packgen.errors import Diagnostic
from packgen.layout.checks import PAPER, check_contrast, check_press_inks, check_text_sizes
from packgen.layout.context import Frame, LayoutContext, page_context
from packgen.layout.placed import ARTIFACT, Placed, PlacedPage, Rect
from packgen.layout.sheet import Sheet
from packgen.layout.sheet import sheet as page_sheet
from packgen.model.profiles import Profile
from packgen.resolve.assets import Asset
from packgen.resolve.content import Content
from packgen.resolve.pack import ResolvedPack
from packgen.resolve.styles import ResolvedStyle
from packgen.units import MM

__all__ = ["PAPER", "PageInfo", "context", "decorate", "frames", "sheet"]


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
    styles: dict[str, ResolvedStyle] | None = None,
) -> LayoutContext:
    """The shared page context (see ``packgen.layout.context``), for a page of this pack.

    ``styles`` are the pack's styles already set for this copy's language (another
    page's context's), when known."""
    document = resolved.document
    return page_context(
        resolved.file,
        resolved.scale,
        profile,
        page,
        resolved.styles if styles is None else styles,
        document.rules,
        document.body_styles,
        content,
        assets_dir,
        org_logo,
        org_file,
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
    # the styles set for the copy's language once, not again on every page
    styles = context(resolved, profile, content, page, assets_dir, org_logo, org_file).styles
    for info in pages:
        template = document.templates[info.template]
        values = {"page": str(info.number), "pages": str(len(pages)), "section": info.section}
        own = dataclasses.replace(content, data={**content.data, **values}, _blocks={})
        ctx = context(resolved, profile, own, page, assets_dir, org_logo, org_file, styles)
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
        items: list[Placed] = []
        for element in template.elements:
            items.extend(layout_element(element, frame, ctx))
        if not template.once:
            items = [dataclasses.replace(item, role=ARTIFACT) for item in items]
        placed.items.extend(items)
        check_text_sizes(placed.items, ctx, template.elements)
        behind = (str(template.background), background) if background else ("the paper", PAPER)
        check_contrast(placed.items, behind, ctx, template.elements)
        check_press_inks(placed.items, ctx, template.elements)
        placed.links.extend(ctx.links)
        qr_urls.extend(ctx.qr_urls)
        for diagnostic in ctx.diagnostics:
            if diagnostic not in diagnostics:
                diagnostics.append(diagnostic)
        placed_pages.append(placed)
    return placed_pages, diagnostics, qr_urls
