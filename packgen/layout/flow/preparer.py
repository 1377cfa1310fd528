"""What every story item needs while it is prepared: look-ups that report, checks.

A :class:`Preparer` finds copy, styles and colours (reporting each problem
with the item's position and a did-you-mean), holds each style to the shared
rules (``packgen.layout.checks``: size, contrast against what lies behind the
item, press inks) and turns copy into paragraph makers whose paragraphs know
their role. It collects the :class:`Story`: flowable factories, headings and
QR URLs.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from packgen.colour import Colour
from packgen.errors import PackgenError, Span, allowed_hint
from packgen.layout.checks import contrast_problems, press_style, size_problem
from packgen.layout.context import LayoutContext
from packgen.layout.flow.flowables import Look, Meta, StoryParagraph
from packgen.layout.placed import Role
from packgen.layout.typeset import paragraph_style, role_of
from packgen.model.pack import CardLook, ItemBase, TextItem
from packgen.resolve.content import Content
from packgen.resolve.fonts import with_fallback
from packgen.resolve.markup import Block, BlockKind, MissingValue, to_blocks
from packgen.resolve.pack import ResolvedPack
from packgen.resolve.styles import ResolvedStyle
from packgen.xmltext import escape, quoteattr

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
        self.heading_level = 0  # of the last heading item (1 at the top); copy headings go below
        self.story = Story()
        self._pstyles: dict[tuple[str, str], Any] = {}
        self._checked: set[tuple[str, ...]] = set()

    def report(self, message: str, span: Span | None, hint: str | None = None) -> None:
        self.ctx.report(message, span, hint)

    def style(
        self,
        name: str | None,
        item: ItemBase,
        field_name: str,
        behind: list[tuple[str, Colour]] | None = None,
        body: bool = False,
    ) -> ResolvedStyle | None:
        """A text style as this output prints it, held to the rules wherever it may land.

        ``body``: text in this style is body text although the style is not
        listed as such (the bullets of body paragraphs).
        """
        if name is None:
            return None
        found = self.ctx.style(name, item.field_span(field_name), field_name)
        if found is None:
            return None
        body = body or name in self.resolved.document.body_styles
        size = found.size * self.resolved.scale
        grounds = [g for g in behind or self.backgrounds if (name, g[0]) not in self._checked]
        self._checked.update((name, g[0]) for g in grounds)
        problems = contrast_problems(found, size, grounds)
        small = size_problem(found, size, body, self.resolved.document.rules)
        if small and (name, "size") not in self._checked:
            self._checked.add((name, "size"))
            problems.insert(0, small)
        printed, ink_problem = press_style(found, size, body, self.ctx)
        if ink_problem and (name, "ink") not in self._checked:
            self._checked.add((name, "ink"))
            problems.append(
                (
                    ink_problem,
                    "choose a dark colour (it prints in 100% K), "
                    "a one-ink colour, or a larger size",
                )
            )
        for message, hint in problems:
            self.report(message, item.field_span(field_name), hint)
        return printed

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
            return to_blocks(
                self.content.copy[key], {**self.content.data, **extra}, self.content.finish
            )
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
        key = (style.name, style.colour_name)
        found = self._pstyles.get(key)
        if found is None:
            found = self._pstyles[key] = paragraph_style(style, self.cmyk, self.resolved.scale)
        return found

    def meta(self, item: ItemBase, style: ResolvedStyle, role: Role, body: bool) -> Meta:
        return Meta(item_id(item), role, style.colour, body, style.bold)

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
        self, item: ItemBase, blocks: list[Block], styles: Mapping[BlockKind, ResolvedStyle]
    ) -> Callable[[], list[Any]]:
        """A maker of fresh paragraphs for ``blocks``, each knowing its role and ink."""
        body_styles = self.resolved.document.body_styles
        paragraph_body = styles[BlockKind.PARAGRAPH].name in body_styles
        own = item.heading_level if isinstance(item, TextItem) else None
        level = min(6, own or self.heading_level + 1)
        prepared = []
        for block in blocks:
            style = styles[block.kind]
            body = style.name in body_styles or (block.kind is BlockKind.BULLET and paragraph_body)
            meta = self.meta(item, style, role_of(block.kind, level), body)
            pstyle = self.pstyle(style)
            self.glyphs(item, block.markup, pstyle.fontName)
            prepared.append((self.linked(block.markup), pstyle, block, meta))

        def make() -> list[Any]:
            made = []
            for markup, pstyle, block, meta in prepared:
                bullet = styles[block.kind].bullet if block.kind is BlockKind.BULLET else None
                paragraph = StoryParagraph(markup, pstyle, bulletText=bullet, meta=meta)
                if block.kind is BlockKind.HEADING:
                    paragraph.keepWithNext = 1
                made.append(paragraph)
            return made

        return make

    def glyphs(self, item: ItemBase, markup: str, face: str) -> None:
        """Report characters of ``markup`` that neither ``face`` nor a fallback family has."""
        # private-use characters are the preparer's own markers (a form's fields)
        missing = "".join(ch for ch in with_fallback(markup, face)[1] if not PRIVATE <= ch <= END)
        if missing and ("glyphs", str(id(item)), missing) not in self._checked:
            self._checked.add(("glyphs", str(id(item)), missing))
            listing = ", ".join(f"'{ch}' (U+{ord(ch):04X})" for ch in dict.fromkeys(missing))
            key = getattr(item, "copy_key", None)
            source = self.content.copy_spans.get(key) if key else None
            where = f" (copy '{key}'" + (f" in {source}" if source else "") + ")" if key else ""
            self.report(
                f"story text{where} has characters no font here can print: {listing}",
                item.field_span("copy"),
                "add a font family that has them to assets/fonts.yaml (`fallbacks:`),"
                " or take them out of the copy",
            )

    def kinds(
        self,
        item: ItemBase,
        style: str,
        heading: str | None,
        bullet: str | None,
        behind: list[tuple[str, Colour]] | None = None,
    ) -> dict[BlockKind, ResolvedStyle] | None:
        found: dict[BlockKind, ResolvedStyle] = {}
        body = style in self.resolved.document.body_styles
        for kind, name, field_name in (
            (BlockKind.PARAGRAPH, style, "style"),
            (BlockKind.HEADING, heading or style, "heading_style" if heading else "style"),
            (BlockKind.BULLET, bullet or style, "bullet_style" if bullet else "style"),
        ):
            listed = kind is BlockKind.BULLET and body  # the bullets of body text are body text
            resolved = self.style(name, item, field_name, behind, body=listed)
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
            fill=fill,
            stroke=stroke,
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


PRIVATE, END = "\ue000", "\uf8ff"  # the Private Use Area


def item_id(item: ItemBase) -> str:
    """A story item's name in placed items: its id, else its copy key, else its type."""
    for name in ("id", "copy_key"):
        value = getattr(item, name, None)
        if isinstance(value, str):
            return value
    return str(getattr(item, "type", "story"))
