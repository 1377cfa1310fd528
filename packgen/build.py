"""Build products: every size and profile of every chosen layout, into output files.

Each profile's writer (:mod:`packgen.render.writers`) makes the file, names it
and describes it for the manifest. A layout is made in the profiles of its
medium (print layouts in press and office, screen layouts in screen, as
images under ``digital/`` with their sidecar files).

One product's failure, of any kind, never stops the others: each is returned
with its diagnostics (an unexpected exception as an "internal error"), its
files are removed, and the caller decides the exit code.
"""

from __future__ import annotations

import contextlib
import errno
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, cast

from packgen.errors import BudgetExceeded, Diagnostic, PackgenError, Severity, Span
from packgen.layout import alike, lay_out
from packgen.layout.partial import LayoutError
from packgen.layout.placed import PlacedDocument
from packgen.model.profiles import PRINT_PROFILES, PROFILES, Profile
from packgen.render.manifest import FileEntry, write_manifest
from packgen.render.sidecar import sidecars
from packgen.render.write import write_atomic
from packgen.render.writers import Output, output, output_name, writer_for
from packgen.resolve.coverage import copy_project
from packgen.resolve.design import Design, load_design
from packgen.resolve.org import Organisation
from packgen.resolve.project import ORG_ACCENT, Project
from packgen.source.load import load_yaml

if TYPE_CHECKING:
    from packgen.check import FileReport
    from packgen.layout.cobrand import Laid


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
    internal: set[str] = field(default_factory=set)  # failures that are bugs in packgen

    @property
    def ok(self) -> bool:
        return not self.failures


ORG_PROFILE = "(organisation profile)"  # the failure key when the profile itself is refused


def make(
    project: Project,
    design: Design,
    size: str,
    profile: Profile,
    org: Organisation | None = None,
    draft: bool = False,
    laid: PlacedDocument | None = None,
) -> tuple[PlacedDocument, bytes]:
    """Lay out and write one size of a design in one profile (any kind; its writer's bytes).

    With ``draft``, a layout error still renders what could be placed, as PDF,
    into the :class:`LayoutError` it raises (``exc.pdf``), for the designer's preview.
    Press documents carry the printing condition their PDF/X output intent names.
    ``laid`` is a layout already made of exactly this (the co-brand check's of a pack, or
    another profile's that lays out alike, see :func:`~packgen.layout.alike`): it is
    written instead of laying the design out again.
    """
    condition = project.output_condition if profile.cmyk else None
    try:
        placed = laid if laid is not None else lay_out(project, design, size, profile, org)
    except LayoutError as exc:
        if draft:
            from packgen.render.pdf import render

            exc.partial.condition = condition
            exc.pdf = render(exc.partial, exc.partial.palette)
        raise
    placed.condition = condition
    return placed, writer_for(profile).write(placed, placed.palette)


