"""Watch a project's files; on a change, rebuild the products it affects.

Polls modification times (no extra dependency, works on every file system).
What a change affects:

- ``layouts/NAME.yaml`` → product NAME;
- a base layout (``layouts/_base.yaml`` …) → the products whose ``extends:``
  chain contains it; ``layouts/_paper.yaml`` → every product;
- an asset (SVG, PNG, JPEG) → the products that name it (``src:``, or the
  campaign mark for a ``logo`` slot);
- any other YAML under ``assets/`` (campaign, copy, fonts, settings) and the
  organisation profile and its logo → every product.

A product whose layout cannot be read is rebuilt on any change, so fixing a
file recovers without a restart. Errors are returned, never raised: the
caller prints them and watching goes on. A product with layout errors still
gets its preview, with each failing element outlined in red; the other
products are left alone, so a mistake is reported as fast as a good save.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from packgen.build import BuiltFile, build
from packgen.designer.preview import PreviewFile, preview
from packgen.errors import Diagnostic, PackgenError, Span
from packgen.model.profiles import PDF_PROFILES
from packgen.resolve.design import MAX_EXTENDS
from packgen.resolve.org import Organisation, load_org
from packgen.resolve.project import Project
from packgen.source.load import SourceDict, load_yaml

Snapshot = dict[Path, tuple[int, int]]  # path → (mtime in ns, size)
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".svg")


@dataclass
class Rebuild:
    """What one change (or the first build) did."""

    changed: list[str]  # project-relative paths; empty for the first build
    products: list[str]
    files: list[BuiltFile] = field(default_factory=list)
    previews: list[PreviewFile] = field(default_factory=list)
    failures: dict[str, PackgenError] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.failures


def snapshot(paths: Iterable[Path]) -> Snapshot:
    found: Snapshot = {}
    for path in paths:
        try:
            stat = path.stat()
        except OSError:
            continue
        found[path] = (stat.st_mtime_ns, stat.st_size)
    return found


def changes(before: Snapshot, after: Snapshot) -> set[Path]:
    """Files added, removed or modified between two snapshots."""
    return {p for p in before.keys() | after.keys() if before.get(p) != after.get(p)}


def _layout_chain(project: Project, name: str) -> list[Path]:
    """The layout file and every file it extends (as far as they can be read)."""
    path = project.layout_path(name).resolve()
    chain = [path]
    for _ in range(MAX_EXTENDS):
        data = load_yaml(path)
        parent = data.get("extends") if isinstance(data, SourceDict) else None
        if not parent:
            break
        path = (path.parent / str(parent)).resolve()
        chain.append(path)
    return chain


def _sources(data: Any) -> Iterable[str]:
    """Every ``src:`` value in a layout's data, and ``*logo`` for a logo slot."""
    if isinstance(data, dict):
        if isinstance(data.get("src"), str):
            yield data["src"]
        if data.get("type") == "logo":
            yield "*logo"
        for value in data.values():
            yield from _sources(value)
    elif isinstance(data, list):
        for item in data:
            yield from _sources(item)


def dependencies(project: Project, name: str) -> set[Path] | None:
    """The files product ``name`` depends on besides the shared ones; None if unknown."""
    from packgen.resolve.design import load_design

    try:
        files = set(_layout_chain(project, name))
        design = load_design(project, name)
    except PackgenError:
        return None
    assets = project.assets_dir.resolve()
    for source in set(_sources(design.raw)):
        if source == "*logo":
            try:
                mark = project.campaign.mark
            except PackgenError:
                continue
            if mark:
                files.add((assets / mark).resolve())
        else:
            files.add((assets / source).resolve())
    return files


def _is_shared(path: Path, project: Project) -> bool:
    """A file every product depends on (campaign data, copy, fonts, paper sizes)."""
    layouts, assets = project.layouts_dir.resolve(), project.assets_dir.resolve()
    if path == layouts / "_paper.yaml":
        return True
    return path.is_relative_to(assets) and path.suffix in (".yaml", ".yml")


def affected(
    project: Project, changed: set[Path], names: list[str], shared: Iterable[Path] = ()
) -> list[str]:
    """Which of ``names`` a change of ``changed`` (resolved paths) must rebuild.

    ``shared`` names more files every product depends on (an organisation profile).
    """
    if changed & set(shared) or any(_is_shared(path, project) for path in changed):
        return names
    chosen: list[str] = []
    for name in names:
        deps = dependencies(project, name)
        if deps is None or deps & changed:
            chosen.append(name)
    return chosen


