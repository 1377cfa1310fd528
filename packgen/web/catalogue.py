"""The default pack as a catalogue: built once into a folder, then listed.

``build_catalogue`` runs the engine over every product (press and office),
draws a thumbnail of each product, zips the whole pack and writes
``catalogue.json`` last, so a folder with that file is complete and can be
served again after a restart. The same folder layout is what ``packgen site``
publishes: ``pdf/``, ``thumbnails/``, the zip, and an ``index.html``.

Cache folders are named by :func:`fingerprint`, which changes whenever a
layout, copy or asset file (or packgen itself) changes, so a stale pack is
never served.
"""

from __future__ import annotations

import hashlib
import io
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from PIL import Image

from packgen import __version__
from packgen.build import BuiltFile, build
from packgen.distribute.bundle import make_bundle, thumbnail
from packgen.errors import PackgenError
from packgen.model.profiles import ALL, profile_names
from packgen.render.write import write_atomic
from packgen.resolve.design import load_design
from packgen.resolve.project import Project
from packgen.web.pages import PageCopy

CATALOGUE = "catalogue.json"
CATALOGUE_FORMAT = 3  # 3: built product by product (a folder made before is not reused)
PDF_DIR = "pdf"
THUMB_DIR = "thumbnails"
PROFILE_ORDER = ("office", "press")
KIND_ORDER = ("poster", "leaflet", "pack", "banner", "social")  # the brief's order, then the kit
CATALOGUE_PROFILES = tuple(profile_names(ALL))  # print, web pages and the digital kit


@dataclass(frozen=True)
class FileInfo:
    file: str  # path inside pdf/: a name, or digital/<name> for the kit's images
    size: str  # paper size name, or the image's pixel size
    profile: str
    pages: int
    bytes: int
    alt: str = ""  # an image's alternative text
    extras: list[str] = field(default_factory=list)  # beside it: JSON, the banner's HTML


@dataclass(frozen=True)
class Product:
    name: str
    kind: str
    title: str
    blurb: str
    thumbnail: str  # name inside thumbnails/
    thumbnail_size: tuple[int, int]  # pixels
    sizes: list[str]
    files: list[FileInfo]
    ready: bool = True  # false: planned, not built yet (its files have no pages or bytes)
    folder: str = PDF_DIR  # where its files are, inside the catalogue's folder

    def file(self, size: str, profile: str) -> FileInfo | None:
        return next((f for f in self.files if f.size == size and f.profile == profile), None)


@dataclass(frozen=True)
class Catalogue:
    folder: Path
    products: list[Product]
    bundle: str  # the zip's name inside folder
    bundle_bytes: int
    failures: dict[str, str] = field(default_factory=dict)  # product → formatted errors

    def pdf(self, name: str) -> Path | None:
        """The file ``name`` (a PDF, web page, image or its sidecar) if the catalogue
        lists it (compared with the list, never joined to a path unchecked)."""
        product = self.product_of(name)
        return None if product is None else self.folder / product.folder / name

    def product_of(self, name: str) -> Product | None:
        """The product whose files (or sidecars) include ``name``, built or planned."""
        for product in self.products:
            if any(name == f.file or name in f.extras for f in product.files):
                return product
        return None

    @property
    def ready(self) -> bool:
        """Whether every product and the zip are built."""
        return all(p.ready for p in self.products) and self.bundle_bytes > 0

    def thumbnail(self, name: str) -> Path | None:
        if any(p.ready and p.thumbnail == name for p in self.products):
            return self.folder / THUMB_DIR / name
        return None


def fingerprint(project: Project) -> str:
    """A short hash of everything a pack is made from (files, campaign, language, version)."""
    digest = hashlib.sha256()
    digest.update(f"packgen {__version__} catalogue {CATALOGUE_FORMAT}\n".encode())
    digest.update(f"{project.campaign.id} {project.language_code}\n".encode())
    for folder in (project.layouts_dir, project.assets_dir):
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            digest.update(str(path.relative_to(project.root)).encode() + b"\0")
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()[:16]


def describe(project: Project, name: str, copy: PageCopy) -> tuple[str, str, str]:
    """Kind, title and blurb of a product: portal copy first, then the layout's own."""
    design = load_design(project, name)
    title = copy.text(f"products.{name}.title") if copy.has(f"products.{name}.title") else ""
    if not title:
        metadata = design.raw.get("metadata")
        key = metadata.get("title") if isinstance(metadata, dict) else None
        title = project.content().plain(str(key)) if key else name
    if copy.has(f"products.{name}.blurb"):
        blurb = copy.text(f"products.{name}.blurb")
    else:
        blurb = str(design.raw.get("description") or "")
    return design.kind, title, blurb


