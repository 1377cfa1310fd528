"""Layout files into validated documents, one per made size.

``extends:`` chains are merged (a base file holds shared styles and rules),
then the chosen size's overlay is applied, then the result is validated, and
finally styles are flattened. Every step keeps file/line/column for messages.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from packgen.errors import Diagnostic, PackgenError, Span, allowed_hint
from packgen.model.common import ElementBase
from packgen.model.fixed import DocumentBase, LayoutDocument
from packgen.resolve.project import PaperSize, Project
from packgen.resolve.styles import ResolvedStyle, resolve_styles
from packgen.source.load import SourceDict, SourceList, load_yaml, merge, span_at
from packgen.source.validate import validate

MAX_EXTENDS = 8


@dataclass(frozen=True)
class Design:
    """A layout file merged with what it extends, before a size is chosen."""

    name: str
    file: str
    raw: SourceDict

    @property
    def sizes(self) -> list[str]:
        sizes = self.raw.get("sizes")
        return list(sizes) if isinstance(sizes, dict) else []

    @property
    def kind(self) -> str:
        return str(self.raw.get("kind", ""))


@dataclass(frozen=True)
class Resolved:
    """One size of a design: validated model, paper, scale and flat styles."""

    design: Design
    document: LayoutDocument
    size: str
    paper: PaperSize
    base: PaperSize
    scale: float
    styles: dict[str, ResolvedStyle]
    data: Any = None  # the loaded layout (with the size's overlay): positions for messages


def load_design(project: Project, name: str) -> Design:
    """The layout ``name`` merged with what it extends (cached until a layout changes)."""
    stamp = project.layouts_stamp()
    if project.cache.get(("stamp",)) != stamp:
        project.cache.clear()  # a layout changed: forget every design and size
        project.cache[("stamp",)] = stamp
    key = ("design", name)
    cached = project.cache.get(key)
    if isinstance(cached, Design):
        return cached
    design = _load_design(project, name)
    project.cache[key] = design
    return design


def _load_design(project: Project, name: str) -> Design:
    path = project.layout_path(name)
    shown = project.shown(path)
    data = load_yaml(path, shown)
    chain = [shown]
    while isinstance(data, SourceDict) and data.get("extends"):
        parent_name = str(data["extends"])
        try:
            parent_path = (path.parent / parent_name).resolve()
        except (OSError, RuntimeError):
            raise PackgenError(
                Diagnostic(
                    f"extends '{parent_name}' is a symbolic link that loops",
                    data.value_spans.get("extends"),
                )
            ) from None
        span = data.value_spans.get("extends")
        if not parent_path.is_relative_to(project.layouts_dir.resolve()):
            raise PackgenError(Diagnostic(f"extends '{parent_name}' leaves layouts/", span))
        if not parent_path.is_file():
            known = sorted(p.name for p in project.layouts_dir.glob("_*.yaml"))
            raise PackgenError(
                Diagnostic(
                    f"extends '{parent_name}': no such layout file",
                    span,
                    allowed_hint(parent_name, known, "base files"),
                    field="extends",
                )
            )
        parent_shown = project.shown(parent_path)
        if parent_shown in chain or len(chain) > MAX_EXTENDS:
            raise PackgenError(Diagnostic("extends loops back on itself", span, field="extends"))
        chain.append(parent_shown)
        parent = load_yaml(parent_path, parent_shown)
        own = _copy_dict(data)
        del own["extends"]
        data = merge(parent, own)
        path = parent_path
    if not isinstance(data, SourceDict):
        raise PackgenError(Diagnostic("a layout file is a mapping of fields", Span(shown, 1, 1)))
    _check_sizes(data, shown)
    return Design(name, shown, data)


SIZES_HINT = "list each paper size with its adjustments, e.g. 'sizes: {A4: {}, A3: {}}'"


def _check_sizes(data: SourceDict, shown: str) -> None:
    """A layout that would make nothing is an error, never a silent skip."""
    if not data:
        raise PackgenError(
            Diagnostic(
                "the layout file is empty, so nothing would be made",
                Span(shown, 1, 1),
                "a layout needs at least kind:, sizes: and pages:",
            )
        )
    sizes = data.get("sizes")
    span = data.value_spans.get("sizes") or data.span or Span(shown, 1, 1)
    if sizes is None:
        raise PackgenError(
            Diagnostic("is missing, so nothing would be made", span, SIZES_HINT, field="sizes")
        )
    if not isinstance(sizes, SourceDict):
        found = "a list" if isinstance(sizes, list) else f"'{sizes}'"
        raise PackgenError(
            Diagnostic(
                f"must be a mapping of paper sizes, found {found}",
                span,
                SIZES_HINT,
                field="sizes",
            )
        )
    if not sizes:
        raise PackgenError(
            Diagnostic("is empty, so nothing would be made", span, SIZES_HINT, field="sizes")
        )


def _copy_dict(source: SourceDict) -> SourceDict:
    result = SourceDict(source)
    result.span, result.key_spans = source.span, dict(source.key_spans)
    result.value_spans = dict(source.value_spans)
    return result


def _copy_list(source: SourceList) -> SourceList:
    result = SourceList(source)
    result.span, result.value_spans = source.span, list(source.value_spans)
    return result


def _patch(items: Any, element_id: str, patch: Any) -> tuple[Any, bool]:
    """``items`` with the element ``element_id`` (at any depth) merged with ``patch``."""
    if not isinstance(items, SourceList):
        return items, False
    result = _copy_list(items)
    for index, item in enumerate(items):
        if not isinstance(item, SourceDict):
            continue
        if item.get("id") == element_id:
            result[index] = merge(item, patch)
            return result, True
        inner, found = _patch(item.get("elements"), element_id, patch)
        if found:
            group = _copy_dict(item)
            group["elements"] = inner
            result[index] = group
            return result, True
    return items, False


def _all_ids(items: Any) -> list[str]:
    ids: list[str] = []
    if isinstance(items, list):
        for item in items:
            if isinstance(item, dict):
                ids.append(str(item.get("id")))
                ids.extend(_all_ids(item.get("elements")))
    return ids


def apply_overlay(design: Design, size: str, language: str | None = None) -> SourceDict:
    """The design's data with the overlay of ``size`` (then of ``language``) merged in."""
    data, diagnostics = _overlay(design, size, language)
    if diagnostics:
        raise PackgenError(diagnostics)
    return data


