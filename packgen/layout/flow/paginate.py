"""Pagination: the story through Platypus page templates, pass after pass.

Each pass builds the whole PDF. It records a :class:`Plan`: the template of
every page, the section in force there, and the page of every heading. The
contents and the running headers depend on that plan, so the next pass is
made with the previous pass's plan; when a pass reproduces the plan it was
made with, its bytes are the result (usually the second pass).

The page decorations of a pass are placed beforehand (see ``pages``); a
pass only paints them under the flowing text.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from reportlab.platypus import BaseDocTemplate, PageTemplate
from reportlab.platypus import Frame as PlatypusFrame
from reportlab.platypus.doctemplate import ActionFlowable, LayoutError
from reportlab.platypus.flowables import Spacer

from packgen.colour import Colour
from packgen.errors import Diagnostic, PackgenError, Severity, Span
from packgen.layout.fixed import Sheet
from packgen.layout.flow.flowables import Heading
from packgen.layout.flow.preparer import HeadingEntry, Story
from packgen.layout.flow.templates import PageInfo
from packgen.layout.placed import DocumentInfo, PlacedPage, Rect
from packgen.model.pack import Template
from packgen.render.pdf import Painter, by_rgb, paint_page
from packgen.render.pdfx import PdfxCanvas
from packgen.resolve.icc import OutputCondition

MAX_PASSES = 6


@dataclass(frozen=True)
class Plan:
    """What one pass decided: every page, and the page of every heading."""

    pages: tuple[PageInfo, ...]
    headings: tuple[tuple[str, int], ...]  # (anchor, page) in story order

    def numbers(self) -> dict[str, int]:
        return dict(self.headings)


@dataclass(frozen=True)
class Setting:
    """Everything a pass needs besides the story: templates, frames, metadata."""

    file: str
    templates: Mapping[str, Template]
    frames: Mapping[str, list[Rect]]
    start: str
    sheet: Sheet
    info: DocumentInfo
    cmyk: bool
    outline_open: bool
    palette: dict[str, Colour]
    initial_font: str  # an embedded face for ReportLab's page preamble (not Helvetica)
    condition: OutputCondition | None = None  # press: the PDF/X output condition


@dataclass
class _Record:
    templates: list[str] = field(default_factory=list)
    headings: list[tuple[Heading, int]] = field(default_factory=list)
    problems: list[Diagnostic] = field(default_factory=list)
    open_heading: tuple[Heading, int] | None = None


class _Document(BaseDocTemplate):  # type: ignore[misc]
    """Records templates per page and heading pages; checks headings keep with text."""

    def __init__(self, buffer: io.BytesIO, record: _Record, **kwargs: Any) -> None:
        self.record = record
        super().__init__(buffer, **kwargs)

    def beforePage(self) -> None:
        self.record.templates.append(self.pageTemplate.id)

    def afterFlowable(self, flowable: Any) -> None:
        record, page = self.record, self.page
        if isinstance(flowable, Heading):
            record.headings.append((flowable, page))
            record.open_heading = (flowable, page)
            return
        if isinstance(flowable, (ActionFlowable, Spacer)) or record.open_heading is None:
            return
        heading, at = record.open_heading
        record.open_heading = None
        if at != page:
            record.problems.append(
                Diagnostic(
                    f"heading '{heading.title}' is alone at the foot of page {at}",
                    getattr(heading, "source", None),
                    "keep_with_next on the item after it, or shorten what comes before",
                )
            )


def _templates(setting: Setting, paint: Callable[[Any, int], None]) -> list[Any]:
    made = []
    trim = setting.sheet.trim
    for name, template in setting.templates.items():
        rects = setting.frames.get(name) or [Rect(trim.x, trim.top - 1, trim.w, 1)]
        frames = [
            PlatypusFrame(
                r.x,
                r.y,
                r.w,
                r.h,
                leftPadding=0,
                rightPadding=0,
                topPadding=0,
                bottomPadding=0,
                id=f"{name}.{index}",
            )
            for index, r in enumerate(rects)
        ]
        made.append(
            PageTemplate(
                id=name,
                frames=frames,
                onPage=lambda canvas, doc: paint(canvas, doc.page),
                autoNextPageTemplate=template.next or name,
            )
        )
    return made


def _sections(
    pages: Sequence[str], headings: Sequence[HeadingEntry], placed: Mapping[str, int]
) -> list[str]:
    """The section shown on each page: the first one starting there, else the one running."""
    starts: dict[int, str] = {}
    for entry in headings:
        page = placed.get(entry.anchor)
        if entry.level == 0 and page is not None:
            starts.setdefault(page, entry.title)
    sections, running = [], ""
    for number in range(1, len(pages) + 1):
        first = starts.get(number)
        sections.append(first or running)
        for entry in headings:  # the last section begun on this page runs on
            if entry.level == 0 and placed.get(entry.anchor) == number:
                running = entry.title
    return sections


def run(
    setting: Setting,
    story: Story,
    numbers: Mapping[str, int],
    decorations: Sequence[PlacedPage] | None,
) -> tuple[Plan, bytes, list[Diagnostic]]:
    """One pass: the PDF bytes, the plan it ended with, and layout problems found."""
    record = _Record()
    palette = by_rgb(setting.palette)

    def paint(canvas: Any, page: int) -> None:
        if page == 1 and setting.outline_open:
            canvas.showOutline()
        if decorations is not None and page <= len(decorations):
            paint_page(
                Painter(canvas, setting.cmyk, palette, setting.condition), decorations[page - 1]
            )

    buffer = io.BytesIO()
    media = setting.sheet.media
    info = setting.info
    document = _Document(
        buffer,
        record,
        pagesize=(media.w, media.h),
        pageTemplates=_templates(setting, paint),
        title=info.title,
        author=info.author,
        subject=info.subject,
        keywords=info.keywords,
        creator="packgen",
        lang=info.language,
        invariant=1,
        pageCompression=1,
        displayDocTitle=1,
        enforceColorSpace="sep_cmyk" if setting.cmyk else None,  # CMYK and the /All marks
        initialFontName=setting.initial_font,
    )
    document._firstPageTemplateIndex = list(setting.templates).index(setting.start)
    try:
        if setting.cmyk:
            if setting.condition is None:
                raise ValueError("press (CMYK) output needs an output condition")
            maker = partial(PdfxCanvas, condition=setting.condition)
            document.build(story.flowables(numbers), canvasmaker=maker)
        else:
            document.build(story.flowables(numbers))
    except LayoutError as exc:
        first = str(exc).splitlines()[0]
        raise PackgenError(
            Diagnostic(
                f"the story cannot be laid out: {first}",
                Span(setting.file),
                "something is taller than a whole frame: split it or enlarge the frame",
            )
        ) from None
    placed = {heading.anchor: page for heading, page in record.headings}
    sections = _sections(record.templates, story.headings, placed)
    pages = tuple(
        PageInfo(number, name, sections[number - 1])
        for number, name in enumerate(record.templates, start=1)
    )
    problems = list(record.problems)
    for number in range(2, len(pages) + 1):
        name = pages[number - 1].template
        template = setting.templates[name]
        if number > 2 and pages[number - 3].template == name:
            continue  # one message for each run of pages
        if template.once and pages[number - 2].template == name:
            problems.append(
                Diagnostic(
                    f"the story runs past template '{name}' (a single page) onto page {number}",
                    template.field_span("once"),
                    "shorten what flows into it, or enlarge its frames",
                )
            )
    headings = tuple((heading.anchor, page) for heading, page in record.headings)
    return Plan(pages, headings), buffer.getvalue(), problems


def paginate(
    setting: Setting,
    story: Story,
    decorate: Callable[[list[PageInfo]], list[PlacedPage]],
    hint: Plan | None = None,
) -> tuple[Plan, bytes, list[PlacedPage]]:
    """Passes until one reproduces the plan it was made with; its bytes are final.

    ``hint`` is a plan to start from (the last one made for this document):
    when it still holds, the first pass is final. It never changes the result,
    since a pass is kept only when it reproduces the plan it was made with.
    """
    used: Plan | None = hint
    numbers: dict[str, int] = hint.numbers() if hint else {}
    decorations: list[PlacedPage] | None = decorate(list(hint.pages)) if hint else None
    for _ in range(MAX_PASSES):
        plan, pdf, problems = run(setting, story, numbers, decorations)
        if plan == used and decorations is not None:
            if any(p.severity is Severity.ERROR for p in problems):
                raise PackgenError(problems)
            return plan, pdf, decorations
        used, numbers = plan, plan.numbers()
        decorations = decorate(list(plan.pages))
    raise PackgenError(
        Diagnostic(
            f"the page numbers did not settle after {MAX_PASSES} passes",
            Span(setting.file),
            "a contents entry may be changing the pages it counts; report this as a bug",
        )
    )
