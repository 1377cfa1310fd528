"""A pack layout into a validated, cross-checked document for one made size.

Validation gives typed models with positions; this module then checks what
a schema cannot: template names (``start``, ``next``, ``break``), that text
never flows into a template without frames, heading levels and link ids.
Every problem is reported with file:line:column and a did-you-mean.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from packgen.errors import Diagnostic, PackgenError, Span, allowed_hint
from packgen.model.common import Located
from packgen.model.pack import (
    BreakItem,
    HeadingItem,
    PackDocument,
    Template,
)
from packgen.resolve.design import Design, apply_overlay, attach_spans, check_size, page_setup
from packgen.resolve.project import PaperSize, Project
from packgen.resolve.styles import ResolvedStyle
from packgen.source.load import SourceDict, SourceList
from packgen.source.validate import validate


@dataclass(frozen=True)
class ResolvedPack:
    """One size of a pack: validated model, paper, scale and flat styles."""

    design: Design
    document: PackDocument
    size: str
    paper: PaperSize
    base: PaperSize
    scale: float
    styles: dict[str, ResolvedStyle]

    @property
    def file(self) -> str:
        return self.design.file


def _locate(model: Located, raw: Any) -> None:
    """Positions of a model and of its fields, nested ones as dotted paths."""
    if not isinstance(raw, SourceDict):
        return
    model._span = raw.span
    spans: dict[str, Span] = {}

    def collect(node: SourceDict, prefix: str) -> None:
        for key, span in node.value_spans.items():
            spans[prefix + key] = span
            if isinstance(node[key], SourceDict):
                collect(node[key], f"{prefix}{key}.")

    collect(raw, "")
    model._field_spans = spans


def _attach(document: PackDocument, data: SourceDict) -> None:
    """Positions for templates, their frames and elements, and story items."""
    templates = data.get("templates")
    if isinstance(templates, SourceDict):
        for name, template in document.templates.items():
            raw = templates.get(name)
            _locate(template, raw)
            if not isinstance(raw, SourceDict):
                continue
            attach_spans(template.elements, raw.get("elements"))
            frames = raw.get("frames")
            if isinstance(frames, SourceList):
                for frame, raw_frame in zip(template.frames, frames, strict=False):
                    _locate(frame, raw_frame)
    story = data.get("story")
    if isinstance(story, SourceList):
        for item, raw_item in zip(document.story, story, strict=False):
            _locate(item, raw_item)
            elements = getattr(item, "elements", None)
            if elements and isinstance(raw_item, SourceDict):
                attach_spans(elements, raw_item.get("elements"))


def anchor(item: HeadingItem) -> str:
    """The link target of a heading: its ``id``, else its copy key with dashes."""
    return item.id or re.sub(r"[^A-Za-z0-9_-]+", "-", item.copy_key)


def _check_templates(document: PackDocument, data: SourceDict, file: str) -> list[Diagnostic]:
    names = list(document.templates)
    problems: list[Diagnostic] = []

    def unknown(name: str, span: Span | None, field: str) -> None:
        problems.append(
            Diagnostic(
                f"unknown template '{name}'",
                span or Span(file),
                allowed_hint(name, names, "templates"),
                field=field,
            )
        )

    if document.start not in document.templates:
        unknown(document.start, data.value_spans.get("start"), "start")
    for name, template in document.templates.items():
        if template.next is None:
            continue
        target = document.templates.get(template.next)
        if target is None:
            unknown(template.next, template.field_span("next"), f"templates.{name}.next")
        elif not target.frames:
            problems.append(
                Diagnostic(
                    f"text running on from '{name}' would go to '{template.next}', "
                    "which has no frames",
                    template.field_span("next"),
                    "name a template with frames",
                    field=f"templates.{name}.next",
                )
            )
    return problems


def _check_story(document: PackDocument, file: str) -> list[Diagnostic]:
    """Breaks name real templates; nothing flows into a frameless one; headings nest."""
    problems: list[Diagnostic] = []
    templates = document.templates
    current: Template | None = templates.get(document.start)
    current_name = document.start
    level = -1
    anchors: dict[str, HeadingItem] = {}
    for index, item in enumerate(document.story):
        where = item.span or Span(file)
        if isinstance(item, BreakItem):
            if item.template is not None:
                if item.template not in templates:
                    problems.append(
                        Diagnostic(
                            f"unknown template '{item.template}'",
                            item.field_span("template"),
                            allowed_hint(item.template, list(templates), "templates"),
                            field=f"story.{index}.template",
                        )
                    )
                    current = None
                    continue
                current_name, current = item.template, templates[item.template]
            continue
        if current is not None and not current.frames:
            problems.append(
                Diagnostic(
                    f"story item {index} ({item.type}) would flow into template "
                    f"'{current_name}', which has no frames",
                    where,
                    "start a new page first: {type: break, template: NAME}",
                    field=f"story.{index}",
                )
            )
            current = None  # one message is enough
        if isinstance(item, HeadingItem):
            if item.level > level + 1:
                problems.append(
                    Diagnostic(
                        f"heading level {item.level} follows level {max(level, 0)}; "
                        "bookmarks nest one level at a time",
                        item.field_span("level"),
                        f"use level {level + 1} or less",
                        field=f"story.{index}.level",
                    )
                )
            level = item.level
            key = anchor(item)
            if key in anchors:
                problems.append(
                    Diagnostic(
                        f"two headings link to '{key}'",
                        item.field_span("id"),
                        "give one of them its own id",
                        field=f"story.{index}.id",
                    )
                )
            anchors[key] = item
    return problems


def resolve_pack(project: Project, design: Design, size: str) -> ResolvedPack:
    """Validate one size of a pack design and check its cross-references (cached per
    design and size, as ``resolve`` caches a fixed layout's: the co-brand check and
    every profile of a build lay out the same resolved pack)."""
    key = ("resolved-pack", id(design), size, project.language_code)
    cached = project.cache.get(key)
    if isinstance(cached, ResolvedPack) and cached.design is design:
        return cached
    resolved = _resolve_pack(project, design, size)
    project.cache[key] = resolved
    return resolved


def _resolve_pack(project: Project, design: Design, size: str) -> ResolvedPack:
    check_size(design, size)
    data = apply_overlay(design, size, project.language_code)
    document = validate(PackDocument, data, design.file)
    _attach(document, data)
    problems = _check_templates(document, data, design.file)
    problems.extend(_check_story(document, design.file))
    try:
        paper, base, scale, styles = page_setup(project, design, data, document, size)
    except PackgenError as exc:
        problems.extend(exc.diagnostics)
        raise PackgenError(problems) from None
    if problems:
        raise PackgenError(problems)
    return ResolvedPack(design, document, size, paper, base, scale, styles)
