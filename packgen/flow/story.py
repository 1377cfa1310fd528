"""Story items into Platypus flowables, with every check made before pagination.

:func:`prepare` walks the story once: it looks up copy and styles, lays out
panels with the ordinary element functions, counts social posts against
their limit, matches form fields with the copy, and checks text size and
contrast. Problems become diagnostics with the item's position. What it
returns builds fresh flowables for each pagination pass (Platypus consumes
them), given the page numbers the contents should show.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import PageBreak, Paragraph, Spacer

from packgen.colour import Colour, contrast_ratio
from packgen.content import Content
from packgen.context import Frame, LayoutContext
from packgen.elements import layout_element
from packgen.errors import PackgenError, Span, allowed_hint
from packgen.flow import form, social
from packgen.flow.flowables import (
    BIG,
    Card,
    CardRow,
    Contents,
    ContentsRow,
    FieldLine,
    FieldSpec,
    Heading,
    Look,
    Panel,
)
from packgen.flow.model import (
    BreakItem,
    CardLook,
    CardsItem,
    ContentsItem,
    FactsItem,
    FormItem,
    HeadingItem,
    ItemBase,
    PanelItem,
    PostsItem,
    SpaceItem,
    StoryItem,
    TextItem,
)
from packgen.flow.pages import MIN_CONTRAST, check_contrast
from packgen.flow.resolve import ResolvedPack, anchor
from packgen.markup import Block, BlockKind, MissingValue, to_blocks
from packgen.placed import PlacedText, Rect
from packgen.render import by_rgb
from packgen.styles import ResolvedStyle
from packgen.typeset import ink, paragraph_style

MM = 72 / 25.4

Factory = Callable[[Mapping[str, int]], list[Any]]


@dataclass(frozen=True)
class HeadingEntry:
    anchor: str
    markup: str
    title: str  # plain text: outline entry and running header
    level: int
    listed: bool  # shown in the contents


@dataclass
class Story:
    """What the story makes: flowables per pass, and what they are known to hold."""

    factories: list[Factory] = field(default_factory=list)
    headings: list[HeadingEntry] = field(default_factory=list)
    qr_urls: list[str] = field(default_factory=list)

    def flowables(self, numbers: Mapping[str, int]) -> list[Any]:
        """Fresh flowables; ``numbers`` maps heading anchors to their pages."""
        return [flowable for make in self.factories for flowable in make(numbers)]


class _Preparer:
    def __init__(self, resolved: ResolvedPack, ctx: LayoutContext) -> None:
        self.resolved = resolved
        self.ctx = ctx
        self.content: Content = ctx.content
        self.cmyk = ctx.profile.cmyk
        self.office = ctx.profile.links
        self.measure = 0.0  # width of the narrowest frame the current item can land in
        self.backgrounds: list[tuple[str, Colour]] = []  # what lies behind it there
        self.story = Story()
        self._pstyles: dict[str, Any] = {}
        self._checked: set[tuple[str, str]] = set()

    # -- look-ups that report -------------------------------------------------

    def report(self, message: str, span: Span | None, hint: str | None = None) -> None:
        self.ctx.report(message, span, hint)

    def style(
        self,
        name: str | None,
        item: ItemBase,
        field_name: str,
        behind: list[tuple[str, Colour]] | None = None,
    ) -> ResolvedStyle | None:
        """A text style, checked for size and for contrast with what lies behind it."""
        if name is None:
            return None
        found = self.ctx.style(name, item.field_span(field_name), field_name)
        if found is None:
            return None
        rules = self.resolved.document.rules
        body = name in self.resolved.document.body_styles
        floor = float(rules.min_body if body else rules.min_text)
        size = found.size * self.resolved.scale
        if size + 0.01 < floor and (name, "size") not in self._checked:
            self._checked.add((name, "size"))
            kind = "body text style" if body else "text style"
            self.report(
                f"{kind} '{name}' is {size:g}pt; the minimum is {floor:g}pt",
                item.field_span(field_name),
                "raise the style's size",
            )
        for colour_name, colour in behind or self.backgrounds:
            if (name, colour_name) in self._checked:
                continue
            self._checked.add((name, colour_name))
            ratio = contrast_ratio(found.colour.rgb_fraction, colour.rgb_fraction)
            if ratio + 1e-6 < MIN_CONTRAST:
                self.report(
                    f"text style '{name}' ({found.colour_name}) on {colour_name} has a "
                    f"contrast of {ratio:.1f}:1; at least {MIN_CONTRAST:g}:1 is needed",
                    item.field_span(field_name),
                    "choose a darker text colour or a lighter background",
                )
        return found

    def blocks(self, key: str, item: ItemBase, field_name: str = "copy") -> list[Block] | None:
        if not self.content.has(key):
            self.report(
                f"unknown copy key '{key}' (language {self.content.language})",
                item.field_span(field_name),
                allowed_hint(key, self.content.keys(), "keys"),
            )
            return None
        try:
            return self.content.blocks(key)
        except PackgenError as exc:
            self.ctx.diagnostics.extend(exc.diagnostics)
            return None

    def blocks_with(
        self, key: str, extra: Mapping[str, str], item: ItemBase, field_name: str
    ) -> list[Block] | None:
        """Blocks of ``key`` with more placeholder values than the campaign's."""
        if not self.content.has(key):
            return self.blocks(key, item, field_name)
        try:
            return to_blocks(self.content.copy[key], {**self.content.data, **extra})
        except MissingValue as exc:
            self.report(
                f"copy '{key}' uses {{{exc.name}}}, which has no value here",
                self.content.copy_spans.get(key),
                "values available: " + ", ".join(sorted({*self.content.data, *extra})),
            )
            return None

    def colour(self, name: str | None, item: ItemBase, field_name: str) -> Colour | None:
        if name is None:
            return None
        return self.ctx.colour(name, item.field_span(field_name), field_name)

    def pstyle(self, style: ResolvedStyle) -> Any:
        found = self._pstyles.get(style.name)
        if found is None:
            found = self._pstyles[style.name] = paragraph_style(
                style, self.cmyk, self.resolved.scale
            )
        return found

    def linked(self, markup: str) -> str:
        """Office output: every printed web address of a campaign link made clickable."""
        if not self.office:
            return markup
        targets = {
            escape(link.display): self.content.tracked(link.url, "pack")
            for link in self.content.links.values()
        }
        if not targets:
            return markup
        pattern = "|".join(re.escape(d) for d in sorted(targets, key=len, reverse=True))
        return re.sub(
            pattern, lambda m: f"<a href={quoteattr(targets[m.group(0)])}>{m.group(0)}</a>", markup
        )

    def paragraphs(
        self, blocks: list[Block], styles: Mapping[BlockKind, ResolvedStyle]
    ) -> Callable[[], list[Any]]:
        prepared = [(self.linked(b.markup), self.pstyle(styles[b.kind]), b) for b in blocks]

        def make() -> list[Any]:
            made = []
            for markup, pstyle, block in prepared:
                bullet = styles[block.kind].bullet if block.kind is BlockKind.BULLET else None
                paragraph = Paragraph(markup, pstyle, bulletText=bullet)
                if block.kind is BlockKind.HEADING:
                    paragraph.keepWithNext = 1
                made.append(paragraph)
            return made

        return make

    def kinds(
        self,
        item: ItemBase,
        style: str,
        heading: str | None,
        bullet: str | None,
        behind: list[tuple[str, Colour]] | None = None,
    ) -> dict[BlockKind, ResolvedStyle] | None:
        found: dict[BlockKind, ResolvedStyle] = {}
        for kind, name, field_name in (
            (BlockKind.PARAGRAPH, style, "style"),
            (BlockKind.HEADING, heading or style, "heading_style" if heading else "style"),
            (BlockKind.BULLET, bullet or style, "bullet_style" if bullet else "style"),
        ):
            resolved = self.style(name, item, field_name, behind)
            if resolved is None:
                return None
            found[kind] = resolved
        return found

    def look(self, card: CardLook, item: ItemBase) -> tuple[Look, list[tuple[str, Colour]]]:
        fill = self.colour(card.fill, item, "card")
        stroke = self.colour(card.stroke, item, "card")
        s = self.resolved.scale
        width = float(card.stroke_width) * s if card.stroke_width is not None else 1.0
        look = Look(
            fill=ink(fill, self.cmyk) if fill else None,
            stroke=ink(stroke, self.cmyk) if stroke else None,
            stroke_width=width,
            radius=float(card.radius or 0) * s,
            padding=float(card.padding or 0) * s,
        )
        behind = [(str(card.fill), fill)] if fill is not None else self.backgrounds
        return look, behind

    def keep(self, item: ItemBase, made: list[Any]) -> list[Any]:
        if item.keep_with_next and made:
            made[-1].keepWithNext = 1
        return made

    # -- story items ----------------------------------------------------------

    def heading(self, item: HeadingItem) -> None:
        style = self.style(item.style, item, "style")
        blocks = self.blocks(item.copy_key, item)
        if style is None or blocks is None:
            return
        if len(blocks) != 1:
            self.report(
                f"heading copy '{item.copy_key}' has {len(blocks)} paragraphs; a heading has one",
                self.content.copy_spans.get(item.copy_key),
            )
            return
        key = anchor(item)
        title = self.content.plain(item.copy_key)
        markup = blocks[0].markup
        self.story.headings.append(HeadingEntry(key, markup, title, item.level, item.contents))
        pstyle = self.pstyle(style)
        self.story.factories.append(
            lambda n: [Heading(markup, pstyle, key, title, item.level, item.span)]
        )

    def text(self, item: TextItem) -> None:
        styles = self.kinds(item, item.style, item.heading_style, item.bullet_style)
        blocks = self.blocks(item.copy_key, item)
        if styles is None or blocks is None:
            return
        make = self.paragraphs(blocks, styles)
        self.story.factories.append(lambda n: self.keep(item, make()))

    def contents(self, item: ContentsItem) -> None:
        main = self.style(item.style, item, "style")
        sub = self.style(item.sub_style, item, "sub_style") or main
        leader = self.colour(item.leader, item, "leader")
        if main is None or sub is None:
            return
        pmain, psub = self.pstyle(main), self.pstyle(sub)
        number_width = stringWidth("000", pmain.fontName, pmain.fontSize)
        gap = float(item.gap or 0) * self.resolved.scale
        rule = ink(leader, self.cmyk) if leader is not None else None
        headings = self.story.headings  # complete by the time flowables are made

        def make(numbers: Mapping[str, int]) -> list[Any]:
            rows = [
                ContentsRow(
                    h.markup, pmain if h.level == 0 else psub, h.anchor, numbers.get(h.anchor)
                )
                for h in headings
                if h.listed and h.level < item.levels
            ]
            return self.keep(item, [Contents(rows, number_width, gap, rule, self.office)])

        self.story.factories.append(make)

    def panel(self, item: PanelItem) -> None:
        height = float(item.h) * self.resolved.scale
        area = Rect(0.0, 0.0, self.measure, height)
        ctx = dataclasses.replace(
            self.ctx,
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
        rules = self.resolved.document.rules
        for text in placed:
            if isinstance(text, PlacedText) and text.font_sizes:
                floor = float(rules.min_body if text.is_body else rules.min_text)
                if min(text.font_sizes) + 0.01 < floor:
                    ctx.report(
                        f"text in '{text.element_id}' is {min(text.font_sizes):.1f}pt; "
                        f"the minimum is {floor:g}pt",
                        item.span,
                        "raise the style's size",
                    )
        for behind in self.backgrounds:
            check_contrast(placed, behind, ctx, item.elements)
        self.ctx.diagnostics.extend(ctx.diagnostics)
        self.story.qr_urls.extend(ctx.qr_urls)
        links, width, cmyk = list(ctx.links), self.measure, self.cmyk
        palette = by_rgb(self.content.palette)
        self.story.factories.append(
            lambda n: self.keep(item, [Panel(placed, links, width, height, cmyk, palette)])
        )

    def cards(self, item: CardsItem) -> None:
        look, behind = self.look(item.card, item)
        styles = self.kinds(item, item.style, item.heading_style, item.bullet_style, behind)
        if styles is None:
            return
        makers = []
        for key in item.items:
            blocks = self.blocks(key, item, "items")
            if blocks is not None:
                makers.append(self.paragraphs(blocks, styles))
        gap = float(item.card.gap or 0) * self.resolved.scale

        def make(numbers: Mapping[str, int]) -> list[Any]:
            cards = [Card(maker(), look) for maker in makers]
            made: list[Any] = []
            for start in range(0, len(cards), item.columns):
                row = cards[start : start + item.columns]
                if start:
                    made.append(Spacer(1, gap))
                if item.columns == 1:
                    made.append(row[0])
                else:
                    row += [Card([], Look(None, None, 0, 0, 0))] * (item.columns - len(row))
                    made.append(CardRow(row, gap))
            return self.keep(item, made)

        self.story.factories.append(make)

    def facts(self, item: FactsItem) -> None:
        look, behind = self.look(item.card, item)
        figure = self.style(item.figure_style, item, "figure_style", behind)
        text = self.style(item.style, item, "style", behind)
        source = self.style(item.source_style, item, "source_style", behind)
        if figure is None or text is None or source is None:
            return
        parts = []
        for prefix in item.items:
            found = []
            for part in ("figure", "text", "source"):
                key = f"{prefix}.{part}"
                blocks = self.blocks(key, item, "items")
                if blocks is None:
                    break
                found.append(blocks)
            else:
                parts.append(found)
        s = self.resolved.scale
        aside = float(item.figure_width) * s
        gap = float(item.card.gap or 0) * s
        kinds = {
            name: {kind: style for kind in BlockKind}
            for name, style in (("figure", figure), ("text", text), ("source", source))
        }
        makers = [
            (
                self.paragraphs(fig, kinds["figure"]),
                self.paragraphs(body, kinds["text"]),
                self.paragraphs(src, kinds["source"]),
            )
            for fig, body, src in parts
        ]

        def make(numbers: Mapping[str, int]) -> list[Any]:
            made: list[Any] = []
            for index, (fig, body, src) in enumerate(makers):
                if index:
                    made.append(Spacer(1, gap))
                made.append(Card(body() + src(), look, fig(), aside, gap))
            return self.keep(item, made)

        self.story.factories.append(make)

    def posts(self, item: PostsItem) -> None:
        look, behind = self.look(item.card, item)
        label = self.style(item.label_style, item, "label_style", behind)
        text = self.style(item.style, item, "style", behind)
        if label is None or text is None:
            return
        makers = []
        for key in item.items:
            if not self.content.has(key):
                self.blocks(key, item, "items")
                continue
            try:
                plain = social.post_text(self.content.copy[key], self.content.data)
            except MissingValue as exc:
                self.report(
                    f"copy '{key}' uses {{{exc.name}}}, which has no value here",
                    self.content.copy_spans.get(key),
                )
                continue
            length = social.count(plain, item.counting)
            if length > item.limit:
                self.report(
                    f"post '{key}' is {length} characters; the limit here is {item.limit}",
                    self.content.copy_spans.get(key),
                    f"shorten it by {length - item.limit} characters",
                )
                continue
            extra = {"post.count": str(length), "post.limit": str(item.limit)}
            head = self.blocks_with(item.label, extra, item, "label")
            body = [
                Block(BlockKind.PARAGRAPH, escape(part).replace("\n", "<br/>"))
                for part in plain.split("\n\n")
            ]
            if head is None:
                return
            makers.append(
                (
                    self.paragraphs(head, {kind: label for kind in BlockKind}),
                    self.paragraphs(body, {kind: text for kind in BlockKind}),
                )
            )
        gap = float(item.card.gap or 0) * self.resolved.scale

        def make(numbers: Mapping[str, int]) -> list[Any]:
            made: list[Any] = []
            for index, (head, body) in enumerate(makers):
                if index:
                    made.append(Spacer(1, gap))
                made.append(Card(head() + body(), look))
            return self.keep(item, made)

        self.story.factories.append(make)

    def form(self, item: FormItem) -> None:
        styles = self.kinds(item, item.style, item.heading_style, item.bullet_style)
        line = self.colour(item.line, item, "line")
        if styles is None or line is None or not self.content.has(item.copy_key):
            self.blocks(item.copy_key, item)
            return
        raw = self.content.copy[item.copy_key]
        span = self.content.copy_spans.get(item.copy_key)
        used = form.used(raw)
        undefined = [name for name in used if name not in item.fields]
        for name in undefined:
            self.report(
                f"copy '{item.copy_key}' uses field '{name}', which the form does not define",
                span,
                allowed_hint(name, list(item.fields), "fields"),
            )
        for name in item.fields:
            if name not in used:
                self.report(
                    f"field '{name}' is defined but copy '{item.copy_key}' never uses it",
                    item.field_span(f"fields.{name}"),
                    f"write {{field.{name}}} where it goes in the copy",
                )
            elif used.count(name) > 1:
                self.report(f"field '{name}' is used more than once", span)
        tooltips: dict[str, str] = {}
        for name, spec in item.fields.items():
            if not self.content.has(spec.label):
                self.report(
                    f"unknown copy key '{spec.label}' (language {self.content.language})",
                    item.field_span(f"fields.{name}.label"),
                    allowed_hint(spec.label, self.content.keys(), "keys"),
                )
            tooltips[name] = self.content.plain(spec.label)
        if undefined:
            return
        blocks = self.blocks_with(item.copy_key, form.values(item.fields), item, "copy")
        if blocks is None:
            return
        pstyle = self.pstyle(styles[BlockKind.PARAGRAPH])
        colour = ink(line, self.cmyk)
        minimum = float(item.min_field) * self.resolved.scale
        texts: list[Block] = []
        lines: dict[int, tuple[str, str, str]] = {}  # block index: (before, field, after)
        for block in blocks:
            before, names, after = form.split_field(block.markup)
            if len(names) > 1:
                self.report(
                    f"a paragraph of '{item.copy_key}' has {len(names)} fields; one at most",
                    span,
                    "put each field on its own line (a blank line between)",
                )
                continue
            if names and names[0] in item.fields:
                probe = FieldLine(before, after, pstyle, FieldSpec(names[0], "", 1), colour, False)
                probe.wrap(self.measure, BIG)
                if probe.field_width + 0.01 < minimum:
                    self.report(
                        f"the fill-in line for '{names[0]}' is {probe.field_width / MM:.0f} mm; "
                        f"at least {minimum / MM:.0f} mm is needed",
                        span,
                        "shorten the words on its line",
                    )
                lines[len(texts)] = (before, names[0], after)
            texts.append(block)
        text = self.paragraphs(texts, styles)
        interactive = self.office

        def make(numbers: Mapping[str, int]) -> list[Any]:
            made = text()
            for index, (before, name, after) in lines.items():
                spec = FieldSpec(name, tooltips[name], item.fields[name].max_length)
                made[index] = FieldLine(before, after, pstyle, spec, colour, interactive)
            return self.keep(item, made)

        self.story.factories.append(make)

    def add(self, item: StoryItem) -> None:
        if isinstance(item, HeadingItem):
            self.heading(item)
        elif isinstance(item, TextItem):
            self.text(item)
        elif isinstance(item, ContentsItem):
            self.contents(item)
        elif isinstance(item, BreakItem):
            template = item.template
            self.story.factories.append(lambda n: [PageBreak(nextTemplate=template)])
        elif isinstance(item, SpaceItem):
            height = float(item.h) * self.resolved.scale
            self.story.factories.append(lambda n: self.keep(item, [Spacer(1, height)]))
        elif isinstance(item, PanelItem):
            self.panel(item)
        elif isinstance(item, CardsItem):
            self.cards(item)
        elif isinstance(item, FactsItem):
            self.facts(item)
        elif isinstance(item, PostsItem):
            self.posts(item)
        else:
            self.form(item)


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
    preparer = _Preparer(resolved, ctx)
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
        preparer.add(item)
    return preparer.story
