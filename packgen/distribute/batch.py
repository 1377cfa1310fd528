"""Co-brand the pack for many organisations at once, in parallel processes.

Each worker process loads the project once (fonts, layouts, copy, QR codes
are cached per process) and builds one organisation's pack per task into
``OUT/<folder>/``, optionally zipped. On Linux (where processes are forked), the
parent imports the build, loads the project, registers its fonts and
resolves every layout first (:func:`warm`), and the workers are forked from
it: they start with that work done and share its memory (copy-on-write),
instead of each doing it again. A broken profile, or one that fails in
any way (even a bug), is reported by name and skipped; every other pack is
complete. Folder names are unique within a batch: the organisation's name
transliterated to ASCII (Greek, Cyrillic, CJK and Arabic names stay
meaningful), with a short hash when two profiles would share one. Workers
run with a time and memory budget and die with the batch
(:mod:`packgen.distribute.worker`).
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import multiprocessing
import os
import sys
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from packgen.distribute.worker import Budget, cpu_budget, init_worker
from packgen.errors import PackgenError, Span, error
from packgen.model.profiles import PDF_PROFILES
from packgen.resolve.org import Organisation, slug

if TYPE_CHECKING:
    from packgen.resolve.project import Project

# the worker process's Project, loaded once (or inherited from the parent: see warm)
_project: Project | None = None

MAX_CSV_BYTES = 10 * 1024 * 1024
HASH_LENGTH = 6  # hex digits added to a folder name that two profiles share


@dataclass(frozen=True)
class OrgSource:
    """Where one organisation comes from: a YAML profile, or a CSV row."""

    label: str
    path: Path  # the profile, or the CSV file
    row: dict[str, str] | None = None
    line: int = 0
    problem: str | None = None  # the source could not even be read (a CSV's encoding)


@dataclass(frozen=True)
class OrgResult:
    label: str
    ok: bool
    files: int
    folder: str | None
    zip: str | None
    problem: str | None
    internal: bool = False  # failed by a bug in packgen, not by its input


CSV_COLUMNS = ("name", "logo", "website", "support_name", "support_url", "support_phone")


def sources(folder: Path) -> list[OrgSource]:
    """Every profile in ``folder``: ``*.yaml``/``*.yml`` files and rows of ``*.csv`` files.

    A CSV that cannot be read becomes one failed source; it never stops the rest.
    """
    found: list[OrgSource] = []
    try:
        paths = sorted(folder.iterdir())
    except OSError as exc:
        raise error(f"cannot read the folder: {exc.strerror or exc}", Span(str(folder))) from None
    for path in paths:
        if path.suffix in (".yaml", ".yml") and path.is_file():
            found.append(OrgSource(path.stem, path))
        elif path.suffix == ".csv" and path.is_file():
            try:
                found.extend(_csv_rows(path))
            except PackgenError as exc:
                found.append(OrgSource(path.stem, path, problem=exc.format()))
            except OSError as exc:
                problem = f"{path}: error: cannot read the CSV: {exc.strerror or exc}"
                found.append(OrgSource(path.stem, path, problem=problem))
    return found


def _csv_text(path: Path) -> str:
    with path.open("rb") as stream:
        data = stream.read(MAX_CSV_BYTES + 1)
    if len(data) > MAX_CSV_BYTES:
        raise error(
            f"CSV is larger than {MAX_CSV_BYTES // 1048576} MB", Span(str(path)), "split it"
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise error(
            f"CSV is not UTF-8 text (byte 0x{data[exc.start]:02x})",
            Span(str(path), line, column),
            "save it as 'CSV UTF-8' (in a spreadsheet: Save As, CSV UTF-8)",
        ) from None


def _csv_rows(path: Path) -> list[OrgSource]:
    reader = csv.DictReader(io.StringIO(_csv_text(path), newline=""))
    try:
        missing = [c for c in CSV_COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise error(
                f"CSV lacks columns: {', '.join(missing)}",
                Span(str(path), 1, 1),
                hint="columns: " + ", ".join(CSV_COLUMNS) + " (and optional support_email)",
            )
        rows = []
        for number, row in enumerate(reader, start=2):
            label = f"{path.stem}:{number}"
            values = {k: (v or "").strip() for k, v in row.items() if isinstance(k, str) and k}
            rows.append(OrgSource(label, path, values, number))
        return rows
    except csv.Error as exc:
        raise error(f"CSV cannot be read: {exc}", Span(str(path), reader.line_num)) from None


def _name_of(source: OrgSource) -> str:
    """The organisation's own name for its folder (tracking source first), or its label."""
    if source.row is not None:
        return source.row.get("name") or source.label
    from packgen.source.load import load_yaml

    try:
        data = load_yaml(source.path)
    except PackgenError:
        return source.label
    if not isinstance(data, dict):
        return source.label
    tracking = data.get("tracking")
    chosen = tracking.get("source") if isinstance(tracking, dict) else None
    return str(chosen or data.get("name") or source.label)


