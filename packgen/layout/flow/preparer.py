"""What every story item needs while it is prepared: look-ups that report, checks.

A :class:`Preparer` finds copy, styles and colours (reporting each problem
with the item's position and a did-you-mean), checks text size and contrast
against what lies behind the item, and turns copy into paragraph makers.
It collects the :class:`Story`: flowable factories, headings and QR URLs.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from reportlab.platypus import Paragraph

from packgen.colour import Colour, contrast_ratio
from packgen.errors import PackgenError, Span, allowed_hint
from packgen.layout.context import LayoutContext
from packgen.layout.flow.flowables import Look
from packgen.layout.flow.templates import MIN_CONTRAST
from packgen.layout.typeset import paragraph_style
from packgen.model.pack import CardLook, ItemBase
from packgen.render.ink import ink
from packgen.resolve.content import Content
from packgen.resolve.markup import Block, BlockKind, MissingValue, to_blocks
from packgen.resolve.pack import ResolvedPack
from packgen.resolve.styles import ResolvedStyle

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


class Preparer:
    """Look-ups that report problems with positions, and the checks every item shares."""

    def __init__(self, resolved: ResolvedPack, ctx: LayoutContext) -> None:
        self.resolved = resolved
        self.ctx = ctx
        self.content: Content = ctx.content
        self.cmyk = ctx.profile.cmyk
        self.office = ctx.profile.interactive  # links, live contents, fillable fields
        self.measure = 0.0  # width of the narrowest frame the current item can land in
        self.backgrounds: list[tuple[str, Colour]] = []  # what lies behind it there
        self.story = Story()
        self._pstyles: dict[str, Any] = {}
        self._checked: set[tuple[str, str]] = set()

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
            escape(link.display): self.content.tracked(link.url)
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

    def add(self, factory: Factory) -> None:
        self.story.factories.append(factory)