def _overlay(
    design: Design, size: str, language: str | None = None
) -> tuple[SourceDict, list[Diagnostic]]:
    """The data with the size's overlay, then the language's, merged; and what they got wrong."""
    data = design.raw
    diagnostics: list[Diagnostic] = []
    sizes = data.get("sizes")
    overlay = sizes.get(size) if isinstance(sizes, dict) else None
    if isinstance(overlay, SourceDict):
        data = _apply(data, overlay, f"size {size}", f"sizes.{size}", diagnostics)
    languages = design.raw.get("languages")
    overlay = languages.get(language) if isinstance(languages, dict) and language else None
    if isinstance(overlay, SourceDict):
        label = f"language {language}"
        data = _apply(data, overlay, label, f"languages.{language}", diagnostics)
    return data, diagnostics


def _apply(
    data: SourceDict, overlay: SourceDict, label: str, where: str, diagnostics: list[Diagnostic]
) -> SourceDict:
    """``data`` with one overlay's styles and element patches merged in."""
    result = _copy_dict(data)
    if isinstance(overlay.get("styles"), SourceDict) and isinstance(data.get("styles"), SourceDict):
        result["styles"] = merge(data["styles"], overlay["styles"])
    patches = overlay.get("elements")
    pages = data.get("pages")
    # a pack's elements are in its templates and story panels; only a language
    # may move them (a pack's size overlay has styles only: its model says so)
    if isinstance(patches, SourceDict) and "pages" not in data and where.startswith("languages"):
        for element_id, patch in patches.items():
            result, problem = _patch_flow(result, str(element_id), patch)
            if problem:
                span = patches.key_spans.get(element_id)
                diagnostics.append(
                    Diagnostic(f"{label} {problem[0]}", span, problem[1], field=f"{where}.elements")
                )
    if isinstance(patches, SourceDict) and isinstance(pages, SourceList):
        pages = _copy_list(pages)
        for element_id, patch in patches.items():
            for index, page in enumerate(pages):
                if not isinstance(page, SourceDict):
                    continue
                elements, found = _patch(page.get("elements"), element_id, patch)
                if found:
                    page = _copy_dict(page)
                    page["elements"] = elements
                    pages[index] = page
                    break
            else:
                ids = [i for p in pages if isinstance(p, dict) for i in _all_ids(p.get("elements"))]
                diagnostics.append(
                    Diagnostic(
                        f"{label} adjusts element '{element_id}', which does not exist",
                        patches.key_spans.get(element_id),
                        allowed_hint(element_id, ids, "element ids"),
                        field=f"{where}.elements",
                    )
                )
        result["pages"] = pages
    return result