class Watcher:
    """Builds, then rebuilds on every change; drive it with :meth:`run` or :meth:`poll`."""

    def __init__(
        self,
        root: Path,
        names: Iterable[str] = (),
        out: Path = Path("out"),
        previews: Path | None = Path("previews"),
        profiles: Iterable[str] = PDF_PROFILES,
        org: Path | None = None,
        dpi: float = 100,
        campaign: str | None = None,
        language: str | None = None,
    ) -> None:
        self.root = root
        self.names = list(names)
        self.out = out
        self.previews = previews
        self.profiles = tuple(profiles)
        self.org_path = org
        self.dpi = dpi
        self.campaign = campaign
        self.language = language
        self.state: Snapshot = {}

    def project(self) -> Project:
        """A fresh project each time: nothing cached survives a change."""
        return Project(self.root, campaign_name=self.campaign, language=self.language)

    def watched(self) -> list[Path]:
        """Every file whose change can affect a product."""
        files = [p for p in (self.root / "layouts").glob("*.y*ml") if p.is_file()]
        files += [p for p in (self.root / "assets").rglob("*") if p.is_file()]
        return [p.resolve() for p in files] + self.org_files()

    def org_files(self) -> list[Path]:
        """The organisation profile and the images beside it (its logo among them)."""
        if self.org_path is None:
            return []
        folder = self.org_path.parent
        images = [p for p in folder.iterdir() if p.suffix.lower() in IMAGE_SUFFIXES]
        return [p.resolve() for p in [self.org_path, *images] if p.is_file()]

    def products(self, project: Project) -> list[str]:
        known = project.products()
        return [n for n in self.names if n in known] if self.names else known

    def start(self) -> Rebuild:
        """The first build of every watched product."""
        self.state = snapshot(self.watched())
        project = self.project()
        return self._rebuild(project, [], self.products(project))

    def poll(self, settle: float = 0.05) -> Rebuild | None:
        """Rebuild what changed since the last look, or None if nothing did."""
        now = snapshot(self.watched())
        changed = changes(self.state, now)
        if not changed:
            return None
        time.sleep(settle)  # an editor may still be writing: wait until the files are still
        later = snapshot(self.watched())
        changed |= changes(now, later)
        self.state = later
        project = self.project()
        wanted = self.products(project)
        names = affected(project, changed, wanted, self.org_files())
        if not names:
            return Rebuild(self._shown(changed), [])
        return self._rebuild(project, self._shown(changed), names)

    def run(
        self,
        report: Callable[[Rebuild], None],
        iterations: int | None = None,
        deadline: float | None = None,
        interval: float = 0.3,
        until: Callable[[Rebuild], bool] | None = None,
    ) -> None:
        """Poll every ``interval`` s; stop after ``iterations`` polls, at ``deadline``
        (``time.monotonic()``), or once ``until`` is true of a rebuild; else forever."""
        count = 0
        while iterations is None or count < iterations:
            if deadline is not None and time.monotonic() >= deadline:
                return
            result = self.poll()
            count += 1
            if result is not None:
                report(result)
                if until is not None and until(result):
                    return
            time.sleep(interval)

    def _shown(self, paths: set[Path]) -> list[str]:
        root = self.root.resolve()
        return sorted(str(p.relative_to(root)) if p.is_relative_to(root) else str(p) for p in paths)

    def _rebuild(self, project: Project, changed: list[str], names: list[str]) -> Rebuild:
        started = time.perf_counter()
        result = Rebuild(changed, names)
        try:
            org = self._org()
            built = build(project, self.out, result.products, self.profiles, org=org)
            result.files, result.failures = built.files, dict(built.failures)
            if self.previews is not None and result.products:
                # the failed products too: their previews outline the mistakes in red
                shown = preview(project, result.products, self.previews, self.dpi, org=org)
                result.previews = shown.files
                for name, failure in shown.failures.items():
                    result.failures.setdefault(name, failure)
        except PackgenError as exc:
            result.failures["(project)"] = exc
        except Exception as exc:  # a bug must not end the designer's session
            message = f"internal error ({type(exc).__name__}: {exc}); please report it"
            result.failures["(packgen)"] = PackgenError(Diagnostic(message, Span("packgen")))
        result.seconds = time.perf_counter() - started
        return result

    def _org(self) -> Organisation | None:
        if self.org_path is None:
            return None
        return load_org(self.org_path)
