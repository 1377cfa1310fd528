"""Flowing multi-page documents (``kind: pack``): the flowing-story mode of the layout stage.

Stages, as for fixed pages: ``resolve`` (validate and cross-check the pack
layout) → ``templates`` (page geometry, frames and per-page decorations) and
``story`` (story items into checked flowable factories) → ``paginate``
(measuring passes until page numbers settle). The result is a
:class:`PlacedDocument` like any other, which the PDF writer draws.
"""

from __future__ import annotations

from packgen.errors import Diagnostic, PackgenError, Severity, Span, error
from packgen.layout.context import document_info
from packgen.layout.flow import paginate, templates
from packgen.layout.flow.story import prepare
from packgen.layout.measure import measure_problem
from packgen.layout.placed import PlacedDocument, PlacedPage
from packgen.layout.shaping import needs_shaping
from packgen.model.common import Direction
from packgen.model.profiles import Profile
from packgen.resolve.design import Design
from packgen.resolve.fonts import face_name
from packgen.resolve.org import Organisation
from packgen.resolve.pack import resolve_pack
from packgen.resolve.project import Project


def _errors(diagnostics: list[Diagnostic]) -> None:
    if any(d.severity is Severity.ERROR for d in diagnostics):
        raise PackgenError(diagnostics)


def lay_out_pack(
    project: Project,
    design: Design,
    size: str,
    profile: Profile,
    org: Organisation | None = None,
) -> PlacedDocument:
    """Resolve and paginate one size of a pack in one profile into placed pages."""
    content = project.content(org, product=design.name, profile=profile.suffix)
    if content.direction is Direction.RTL:
        # flowing stories (running heads, contents, tables) are set left to right only
        raise error(
            f"the pack '{design.name}' cannot be set right to left: copy in "
            f"'{project.language_code}' runs right to left, and packs flow left to right only",
            Span(design.file),
            "build the posters and leaflets in this language, or the pack in a "
            "left-to-right language (--language)",
            "language",
        )
    if any(needs_shaping(text) for text in content.copy.values()):
        # the flowing story sets text with ReportLab's paragraphs: one glyph per character
        raise error(
            f"the pack '{design.name}' cannot be set in '{project.language_code}': its copy is "
            "in a script that needs shaping, and packs are set one glyph per character",
            Span(design.file),
            "build the posters and leaflets in this language (they are shaped)",
            "language",
        )
    resolved = resolve_pack(project, design, size)
    logo = org.logo if org else None
    org_file = org.file if org else None
    sheet = templates.sheet(resolved, profile)
    ctx = templates.context(resolved, profile, content, sheet, project.assets_dir, logo, org_file)
    frames = templates.frames(resolved, ctx, sheet)
    if not any(frames.values()):
        ctx.report("no template has frames, so the story has nowhere to flow", Span(design.file))
        raise PackgenError(ctx.diagnostics)
    story = prepare(resolved, ctx, frames, templates.PAPER)
    _errors(ctx.diagnostics)
    document = resolved.document
    setting = paginate.Setting(
        file=design.file,
        templates=document.templates,
        frames=frames,
        start=document.start,
        sheet=sheet,
        initial_font=face_name(next(iter(project.fonts)), bold=False, italic=False),
    )
    qr_urls: list[str] = []

    def decorate(plan_pages: list[templates.PageInfo]) -> list[PlacedPage]:
        placed, diagnostics, urls = templates.decorate(
            resolved, profile, content, sheet, project.assets_dir, plan_pages, logo, org_file
        )
        _errors(diagnostics)
        qr_urls[:] = urls
        for page, info in zip(placed, plan_pages, strict=True):
            page.body_regions = list(frames.get(info.template, []))
        return placed

    plan, pages = paginate.paginate(setting, story, decorate, _hint(project, design, size, profile))
    _keep_plan(project, design, size, profile, plan)
    rules = design.raw.get("rules")
    spans = getattr(rules, "value_spans", {}) if rules is not None else {}
    problem = measure_problem(
        pages, document.rules.measure, spans.get("measure") or Span(design.file)
    )
    if problem is not None:
        raise PackgenError([problem])
    return PlacedDocument(
        name=design.name,
        size=size,
        profile=profile.suffix,
        info=document_info(document.metadata, content, project.author(org)),
        pages=pages,
        cmyk=profile.cmyk,
        base_font=setting.initial_font,
        qr_urls=[*qr_urls, *story.qr_urls],
        min_text=float(document.rules.min_text),
        min_body=float(document.rules.min_body),
        palette=content.palette,
        show_outline=profile.interactive,
        tagged=profile.interactive,
    )


def _plan_keys(design: Design, size: str, profile: Profile) -> tuple[tuple[str, ...], ...]:
    """Where a pack's last plan is kept: for its profile, and for any profile."""
    return ("pack-plan", design.name, size, profile.suffix), ("pack-plan", design.name, size)


def _hint(project: Project, design: Design, size: str, profile: Profile) -> paginate.Plan | None:
    """The plan to start paginating from: the last one made in this profile, else the
    last one made in another (press and office usually paginate alike, so the first
    pass of the second profile of a build is then final; a plan that no longer holds
    costs a pass, never a different result, see ``paginate.paginate``)."""
    for key in _plan_keys(design, size, profile):
        found = project.cache.get(key)
        if isinstance(found, paginate.Plan):
            return found
    return None


def _keep_plan(
    project: Project, design: Design, size: str, profile: Profile, plan: paginate.Plan
) -> None:
    """Keep a pack's plan for its next layout: the other profile, the next organisation."""
    for key in _plan_keys(design, size, profile):
        project.cache[key] = plan
