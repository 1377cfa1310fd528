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
from pathlib import Path

from packgen.elements import layout_element
from packgen.elements.shape import extend_to_bleed
from packgen.errors import Diagnostic, PackgenError, Severity, Span, allowed_hint
from packgen.layout.checks import PAPER, check_contrast, check_press_inks, check_text_sizes
from packgen.layout.context import Frame, LayoutContext, document_info, page_context
from packgen.layout.digital import (
    digital_info,
    is_screen,
    pixel_size,
    screen_problems,
    screen_rules,
)
from packgen.layout.folds import check_fold_colour, clear_of_folds
from packgen.layout.partial import FailedElement, LayoutError, bounds, errors_since
from packgen.layout.placed import (
    Placed,
    PlacedDocument,
    PlacedPage,
    PlacedShape,
    Rect,
    ShapeKind,
)
from packgen.layout.sheet import inset, margins_of, sheet
from packgen.layout.space import content_rects, empty_problem
from packgen.model.common import Direction, Edge, ElementBase
from packgen.model.fixed import PageModel
from packgen.model.profiles import Profile
from packgen.resolve.assets import Asset
from packgen.resolve.content import Content
from packgen.resolve.design import Resolved
from packgen.source.load import span_at
from packgen.units import MM


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
    safe = geometry.safe
    margins = margins_of(spec)
    diagnostics: list[Diagnostic] = screen_problems(document, resolved.design.file, resolved.data)
    if diagnostics:
        raise PackgenError(diagnostics)
    screen = is_screen(document.kind)
    rules = screen_rules(document.rules, trim.w) if screen else document.rules
    pages: list[PlacedPage] = []
    qr_urls: list[str] = []
    failed: list[FailedElement] = []  # where each error is, for previews of a broken layout
    panel_areas: dict[str, tuple[int, Rect]] = {}  # for the reading order of a folded sheet
    for page_number, page in enumerate(document.pages):
        page_path: tuple[int | str, ...] = ("pages", page_number)
        ctx = page_context(
            resolved.design.file,
            scale,
            profile,
            geometry,
            resolved.styles,
            rules,
            document.body_styles,
            content,
            assets_dir,
            org_logo,
            org_file,
        )
        direction = ctx.direction
        frames: dict[str | None, Frame] = {
            None: Frame(trim, inset(trim, margins, scale, direction), spec.grid, direction)
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
                inner = inset(rect, margins, scale, direction)
                frames[panel.id] = Frame(rect, inner, spec.grid, direction)
                panel_areas[panel.id] = (page_number, rect)
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
                    colours = [p.background for p in page.panels]
                    prior = colours[index - 1] if index > 0 else panel.background
                    following = colours[index + 1] if index + 1 < len(colours) else None
                    if index + 1 >= len(colours):
                        following = panel.background
                    start, end = prior != panel.background, following != panel.background
                    sides = (start, end) if direction is Direction.LTR else (end, start)
                    area = clear_of_folds(area, rect, sides, spec, scale)
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
            before = len(ctx.diagnostics)
            items = layout_element(element, frame, ctx)
            placed.items.extend(items)
            messages = errors_since(ctx.diagnostics, before)
            if messages:
                rect = bounds(items) or _box_of(element, frame, ctx)
                failed.append(FailedElement(page_number, element.id, rect, messages))
        placed.safe_areas = list(ctx.safe_areas)
        grids = [frame for key, frame in frames.items() if key is not None] or [frames[None]]
        placed.columns = [column for frame in grids for column in frame.columns(scale)]
        before = len(ctx.diagnostics)
        check_text_sizes(placed.items, ctx, page.elements)
        ground = (str(page.background), background) if background else ("the paper", PAPER)
        check_contrast(placed.items, ground, ctx, page.elements)
        check_press_inks(placed.items, ctx, page.elements)
        check_fold_colour(placed, spec, ctx, page.elements)
        _check_empty(placed, page, frames, ctx, span_at(resolved.data, ("rules", "max_empty")))
        failed.extend(_blamed(page_number, errors_since(ctx.diagnostics, before), placed))
        placed.links.extend(ctx.links)
        qr_urls.extend(ctx.qr_urls)
        diagnostics.extend(ctx.diagnostics)
        pages.append(placed)
    reading_order: list[tuple[int, Rect]] = []
    for index, panel_id in enumerate(document.reading_order):
        if panel_id not in panel_areas:
            diagnostics.append(
                Diagnostic(
                    f"reading_order names '{panel_id}', which is not a fold panel of any page",
                    span_at(resolved.data, ("reading_order", index)) or Span(resolved.design.file),
                    field="reading_order",
                    hint=("use one of: " + ", ".join(panel_areas)) if panel_areas else None,
                )
            )
        else:
            reading_order.append(panel_areas[panel_id])
    digital = None
    if screen and not any(d.severity is Severity.ERROR for d in diagnostics):
        css = pixel_size(float(resolved.base.width), float(resolved.base.height))
        digital = digital_info(document, content, resolved.design.file, css)
    result = PlacedDocument(
        name=resolved.design.name,
        size=resolved.size,
        profile=profile.suffix,
        info=document_info(document.metadata, content, author),
        pages=pages,
        cmyk=profile.cmyk,
        base_font=next(iter(resolved.styles.values())).font,
        qr_urls=qr_urls,
        warnings=[d for d in diagnostics if d.severity is Severity.WARNING],
        min_text=float(rules.min_text),
        min_body=float(document.rules.min_body),
        palette=content.palette,
        tagged=profile.interactive,
        reading_order=reading_order,
        digital=digital,
    )
    if any(d.severity is Severity.ERROR for d in diagnostics):
        raise LayoutError(diagnostics, result, failed)
    return result


def _check_empty(
    placed: PlacedPage,
    page: PageModel,
    frames: dict[str | None, Frame],
    ctx: LayoutContext,
    span: Span | None,
) -> None:
    """No unintended empty band on the page or in any of its panels (``rules.max_empty``)."""
    share = ctx.rules.max_empty
    if share is None or page.white_space:
        return
    rects = content_rects(placed.items)
    areas = [
        (f"panel '{panel.id}' of page '{page.id}'", frames[panel.id])
        for panel in page.panels
        if not panel.white_space and panel.id in frames
    ] or [(f"page '{page.id}'", frames[None])]
    for name, frame in areas:
        problem = empty_problem(name, frame.content, frame.rect.h, rects, share, frame.rect.top)
        if problem is not None:
            ctx.report(
                problem,
                span,
                "fill it with purpose (a picture, a pull quote, the support card), move "
                "what is below up, or mark intended space with white_space: true",
            )


def _box_of(element: ElementBase, frame: Frame, ctx: LayoutContext) -> Rect:
    """Where an element that placed nothing was meant to go (reporting nothing new)."""
    before = len(ctx.diagnostics)
    rect = ctx.place(element.box, frame, None, square=element.box.h is None)
    del ctx.diagnostics[before:]
    return rect


def _blamed(page: int, messages: Sequence[str], placed: PlacedPage) -> list[FailedElement]:
    """Page-wide check messages, each on the items whose id it quotes."""
    found: list[FailedElement] = []
    for message in messages:
        for item in placed.items:
            if f"'{item.element_id}'" in message:
                box = bounds([item])
                if box is not None:
                    found.append(FailedElement(page, item.element_id, box, (message,)))
    return found