def _inside(path: Path, folder: Path) -> str:
    """``path`` relative to ``folder``, with forward slashes (``digital/x.png``)."""
    return path.relative_to(folder).as_posix()


def _thumbnails(files: list[BuiltFile], folder: Path) -> dict[str, tuple[str, tuple[int, int]]]:
    """One PNG per product, from its smallest office file: name and pixel size."""
    chosen: dict[str, BuiltFile] = {}
    pictured = [f for f in files if f.path.suffix != ".html"]  # a web page has no first page
    for file in sorted(pictured, key=lambda f: (f.profile != "office", f.bytes)):
        chosen.setdefault(file.product, file)
    made: dict[str, tuple[str, tuple[int, int]]] = {}
    for product, source in sorted(chosen.items()):
        name, png = f"{product}.png", thumbnail(source.path)
        with Image.open(io.BytesIO(png)) as image:
            made[product] = (name, image.size)
        write_atomic(folder / THUMB_DIR / name, png)
    return made


def build_catalogue(project: Project, folder: Path) -> Catalogue:
    """Build the default pack into ``folder`` and describe it; failures are listed, not raised.

    Sizes no office printer takes (``office: false`` in ``layouts/_paper.yaml``)
    are made in the print-shop version only.
    """
    papers = project.paper_sizes

    def offered(product: str, size: str, profile: str) -> bool:
        paper = papers.get(size)
        return profile != "office" or paper is None or paper.office

    report = build(project, folder / PDF_DIR, profiles=CATALOGUE_PROFILES, select=offered)
    copy = PageCopy(project.content())
    thumbs = _thumbnails(report.files, folder)
    products: list[Product] = []
    failures = {name: error.format() for name, error in report.failures.items()}
    for name in project.products():
        files = [f for f in report.files if f.product == name]
        if not files:
            continue
        try:
            kind, title, blurb = describe(project, name, copy)
        except PackgenError as exc:  # pragma: no cover - it was just built
            failures[name] = exc.format()
            continue
        sizes = list(dict.fromkeys(f.size for f in files))
        infos = [
            FileInfo(
                _inside(f.path, folder / PDF_DIR),
                f.size,
                f.profile,
                f.pages,
                f.bytes,
                f.alt,
                [_inside(extra, folder / PDF_DIR) for extra in f.extras],
            )
            for f in sorted(files, key=lambda f: (sizes.index(f.size), f.profile))
        ]
        thumb, thumb_size = thumbs[name]
        products.append(Product(name, kind, title, blurb, thumb, thumb_size, sizes, infos))
    bundle_name = f"{project.campaign.id}.zip"
    bundle_bytes = 0
    if report.files:
        zip_path = make_bundle(
            folder / bundle_name, report.files, project.content(), project.campaign.name
        )
        bundle_bytes = zip_path.stat().st_size
    products.sort(key=lambda p: (KIND_ORDER.index(p.kind) if p.kind in KIND_ORDER else 9, p.name))
    catalogue = Catalogue(folder, products, bundle_name, bundle_bytes, failures)
    data = asdict(catalogue)
    del data["folder"]
    write_atomic(folder / CATALOGUE, (json.dumps(data, indent=2) + "\n").encode())
    return catalogue


def load_catalogue(folder: Path) -> Catalogue | None:
    """A catalogue built before into ``folder``, or None if there is none (or it is broken)."""
    try:
        data: dict[str, Any] = json.loads((folder / CATALOGUE).read_text(encoding="utf-8"))
        products = [
            Product(
                **{k: v for k, v in p.items() if k not in ("files", "thumbnail_size")},
                thumbnail_size=(int(p["thumbnail_size"][0]), int(p["thumbnail_size"][1])),
                files=[FileInfo(**f) for f in p["files"]],
            )
            for p in data["products"]
        ]
        catalogue = Catalogue(
            folder, products, data["bundle"], data["bundle_bytes"], data["failures"]
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None
    paths = [
        folder / PDF_DIR / name for p in products for f in p.files for name in [f.file, *f.extras]
    ]
    paths += [folder / THUMB_DIR / p.thumbnail for p in products]
    if not all(path.is_file() for path in paths):
        return None
    return catalogue


def ensure_catalogue(project: Project, folder: Path) -> Catalogue:
    """The catalogue in ``folder``, built now if it is not there yet."""
    return load_catalogue(folder) or build_catalogue(project, folder)
