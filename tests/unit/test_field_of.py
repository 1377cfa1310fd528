"""``field_of``: a model's field, or a default when its kind has none (as getattr)."""

from __future__ import annotations

from packgen.model.common import field_of
from packgen.resolve.design import load_design, resolve
from packgen.resolve.project import Project, embedded_root


def test_a_field_or_the_default_as_getattr_gives() -> None:
    project = Project(embedded_root())
    resolved = resolve(project, load_design(project, "poster-speak-up"), "A4")
    elements = [e for page in resolved.document.pages for e in page.elements]
    assert len({type(e) for e in elements}) > 2  # several kinds, with and without the fields
    for element in elements:
        for name in ("copy_key", "caption", "link", "url_style", "elements", "type", "id"):
            assert field_of(element, name, "none") == getattr(element, name, "none")
