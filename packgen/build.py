"""Build products: every size and profile of every chosen layout, into output files.

Each profile's writer (:mod:`packgen.render.writers`) makes the file, names it
and describes it for the manifest. A layout is made in the profiles of its
medium (print layouts in press and office, screen layouts in screen, as
images under ``digital/`` with their sidecar files).

One product's errors never stop the others; each failure is returned with its
diagnostics, and the caller decides the exit code.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from packgen.errors import Diagnostic, PackgenError, Severity, Span
from packgen.layout import lay_out
from packgen.layout.placed import PlacedDocument
from packgen.model.profiles import PROFILES, Profile
from packgen.render.manifest import FileEntry, write_manifest
from packgen.render.sidecar import sidecars
from packgen.render.write import write_atomic
from packgen.render.writers import Output, output, writer_for
from packgen.resolve.design import Design, load_design
from packgen.resolve.org import Organisation
from packgen.resolve.project import Project

if TYPE_CHECKING:
    from packgen.check import FileReport


@dataclass(frozen=True)
class BuiltFile:
    path: Path
    product: str
    size: str
    profile: str
    pages: int
    bytes: int
    qr_urls: tuple[str, ...]
    extras: tuple[Path, ...] = ()  # files written beside it (an image's JSON, a banner's HTML)
    alt: str = ""  # a screen image's alternative text


@dataclass
class BuildReport:
    files: list[BuiltFile] = field(default_factory=list)
    failures: dict[str, PackgenError] = field(default_factory=dict)
    preflight: list[FileReport] = field(default_factory=list)
    warnings: list[Diagnostic] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failures


def make(
    project: Project,
    design: Design,
    size: str,
    profile: Profile,
    org: Organisation | None = None,
) -> tuple[PlacedDocument, bytes]:
    """Lay out and write one size of a design in one profile (any kind; its writer's bytes)."""
    placed = lay_out(project, design, size, profile, org)
    return placed, writer_for(profile).write(placed, placed.palette)


def build(
    project: Project,
    out: Path,
    only: Iterable[str] = (),
    profiles: Iterable[str] = tuple(PROFILES),
    on_file: Callable[[BuiltFile], None] | None = None,
    preflight: bool = True,
    org: Organisation | None = None,
    marks: bool = True,
) -> BuildReport:
    report = BuildReport()
    all_entries: list[FileEntry] = []
    names = list(only) or project.products()
    chosen = [replace(PROFILES[p], marks=PROFILES[p].marks and marks) for p in profiles]
    for name in names:
        try:
            design = load_design(project, name)
            made: list[Output] = []
            for size in design.sizes:
                for profile in [p for p in chosen if p.makes(design.kind)]:
                    try:
                        placed, data = make(project, design, size, profile, org)
                    except PackgenError as exc:
                        # the first failing size says it all; the others repeat it scaled
                        note = Diagnostic(
                            f"found while making {size} ({profile.suffix})",
                            severity=Severity.NOTE,
                        )
                        raise PackgenError([*exc.diagnostics, note]) from None
                    made.append(output(out, name, profile, placed, data))
                    for warning in placed.warnings:
                        if warning not in report.warnings:
                            report.warnings.append(warning)
            entries: list[FileEntry] = []
            checked: list[FileEntry] = []  # what the preflight reads (PDF and PNG)
            for made_file in made:
                write_atomic(made_file.path, made_file.data)
                extras = sidecars(made_file.path, made_file.placed)
                for extra, extra_data in extras.items():
                    write_atomic(extra, extra_data)
                entries.append(made_file.entry())
                if made_file.writer.format in ("pdf", "png"):
                    checked.append(entries[-1])
                placed = made_file.placed
                built = BuiltFile(
                    made_file.path,
                    name,
                    placed.size,
                    placed.profile,
                    len(placed.pages),
                    len(made_file.data),
                    tuple(placed.qr_urls),
                    tuple(extras),
                    placed.digital.alt if placed.digital else "",
                )
                report.files.append(built)
                if on_file:
                    on_file(built)
            all_entries.extend(entries)
            if preflight:
                _preflight(name, checked, out, report)
        except PackgenError as exc:
            report.failures[name] = exc
    if all_entries:
        write_manifest(out, all_entries)
    return report


def _preflight(name: str, entries: list[FileEntry], out: Path, report: BuildReport) -> None:
    """The fast preflight rules over what was just written; failures fail the product."""
    from packgen.check import check_file
    from packgen.check.images import check_image
    from packgen.check.rules import Level

    problems: list[Diagnostic] = []
    for entry in entries:
        path = out / entry.file
        if path.suffix == ".png":
            checked = check_image(path, expect=entry)
        else:
            checked = check_file(path, fast=True, expect=entry)
        report.preflight.append(checked)
        problems.extend(
            Diagnostic(f"preflight {finding.check}: {finding.message}", Span(path.name, 0, 0))
            for finding in checked.findings
            if finding.level is Level.FAIL
        )
    if problems:
        report.failures[name] = PackgenError(problems)