def _flow_places(data: SourceDict) -> list[tuple[str, str, Any]]:
    """A pack's element lists: (where, its name, the list) for each template and story panel."""
    places: list[tuple[str, str, Any]] = []
    templates = data.get("templates")
    if isinstance(templates, dict):
        for name, template in templates.items():
            if isinstance(template, dict):
                places.append((f"template '{name}'", str(name), template.get("elements")))
    story = data.get("story")
    if isinstance(story, list):
        for item in story:
            if isinstance(item, dict) and isinstance(item.get("elements"), list):
                name = str(item.get("id"))
                places.append((f"story panel '{name}'", name, item.get("elements")))
    return places


def _patch_flow(
    data: SourceDict, element_id: str, patch: Any
) -> tuple[SourceDict, tuple[str, str] | None]:
    """A pack's data with one element of a template or story panel patched; or the problem.

    An id used in one place only is written as it is (``kicker``); one that
    repeats is qualified by its template or panel (``cover.title``,
    ``banner-preview.title``).
    """
    place_name, _, bare = element_id.rpartition(".")
    places = _flow_places(data)
    found = [
        (where, name)
        for where, name, elements in places
        if (not place_name or name == place_name) and bare in _all_ids(elements)
    ]
    if not found:
        ids = sorted({i for _, _, elements in places for i in _all_ids(elements)})
        return data, (
            f"adjusts element '{element_id}', which does not exist",
            allowed_hint(bare, ids, "element ids") or "",
        )
    if len(found) > 1:
        return data, (
            f"adjusts element '{element_id}', which is in {len(found)} places"
            f" ({', '.join(where for where, _ in found)})",
            f"name one as '{found[0][1]}.{bare}'",
        )
    target = found[0][0]
    result = _copy_dict(data)
    if target.startswith("template"):
        templates = _copy_dict(data["templates"])
        template = _copy_dict(templates[found[0][1]])
        template["elements"], _ = _patch(template.get("elements"), bare, patch)
        templates[found[0][1]] = template
        result["templates"] = templates
    else:
        story = _copy_list(data["story"])
        for index, item in enumerate(story):
            if isinstance(item, SourceDict) and str(item.get("id")) == found[0][1]:
                panel = _copy_dict(item)
                panel["elements"], _ = _patch(item.get("elements"), bare, patch)
                story[index] = panel
                break
        result["story"] = story
    return result, None


def attach_spans(elements: list[Any], raw: Any) -> None:
    """Give validated elements (and their children) the positions they were written at."""
    if not isinstance(raw, SourceList):
        return
    for element, source in zip(elements, raw, strict=False):
        if isinstance(element, ElementBase) and isinstance(source, SourceDict):
            element._span = source.span
            element._field_spans = dict(source.value_spans)
            inner = getattr(element, "elements", None)
            if inner:
                attach_spans(inner, source.get("elements"))


def check_size(design: Design, size: str) -> None:
    """Refuse a size the design is not made in."""
    if size not in design.sizes:
        raise PackgenError(
            Diagnostic(
                f"{design.name} is not made in size '{size}'",
                Span(design.file),
                allowed_hint(size, design.sizes, "sizes"),
            )
        )


