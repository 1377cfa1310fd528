"""Flowing multi-page documents (``kind: pack``): templates, a story, pagination.

Stages, as for fixed pages: ``resolve`` (validate and cross-check the pack
layout) → ``pages`` (page geometry, frames and per-page decorations) and
``story`` (story items into checked flowable factories) → ``paginate``
(Platypus passes until page numbers settle; the last pass is the PDF).
"""

from __future__ import annotations

from packgen.errors import Diagnostic, PackgenError, Severity, Span
from packgen.layout.flow import paginate, templates
from packgen.layout.flow.story import prepare
from packgen.layout.placed import DocumentInfo, PlacedDocument, PlacedPage
from packgen.model.profiles import Profile
from packgen.resolve.design import Design
from packgen.resolve.fonts import face_name
from packgen.resolve.org import Organisation
from packgen.resolve.pack import resolve_pack
from packgen.resolve.project import Project


def _errors(diagnostics: list[Diagnostic]) -> None:
    if any(d.severity is Severity.ERROR for d in diagnostics):
        raise PackgenError(diagnostics)


def make_pack(
    project: Project,
    design: Design,
    size: str,
    profile: Profile,
    org: Organisation | None = None,
) -> tuple[PlacedDocument, bytes]:
    """Resolve, paginate and render one size of a pack in one profile."""
    project.register_fonts()
    resolved = resolve_pack(project, design, size)
    content = project.content(org, product=design.name)
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
    info = DocumentInfo(
        title=content.plain(document.metadata.title),
        author=project.author(org),
        subject=content.plain(document.metadata.subject),
        keywords=content.plain(document.metadata.keywords),
        language=content.language,
    )
    setting = paginate.Setting(
        file=design.file,
        templates=document.templates,
        frames=frames,
        start=document.start,
        sheet=sheet,
        info=info,
        cmyk=profile.cmyk,
        outline_open=profile.interactive,
        palette=content.palette,
        initial_font=face_name(next(iter(project.fonts)), bold=False, italic=False),
        condition=project.output_condition if profile.cmyk else None,
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

    key = ("pack-plan", design.name, size, profile.suffix)
    hint = project.cache.get(key)
    plan, pdf, decorations = paginate.paginate(
        setting, story, decorate, hint if isinstance(hint, paginate.Plan) else None
    )
    project.cache[key] = plan  # the next build of this pack (another organisation) starts here
    return (
        PlacedDocument(
            name=design.name,
            size=size,
            profile=profile.suffix,
            info=info,
            pages=decorations,
            cmyk=profile.cmyk,
            base_font=setting.initial_font,
            qr_urls=[*qr_urls, *story.qr_urls],
            min_text=float(document.rules.min_text),
            min_body=float(document.rules.min_body),
            condition=setting.condition,
        ),
        pdf,
    )
