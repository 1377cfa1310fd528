"""The unpersonalised pack of one language, planned at once and built product by product.

A *shelf* is one language's default pack in its own folder: ``parts/<product>/``
holds each product's files (and that build's manifest), ``thumbnails/`` a
picture of each, ``products/<product>.json`` what the listing says of it once
built, and ``bundle.json`` the zip of the whole pack once every product is
there. :func:`plan_shelf` says, without building anything, which products and
files the pack will have (the names :func:`packgen.build.build` gives them),
so the listing can be served before a single file exists; a planned product
is listed with ``ready`` false. :func:`build_shelf_product` and
:func:`finish_shelf` run in the portal's worker processes; the folder on disk
is the state, so a restarted server serves what was built before.
"""

from __future__ import annotations

import io
import json
import shutil
from dataclasses import asdict
from pathlib import Path
from typing import Any

from PIL import Image

from packgen.model.profiles import PROFILES
from packgen.render.write import write_atomic
from packgen.render.writers import output_name, writer_for
from packgen.resolve.project import Project
from packgen.web.catalogue import (
    CATALOGUE_PROFILES,
    KIND_ORDER,
    THUMB_DIR,
    Catalogue,
    FileInfo,
    Product,
    describe,
)
from packgen.web.pages import PageCopy

PARTS, PRODUCTS, BUNDLE = "parts", "products", "bundle.json"


def shelf_folder(portal_folder: Path, code: str, own: str) -> Path:
    """``default/`` for the campaign's language, ``default-<language>/`` for another."""
    return portal_folder / ("default" if code == own else f"default-{code}")


def planned_files(project: Project, name: str, kind: str, sizes: list[str]) -> list[FileInfo]:
    """The files a build of ``name`` makes in the catalogue's profiles, as ``build`` names
    them (office only in sizes an office printer takes; one web page per product)."""
    papers = project.paper_sizes
    found: list[FileInfo] = []
    for size in sizes:
        for profile_name in sorted(CATALOGUE_PROFILES):
            profile = PROFILES[profile_name]
            if not profile.makes(kind):
                continue
            if writer_for(profile).format == "html" and size != sizes[0]:
                continue
            paper = papers.get(size)
            if profile_name == "office" and paper is not None and not paper.office:
                continue
            folder = writer_for(profile).folder
            file = output_name(name, size, profile)
            found.append(FileInfo(f"{folder}/{file}" if folder else file, size, profile_name, 0, 0))
    return found


def plan_shelf(
    project: Project, folder: Path, names: list[str], copy: PageCopy, bundle: str
) -> Catalogue:
    """The pack ``names`` will make, every product planned (``ready`` false), nothing built."""
    from packgen.resolve.design import load_design

    products = []
    for name in names:
        kind, title, blurb = describe(project, name, copy)
        sizes = load_design(project, name).sizes
        files = planned_files(project, name, kind, sizes)
        products.append(Product(name, kind, title, blurb, "", (0, 0), sizes, files, False))
    return Catalogue(folder, sort_products(products), bundle, 0)


def sort_products(products: list[Product]) -> list[Product]:
    """The brief's order (posters, leaflets, packs, then the kit), then by name."""
    return sorted(
        products, key=lambda p: (KIND_ORDER.index(p.kind) if p.kind in KIND_ORDER else 9, p.name)
    )


def own_products(project: Project) -> list[str]:
    """The products a plain ``build`` makes in the campaign's language (skips noted ones)."""
    from packgen.resolve.coverage import copy_project

    return [n for n in project.products() if copy_project(project, n)[0] is not None]


def load_built(folder: Path, name: str) -> Product | None:
    """The product ``name`` as built before into the shelf ``folder``, if all its files are
    still there; None otherwise (not built, failed, or a file lost)."""
    data = _read(folder / PRODUCTS / f"{name}.json")
    try:
        raw = data["product"] if data else None
        if not isinstance(raw, dict):
            return None
        product = Product(
            **{k: v for k, v in raw.items() if k not in ("files", "thumbnail_size")},
            thumbnail_size=(int(raw["thumbnail_size"][0]), int(raw["thumbnail_size"][1])),
            files=[FileInfo(**f) for f in raw["files"]],
        )
    except (KeyError, TypeError, ValueError, IndexError):
        return None
    where = folder / product.folder
    paths = [where / n for f in product.files for n in [f.file, *f.extras]]
    paths.append(folder / THUMB_DIR / product.thumbnail)
    if not all(p.is_file() for p in paths):
        return None
    return product


def failed(folder: Path, name: str) -> bool:
    """Whether the product's last build in ``folder`` failed (it is then left off the list)."""
    data = _read(folder / PRODUCTS / f"{name}.json")
    return bool(data and data.get("failure"))