def resolve(project: Project, design: Design, size: str) -> Resolved:
    """Validate one size of ``design`` and resolve its styles (cached per design and size)."""
    key = ("resolved", id(design), size, project.language_code)
    cached = project.cache.get(key)
    if isinstance(cached, Resolved) and cached.design is design:
        return cached
    resolved = _resolve(project, design, size, project.language_code)
    project.cache[key] = resolved
    return resolved


def _resolve(project: Project, design: Design, size: str, language: str) -> Resolved:
    """Validate one size of ``design`` and resolve its styles; all errors at once."""
    check_size(design, size)
    data, overlay_problems = _overlay(design, size, language)
    for other in design.sizes:  # every size's overlay, so one run reports them all
        if other != size:
            overlay_problems.extend(_overlay(design, other)[1])
    try:
        document = validate(LayoutDocument, data, design.file)
    except PackgenError as exc:  # the overlay's mistakes and the file's, in one report
        raise PackgenError([*overlay_problems, *exc.diagnostics]) from None
    for page, raw_page in zip(document.pages, data["pages"], strict=False):
        attach_spans(page.elements, raw_page.get("elements"))
    setup = page_setup(project, design, data, document, size, overlay_problems)
    return Resolved(design, document, size, *setup, data)


def page_setup(
    project: Project,
    design: Design,
    data: SourceDict,
    document: DocumentBase,
    size: str,
    known: list[Diagnostic] | None = None,
) -> tuple[PaperSize, PaperSize, float, dict[str, ResolvedStyle]]:
    """Made paper, base paper, scale and flat styles of any kind of layout document.

    ``known`` problems (an overlay's) are reported together with these.
    """
    diagnostics: list[Diagnostic] = list(known or [])
    papers = project.paper_sizes
    spans = data["page"].value_spans if isinstance(data["page"], SourceDict) else {}
    base_name = document.page.size
    base: PaperSize | None = None
    if base_name is not None:
        base = papers.get(base_name)
        if base is None:
            diagnostics.append(
                Diagnostic(
                    f"unknown paper size '{base_name}'",
                    spans.get("size"),
                    allowed_hint(base_name, list(papers), "sizes"),
                    field="page.size",
                )
            )
    else:
        assert document.page.width is not None and document.page.height is not None
        base = PaperSize("custom", document.page.width, document.page.height)
    paper = papers.get(size)
    for name in design.sizes:
        if name not in papers:
            diagnostics.append(
                Diagnostic(
                    f"unknown paper size '{name}'",
                    data["sizes"].key_spans.get(name),
                    allowed_hint(name, list(papers), "sizes"),
                    field="sizes",
                )
            )
    if diagnostics or base is None or paper is None:
        raise PackgenError(diagnostics)
    if document.page.orientation == "landscape":
        base = PaperSize(base.name, base.height, base.width)
        paper = PaperSize(paper.name, paper.height, paper.width)
    scale = float(paper.width) / float(base.width)
    if abs(float(paper.height) / float(base.height) - scale) > 0.01:
        diagnostics.append(
            Diagnostic(
                f"size {size} has another shape than {base.name}; scaling would distort the design",
                data["sizes"].key_spans.get(size),
                "make this size from a layout of its own",
                field="sizes",
            )
        )
    style_spans = data["styles"].value_spans if isinstance(data.get("styles"), SourceDict) else {}
    styles = resolve_styles(
        document.styles,
        project.campaign.palette,
        set(project.fonts),
        style_spans,
        diagnostics,
        data.get("styles"),
    )
    for number, name in enumerate(document.body_styles):
        if name not in document.styles:
            diagnostics.append(
                Diagnostic(
                    f"body style '{name}' is not defined",
                    span_at(data, ("body_styles", number)),
                    allowed_hint(name, list(document.styles), "styles"),
                    field="body_styles",
                )
            )
    if diagnostics:
        raise PackgenError(diagnostics)
    return paper, base, scale, styles
