"""Pagination: the story through Platypus page templates, pass after pass, drawing nothing.

Each pass is a measuring pass: Platypus wraps and splits the flowables into
the frames of each page on a scratch canvas that is never written, and the
frames record where every flowable lands. A pass also records a
:class:`Plan`: the template of every page, the section in force there, and
the page of every heading. The contents and the running headers depend on
that plan, so the next pass is made with the previous pass's plan; when a
pass reproduces the plan it was made with, its landings are the result
(usually the second pass). They become placed items on the pages, under
which the page decorations (placed from the final plan, see ``templates``)
lie; the PDF writer draws them like any other placed page.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, PageTemplate
from reportlab.platypus import Frame as PlatypusFrame
from reportlab.platypus.doctemplate import ActionFlowable, LayoutError
from reportlab.platypus.flowables import Spacer

from packgen.errors import Diagnostic, PackgenError, Severity, Span
from packgen.layout.flow.flowables import Heading, Placement, place
from packgen.layout.flow.preparer import HeadingEntry, Story
from packgen.layout.flow.templates import PageInfo
from packgen.layout.placed import PlacedPage, Rect
from packgen.layout.sheet import Sheet
from packgen.model.pack import Template

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
    """Everything a pass needs besides the story: templates, frames, page size."""

    file: str
    templates: Mapping[str, Template]
    frames: Mapping[str, list[Rect]]
    start: str
    sheet: Sheet
    initial_font: str  # an embedded face for ReportLab's page preamble (not Helvetica)


@dataclass
class _Record:
    templates: list[str] = field(default_factory=list)
    landed: list[list[tuple[Any, float, float]]] = field(default_factory=list)  # per page
    headings: list[tuple[Heading, int]] = field(default_factory=list)
    problems: list[Diagnostic] = field(default_factory=list)
    open_heading: tuple[Heading, int] | None = None


class _Scratch(Canvas):  # type: ignore[misc]
    """The canvas of a measuring pass: Platypus needs one; nothing on it is ever written."""

    def save(self) -> None:
        pass


class _Frame(PlatypusFrame):  # type: ignore[misc]
    """A frame that records where each flowable lands instead of drawing it.

    Platypus deep-copies the current frame to measure kept-together groups, so
    the record is reached through a function (copied by reference), not held.
    """

    def __init__(self, record: _Record, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)

        def note(flowable: Any, x: float, y: float) -> None:
            record.landed[-1].append((flowable, x, y))

        self.note = note

    def add(self, flowable: Any, canv: Any, trySplit: int = 0) -> int:
        note = self.note

        def landed(canvas: Any, x: float, y: float, _sW: float = 0) -> None:
            note(flowable, flowable._hAlignAdjust(x, _sW), y)

        flowable.drawOn = landed  # this frame's only way to draw is to record
        try:
            return int(super().add(flowable, canv, trySplit))
        finally:
            del flowable.drawOn

    _add = add


class _Document(BaseDocTemplate):  # type: ignore[misc]
    """Records templates per page and heading pages; checks headings keep with text."""

    def __init__(self, buffer: io.BytesIO, record: _Record, **kwargs: Any) -> None:
        self.record = record
        super().__init__(buffer, **kwargs)

    def beforePage(self) -> None:
        self.record.templates.append(self.pageTemplate.id)
        self.record.landed.append([])

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


def _templates(setting: Setting, record: _Record) -> list[Any]:
    made = []
    trim = setting.sheet.trim
    for name, template in setting.templates.items():
        rects = setting.frames.get(name) or [Rect(trim.x, trim.top - 1, trim.w, 1)]
        frames = [
            _Frame(
                record,
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
    setting: Setting, story: Story, numbers: Mapping[str, int]
) -> tuple[Plan, list[list[tuple[Any, float, float]]], list[Diagnostic]]:
    """One measuring pass: the plan it ended with, where flowables landed, problems found."""
    record = _Record()
    media = setting.sheet.media
    document = _Document(
        io.BytesIO(),
        record,
        pagesize=(media.w, media.h),
        pageTemplates=_templates(setting, record),
        invariant=1,
        initialFontName=setting.initial_font,
    )
    document._firstPageTemplateIndex = list(setting.templates).index(setting.start)
    try:
        document.build(story.flowables(numbers), canvasmaker=_Scratch)
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
    return Plan(pages, headings), record.landed, problems


def paginate(
    setting: Setting,
    story: Story,
    decorate: Callable[[list[PageInfo]], list[PlacedPage]],
    hint: Plan | None = None,
) -> tuple[Plan, list[PlacedPage]]:
    """Passes until one reproduces the plan it was made with; its pages are final.

    ``hint`` is a plan to start from (the last one made for this document):
    when it still holds, the first pass is final. It never changes the result,
    since a pass is kept only when it reproduces the plan it was made with,
    and what a pass places depends only on the plan it was made with.
    """
    used: Plan | None = hint
    numbers: dict[str, int] = hint.numbers() if hint else {}
    for _ in range(MAX_PASSES):
        plan, landed, problems = run(setting, story, numbers)
        if plan == used:
            if any(p.severity is Severity.ERROR for p in problems):
                raise PackgenError(problems)
            pages = decorate(list(plan.pages))
            for page, flowables in zip(pages, landed, strict=True):
                placed = Placement()
                for flowable, x, y in flowables:
                    placed.add(place(flowable, x, y))
                page.items.extend(placed.items)
                page.links.extend(placed.links)
                page.anchors.extend(placed.anchors)
            return plan, pages
        used, numbers = plan, plan.numbers()
    raise PackgenError(
        Diagnostic(
            f"the page numbers did not settle after {MAX_PASSES} passes",
            Span(setting.file),
            "a contents entry may be changing the pages it counts; report this as a bug",
        )
    )
