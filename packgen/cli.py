"""The command line: a thin layer that prints and sets exit codes.

Exit codes: 0 success, 1 a user error (bad input, a product that failed),
2 wrong usage, 3 an internal error (a bug: please report it).
"""

from __future__ import annotations

import argparse
import os
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path

from packgen.errors import PackgenError
from packgen.model import profiles

DEFAULT_OUT = Path("out")


def _project(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    from packgen.resolve.project import Project, embedded_root

    root = Path(args.project) if args.project else embedded_root()
    return Project(root, campaign_name=args.campaign, language=args.language)


def _human(size: int) -> str:
    return f"{size / 1024:.0f} KB" if size < 1024 * 1024 else f"{size / 1048576:.1f} MB"


def cmd_build(args: argparse.Namespace) -> int:
    from packgen.build import BuiltFile, build

    project = _project(args)
    out = Path(args.out)
    chosen = profiles.profile_names(args.profile)
    org = None
    if args.org:
        from packgen.resolve.org import load_org

        org = load_org(Path(args.org))

    def show(file: BuiltFile) -> None:
        pages = f"{file.pages} page" + ("s" if file.pages != 1 else "")
        print(f"{file.path}  {pages}  {_human(file.bytes)}")

    report = build(
        project, out, args.only or (), chosen, on_file=show, org=org, marks=not args.no_marks
    )
    for warning in report.warnings:
        print(warning.format(), file=sys.stderr)
    for name, failure in report.failures.items():
        print(failure.format(), file=sys.stderr)
        print(f"{name}: not built", file=sys.stderr)
    count = len(report.files)
    print(f"{count} file{'s' * (count != 1)} written to {out}/", end="")
    print(f"; {len(report.failures)} product(s) failed" if report.failures else "")
    if args.zip and report.files:
        from packgen.distribute.bundle import make_bundle

        name = org.slug if org else project.campaign.id
        title = org.profile.name if org else project.campaign.name
        bundle = make_bundle(out / f"{name}.zip", report.files, project.content(org), title)
        print(f"{bundle}  {_human(bundle.stat().st_size)}")
    return 0 if report.ok else 1


def _org(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    if not getattr(args, "org", None):
        return None
    from packgen.resolve.org import load_org

    return load_org(Path(args.org))


def cmd_preview(args: argparse.Namespace) -> int:
    from packgen.designer.preview import preview

    report = preview(
        _project(args),
        args.names,
        Path(args.out),
        dpi=args.dpi,
        guides=args.guides,
        sizes=[args.size] if args.size else [],
        profile=profiles.PROFILES[args.profile],
        org=_org(args),
    )
    for file in report.files:
        print(file.path)
    for name, failure in report.failures.items():
        print(failure.format(), file=sys.stderr)
        print(f"{name}: no preview", file=sys.stderr)
    return 0 if report.ok else 1


def cmd_watch(args: argparse.Namespace) -> int:
    from packgen.designer.watch import Rebuild, Watcher

    project = _project(args)
    for name in args.names:
        project.layout_path(name)  # an unknown product is an error, with a suggestion
    root = project.root
    chosen = profiles.profile_names(args.profile)
    out, previews = Path(args.out), Path(args.previews)
    watcher = Watcher(
        root,
        args.names,
        out,
        None if args.no_previews else previews,
        chosen,
        Path(args.org) if args.org else None,
        args.dpi,
        args.campaign,
        args.language,
    )

    def show(result: Rebuild) -> None:
        if result.changed:
            print(f"changed: {', '.join(result.changed)}", flush=True)
        if not result.products:
            print("  nothing to rebuild", flush=True)
            return
        for name, failure in result.failures.items():
            print(failure.format(), file=sys.stderr)
            print(f"{name}: not rebuilt; fix the file and save, watching goes on", file=sys.stderr)
        done = [n for n in result.products if n not in result.failures]
        if done:
            what = f"{len(result.files)} PDFs in {out}/"
            if result.previews:
                what += f", {len(result.previews)} previews in {previews}/"
            print(f"rebuilt {' '.join(done)} in {result.seconds:.2f} s: {what}", flush=True)
        sys.stderr.flush()

    try:
        show(watcher.start())
        print(f"watching {root / 'layouts'} and {root / 'assets'} (Ctrl+C stops)", flush=True)
        watcher.run(show, iterations=args.polls, interval=args.interval)
    except KeyboardInterrupt:
        print("stopped watching")
    return 0


def cmd_schema(args: argparse.Namespace) -> int:
    from packgen.designer.reference import dumps, layout_schema, org_schema, write

    if args.write:
        from packgen.resolve.project import embedded_root

        for path in write(Path(args.project) if args.project else embedded_root()):
            print(path)
        return 0
    sys.stdout.write(dumps(org_schema() if args.org else layout_schema()))
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    from packgen.resolve.design import load_design

    project = _project(args)
    failed = False
    for name in project.products():
        try:
            design = load_design(project, name)
        except PackgenError as exc:
            print(f"{name}  (cannot be read: see below)")
            print(exc.format(), file=sys.stderr)
            failed = True
            continue
        description = str(design.raw.get("description") or "")
        print(f"{name}  {design.kind}  {' '.join(design.sizes)}  {description}".rstrip())
    return 1 if failed else 0


def cmd_check(args: argparse.Namespace) -> int:
    import json

    from packgen.check import check_file, pdfs_in
    from packgen.check.images import check_image, images_in

    targets = [Path(p) for p in args.paths] or [Path(args.out)]
    missing = [str(p) for p in targets if not p.exists()]
    if missing:
        print(f"packgen check: no such file or folder: {', '.join(missing)}", file=sys.stderr)
        return 1
    files = [path for path in pdfs_in(targets) if path.suffix.lower() != ".png"]
    images = images_in(targets)
    if not files and not images:
        print(f"packgen check: no PDF files in {', '.join(map(str, targets))}", file=sys.stderr)
        return 1
    reports = [check_file(path, fast=args.fast) for path in files]
    reports += [check_image(path) for path in images]
    if args.json:
        print(json.dumps([r.as_dict() for r in reports], indent=2))
    else:
        for report in reports:
            verdict = "ok" if report.ok else "FAILED"
            pages = f"{report.pages} page" + ("s" if report.pages != 1 else "")
            print(f"{report.path}  {report.profile}, {pages}: {verdict}")
            for finding in report.findings:
                where = f" (page {finding.page})" if finding.page else ""
                print(f"  {finding.level.value:4}  {finding.check:11} {finding.message}{where}")
        failed = sum(not r.ok for r in reports)
        print(f"{len(reports)} file(s) checked, {failed} failed")
    return 0 if all(r.ok for r in reports) else 1


def cmd_batch(args: argparse.Namespace) -> int:
    from packgen.distribute.batch import OrgResult, run_batch

    project = _project(args)
    folder = Path(args.folder)
    if not folder.is_dir():
        print(f"packgen batch: {folder} is not a folder of organisation profiles", file=sys.stderr)
        return 1
    out = Path(args.out)
    chosen = profiles.profile_names(args.profile)

    def progress(done: int, total: int, result: OrgResult) -> None:
        state = f"ok, {result.files} files" if result.ok else "FAILED"
        print(f"[{done}/{total}] {result.label}: {state}", flush=True)

    results = run_batch(
        project.root, folder, out, args.jobs, args.zip, tuple(chosen), progress, not args.no_check
    )
    if not results:
        print(f"packgen batch: no profiles (*.yaml, *.csv) in {folder}", file=sys.stderr)
        return 1
    failed = [r for r in results if not r.ok]
    print(f"{len(results) - len(failed)} of {len(results)} packs built in {out}/", flush=True)
    if failed:
        print("failed:", file=sys.stderr)
        for result in sorted(failed, key=lambda r: r.label):
            print(f"  {result.label}:", file=sys.stderr)
            for line in (result.problem or "").splitlines():
                print(f"    {line}", file=sys.stderr)
    return 1 if failed else 0


def _default_cache() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "packgen" / "portal"


def _show_failures(failures: dict[str, str]) -> None:
    for name, problem in failures.items():
        print(problem, file=sys.stderr)
        print(f"{name}: not built", file=sys.stderr)


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from packgen.web.app import Portal, create_app

    project = _project(args)
    cache = Path(args.cache) if args.cache else _default_cache()
    portal = Portal(project, cache, workers=args.jobs)
    print(f"default pack: {portal.folder / 'default'}", flush=True)
    catalogue = portal.catalogue
    _show_failures(catalogue.failures)
    print(
        f"serving {len(catalogue.products)} products at http://{args.host}:{args.port}/"
        " (Ctrl+C stops)",
        flush=True,
    )
    uvicorn.run(create_app(portal), host=args.host, port=args.port, log_level="warning")
    return 0


def cmd_site(args: argparse.Namespace) -> int:
    from packgen.web.site import INDEX, write_site

    project = _project(args)
    out = Path(args.out)
    catalogue = write_site(project, out)
    _show_failures(catalogue.failures)
    files = sum(len(p.files) for p in catalogue.products)
    print(f"{out / INDEX}: {len(catalogue.products)} products, {files} PDFs, {catalogue.bundle}")
    return 1 if catalogue.failures else 0


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(
        prog="packgen",
        description="Build print-ready campaign resource packs from layout files.",
    )
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--project", help="folder with layouts/ and assets/ (default: embedded)")
    common.add_argument("--campaign", help="campaign folder under assets/campaigns/")
    common.add_argument("--language", help="copy language, e.g. en-GB")
    commands = main.add_subparsers(dest="command", required=True)

    build = commands.add_parser("build", parents=[common], help="build the pack's PDFs")
    build.add_argument("--out", default=str(DEFAULT_OUT), help="output folder (default: out)")
    build.add_argument("--only", nargs="+", metavar="NAME", help="build only these products")
    build.add_argument("--org", metavar="PROFILE", help="co-brand with this organisation profile")
    build.add_argument("--zip", action="store_true", help="also write a download bundle (zip)")
    build.add_argument(
        "--no-marks", action="store_true", help="press files without crop and fold marks"
    )
    build.add_argument(
        "--profile",
        choices=profiles.choices(),
        default=profiles.ALL,
        help=profiles.help_text(default=profiles.ALL),
    )
    build.set_defaults(run=cmd_build)

    batch = commands.add_parser(
        "batch", parents=[common], help="co-brand a pack for every organisation in a folder"
    )
    batch.add_argument("folder", metavar="DIR", help="organisation profiles (*.yaml) and CSVs")
    batch.add_argument("--out", default=str(DEFAULT_OUT), help="output folder (default: out)")
    batch.add_argument("--jobs", type=int, default=1, help="parallel processes (default: 1)")
    batch.add_argument("--zip", action="store_true", help="also write a zip per organisation")
    batch.add_argument(
        "--profile",
        choices=profiles.choices(),
        default=profiles.ALL,
        help=profiles.help_text(default=profiles.ALL),
    )
    batch.add_argument(
        "--no-check",
        action="store_true",
        help="skip the preflight of each file (faster; run packgen check afterwards)",
    )
    batch.set_defaults(run=cmd_batch)

    check = commands.add_parser("check", help="preflight PDFs for print (default: out/)")
    check.add_argument("paths", nargs="*", metavar="PATH", help="PDF files or folders")
    check.add_argument("--out", default=str(DEFAULT_OUT), help=argparse.SUPPRESS)
    check.add_argument("--json", action="store_true", help="machine-readable report")
    check.add_argument("--fast", action="store_true", help="skip contrast and QR read-back")
    check.set_defaults(run=cmd_check)

    view = commands.add_parser(
        "preview", parents=[common], help="PNG previews with trim, bleed, safe-area and grid guides"
    )
    view.add_argument("names", nargs="*", metavar="NAME", help="products (default: all)")
    view.add_argument("--out", default="previews", help="output folder (default: previews)")
    view.add_argument("--dpi", type=float, default=100, help="resolution (default: 100)")
    view.add_argument(
        "--guides",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="draw guides over the page (default: on)",
    )
    view.add_argument("--size", help="only this size, e.g. A3 (default: every size)")
    view.add_argument(
        "--profile",
        choices=profiles.choices(with_all=False),
        default=profiles.PREVIEW,
        help=profiles.help_text(default=profiles.PREVIEW),
    )
    view.add_argument("--org", metavar="PROFILE", help="co-brand with this organisation profile")
    view.set_defaults(run=cmd_preview)

    watch = commands.add_parser(
        "watch", parents=[common], help="rebuild products and previews when their files change"
    )
    watch.add_argument("names", nargs="*", metavar="NAME", help="products (default: all)")
    watch.add_argument("--out", default=str(DEFAULT_OUT), help="PDF folder (default: out)")
    watch.add_argument("--previews", default="previews", help="PNG folder (default: previews)")
    watch.add_argument("--no-previews", action="store_true", help="build PDFs only")
    watch.add_argument("--dpi", type=float, default=100, help="preview resolution (default: 100)")
    watch.add_argument(
        "--profile",
        choices=profiles.choices(),
        default=profiles.ALL,
        help=profiles.help_text(default=profiles.ALL),
    )
    watch.add_argument("--org", metavar="PROFILE", help="co-brand with this organisation profile")
    watch.add_argument("--interval", type=float, default=0.3, help="seconds between looks")
    watch.add_argument("--polls", type=int, default=None, help=argparse.SUPPRESS)  # tests
    watch.set_defaults(run=cmd_watch)

    schema = commands.add_parser(
        "schema", help="print the JSON Schema of layout files (for editors)"
    )
    schema.add_argument(
        "--org", action="store_true", help="the schema of organisation profiles instead"
    )
    schema.add_argument(
        "--write",
        action="store_true",
        help="refresh docs/*.schema.json and the reference in docs/layouts.md (developers)",
    )
    schema.add_argument("--project", help=argparse.SUPPRESS)
    schema.set_defaults(run=cmd_schema)

    serve = commands.add_parser(
        "serve", parents=[common], help="the download portal: list, personalise, download"
    )
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on")
    serve.add_argument("--port", type=int, default=8000, help="port (default: 8000)")
    serve.add_argument("--cache", metavar="DIR", help="cache folder (default: ~/.cache/packgen)")
    serve.add_argument("--jobs", type=int, default=1, help="processes building packs (default 1)")
    serve.set_defaults(run=cmd_serve)

    site = commands.add_parser(
        "site", parents=[common], help="write the download page as a static site"
    )
    site.add_argument("--out", default="site", help="output folder (default: site)")
    site.set_defaults(run=cmd_site)

    listing = commands.add_parser("list", parents=[common], help="list the products")
    listing.set_defaults(run=cmd_list)
    return main


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return int(args.run(args))
    except PackgenError as exc:
        print(exc.format(), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except Exception:  # a bug, not a user error
        if os.environ.get("PACKGEN_DEBUG"):
            traceback.print_exc()
        else:
            kind = sys.exc_info()[0]
            name = kind.__name__ if kind else "error"
            print(
                f"packgen: internal error ({name}); run with PACKGEN_DEBUG=1 for details",
                file=sys.stderr,
            )
        return 3


if __name__ == "__main__":
    raise SystemExit(main())