def build(
    project: Project,
    out: Path,
    only: Iterable[str] = (),
    profiles: Iterable[str] = PRINT_PROFILES,
    on_file: Callable[[BuiltFile], None] | None = None,
    preflight: bool = True,
    org: Organisation | None = None,
    marks: bool = True,
    select: Callable[[str, str, str], bool] | None = None,
) -> BuildReport:
    """Build each product; a failure of one (of any kind) is its diagnostic, never a stop.

    ``select(product, size, profile)``, when given, picks which files to make
    (the download portal's choice of sizes and versions).

    A product that fails leaves no file behind: what it wrote in this run, and
    what an earlier run left under the names it would have written, is
    removed, and the manifest lists only complete products.
    """
    report = BuildReport()
    all_entries: list[FileEntry] = []
    names = list(only) or project.products()
    chosen = [replace(PROFILES[p], marks=PROFILES[p].marks and marks) for p in profiles]
    laid: Laid = {}  # layouts the co-brand check made that the build can write as they are
    if org is not None:
        # the profile against the co-brand slots of every layout made here, before writing
        from packgen.layout.cobrand import check_profile

        def made(kind: str) -> bool:
            return any(p.makes(kind) for p in chosen)

        errors, warnings = check_profile(project, org, names, made, laid)
        report.warnings.extend(warnings)
        if errors:
            report.failures[ORG_PROFILE] = PackgenError(errors)
            return report
    if any(p.cmyk for p in chosen):
        # a broken campaign, copy or output intent: each product reports it
        with contextlib.suppress(PackgenError):
            report.warnings.extend(_ink_warnings(project, org))
    removed = False
    for name in names:
        written: list[BuiltFile] = []
        sizes: list[str] = []
        made_in = project
        try:
            chosen_copy, notes = copy_project(project, name, explicit=bool(only))
            report.warnings.extend(notes)
            if chosen_copy is None:
                continue
            made_in = chosen_copy
            design = load_design(made_in, name)
            sizes = design.sizes
            entries, checked = _build_product(
                made_in, design, out, chosen, org, report, written, select, laid
            )
            if preflight:
                _preflight(name, checked, out, report)
            if name not in report.failures:
                all_entries.extend(entries)
                for built in written:
                    report.files.append(built)
                    if on_file:
                        on_file(built)
        except PackgenError as exc:
            report.failures[name] = exc
        except Exception as exc:  # any failure of one product is its diagnostic
            report.failures[name] = contained(exc, name, project.shown(project.layouts_dir))
            if _is_bug(exc):
                report.internal.add(name)
        if name in report.failures:
            removed = _remove_outputs(made_in, out, name, sizes, chosen, written) or removed
    if all_entries or (removed and out.is_dir()):
        try:
            write_manifest(out, all_entries)
        except OSError as exc:
            report.failures["manifest"] = PackgenError(_write_problem(exc, out / "manifest.json"))
    return report


def _ink_warnings(project: Project, org: Organisation | None) -> list[Diagnostic]:
    """Palette colours whose CMYK and sRGB part under the output condition (once per palette)."""
    from packgen.render.inks import palette_warnings

    palette = project.content(org).palette
    condition = project.output_condition
    key = ("ink-warnings", condition.fingerprint, tuple(sorted(palette.items())))
    cached = project.cache.get(key)
    if cached is None:
        path = project.campaign_dir / "campaign.yaml"
        shown = project.shown(path)
        spans = dict(getattr(load_yaml(path, shown).get("palette"), "value_spans", {}))
        if org is not None and org.profile.accent is not None:
            spans[ORG_ACCENT] = _accent_span(org)
        cached = project.cache[key] = palette_warnings(palette, condition, spans, shown)
    return list(cast("list[Diagnostic]", cached))


def _accent_span(org: Organisation) -> Span:
    """Where an organisation profile sets its accent colour (the file, if not found)."""
    try:
        data = load_yaml(Path(org.file), org.file)
        return data.value_spans.get("accent") or Span(org.file)
    except PackgenError:
        return Span(org.file)