def folder_names(todo: list[OrgSource]) -> dict[str, str]:
    """A unique, stable folder per source: its slug, plus a short hash when shared."""
    names = {s.label: _name_of(s) for s in todo}
    base = {label: slug(name) for label, name in names.items()}
    counts = Counter(base.values())
    chosen: dict[str, str] = {}
    taken: set[str] = set()
    for source in todo:
        label = source.label
        folder = base[label]
        if counts[folder] > 1 or folder in taken:
            digest = hashlib.sha256(f"{names[label]}\0{label}".encode()).hexdigest()
            length = HASH_LENGTH
            folder = f"{base[label][:50]}-{digest[:length]}"
            while folder in taken or (folder in counts and folder != base[label]):
                length += 2
                folder = f"{base[label][:50]}-{digest[:length]}"
        taken.add(folder)
        chosen[label] = folder
    return chosen


def _org_yaml(source: OrgSource) -> str:
    """A CSV row as profile YAML, so CSV and YAML go through one validator."""
    import yaml

    row = source.row or {}
    profile: dict[str, object] = {
        "name": row.get("name", ""),
        "logo": row.get("logo", ""),
        "website": row.get("website", ""),
        "support": {
            "name": row.get("support_name", ""),
            "url": row.get("support_url", ""),
            "phone": row.get("support_phone", ""),
        },
    }
    if row.get("support_email"):
        profile["support"]["email"] = row["support_email"]  # type: ignore[index]
    return yaml.safe_dump(profile, allow_unicode=True, sort_keys=False)


def _build_one(
    source: OrgSource,
    root: str,
    out: str,
    folder: str,
    make_zip: bool,
    profiles: tuple[str, ...],
    preflight: bool = True,
    seconds: int = 0,
    campaign: str | None = None,
    language: str | None = None,
) -> OrgResult:
    """One organisation's pack into ``out/folder``; any failure is its result, never a raise."""
    from packgen.build import _is_bug, build, contained

    global _project
    target = Path(out) / folder
    zip_path = Path(out) / f"{folder}.zip"
    if source.problem:
        return OrgResult(source.label, False, 0, None, None, source.problem)
    try:
        with cpu_budget(seconds):
            project = _project_for(Path(root), campaign, language)
            org = _load(source)
            report = build(project, target, profiles=profiles, org=org, preflight=preflight)
            if not report.ok:
                zip_path.unlink(missing_ok=True)  # an older bundle would look like this run's
                problems = "\n".join(e.format() for e in report.failures.values())
                return OrgResult(
                    source.label,
                    False,
                    len(report.files),
                    str(target),
                    None,
                    problems,
                    bool(report.internal),
                )
            bundle = None
            if make_zip:
                from packgen.distribute.bundle import make_bundle

                content = project.content(org)
                bundle = str(make_bundle(zip_path, report.files, content, org.profile.name))
            return OrgResult(source.label, True, len(report.files), str(target), bundle, None)
    except PackgenError as exc:
        return OrgResult(source.label, False, 0, None, None, exc.format())
    except Exception as exc:  # one organisation's failure of any kind is its result
        _project = None  # stopped half-way (out of time or memory): load afresh for the next
        with contextlib.suppress(OSError):
            zip_path.unlink(missing_ok=True)
        problem = contained(exc, source.label, str(source.path)).format()
        return OrgResult(source.label, False, 0, None, None, problem, _is_bug(exc))


def _project_for(root: Path, campaign: str | None, language: str | None) -> Project:
    """This process's project (kept between organisations, and inherited by forked workers)."""
    global _project
    from packgen.resolve.project import Project

    wanted = (root, campaign, language)
    if _project is None or (_project.root, _project.campaign_name, _project.language) != wanted:
        _project = Project(root, campaign, language)
    return _project


def _load(source: OrgSource) -> Organisation:
    """The organisation of a YAML profile, or of a CSV row (errors name row and column)."""
    from packgen.resolve.org import load_org, load_org_text

    if source.row is None:
        return load_org(source.path)
    try:
        return load_org_text(_org_yaml(source), source.path.parent, source.path.name)
    except PackgenError as exc:
        span = Span(str(source.path), source.line, 0)
        raise PackgenError(
            replace(d, span=span, field=(d.field or "").replace(".", "_") or None)
            for d in exc.diagnostics
        ) from None


