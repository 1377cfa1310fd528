"""The listing as a static site: ``index.html``, stylesheet, thumbnails, PDFs and zip.

Every link is relative, so the folder can be put on any web host (or opened
from disk). A static site cannot build co-branded packs; in place of the form
it says how to get one (copy ``portal.personalise.static_note``).
"""

from __future__ import annotations

import shutil
from pathlib import Path

from packgen.render.write import write_atomic
from packgen.resolve.project import Project
from packgen.web.catalogue import Catalogue, build_catalogue
from packgen.web.links import SiteLinks
from packgen.web.pages import STATIC, PageCopy
from packgen.web.views import index_page

INDEX = "index.html"
STYLESHEET = "portal.css"


def write_site(project: Project, out: Path) -> Catalogue:
    """Build the default pack into ``out`` and write the page that lists it."""
    catalogue = build_catalogue(project, out)
    copy = PageCopy(project.content())
    html = index_page(project, copy, SiteLinks(), catalogue)
    write_atomic(out / INDEX, html.encode("utf-8"))
    shutil.copyfile(STATIC / STYLESHEET, out / STYLESHEET)
    return catalogue
