"""Story items into Platypus flowables, with every check made before pagination.

:func:`prepare` walks the story once. Each item's handler (listed in
:data:`HANDLERS`; card-like items in ``cards``, the form in ``form``) looks
up copy and styles, lays out panels with the ordinary element functions and
holds them to the shared rules (``packgen.layout.checks``), reporting problems
with the item's position. What it returns builds fresh flowables for each
pagination pass (Platypus consumes them), given the page numbers the contents
should show.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from typing import Any

from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import PageBreak, Spacer

from packgen.colour import Colour
from packgen.elements import layout_element
from packgen.layout.checks import check_contrast, check_press_inks, check_text_sizes
from packgen.layout.context import Frame, LayoutContext
from packgen.layout.flow import cards, form
from packgen.layout.flow.flowables import Contents, ContentsRow, FixedBox, Heading
from packgen.layout.flow.preparer import HeadingEntry, Preparer, Story
from packgen.layout.placed import Rect, Role, RoleKind
from packgen.model.pack import (
    BreakItem,
    CardsItem,
    ContentsItem,
    FactsItem,
    FormItem,
    HeadingItem,
    PanelItem,
    PostsItem,
    SpaceItem,
    TextItem,
)
from packgen.resolve.pack import ResolvedPack, anchor


def heading(prep: Preparer, item: HeadingItem) -> None:
    style = prep.style(item.style, item, "style")
    blocks = prep.blocks(item.copy_key, item)
    if style is None or blocks is None:
        return
    if len(blocks) != 1:
        prep.report(
            f"heading copy '{item.copy_key}' has {len(blocks)} paragraphs; a heading has one",
            prep.content.copy_spans.get(item.copy_key),
        )
        return
    key = anchor(item)
    title = prep.content.plain(item.copy_key)
    markup = blocks[0].markup
    prep.story.headings.append(HeadingEntry(key, markup, title, item.level, item.contents))
    pstyle = prep.pstyle(style)
    prep.glyphs(item, markup, pstyle.fontName)
    prep.heading_level = item.heading or item.level + 1
    body = item.style in prep.resolved.document.body_styles
    meta = prep.meta(item, style, Role.heading(prep.heading_level), body)
    prep.add(lambda n: [Heading(markup, pstyle, meta, key, title, item.level, item.span)])


def text(prep: Preparer, item: TextItem) -> None:
    styles = prep.kinds(item, item.style, item.heading_style, item.bullet_style)
    blocks = prep.blocks(item.copy_key, item)
    if styles is None or blocks is None:
        return
    make = prep.paragraphs(item, blocks, styles)
    prep.add(lambda n: prep.keep(item, make()))


def contents(prep: Preparer, item: ContentsItem) -> None:
    main = prep.style(item.style, item, "style")
    sub = prep.style(item.sub_style, item, "sub_style") or main
    leader = prep.colour(item.leader, item, "leader")
    if main is None or sub is None:
        return
    pmain, psub = prep.pstyle(main), prep.pstyle(sub)
    number_width = stringWidth("000", pmain.fontName, pmain.fontSize)
    gap = float(item.gap or 0) * prep.resolved.scale
    headings = prep.story.headings  # complete by the time flowables are made
    body = prep.resolved.document.body_styles
    entry = Role(RoleKind.CONTENTS_ENTRY)
    metas = (
        prep.meta(item, main, entry, main.name in body),
        prep.meta(item, sub, entry, sub.name in body),
    )

    def make(numbers: Mapping[str, int]) -> list[Any]:
        rows = [
            ContentsRow(
                h.markup,
                pmain if h.level == 0 else psub,
                # a contents entry's level (1 at the top): the TOC nests under its parent entry
                dataclasses.replace(
                    metas[0] if h.level == 0 else metas[1],
                    role=Role(RoleKind.CONTENTS_ENTRY, level=h.level + 1),
                ),
                h.anchor,
                numbers.get(h.anchor),
            )
            for h in headings
            if h.listed and h.level < item.levels
        ]
        return prep.keep(item, [Contents(rows, number_width, gap, leader, prep.office)])

    prep.add(make)


def panel(prep: Preparer, item: PanelItem) -> None:
    height = float(item.h) * prep.resolved.scale
    area = Rect(0.0, 0.0, prep.measure, height)
    ctx = dataclasses.replace(
        prep.ctx,
        trim=area,
        bleed_rect=area,
        safe=area,
        bleed=0.0,
        diagnostics=[],
        links=[],
        qr_urls=[],
        safe_areas=[],
    )
    frame = Frame(area, area, None)
    placed = []
    for element in item.elements:
        placed.extend(layout_element(element, frame, ctx))
    check_text_sizes(placed, ctx, item.elements)
    for behind in prep.backgrounds:
        check_contrast(placed, behind, ctx, item.elements)
    check_press_inks(placed, ctx, item.elements)
    for diagnostic in ctx.diagnostics:
        if diagnostic not in prep.ctx.diagnostics:
            prep.ctx.diagnostics.append(diagnostic)
    prep.story.qr_urls.extend(ctx.qr_urls)
    links, width = list(ctx.links), prep.measure
    prep.add(lambda n: prep.keep(item, [FixedBox(placed, links, width, height)]))


def page_break(prep: Preparer, item: BreakItem) -> None:
    template = item.template
    prep.add(lambda n: [PageBreak(nextTemplate=template)])


def space(prep: Preparer, item: SpaceItem) -> None:
    height = float(item.h) * prep.resolved.scale
    prep.add(lambda n: prep.keep(item, [Spacer(1, height)]))


HANDLERS: dict[type[Any], Callable[[Preparer, Any], None]] = {
    HeadingItem: heading,
    TextItem: text,
    ContentsItem: contents,
    BreakItem: page_break,
    SpaceItem: space,
    PanelItem: panel,
    CardsItem: cards.cards,
    FactsItem: cards.facts,
    PostsItem: cards.posts,
    FormItem: form.form_item,
}


def _landing(resolved: ResolvedPack, start: str) -> list[str]:
    """Templates that text starting on ``start`` can land on (it runs on via ``next``)."""
    names: list[str] = []
    current: str | None = start
    while current is not None and current not in names:
        names.append(current)
        template = resolved.document.templates.get(current)
        current = (template.next or current) if template is not None else None
    return names


def prepare(
    resolved: ResolvedPack,
    ctx: LayoutContext,
    frames: Mapping[str, list[Rect]],
    paper: Colour,
) -> Story:
    """Check every story item and make its flowable factory; problems go to ``ctx``.

    Each item is measured and contrast-checked for the templates it can land
    on: the one in force where it starts, and those its text runs on to.
    """
    preparer = Preparer(resolved, ctx)
    current = resolved.document.start
    for item in resolved.document.story:
        if isinstance(item, BreakItem) and item.template is not None:
            current = item.template
        names = [n for n in _landing(resolved, current) if frames.get(n)]
        preparer.measure = min((r.w for n in names for r in frames[n]), default=0.0)
        preparer.backgrounds = []
        for name in names:
            background = resolved.document.templates[name].background
            colour = ctx.palette.get(background or "")
            entry = (str(background), colour) if colour is not None else ("the paper", paper)
            if entry not in preparer.backgrounds:
                preparer.backgrounds.append(entry)
        HANDLERS[type(item)](preparer, item)
    return preparer.story
