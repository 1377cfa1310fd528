"""Card-like story items: cards, facts with their sources, social posts.

Each becomes boxed :class:`~packgen.layout.flow.flowables.Card` flowables; posts are
counted as their platform counts them and refused over their limit.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from reportlab.platypus import Spacer

from packgen.layout.flow import social
from packgen.layout.flow.flowables import Card, CardRow, Look
from packgen.layout.flow.preparer import Preparer
from packgen.model.pack import CardsItem, FactsItem, PostsItem
from packgen.resolve.markup import Block, BlockKind, MissingValue
from packgen.xmltext import escape


def cards(prep: Preparer, item: CardsItem) -> None:
    look, behind = prep.look(item.card, item)
    styles = prep.kinds(item, item.style, item.heading_style, item.bullet_style, behind)
    if styles is None:
        return
    makers = []
    for key in item.items:
        blocks = prep.blocks(key, item, "items")
        if blocks is not None:
            makers.append(prep.paragraphs(item, blocks, styles))
    gap = float(item.card.gap or 0) * prep.resolved.scale

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
        return prep.keep(item, made)

    prep.add(make)


def facts(prep: Preparer, item: FactsItem) -> None:
    look, behind = prep.look(item.card, item)
    figure = prep.style(item.figure_style, item, "figure_style", behind)
    text = prep.style(item.style, item, "style", behind)
    source = prep.style(item.source_style, item, "source_style", behind)
    if figure is None or text is None or source is None:
        return
    parts = []
    for prefix in item.items:
        found = []
        for part in ("figure", "text", "source"):
            key = f"{prefix}.{part}"
            blocks = prep.blocks(key, item, "items")
            if blocks is None:
                break
            found.append(blocks)
        else:
            parts.append(found)
    s = prep.resolved.scale
    aside = float(item.figure_width) * s
    gap = float(item.card.gap or 0) * s
    kinds = {
        name: {kind: style for kind in BlockKind}
        for name, style in (("figure", figure), ("text", text), ("source", source))
    }
    makers = [
        (
            prep.paragraphs(item, fig, kinds["figure"]),
            prep.paragraphs(item, body, kinds["text"]),
            prep.paragraphs(item, src, kinds["source"]),
        )
        for fig, body, src in parts
    ]

    def make(numbers: Mapping[str, int]) -> list[Any]:
        made: list[Any] = []
        for index, (fig, body, src) in enumerate(makers):
            if index:
                made.append(Spacer(1, gap))
            made.append(Card(body() + src(), look, fig(), aside, gap))
        return prep.keep(item, made)

    prep.add(make)


def posts(prep: Preparer, item: PostsItem) -> None:
    look, behind = prep.look(item.card, item)
    label = prep.style(item.label_style, item, "label_style", behind)
    text = prep.style(item.style, item, "style", behind)
    if label is None or text is None:
        return
    makers = []
    for key in item.items:
        if not prep.content.has(key):
            prep.blocks(key, item, "items")
            continue
        try:
            plain = social.post_text(prep.content.copy[key], prep.content.data)
        except MissingValue as exc:
            prep.report(
                f"copy '{key}' uses {{{exc.name}}}, which has no value here",
                prep.content.copy_spans.get(key),
            )
            continue
        length = social.count(plain, item.counting)
        if length > item.limit:
            prep.report(
                f"post '{key}' is {length} characters; the limit here is {item.limit}",
                prep.content.copy_spans.get(key),
                f"shorten it by {length - item.limit} characters",
            )
            continue
        extra = {"post.count": str(length), "post.limit": str(item.limit)}
        head = prep.blocks_with(item.label, extra, item, "label")
        body = [
            Block(BlockKind.PARAGRAPH, escape(part).replace("\n", "<br/>"))
            for part in plain.split("\n\n")
        ]
        if head is None:
            return
        makers.append(
            (
                prep.paragraphs(item, head, {kind: label for kind in BlockKind}),
                prep.paragraphs(item, body, {kind: text for kind in BlockKind}),
            )
        )
    gap = float(item.card.gap or 0) * prep.resolved.scale

    def make(numbers: Mapping[str, int]) -> list[Any]:
        made: list[Any] = []
        for index, (head, body) in enumerate(makers):
            if index:
                made.append(Spacer(1, gap))
            made.append(Card(head() + body(), look))
        return prep.keep(item, made)

    prep.add(make)
