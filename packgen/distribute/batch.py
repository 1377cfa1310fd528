"""Co-brand the pack for many organisations at once, in parallel processes.

Each worker process loads the project once (fonts, layouts, copy, QR codes
are cached per process) and builds one organisation's pack per task into
``OUT/<org-slug>/``, optionally zipped. A broken profile is reported by name
and skipped; every other pack is complete.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, replace
from pathlib import Path

from packgen.errors import PackgenError, Span, error
from packgen.model.profiles import PROFILES
from packgen.resolve.org import Organisation

_project = None  # the worker process's Project, loaded once


@dataclass(frozen=True)
class OrgSource:
    """Where one organisation comes from: a YAML profile, or a CSV row."""

    label: str
    path: Path  # the profile, or the CSV file
    row: dict[str, str] | None = None
    line: int = 0


@dataclass(frozen=True)
class OrgResult:
    label: str
    ok: bool
    files: int
    folder: str | None
    zip: str | None
    problem: str | None


CSV_COLUMNS = ("name", "logo", "website", "support_name", "support_url", "support_phone")


def sources(folder: Path) -> list[OrgSource]:
    """Every profile in ``folder``: ``*.yaml``/``*.yml`` files and rows of ``*.csv`` files."""
    found: list[OrgSource] = []
    for path in sorted(folder.iterdir()):
        if path.suffix in (".yaml", ".yml") and path.is_file():
            found.append(OrgSource(path.stem, path))
        elif path.suffix == ".csv" and path.is_file():
            found.extend(_csv_rows(path))
    return found


def _csv_rows(path: Path) -> Iterator[OrgSource]:
    with path.open(encoding="utf-8-sig", newline="") as stream:
        reader = csv.DictReader(stream)
        missing = [c for c in CSV_COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise error(
                f"CSV lacks columns: {', '.join(missing)}",
                Span(str(path), 1, 1),
                hint="columns: " + ", ".join(CSV_COLUMNS) + " (and optional support_email)",
            )
        for number, row in enumerate(reader, start=2):
            label = f"{path.stem}:{number}"
            yield OrgSource(
                label, path, {k: (v or "").strip() for k, v in row.items() if k}, number
            )


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
    make_zip: bool,
    profiles: tuple[str, ...],
    preflight: bool = True,
) -> OrgResult:
    global _project
    from packgen.build import build
    from packgen.resolve.project import Project

    if _project is None or str(_project.root) != root:
        _project = Project(Path(root))
    project = _project
    try:
        org = _load(source)
        target = Path(out) / org.slug
        report = build(project, target, profiles=profiles, org=org, preflight=preflight)
        if not report.ok:
            problems = "\n".join(e.format() for e in report.failures.values())
            return OrgResult(source.label, False, len(report.files), str(target), None, problems)
        bundle = None
        if make_zip:
            from packgen.distribute.bundle import make_bundle

            content = project.content(org)
            zip_path = Path(out) / f"{org.slug}.zip"
            bundle = str(make_bundle(zip_path, report.files, content, org.profile.name))
        return OrgResult(source.label, True, len(report.files), str(target), bundle, None)
    except PackgenError as exc:
        return OrgResult(source.label, False, 0, None, None, exc.format())


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


def run_batch(
    root: Path,
    folder: Path,
    out: Path,
    jobs: int,
    make_zip: bool,
    profiles: tuple[str, ...] = tuple(PROFILES),
    progress: Callable[[int, int, OrgResult], None] | None = None,
    preflight: bool = True,
) -> list[OrgResult]:
    """Build every organisation's pack; results in completion order."""
    todo = sources(folder)
    results: list[OrgResult] = []
    if not todo:
        return results
    jobs = max(1, min(jobs, len(todo)))
    if jobs == 1:
        for source in todo:
            result = _build_one(source, str(root), str(out), make_zip, profiles, preflight)
            results.append(result)
            if progress:
                progress(len(results), len(todo), result)
        return results
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        futures = [
            pool.submit(_build_one, source, str(root), str(out), make_zip, profiles, preflight)
            for source in todo
        ]
        for future in as_completed(futures):
            result = future.result()
            results.append(result)
            if progress:
                progress(len(results), len(todo), result)
    return results