def _fork_context() -> multiprocessing.context.BaseContext | None:
    """The "fork" start method on Linux (workers inherit :func:`warm`'s work), else None:
    the platform's default (macOS and Windows spawn), and no warm-up in the parent."""
    if sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("fork")
    return None


def warm(root: Path, campaign: str | None = None, language: str | None = None) -> None:
    """Do in this process what every organisation's build would do first, and that no
    profile changes: import the build and the preflight, load the project, register its
    fonts, read and resolve every layout in every size. Workers forked afterwards start
    with it done. Only the project's own files are read (no profile, no logo), and a
    layout that fails here is left to each build to report."""
    import packgen.build
    import packgen.check
    import packgen.check.press
    import packgen.layout.cobrand
    import packgen.layout.flow
    import packgen.render.pdf  # noqa: F401  (imported for the workers)
    from packgen.resolve.design import load_design, resolve
    from packgen.resolve.pack import resolve_pack

    project = _project_for(root, campaign, language)
    with contextlib.suppress(Exception):  # the same mistake is each build's to report
        project.register_fonts()
    for name in project.products():
        with contextlib.suppress(Exception):
            design = load_design(project, name)
            for size in design.sizes:
                if design.kind == "pack":
                    resolve_pack(project, design, size)
                else:
                    resolve(project, design, size)


def run_batch(
    root: Path,
    folder: Path,
    out: Path,
    jobs: int,
    make_zip: bool,
    profiles: tuple[str, ...] = PDF_PROFILES,
    progress: Callable[[int, int, OrgResult], None] | None = None,
    preflight: bool = True,
    budget: Budget | None = None,
    campaign: str | None = None,
    language: str | None = None,
) -> list[OrgResult]:
    """Build every organisation's pack in worker processes; results in completion order.

    ``campaign`` and ``language`` choose the project's campaign and copy language, as
    ``packgen build --campaign --language`` do (None: the project's defaults)."""
    todo = sources(folder)
    results: list[OrgResult] = []
    if not todo:
        return results
    budget = budget or Budget()
    folders = folder_names(todo)
    if _fork_context() is not None:
        warm(root, campaign, language)
    where = (campaign, language)
    for result in _run(
        todo, folders, root, out, jobs, make_zip, profiles, preflight, budget, where
    ):
        results.append(result)
        if progress:
            progress(len(results), len(todo), result)
    return results


def _run(
    todo: list[OrgSource],
    folders: dict[str, str],
    root: Path,
    out: Path,
    jobs: int,
    make_zip: bool,
    profiles: tuple[str, ...],
    preflight: bool,
    budget: Budget,
    where: tuple[str | None, str | None] = (None, None),
) -> Iterator[OrgResult]:
    """Results as they come; a profile whose worker died is retried alone, then failed."""
    rounds = [todo]
    isolated = False
    while rounds:
        batch = rounds.pop(0)
        workers = max(1, min(jobs, len(batch)))
        broken: list[OrgSource] = []
        with ProcessPoolExecutor(
            max_workers=workers,
            mp_context=_fork_context(),
            initializer=init_worker,
            initargs=(os.getpid(), budget),
        ) as pool:
            futures = {
                pool.submit(
                    _build_one,
                    source,
                    str(root),
                    str(out),
                    folders[source.label],
                    make_zip,
                    profiles,
                    preflight,
                    budget.seconds,
                    *where,
                ): source
                for source in batch
            }
            for future in as_completed(futures):
                source = futures[future]
                try:
                    yield future.result()
                except BrokenProcessPool:
                    if isolated:
                        yield _died(source, budget)
                    else:
                        broken.append(source)
                except Exception as exc:  # the pool itself failed: a bug, reported for this one
                    from packgen.build import contained

                    problem = contained(exc, source.label, str(source.path)).format()
                    yield OrgResult(source.label, False, 0, None, None, problem, True)
        if broken:
            isolated = True
            rounds.extend([source] for source in broken)  # each alone: the culprit is known


def _died(source: OrgSource, budget: Budget) -> OrgResult:
    limits = f"{budget.seconds} s of processor time, {budget.memory_mb} MB of memory"
    return OrgResult(
        source.label,
        False,
        0,
        None,
        None,
        f"{source.path}: error: the process building this profile stopped unexpectedly "
        f"(its budget is {limits})\n"
        "  hint: its logo or profile is probably far larger or more complex than it needs to be",
    )
