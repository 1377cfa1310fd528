"""A probe layout: a few elements on the default base, placed without a PDF."""

from __future__ import annotations

from pathlib import Path

from packgen.layout.fixed import layout_document
from packgen.layout.placed import PlacedDocument
from packgen.model.profiles import OFFICE, Profile
from packgen.resolve.design import load_design, resolve
from packgen.resolve.project import Project

HEAD = """extends: _base.yaml
kind: poster
metadata: {title: speak_up.meta.title, subject: speak_up.meta.subject, keywords: speak_up.meta.keywords}
sizes: {A4: {}, A3: {}}
styles: {}
"""


def place(root: Path, body: str, size: str = "A4", profile: Profile = OFFICE) -> PlacedDocument:
    (root / "layouts" / "probe.yaml").write_text(HEAD + body, encoding="utf-8")
    project = Project(root)
    project.register_fonts()
    resolved = resolve(project, load_design(project, "probe"), size)
    return layout_document(resolved, profile, project.content(), project.assets_dir)


def item(document: PlacedDocument, element_id: str, page: int = 0):  # type: ignore[no-untyped-def]
    return next(i for i in document.pages[page].items if i.element_id == element_id)
