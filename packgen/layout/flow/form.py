"""The ``form`` story item: copy with fill-in fields where it says ``{field.NAME}``.

Fields are filled into the copy as private-use markers before the copy is
parsed, so markup around them (bold labels, line breaks) works as usual;
:func:`split_field` then cuts a parsed paragraph at its marker, and that
paragraph becomes a :class:`~packgen.layout.flow.flowables.FieldLine`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from packgen.errors import allowed_hint
from packgen.layout.flow.flowables import BIG, FieldLine, FieldSpec, StoryParagraph
from packgen.layout.flow.preparer import Preparer
from packgen.layout.placed import PARAGRAPH
from packgen.model.pack import FormItem
from packgen.resolve.markup import Block, BlockKind
from packgen.units import MM

PREFIX = "field."
_MARK = re.compile("\ue010([A-Za-z0-9_-]+)\ue011")
_NAMES = re.compile(r"\{field\.([A-Za-z0-9_-]+)\}")


def marker(name: str) -> str:
    return f"\ue010{name}\ue011"


def values(names: Iterable[str]) -> dict[str, str]:
    """Placeholder values that stand for the fields while copy is parsed."""
    return {f"{PREFIX}{name}": marker(name) for name in names}


def used_fields(copy: str) -> list[str]:
    """Field names the copy uses, in order."""
    return _NAMES.findall(copy)


def split_field(markup: str) -> tuple[str, list[str], str]:
    """``(before, [names…], after)`` of a paragraph's markup; no names: no field."""
    names = _MARK.findall(markup)
    if not names:
        return markup, [], ""
    first = _MARK.search(markup)
    assert first is not None
    before, after = markup[: first.start()], markup[first.end() :]
    return before.rstrip(), names, _MARK.sub("", after).lstrip()


def form_item(prep: Preparer, item: FormItem) -> None:
    styles = prep.kinds(item, item.style, item.heading_style, item.bullet_style)
    line = prep.colour(item.line, item, "line")
    if styles is None or line is None or not prep.content.has(item.copy_key):
        prep.blocks(item.copy_key, item)
        return
    raw = prep.content.copy[item.copy_key]
    span = prep.content.copy_spans.get(item.copy_key)
    used = used_fields(raw)
    undefined = [name for name in used if name not in item.fields]
    for name in undefined:
        prep.report(
            f"copy '{item.copy_key}' uses field '{name}', which the form does not define",
            span,
            allowed_hint(name, list(item.fields), "fields"),
        )
    for name in item.fields:
        if name not in used:
            prep.report(
                f"field '{name}' is defined but copy '{item.copy_key}' never uses it",
                item.field_span(f"fields.{name}"),
                f"write {{field.{name}}} where it goes in the copy",
            )
        elif used.count(name) > 1:
            prep.report(f"field '{name}' is used more than once", span)
    tooltips: dict[str, str] = {}
    for name, spec in item.fields.items():
        if not prep.content.has(spec.label):
            prep.report(
                f"unknown copy key '{spec.label}' (language {prep.content.language})",
                item.field_span(f"fields.{name}.label"),
                allowed_hint(spec.label, prep.content.keys(), "keys"),
            )
        tooltips[name] = prep.content.plain(spec.label)
    if undefined:
        return
    blocks = prep.blocks_with(item.copy_key, values(item.fields), item, "copy")
    if blocks is None:
        return
    style = styles[BlockKind.PARAGRAPH]
    pstyle = prep.pstyle(style)
    meta = prep.meta(item, style, PARAGRAPH, style.name in prep.resolved.document.body_styles)
    scale = prep.resolved.scale
    width = float(item.line_width) * scale if item.line_width is not None else 1.0 * scale
    minimum = float(item.min_field) * scale

    def field_line(before: str, name: str, after: str, tooltip: str, interactive: bool) -> Any:
        words = [StoryParagraph(m, pstyle, meta=meta) if m else None for m in (before, after)]
        spec = FieldSpec(name, tooltip, item.fields[name].max_length)
        return FieldLine(words[0], words[1], pstyle, meta, spec, line, width, interactive)

    texts: list[Block] = []
    lines: dict[int, tuple[str, str, str]] = {}  # block index: (before, field, after)
    for block in blocks:
        before, names, after = split_field(block.markup)
        if len(names) > 1:
            prep.report(
                f"a paragraph of '{item.copy_key}' has {len(names)} fields; one at most",
                span,
                "put each field on its own line (a blank line between)",
            )
            continue
        if names and names[0] in item.fields:
            probe = field_line(before, names[0], after, "", False)
            probe.wrap(prep.measure, BIG)
            if probe.field_width + 0.01 < minimum:
                prep.report(
                    f"the fill-in line for '{names[0]}' is {probe.field_width / MM:.0f} mm; "
                    f"at least {minimum / MM:.0f} mm is needed",
                    span,
                    "shorten the words on its line",
                )
            lines[len(texts)] = (before, names[0], after)
        texts.append(block)
    text = prep.paragraphs(item, texts, styles)
    interactive = prep.office

    def make(numbers: Mapping[str, int]) -> list[Any]:
        made = text()
        for index, (before, name, after) in lines.items():
            made[index] = field_line(before, name, after, tooltips[name], interactive)
        return prep.keep(item, made)

    prep.add(make)
