"""The portal's worker processes: the project each keeps loaded, its warm-up, its budget.

A worker loads the project once (fonts, layouts, copy) and keeps it between
packs; it warms up in steps before the first visitor's pack, and each pack
runs within :data:`PORTAL_BUDGET`.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

from packgen.distribute.worker import Budget, init_worker
from packgen.model.profiles import PROFILES as ALL_PROFILES
from packgen.web.previews import render_previews

_worker_project: Any = None


def project_for(root: str, campaign: str | None, language: str | None) -> Any:
    """This worker's project: the one it has loaded when it is the one asked for."""
    global _worker_project
    from packgen.resolve.project import Project

    if _worker_project is not None:  # the loaded project, if it is the one asked for
        (loaded_root, loaded_campaign), project = _worker_project
        same_language = language is None or language == project.language_code
        if (loaded_root, loaded_campaign) == (root, campaign) and same_language:
            return project
    project = Project(Path(root), campaign, language)
    _worker_project = ((root, campaign), project)
    return project


def portal_copy(root: str, campaign: str | None, language: str | None) -> Any:
    """The portal's copy (of the server's language, as its pages are)."""
    from packgen.resolve.project import Project
    from packgen.web.pages import PageCopy

    return PageCopy(Project(Path(root), campaign, language).content())


WARM_STEPS = 3  # warm_worker's steps: imports and fonts; every layout; one pack end to end


def warm_worker(root: str, campaign: str | None, language: str | None, step: int = -1) -> None:
    """Load the project, its fonts, layouts and pictures in a worker, so the first pack is
    not slower. Step 0 imports what a build uses and registers the fonts; step 1 makes one
    throwaway office file of each product, without preflight; step 2 makes one co-branded
    poster in every version and one image through preflight, previews and zip (the first
    use of the PDF reader, the rasteriser and the QR decoder). ``step`` -1: all three."""
    import tempfile

    from packgen.build import build
    from packgen.distribute.bundle import make_bundle
    from packgen.errors import PackgenError
    from packgen.model.digital import SCREEN_KINDS
    from packgen.resolve.design import load_design
    from packgen.resolve.org import load_org

    project = project_for(root, campaign, language)
    if step in (-1, 0):
        import pikepdf  # noqa: F401  the preflight's reader and the rasteriser
        import pypdfium2  # noqa: F401

        import packgen.check.press
        import packgen.render.png  # noqa: F401

        project.register_fonts()
    seen: set[str] = set()

    def first_of_each(product: str, size: str, profile: str) -> bool:
        if product in seen:
            return False
        seen.add(product)
        return True

    with tempfile.TemporaryDirectory(prefix="packgen-warm-") as scratch:
        out = Path(scratch)
        if step in (-1, 1):
            build(project, out / "all", profiles=("office",), preflight=False, select=first_of_each)
        if step not in (-1, 2):
            return
        example = Path(root) / "docs" / "examples" / "orgs" / "riverside.yaml"
        with contextlib.suppress(PackgenError, OSError):
            org = load_org(example, "warm-up") if example.is_file() else None
            designs = {n: load_design(project, n) for n in project.products()}
            printed = [n for n, d in designs.items() if d.kind not in SCREEN_KINDS]
            screen = [n for n, d in designs.items() if d.kind in SCREEN_KINDS]
            report = build(
                project,
                out / "org",
                only=printed[:1] + screen[:1],
                profiles=tuple(ALL_PROFILES),
                org=org,
                select=lambda product, size, _: size == designs[product].sizes[0],
            )
            _, thumbnails = render_previews(report.files, out / "previews")
            make_bundle(out / "warm.zip", report.files, project.content(org), "warm", thumbnails)


# What one visitor's pack may use in a worker: a visitor's logo and fields are
# untrusted, so a pack that would take longer or more memory fails alone.
PORTAL_BUDGET = Budget(seconds=60, memory_mb=2048)


def start_worker(server: int) -> None:
    """A worker's initializer: it dies with the server (process id ``server``) and its
    memory is bounded (``PORTAL_BUDGET``)."""
    init_worker(server, PORTAL_BUDGET)
