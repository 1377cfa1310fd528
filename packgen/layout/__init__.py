"""The layout stage: a resolved design into placed pages, in one of two modes.

Fixed pages (posters, leaflets: ``fixed``) place every element in its box;
flowing stories (packs: ``flow``) paginate a story through page templates.
Both share the page geometry (``sheet``), the page context and document
information (``context``) and the rules (``checks``), and both produce a
:class:`~packgen.layout.placed.PlacedDocument` whose every item has a role.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from packgen.layout.placed import PlacedDocument
    from packgen.model.profiles import Profile
    from packgen.resolve.design import Design
    from packgen.resolve.org import Organisation
    from packgen.resolve.project import Project


def lay_out(
    project: Project,
    design: Design,
    size: str,
    profile: Profile,
    org: Organisation | None = None,
) -> PlacedDocument:
    """Lay out one size of a design for one output profile, in the mode its kind needs."""
    # the modes are imported here, so that importing a layout module loads only what it needs
    from packgen.layout.fixed import layout_document
    from packgen.resolve.design import resolve

    project.register_fonts()
    if design.kind == "pack":
        from packgen.layout.flow import lay_out_pack

        return lay_out_pack(project, design, size, profile, org)
    resolved = resolve(project, design, size)
    return layout_document(
        resolved,
        profile,
        project.content(org, product=design.name, profile=profile.suffix),
        project.assets_dir,
        org_logo=org.logo if org else None,
        author=project.author(org),
        org_file=org.file if org else None,
    )
