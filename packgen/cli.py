"""The command line: a thin layer that prints and sets exit codes.

Exit codes: 0 success, 1 a user error (bad input, a product that failed),
2 wrong usage, 3 an internal error (a bug: please report it).
"""

from __future__ import annotations

import argparse
import gc
import importlib
import os
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path

from packgen.errors import PackgenError
from packgen.model import profiles

DEFAULT_OUT = Path("out")


def _project(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    """The project the command uses; says which on one stderr line."""
    from packgen.resolve.project import Project, find_project

    choice = find_project(args.project, Path.cwd())
    project = Project(choice.root, campaign_name=args.campaign, language=args.language)
    if choice.how == "embedded":
        where = "the embedded default pack (no layouts/ here: --project DIR, or packgen init DIR)"
    else:
        where = f"{choice.root} ({choice.how})"
    print(f"packgen: project {where}; {project.describe()}", file=sys.stderr, flush=True)
    return project


def _human(size: int) -> str:
    return f"{size / 1024:.0f} KB" if size < 1024 * 1024 else f"{size / 1048576:.1f} MB"


def cmd_build(args: argparse.Namespace) -> int:
    from packgen.build import ORG_PROFILE, BuiltFile, build

    project = _project(args)
    out = Path(args.out)
    chosen = profiles.profile_names(args.profile)
    if args.output_intent:
        project.output_intent = Path(args.output_intent)
    if any(profiles.PROFILES[name].cmyk for name in chosen):
        _ = project.output_condition  # a bad profile is refused before anything is written
    check_out(out)
    org = None
    if args.org:
        from packgen.resolve.org import load_org

        org = load_org(Path(args.org))

    def show(file: BuiltFile) -> None:
        pages = f"{file.pages} page" + ("s" if file.pages != 1 else "")
        if file.path.suffix == ".html":
            pages = "web page"
        print(f"{file.path}  {pages}  {_human(file.bytes)}")

    sizes = set(args.size or ())
    report = build(
        project,
        out,
        args.only or (),
        chosen,
        on_file=show,
        org=org,
        marks=not args.no_marks,
        select=(lambda _name, size, _profile: size in sizes) if sizes else None,
    )
    for warning in report.warnings:
        print(warning.format(), file=sys.stderr)
    for name, failure in report.failures.items():
        print(failure.format(), file=sys.stderr)
        if name == ORG_PROFILE:
            print("the profile does not fit the layouts: nothing built", file=sys.stderr)
        else:
            print(f"{name}: not built", file=sys.stderr)
    count = len(report.files)
    if sizes and not count and not report.failures:
        print(
            f"packgen build: no chosen product has the size {', '.join(sorted(sizes))}",
            file=sys.stderr,
        )
        return 1
    print(f"{count} file{'s' * (count != 1)} written to {out}/", end="")
    print(f"; {len(report.failures)} product(s) failed" if report.failures else "")
    if args.zip:
        name = org.slug if org else project.campaign.id
        zip_path = out / f"{name}.zip"
        if report.failures:
            zip_path.unlink(missing_ok=True)  # an older bundle would look like this run's
            print(
                f"no bundle written: {len(report.failures)} product(s) failed and a bundle "
                "is only made of a complete pack",
                file=sys.stderr,
            )
        elif report.files:
            from packgen.distribute.bundle import make_bundle

            title = org.profile.name if org else project.campaign.name
            bundle = make_bundle(zip_path, report.files, project.content(org), title)
            print(f"{bundle}  {_human(bundle.stat().st_size)}")
    if report.internal:
        return 3
    return 0 if report.ok else 1


def check_out(out: Path) -> None:
    """Refuse an output folder that cannot be one, before any work is done."""
    from packgen.errors import Span, error

    if out.exists() and not out.is_dir():
        raise error(
            f"--out {out} is a file, not a folder", Span(str(out)), "name a folder with --out"
        )
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise error(
            f"cannot create the output folder {out}: {exc.strerror or exc}",
            Span(str(out)),
            "choose a folder you can write to with --out",
        ) from None
    if not os.access(out, os.W_OK | os.X_OK):
        raise error(
            f"cannot write to the output folder {out}: permission denied",
            Span(str(out)),
            "choose a folder you can write to with --out",
        )


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
    drawn = {file.product for file in report.files}
    for name, failure in report.failures.items():
        print(failure.format(), file=sys.stderr)
        if name in drawn:
            print(f"{name}: has errors; its preview outlines them in red", file=sys.stderr)
        else:
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
        drawn = {p.product for p in result.previews}
        for name, failure in result.failures.items():
            print(failure.format(), file=sys.stderr)
            shown = f" (mistakes in red on {previews}/{name}-*.png)" if name in drawn else ""
            print(
                f"{name}: not rebuilt{shown}; fix the file and save, watching goes on",
                file=sys.stderr,
            )
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


def cmd_init(args: argparse.Namespace) -> int:
    from packgen.designer.starter import init_project

    target = Path(args.folder)
    count = init_project(target)
    print(f"{target}/: a new project ({count} files): layouts/, assets/ and docs/")
    print(f"next: cd {target} && packgen preview   (commands in that folder use its files)")
    return 0


def cmd_tag_art(args: argparse.Namespace) -> int:
    from packgen.render.write import write_atomic
    from packgen.resolve.recolour import ATTRIBUTE, tag

    palette = dict(_project(args).campaign.palette)
    for name in args.files:
        path = Path(name)
        if not path.is_file():
            print(f"{path}: error: no such SVG file", file=sys.stderr)
            return 1
        text = path.read_text(encoding="utf-8")
        tagged = tag(text, palette)
        added = tagged.count(ATTRIBUTE + "=") - text.count(ATTRIBUTE + "=")
        if added:
            write_atomic(path, tagged.encode("utf-8"))
        print(f"{path}: {added} element(s) tagged with {ATTRIBUTE}")
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
    from packgen.designer.translations import languages_of
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
        try:
            languages = languages_of(project, name)
        except PackgenError as exc:
            print(exc.format(), file=sys.stderr)
            failed = True
            continue
        listing = ", ".join(f"{lang.language} ({lang.status})" for lang in languages)
        print(f"  languages: {listing or 'none'}")
    return 1 if failed else 0


def cmd_translations(args: argparse.Namespace) -> int:
    import json

    from packgen.designer.translations import format_report, record, report

    project = _project(args)
    if args.record:
        count = record(project, args.record)
        print(f"recorded the source text of {count} keys for {args.record}")
        return 0
    reports = report(project, args.language)
    if args.json:
        print(json.dumps([r.as_json() for r in reports], indent=2, ensure_ascii=False))
    else:
        print(format_report(reports))
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    import json
    import logging

    from packgen.check import check_file, pdfs_in
    from packgen.check.images import check_image, images_in

    logging.getLogger("pikepdf").setLevel(logging.ERROR)  # a damaged file's report says enough

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
    pictures: dict[Path, list[Path]] = {}
    if args.pictures:
        from packgen.check.pictures import draw_report

        folder = Path(args.pictures)
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            print(
                f"packgen check: cannot write pictures to {folder}: {exc.strerror}", file=sys.stderr
            )
            return 1
        for index, report in enumerate(reports):
            pictures[report.path] = draw_report(report, folder, prefix=f"{index + 1:02d}-")
    reports += [check_image(path) for path in images]  # images are their own pictures
    if args.json:
        documents = [r.as_dict() for r in reports]
        for document, report in zip(documents, reports, strict=True):
            document["pictures"] = [str(p) for p in pictures.get(report.path, [])]
        print(json.dumps(documents, indent=2, ensure_ascii=False))
    else:
        from packgen.check.text import lines

        for report in reports:
            for line in lines(report):
                print(line)
            for picture in pictures.get(report.path, []):
                print(f"  picture: {picture}")
        failed = sum(not r.ok for r in reports)
        print(f"{len(reports)} file(s) checked, {failed} not ready for what they are for")
    return 0 if all(r.ok for r in reports) else 1


def cmd_batch(args: argparse.Namespace) -> int:
    from packgen.distribute.batch import OrgResult, run_batch

    project = _project(args)
    folder = Path(args.folder)
    if not folder.is_dir():
        print(f"packgen batch: {folder} is not a folder of organisation profiles", file=sys.stderr)
        return 1
    out = Path(args.out)
    check_out(out)
    chosen = profiles.profile_names(args.profile)

    def progress(done: int, total: int, result: OrgResult) -> None:
        state = f"ok, {result.files} files" if result.ok else "FAILED"
        print(f"[{done}/{total}] {result.label}: {state}", flush=True)

    from packgen.distribute.worker import Budget

    budget = Budget(seconds=args.time_limit, memory_mb=args.memory_limit)
    results = run_batch(
        project.root,
        folder,
        out,
        args.jobs,
        args.zip,
        tuple(chosen),
        progress,
        not args.no_check,
        budget,
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
        if args.zip:
            print(f"no bundle written for the {len(failed)} that failed", file=sys.stderr)
    if any(r.internal for r in results):
        return 3
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
    catalogue = portal.catalogue  # planned: what is not built yet is built in the background
    waiting = sum(not p.ready for p in catalogue.products)
    print(
        f"serving {len(catalogue.products)} products at http://{args.host}:{args.port}/"
        + (f" ({waiting} still to build, in the background)" if waiting else "")
        + " (Ctrl+C stops)",
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


MAX_DPI = 600.0  # previews: enough to inspect hairlines, bounded so an A2 page fits in memory


def _dpi(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a number") from None
    if not 10 <= value <= MAX_DPI:
        raise argparse.ArgumentTypeError(f"{text} is outside 10 to {MAX_DPI:g}")
    return value


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(
        prog="packgen",
        description="Build print-ready campaign resource packs from layout files.",
    )
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--project",
        help="folder with layouts/ and assets/ (default: the current folder if it has"
        " layouts/ or packgen.yaml, else the embedded pack)",
    )
    common.add_argument("--campaign", help="campaign folder under assets/campaigns/")
    common.add_argument("--language", help="copy language, e.g. en-GB")
    commands = main.add_subparsers(dest="command", required=True)

    build = commands.add_parser("build", parents=[common], help="build the pack's PDFs")
    build.add_argument("--out", default=str(DEFAULT_OUT), help="output folder (default: out)")
    build.add_argument(
        "--only", nargs="+", action="extend", metavar="NAME", help="build only these products"
    )
    build.add_argument(
        "--size",
        nargs="+",
        action="extend",
        metavar="SIZE",
        help="build only these sizes, e.g. A3 (a web page comes with its product's first size)",
    )
    build.add_argument("--org", metavar="PROFILE", help="co-brand with this organisation profile")
    build.add_argument("--zip", action="store_true", help="also write a download bundle (zip)")
    build.add_argument(
        "--no-marks", action="store_true", help="press files without crop and fold marks"
    )
    build.add_argument(
        "--output-intent",
        metavar="FILE",
        help="press printing condition: a CMYK .icc or an intent .yaml (default: the campaign's)",
    )
    build.add_argument(
        "--profile",
        choices=profiles.choices(),
        default=profiles.ALL,
        help=profiles.help_text(default=profiles.ALL),
    )
    build.set_defaults(run=cmd_build, starts_with=("packgen.build",))

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
    batch.add_argument(
        "--time-limit",
        type=int,
        default=120,
        metavar="SECONDS",
        help="processor time one organisation may use (default: 120; 0: no limit)",
    )
    batch.add_argument(
        "--memory-limit",
        type=int,
        default=2048,
        metavar="MB",
        help="memory one worker process may use (default: 2048; 0: no limit)",
    )
    batch.set_defaults(run=cmd_batch, starts_with=("packgen.distribute.batch",))

    check = commands.add_parser("check", help="preflight PDFs for print (default: out/)")
    check.add_argument("paths", nargs="*", metavar="PATH", help="PDF files or folders")
    check.add_argument("--out", default=str(DEFAULT_OUT), help=argparse.SUPPRESS)
    check.add_argument("--json", action="store_true", help="machine-readable report")
    check.add_argument(
        "--fast", action="store_true", help="skip the pixel checks (bleed, contrast, QR read-back)"
    )
    check.add_argument(
        "--pictures",
        metavar="DIR",
        help="write a PNG of each page with the problems marked, and a legend",
    )
    check.set_defaults(run=cmd_check, starts_with=("packgen.check",))

    view = commands.add_parser(
        "preview", parents=[common], help="PNG previews with trim, bleed, safe-area and grid guides"
    )
    view.add_argument("names", nargs="*", metavar="NAME", help="products (default: all)")
    view.add_argument("--out", default="previews", help="output folder (default: previews)")
    view.add_argument("--dpi", type=_dpi, default=100, help="resolution (default: 100)")
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
    watch.add_argument("--dpi", type=_dpi, default=100, help="preview resolution (default: 100)")
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

    init = commands.add_parser(
        "init", help="start a project: copy the embedded layouts, assets and copy into DIR"
    )
    init.add_argument("folder", metavar="DIR", help="a new or empty folder")
    init.set_defaults(run=cmd_init)

    tag_art = commands.add_parser(
        "tag-art",
        parents=[common],
        help="mark SVG art drawn in exact palette colours with data-palette (in place)",
    )
    tag_art.add_argument("files", nargs="+", metavar="SVG", help="SVG files to tag")
    tag_art.set_defaults(run=cmd_tag_art)

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
    serve.add_argument(
        "--jobs",
        type=int,
        default=min(2, os.cpu_count() or 1),
        help="processes building packs, sharing each pack (default 2; 1 on one core)",
    )
    serve.set_defaults(run=cmd_serve)

    site = commands.add_parser(
        "site", parents=[common], help="write the download page as a static site"
    )
    site.add_argument("--out", default="site", help="output folder (default: site)")
    site.set_defaults(run=cmd_site)

    translations = commands.add_parser(
        "translations",
        parents=[common],
        help="missing, extra and outdated copy per language and product",
    )
    translations.add_argument("--json", action="store_true", help="print the report as JSON")
    translations.add_argument(
        "--record",
        metavar="LANG",
        help="write copy/LANG/source.lock: LANG's copy is now up to date with its source",
    )
    translations.set_defaults(run=cmd_translations)
    listing = commands.add_parser("list", parents=[common], help="list the products")
    listing.set_defaults(run=cmd_list)
    return main


_started = False


def _start(modules: Sequence[str]) -> None:
    """Import the modules a command starts with while the garbage collector is paused.

    Starting allocates tens of thousands of objects that live as long as the process
    (modules, classes, validators, tables): collecting while they are made finds no
    garbage and cost a cold build about a tenth of its processor time. They are then
    frozen (left out of every later collection). Once per process: a caller that runs
    several commands (the tests) freezes only what existed at its first.
    """
    global _started
    if _started or not gc.isenabled():
        return
    _started = True
    gc.disable()
    try:
        for module in modules:
            importlib.import_module(module)
    finally:
        gc.freeze()
        gc.enable()


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        _start(getattr(args, "starts_with", ()))
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