def load_bundle(folder: Path) -> int:
    """The zip's size in bytes if the shelf's zip is made, else 0."""
    data = _read(folder / BUNDLE) or {}
    name = str(data.get("file", ""))
    if not name or not (folder / name).is_file():
        return 0
    return int(data.get("bytes", 0))


def _read(path: Path) -> dict[str, Any] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


# --- in a worker process -----------------------------------------------------


def _language_project(root: str, campaign: str | None, language: str | None, code: str) -> Any:
    from packgen.web.worker import project_for as _project

    project = _project(root, campaign, language)
    return project if code == project.language_code else project.in_language(code)


def build_shelf_product(
    root: str, campaign: str | None, language: str | None, code: str, folder: str, name: str
) -> str:
    """Build one product of the shelf in ``folder`` (its files, thumbnail and entry).

    Returns "" when built, else the build's error as text (for the server's log,
    never shown to a visitor).
    """
    from packgen.build import build
    from packgen.distribute.bundle import thumbnail
    from packgen.errors import PackgenError

    shelf = Path(folder)
    project = _language_project(root, campaign, language, code)
    papers = project.paper_sizes

    def offered(product: str, size: str, profile: str) -> bool:
        paper = papers.get(size)
        return profile != "office" or paper is None or paper.office

    out = shelf / PARTS / name
    shutil.rmtree(out, ignore_errors=True)
    report = build(project, out, only=[name], profiles=CATALOGUE_PROFILES, select=offered)
    files = [f for f in report.files if f.product == name]
    failure = "; ".join(e.format() for e in report.failures.values())
    if files and not failure:
        try:
            kind, title, blurb = describe(project, name, PageCopy(project.content()))
        except PackgenError as exc:  # pragma: no cover - it was just built
            failure = exc.format()
    if failure or not files:
        _write(shelf / PRODUCTS / f"{name}.json", {"failure": failure or "no file made"})
        return failure or "no file made"
    sizes = list(dict.fromkeys(f.size for f in files))
    pictured = [f for f in files if f.path.suffix != ".html"]
    source = sorted(pictured or files, key=lambda f: (f.profile != "office", f.bytes))[0]
    png = thumbnail(source.path)
    with Image.open(io.BytesIO(png)) as image:
        thumb_size = image.size
    write_atomic(shelf / THUMB_DIR / f"{name}.png", png)
    infos = [
        FileInfo(
            f.path.relative_to(out).as_posix(),
            f.size,
            f.profile,
            f.pages,
            f.bytes,
            f.alt,
            [extra.relative_to(out).as_posix() for extra in f.extras],
        )
        for f in sorted(files, key=lambda f: (sizes.index(f.size), f.profile))
    ]
    product = Product(
        name, kind, title, blurb, f"{name}.png", thumb_size, sizes, infos, True, f"{PARTS}/{name}"
    )
    built = [
        {"path": f.path.relative_to(shelf).as_posix(), "qr_urls": list(f.qr_urls)} for f in files
    ]
    _write(shelf / PRODUCTS / f"{name}.json", {"product": asdict(product), "built": built})
    return ""


def finish_shelf(
    root: str,
    campaign: str | None,
    language: str | None,
    code: str,
    folder: str,
    names: list[str],
    bundle: str,
) -> int:
    """Zip every built product of the shelf (``names``, in order) into ``bundle``; its bytes."""
    from packgen.build import BuiltFile
    from packgen.distribute.bundle import make_bundle

    shelf = Path(folder)
    project = _language_project(root, campaign, language, code)
    files: list[BuiltFile] = []
    thumbnails: dict[str, bytes] = {}
    for name in names:
        product = load_built(shelf, name)
        data = _read(shelf / PRODUCTS / f"{name}.json") or {}
        if product is None:
            continue
        urls = {str(b["path"]): tuple(b.get("qr_urls", [])) for b in data.get("built", [])}
        where = shelf / product.folder
        for info in product.files:
            path = where / info.file
            files.append(
                BuiltFile(
                    path,
                    name,
                    info.size,
                    info.profile,
                    info.pages,
                    info.bytes,
                    urls.get(path.relative_to(shelf).as_posix(), ()),
                    tuple(where / extra for extra in info.extras),
                    info.alt,
                )
            )
        thumbnails[name] = (shelf / THUMB_DIR / product.thumbnail).read_bytes()
    path = make_bundle(shelf / bundle, files, project.content(), project.campaign.name, thumbnails)
    size = path.stat().st_size
    _write(shelf / BUNDLE, {"file": bundle, "bytes": size})
    return size


def _write(path: Path, data: object) -> None:
    write_atomic(path, (json.dumps(data, indent=1) + "\n").encode("utf-8"))
