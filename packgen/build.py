"""Build products: every size and profile of every chosen layout, into PDF files.

One product's errors never stop the others; each failure is returned with its
diagnostics, and the caller decides the exit code.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from packgen.errors import Diagnostic, PackgenError, Severity
from packgen.flow import make_pack
from packgen.fonts import register
from packgen.layout import layout_document
from packgen.placed import PlacedDocument
from packgen.profiles import PROFILES, Profile
from packgen.project import Project
from packgen.render import render
from packgen.resolve import Design, load_design, resolve
from packgen.write import write_atomic


@dataclass(frozen=True)
class BuiltFile:
    path: Path
    product: str
    size: str
    profile: str
    pages: int
    bytes: int
    qr_urls: tuple[str, ...]


@dataclass
class BuildReport:
    files: list[BuiltFile] = field(default_factory=list)
    failures: dict[str, PackgenError] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.failures


def output_name(product: str, size: str, profile: Profile) -> str:
    return f"{product}-{size}-{profile.suffix}.pdf"


def make(
    project: Project, design: Design, size: str, profile: Profile
) -> tuple[PlacedDocument, bytes]:
    """Lay out and render one size of one design in one profile."""
    if design.kind == "pack":
        return make_pack(project, design, size, profile)
    for family in project.fonts.values():
        register(family)
    resolved = resolve(project, design, size)
    content = project.content()
    placed = layout_document(
        resolved, profile, content, project.assets_dir, author=project.campaign.author
    )
    return placed, render(placed, content.palette)


def build(
    project: Project,
    out: Path,
    only: Iterable[str] = (),
    profiles: Iterable[str] = ("press", "office"),
    on_file: Callable[[BuiltFile], None] | None = None,
) -> BuildReport:
    report = BuildReport()
    names = list(only) or project.products()
    chosen = [PROFILES[p] for p in profiles]
    for name in names:
        try:
            design = load_design(project, name)
            made: list[tuple[Path, PlacedDocument, bytes]] = []
            for size in design.sizes:
                for profile in chosen:
                    try:
                        placed, pdf = make(project, design, size, profile)
                    except PackgenError as exc:
                        # the first failing size says it all; the others repeat it scaled
                        note = Diagnostic(
                            f"found while making {size} ({profile.suffix})",
                            severity=Severity.NOTE,
                        )
                        raise PackgenError([*exc.diagnostics, note]) from None
                    made.append((out / output_name(name, size, profile), placed, pdf))
            for path, placed, pdf in made:
                write_atomic(path, pdf)
                built = BuiltFile(
                    path,
                    name,
                    placed.size,
                    placed.profile,
                    len(placed.pages),
                    len(pdf),
                    tuple(placed.qr_urls),
                )
                report.files.append(built)
                if on_file:
                    on_file(built)
        except PackgenError as exc:
            report.failures[name] = exc
    return report