def _build_product(
    project: Project,
    design: Design,
    out: Path,
    chosen: list[Profile],
    org: Organisation | None,
    report: BuildReport,
    written: list[BuiltFile],
    select: Callable[[str, str, str], bool] | None = None,
    laid: Laid | None = None,
) -> tuple[list[FileEntry], list[FileEntry]]:
    """Make every size and profile of one design, then write them (nothing before all are made).

    ``laid`` holds layouts the co-brand check already made (taken when one is exactly
    the layout needed, see :func:`~packgen.layout.cobrand.take_laid`).

    Returns the manifest entries of every file and those the preflight reads (the PDFs);
    every file written is also in ``written``.
    """
    name = design.name
    made: list[Output] = []
    for size in design.sizes:
        size_laid: list[tuple[Profile, PlacedDocument]] = []  # for profiles that lay out alike
        for profile in [p for p in chosen if p.makes(design.kind)]:
            if writer_for(profile).format == "html" and size != design.sizes[0]:
                continue  # a web page reflows: one per product, not one per paper size
            if select is not None and not select(name, size, profile.suffix):
                continue
            ready = None
            if laid:
                from packgen.layout.cobrand import take_laid

                ready = take_laid(laid, project, design, size, profile, org)
            if ready is None:
                ready = next(
                    (
                        replace(other, profile=profile.suffix)
                        for made_for, other in size_laid
                        if alike(project, made_for, profile)
                    ),
                    None,
                )
            try:
                placed, data = make(project, design, size, profile, org, laid=ready)
            except PackgenError as exc:
                # the first failing size says it all; the others repeat it scaled
                note = Diagnostic(
                    f"found while making {size} ({profile.suffix})", severity=Severity.NOTE
                )
                raise PackgenError([*exc.diagnostics, note]) from None
            made.append(output(out, name, profile, placed, data))
            size_laid.append((profile, placed))
            for warning in placed.warnings:
                if warning not in report.warnings:
                    report.warnings.append(warning)
    entries: list[FileEntry] = []
    checked: list[FileEntry] = []  # what the preflight reads (PDF and PNG)
    for made_file in made:
        extras = sidecars(made_file.path, made_file.placed)
        try:
            write_atomic(made_file.path, made_file.data)
            for extra, extra_data in extras.items():
                write_atomic(extra, extra_data)
        except OSError as exc:
            raise PackgenError(_write_problem(exc, made_file.path)) from None
        entry = made_file.entry()
        entries.append(entry)
        if made_file.writer.format in ("pdf", "png"):
            checked.append(entry)
        placed = made_file.placed
        written.append(
            BuiltFile(
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
        )
    return entries, checked


def _write_problem(exc: OSError, path: Path) -> Diagnostic:
    """A failed write in the user's terms: which file, what the system said, what to do."""
    reason = exc.strerror or str(exc)
    if exc.errno == errno.ENOSPC:
        hint = "free some space on that disk, or choose another folder with --out"
    elif exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        hint = "choose a folder you can write to with --out"
    elif exc.errno in (errno.ENOTDIR, errno.EEXIST):
        hint = "--out must name a folder, not a file"
    else:
        hint = "choose another folder with --out"
    return Diagnostic(f"cannot write {path}: {reason}", Span(str(path.parent)), hint)


def _is_bug(exc: BaseException) -> bool:
    """Whether an exception is packgen's fault rather than a limit the input ran into."""
    return not isinstance(exc, (MemoryError, OSError, BudgetExceeded))


def contained(exc: BaseException, what: str, where: str) -> PackgenError:
    """Any exception raised while making ``what`` as a diagnostic (never a traceback)."""
    if isinstance(exc, PackgenError):
        return exc
    if isinstance(exc, BudgetExceeded):
        return PackgenError(Diagnostic(f"{what}: {exc}", None, exc.hint))
    if isinstance(exc, MemoryError):
        return PackgenError(
            Diagnostic(
                f"{what}: ran out of memory",
                None,
                "an image or SVG in it is probably far larger than it needs to be",
            )
        )
    if isinstance(exc, OSError):
        target = f" {exc.filename}" if exc.filename else ""
        return PackgenError(
            Diagnostic(f"{what}: cannot use{target}: {exc.strerror or exc}", Span(where))
        )
    detail = f"{type(exc).__name__}: {str(exc)[:200]}" if str(exc) else type(exc).__name__
    return PackgenError(
        Diagnostic(
            f"internal error while building {what} ({detail})",
            None,
            "this is a bug in packgen, not in your files; please report it with them "
            "(PACKGEN_DEBUG=1 shows where it happened)",
        )
    )


def _remove_outputs(
    project: Project,
    out: Path,
    name: str,
    sizes: list[str],
    chosen: list[Profile],
    written: list[BuiltFile],
) -> bool:
    """Remove a failed product's files: those written now and stale ones of its names."""
    candidates = {f.path for f in written}
    try:
        known = sizes or list(project.paper_sizes)
    except PackgenError:
        known = sizes
    candidates |= {
        out / writer_for(p).folder / output_name(name, size, p) for size in known for p in chosen
    }
    candidates |= {
        path.with_suffix(suffix)  # an image's sidecars go with it
        for path in list(candidates)
        if path.suffix == ".png"
        for suffix in (".json", ".html")
    }
    removed = False
    for path in candidates:
        try:
            if path.is_file():
                path.unlink()
                removed = True
        except OSError:
            continue
    return removed


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
            checked = check_file(path, fast=True, expect=entry, trusted=True)
        report.preflight.append(checked)
        problems.extend(
            Diagnostic(f"preflight {finding.check}: {finding.message}", Span(path.name, 0, 0))
            for finding in checked.findings
            if finding.level is Level.FAIL
        )
    if problems:
        report.failures[name] = PackgenError(problems)
