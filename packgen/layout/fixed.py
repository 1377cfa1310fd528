"""Resolved documents into placed pages: every position, fit and overflow decided.

Page set-up follows the profile: press output grows the media by the bleed and
a slug for marks and sets the trim inside it; office output is the paper
itself. The design is scaled from its base size to the made size; bleed and
the safe area are print rules and do not scale. Fold panels follow the
copy's direction: the first panel is at the start edge, so right-to-left
copy mirrors them (and the margins, grid columns and boxes inside).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from packgen.elements import layout_element
from packgen.elements.shape import extend_to_bleed
from packgen.errors import Diagnostic, PackgenError, Severity, Span, allowed_hint
from packgen.layout.context import Frame, LayoutContext
from packgen.layout.placed import (
    DocumentInfo,
    Placed,
    PlacedDocument,
    PlacedPage,
    PlacedShape,
    Rect,
    ShapeKind,
)
from packgen.model.common import Direction, Edge, ElementBase, Margins, PageSpec
from packgen.model.profiles import Profile
from packgen.resolve.assets import Asset
from packgen.resolve.content import Content
from packgen.resolve.design import Resolved
from packgen.resolve.project import PaperSize
from packgen.source.load import span_at
from packgen.units import MM


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
    """The page geometry of one made size in one profile: press adds bleed and a slug.

    Bleed and the safe area are print rules and do not scale; margins do.
    """
    width, height = float(paper.width), float(paper.height)
    bleed = float(spec.bleed) if profile.bleed else 0.0
    slug = float(spec.slug) if profile.marks else 0.0
    origin = bleed + slug
    media = Rect(0.0, 0.0, width + 2 * origin, height + 2 * origin)
    trim = Rect(origin, origin, width, height)
    content = _inset(trim, margins_of(spec), scale)
    return Sheet(media, trim, trim.outset(bleed), trim.inset(float(spec.safe)), bleed, content)


def _inset(
    rect: Rect, margins: Margins, scale: float, direction: Direction = Direction.LTR
) -> Rect:
    """``rect`` inside its margins; left and right swap for right-to-left copy (a mirror)."""
    left, right = float(margins.left) * scale, float(margins.right) * scale
    if direction is Direction.RTL:
        left, right = right, left
    top, bottom = float(margins.top) * scale, float(margins.bottom) * scale
    return Rect(rect.x + left, rect.y + bottom, rect.w - left - right, rect.h - top - bottom)


def layout_document(
    resolved: Resolved,
    profile: Profile,
    content: Content,
    assets_dir: Path,
    org_logo: Asset | None = None,
    author: str = "",
    org_file: str | None = None,
) -> PlacedDocument:
    """Place every page of one size of a design for one output profile."""
    document = resolved.document
    spec = document.page
    scale = resolved.scale
    geometry = sheet(spec, resolved.paper, scale, profile)
    media, trim, bleed_rect = geometry.media, geometry.trim, geometry.bleed_rect
    safe, bleed = geometry.safe, geometry.bleed
    margins = margins_of(spec)
    diagnostics: list[Diagnostic] = []
    pages: list[PlacedPage] = []
    qr_urls: list[str] = []
    for page_number, page in enumerate(document.pages):
        page_path: tuple[int | str, ...] = ("pages", page_number)
        ctx = LayoutContext(
            file=resolved.design.file,
            scale=scale,
            profile=profile,
            trim=trim,
            bleed_rect=bleed_rect,
            safe=safe,
            bleed=bleed,
            styles=resolved.styles,
            palette=content.palette,
            rules=document.rules,
            body_styles=frozenset(document.body_styles),
            content=content,
            assets_dir=assets_dir,
            has_org=org_logo is not None or "org.name" in content.data,
            org_logo=org_logo,
            org_file=org_file,
        )
        direction = ctx.direction
        frames: dict[str | None, Frame] = {
            None: Frame(trim, _inset(trim, margins, scale, direction), spec.grid, direction)
        }
        folds: list[float] = []
        backgrounds: list[Placed] = []
        if page.panels:
            offset = 0.0  # from the trim's start edge: panels run in reading order
            clearance = float(spec.fold_clearance or spec.safe)
            total = sum(float(p.width) for p in page.panels) * scale
            if abs(total - trim.w) > 0.5:
                diagnostics.append(
                    Diagnostic(
                        f"panels of page '{page.id}' add up to {total / MM:.1f} mm, "
                        f"but the page is {trim.w / MM:.1f} mm wide",
                        span_at(resolved.data, (*page_path, "panels")) or Span(ctx.file),
                        field=f"pages.{page.id}.panels",
                    )
                )
            for index, panel in enumerate(page.panels):
                w = float(panel.width) * scale
                rect = trim.across(offset, w, direction)
                inner = _inset(rect, margins, scale, direction)
                frames[panel.id] = Frame(rect, inner, spec.grid, direction)
                start = float(spec.safe) if index == 0 else clearance
                end = float(spec.safe) if index == len(page.panels) - 1 else clearance
                area = rect.across(start, w - start - end, direction)
                ctx.safe_areas.append(Rect(area.x, safe.y, area.w, safe.h))
                if panel.background:
                    fill = ctx.colour(
                        panel.background,
                        span_at(resolved.data, (*page_path, "panels", index, "background")),
                        f"pages.{page.id}.panels.{panel.id}.background",
                    )
                    edges = {Edge.TOP, Edge.BOTTOM}
                    edges |= {Edge.LEFT} if index == 0 else set()  # the start edge
                    edges |= {Edge.RIGHT} if index == len(page.panels) - 1 else set()
                    area = extend_to_bleed(rect, frozenset(edges), ctx)
                    if fill is not None:
                        backgrounds.append(
                            PlacedShape(f"panel-{panel.id}", ShapeKind.RECT, area, fill, None, 0.0)
                        )
                offset += w
                if index < len(page.panels) - 1:
                    folds.append(rect.end(direction))
        background = None
        if page.background:
            background = ctx.colour(
                page.background,
                span_at(resolved.data, (*page_path, "background")),
                f"pages.{page.id}.background",
            )
        placed = PlacedPage(
            media=media,
            trim=trim,
            bleed=bleed_rect,
            safe=safe,
            background=background,
            folds=folds,
            marks=profile.marks,
        )
        placed.items.extend(backgrounds)
        for element in page.elements:
            frame = frames.get(element.panel)
            if frame is None:
                ctx.report(
                    f"unknown panel '{element.panel}'",
                    element.field_span("panel"),
                    allowed_hint(str(element.panel), [p.id for p in page.panels], "panels"),
                    "panel",
                )
                continue
            placed.items.extend(layout_element(element, frame, ctx))
        placed.safe_areas = list(ctx.safe_areas)
        grids = [frame for key, frame in frames.items() if key is not None] or [frames[None]]
        placed.columns = [column for frame in grids for column in frame.columns(scale)]
        check_text_sizes(placed, ctx, _by_id(page.elements))
        placed.links.extend(ctx.links)
        qr_urls.extend(ctx.qr_urls)
        diagnostics.extend(ctx.diagnostics)
        pages.append(placed)
    errors = [d for d in diagnostics if d.severity is Severity.ERROR]
    if errors:
        raise PackgenError(diagnostics)
    info = DocumentInfo(
        title=content.plain(document.metadata.title),
        author=author,
        subject=content.plain(document.metadata.subject),
        keywords=content.plain(document.metadata.keywords),
        language=content.language,
    )
    return PlacedDocument(
        name=resolved.design.name,
        size=resolved.size,
        profile=profile.suffix,
        info=info,
        pages=pages,
        cmyk=profile.cmyk,
        base_font=next(iter(resolved.styles.values())).font,
        qr_urls=qr_urls,
        warnings=[d for d in diagnostics if d.severity is Severity.WARNING],
        min_text=float(document.rules.min_text),
        min_body=float(document.rules.min_body),
    )


def _by_id(elements: Sequence[ElementBase]) -> dict[str, ElementBase]:
    """Every element of a page by id, those inside groups too."""
    found: dict[str, ElementBase] = {}
    for element in elements:
        found[element.id] = element
        found.update(_by_id(list(getattr(element, "elements", []))))
    return found


def check_text_sizes(
    page: PlacedPage,
    ctx: LayoutContext,
    elements: dict[str, ElementBase] | None = None,
) -> None:
    """No text under the minimum size; body text at least the body minimum.

    With ``elements`` (by id), a message points at the style that set the size.
    """
    from packgen.layout.placed import PlacedText

    rules = ctx.rules
    for item in page.items:
        if not isinstance(item, PlacedText) or not item.font_sizes:
            continue
        smallest = min(item.font_sizes)
        floor = float(rules.min_body) if item.is_body else float(rules.min_text)
        if smallest + 0.01 < floor:
            kind = "body text" if item.is_body else "text"
            owner, _, part = item.element_id.partition(".")
            element = (elements or {}).get(owner)
            span = None
            if element is not None:
                span = element.field_span("caption_style" if part == "caption" else "style")
            ctx.report(
                f"{kind} in '{item.element_id}' is {smallest:.1f}pt; the minimum is {floor:g}pt",
                span,
                "raise the style's size or enlarge the frame",
            )
