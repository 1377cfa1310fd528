"""packgen's benchmark: one command, one run, every row of the performance table.

    python bench/run.py            # everything, with 1,000 organisations (an hour on 2 cores)
    python bench/run.py --quick    # batches of 6 organisations (said so), fewer repeats

Writes bench/RESULTS.md (a table) and bench/results.json. Ratios compare
figures measured in the same run; absolute times are indications for this
machine only. Each time is given as wall clock and as processor time (user +
system of the process and its children): on a shared machine the wall clock
also counts waiting for a core, the processor time does not. Nothing here is
asserted by the test suite.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

from handwritten_poster import draw_poster, register_fonts  # noqa: E402

from packgen.build import build, make  # noqa: E402
from packgen.model.profiles import OFFICE, PDF_PROFILES, PROFILES  # noqa: E402
from packgen.resolve.design import load_design  # noqa: E402
from packgen.resolve.org import load_org  # noqa: E402
from packgen.resolve.project import Project, embedded_root  # noqa: E402

PACKGEN = [sys.executable, "-m", "packgen"]
# cold processes may write their bytecode (the unmeasured first run caches it, as an
# installed packgen has it): PYTHONDONTWRITEBYTECODE in the calling shell would make
# every cold run compile packgen's modules from source again
COLD_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
# the pack issue 20's targets were set on: 18 PDFs (posters, leaflet, A5 leaflet, pack)
ISSUE_PRODUCTS = (
    "poster-speak-up",
    "poster-know-your-baby",
    "leaflet-cues",
    "leaflet-cues-a5",
    "pack-stakeholder",
)
ORG = ROOT / "docs" / "examples" / "orgs" / "riverside.yaml"


def cpu() -> float:
    """Processor time so far of this process and its finished children (user + system)."""
    me, children = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    return me.ru_utime + me.ru_stime + children.ru_utime + children.ru_stime


def clocked(function: Callable[[], object]) -> tuple[float, float]:
    """(wall, processor) seconds of one call."""
    wall, used = time.perf_counter(), cpu()
    function()
    return time.perf_counter() - wall, cpu() - used


def per_page(repeat: int) -> dict[str, float]:
    """Steady-state time for one A4 poster page: packgen against hand-written ReportLab."""
    project = Project(embedded_root())
    design = load_design(project, "poster-speak-up")
    art = str(project.assets_dir / "illustrations" / "speak-up.svg")
    register_fonts()
    for _ in range(3):  # warm both up: fonts, caches, imports
        make(project, design, "A4", OFFICE)
        draw_poster(art)
    engine, hand, engine_cpu, hand_cpu = [], [], [], []
    for _ in range(repeat):  # interleaved, so drift on the machine hits both alike
        wall, used = clocked(lambda: make(project, design, "A4", OFFICE))
        engine.append(wall)
        engine_cpu.append(used)
        wall, used = clocked(lambda: draw_poster(art))
        hand.append(wall)
        hand_cpu.append(used)
    e, h = statistics.median(engine), statistics.median(hand)
    ec, hc = statistics.median(engine_cpu), statistics.median(hand_cpu)
    return {
        "packgen_ms": e * 1000,
        "handwritten_ms": h * 1000,
        "ratio": e / h,
        "ratio_cpu": ec / hc if hc else 0.0,
    }


def one_pack(repeat: int) -> dict[str, object]:
    """One co-branded pack in a warm process, one core: with and without the preflight.

    Three sets: the issue's 18 PDFs, every print PDF (press and office) and
    everything ``packgen build`` makes (PDFs, web pages, the digital kit's PNGs).
    Builds with and without the preflight alternate, and each figure is the
    median of its runs: the preflight's share is a difference of two times, which
    the best of one or two runs each left to chance (it read 4% and -4% where the
    preflight's own processor time was 15% of a build).
    """
    project = Project(embedded_root())
    org = load_org(ORG)
    out = Path(tempfile.mkdtemp(prefix="packgen-bench-pack-"))
    sets = {
        "issue": (ISSUE_PRODUCTS, PDF_PROFILES),
        "print": ((), PDF_PROFILES),
        "all": ((), tuple(PROFILES)),
    }
    found: dict[str, object] = {}
    for key, (only, chosen) in sets.items():
        row: dict[str, float] = {}
        pairs = max(3, 3 * repeat) if key == "all" else max(7, 5 * repeat)
        timed: dict[bool, list[tuple[float, float]]] = {True: [], False: []}
        for check in (True, False):  # warm
            report = build(project, out, only, chosen, org=org, preflight=check)
            assert report.ok, report.failures
            row["files"] = len(report.files)
        for _ in range(pairs):
            for check in (True, False):
                timed[check].append(
                    clocked(
                        lambda o=only, c=chosen, k=check: build(  # type: ignore[misc]
                            project, out, o, c, org=org, preflight=k
                        )
                    )
                )
        for check, name in ((True, "checked"), (False, "unchecked")):
            row[f"{name}_wall_s"] = statistics.median(r[0] for r in timed[check])
            row[f"{name}_cpu_s"] = statistics.median(r[1] for r in timed[check])
        row["pairs"] = pairs
        row["preflight_share"] = 1 - row["unchecked_cpu_s"] / row["checked_cpu_s"]
        found[key] = row
    per_product: dict[str, dict[str, float]] = {}
    for name in project.products():  # what each product costs per file it makes
        report = build(project, out, [name], tuple(PROFILES), org=org)  # (warm since "all")
        files = len(report.files)
        runs = [
            clocked(lambda n=name: build(project, out, [n], tuple(PROFILES), org=org))  # type: ignore[misc]
            for _ in range(repeat)
        ]
        wall, used = min(r[0] for r in runs), min(r[1] for r in runs)
        kinds = sorted({f.path.suffix.lstrip(".") for f in report.files})
        per_product[name] = {
            "files": files,
            "kinds": "+".join(kinds),
            "ms_per_file": used / files * 1000 if files else 0.0,
            "wall_ms_per_file": wall / files * 1000 if files else 0.0,
        }
    found["per_product"] = per_product
    shutil.rmtree(out, ignore_errors=True)
    return found


def cold_build(out: Path, args: list[str], repeat: int = 3) -> dict[str, float]:
    """A fresh process running ``packgen build ARGS`` (with preflight).

    One unmeasured run first (it compiles bytecode and fills the OS file cache,
    which a designer's machine has after the first build), then the median of
    ``repeat`` fresh processes.
    """
    walls: list[float] = []
    used: list[float] = []
    stdout = ""
    for index in range(repeat + 1):
        shutil.rmtree(out, ignore_errors=True)
        before, start = cpu(), time.perf_counter()
        result = subprocess.run(
            [*PACKGEN, "build", "--out", str(out), *args],
            capture_output=True,
            text=True,
            check=False,
            env=COLD_ENV,
        )
        if index:
            walls.append(time.perf_counter() - start)
            used.append(cpu() - before)
        if result.returncode != 0:
            raise SystemExit(f"packgen build failed:\n{result.stderr}")
        stdout = result.stdout
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    lines = [line for line in stdout.splitlines() if line.endswith(("KB", "MB"))]
    pages = sum(
        int(line.split()[1]) for line in lines if " page" in line and "web page" not in line
    )
    return {
        "run_wall_s": statistics.median(walls),
        "run_cpu_s": statistics.median(used),
        "files": len(lines),
        "pdfs": sum(1 for line in lines if ".pdf " in line),
        "pages": pages,
        "peak_mb": peak / 1024,
    }


def cold_poster(work: Path, repeat: int = 5) -> dict[str, float]:
    """A cold process making the A4 office poster against one running the hand-written script."""
    commands = {
        "packgen": [
            *PACKGEN,
            "build",
            "--only",
            "poster-speak-up",
            "--size",
            "A4",
            "--profile",
            "office",
            "--out",
            str(work / "poster"),
        ],
        "handwritten": [sys.executable, str(HERE / "handwritten_poster.py"), str(work / "hw.pdf")],
    }
    times: dict[str, list[tuple[float, float]]] = {k: [] for k in commands}
    for index in range(repeat + 1):
        for key, command in commands.items():  # interleaved
            before, start = cpu(), time.perf_counter()
            subprocess.run(command, capture_output=True, check=True, cwd=work, env=COLD_ENV)
            if index:
                times[key].append((time.perf_counter() - start, cpu() - before))
    found: dict[str, float] = {}
    for key, runs in times.items():
        found[f"{key}_wall_s"] = statistics.median(r[0] for r in runs)
        found[f"{key}_cpu_s"] = statistics.median(r[1] for r in runs)
    found["ratio"] = found["packgen_wall_s"] / found["handwritten_wall_s"]
    found["ratio_cpu"] = found["packgen_cpu_s"] / found["handwritten_cpu_s"]
    return found


def designer_loop(repeat: int) -> dict[str, float]:
    """Edit a layout, rebuild that one product (all sizes and profiles), as watch mode does."""
    work = Path(tempfile.mkdtemp(prefix="packgen-bench-"))
    for folder in ("layouts", "assets"):
        shutil.copytree(embedded_root() / folder, work / folder)
    project = Project(work)
    layout = work / "layouts" / "poster-speak-up.yaml"
    original = layout.read_text(encoding="utf-8")
    build(project, work / "out", only=["poster-speak-up"])  # the designer's session is warm
    times = []
    for index in range(repeat):
        colour = "plum" if index % 2 else "teal"  # white text stays legible on both
        layout.write_text(
            original.replace("fill: teal\n", f"fill: {colour}\n", 1), encoding="utf-8"
        )
        os.utime(layout, ns=(time.time_ns(), time.time_ns() + index))
        start = time.perf_counter()
        report = build(project, work / "out", only=["poster-speak-up"])
        times.append(time.perf_counter() - start)
        assert report.ok, report.failures
    files = len(report.files)
    shutil.rmtree(work)
    return {"rebuild_ms": statistics.median(times) * 1000, "files": files}


def make_orgs(folder: Path, count: int) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    logo = embedded_root() / "docs" / "examples" / "orgs" / "riverside-logo.svg"
    if not logo.exists():
        logo = ROOT / "docs" / "examples" / "orgs" / "riverside-logo.svg"
    shutil.copy(logo, folder / "logo.svg")
    for index in range(count):
        (folder / f"org-{index:04d}.yaml").write_text(
            f"name: Family Hub number {index}\n"
            "logo: logo.svg\n"
            f"website: https://hub{index}.example.org\n"
            "support:\n"
            f"  name: Parent-Infant Team {index}\n"
            f"  url: https://hub{index}.example.org/support\n"
            f"  phone: 0114 496 {index:04d}\n",
            encoding="utf-8",
        )


BATCH = """
import sys, time
from pathlib import Path
start = time.perf_counter()
from packgen.distribute.batch import run_batch
from packgen.resolve.project import embedded_root
def done(count, total, result):  # when each pack was ready, for the steady rate
    print(f"done {time.perf_counter() - start:.3f}", flush=True)
results = run_batch(embedded_root(), Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3]),
                    False, ("press", "office"), done, preflight=sys.argv[4] == "1")
failed = [r for r in results if not r.ok]
sys.exit(f"{len(failed)} failed: {failed[0].problem}" if failed else 0)
"""


def batch(count: int, jobs: int, work: Path, check: bool = True) -> dict[str, float]:
    """``count`` co-branded packs (every print PDF) in ``jobs`` worker processes."""
    orgs = work / f"orgs-{count}"
    if not orgs.exists():
        make_orgs(orgs, count)
    out = work / f"batch-{count}-{jobs}-{check}"
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    used, start = cpu(), time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-c", BATCH, str(orgs), str(out), str(jobs), "1" if check else "0"],
        capture_output=True,
        text=True,
        check=False,
    )
    wall = time.perf_counter() - start
    used = cpu() - used
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    if result.returncode != 0:
        raise SystemExit(f"packgen batch failed:\n{result.stderr[-2000:]}")
    files = sum(1 for _ in out.rglob("*.pdf"))
    shutil.rmtree(out)
    ready = [
        float(line.split()[1]) for line in result.stdout.splitlines() if line.startswith("done ")
    ]
    return {
        **steady(ready, jobs),
        "orgs": count,
        "jobs": jobs,
        "check": check,
        "wall_s": wall,
        "cpu_s": used,
        "packs_per_s": count / wall,
        "files": files,
        # the largest process of the run (a worker, or the parent when it is larger)
        "peak_mb_per_process": max(peak, before) / 1024,
    }


def steady(ready: list[float], jobs: int) -> dict[str, float]:
    """The batch's rate once every worker has made its first pack (start, imports and
    first-pack caches are then behind it): packs after the first ``jobs`` over the time
    they took, and the time until then (the fixed part). For a small batch the wall time
    per pack is mostly that fixed part; 1,000 packs are mostly the steady rate."""
    if len(ready) <= jobs:
        return {}
    ready = sorted(ready)
    warm = ready[jobs - 1]
    return {"fixed_s": warm, "steady_packs_per_s": (len(ready) - jobs) / (ready[-1] - warm)}


def check_time(folder: Path) -> dict[str, float]:
    start = time.perf_counter()
    result = subprocess.run(
        [*PACKGEN, "check", str(folder)], capture_output=True, text=True, check=False
    )
    wall = time.perf_counter() - start
    files = len(list(folder.glob("*.pdf")))
    return {"wall_s": wall, "files": files, "ok": result.returncode == 0}


def sizes(folder: Path) -> dict[str, int]:
    return {
        str(path.relative_to(folder)): path.stat().st_size
        for path in sorted(folder.rglob("*"))
        if path.suffix in (".pdf", ".html", ".png")
    }


def _s(row: dict[str, float], key: str) -> str:
    """'1.23 s (0.98 s processor)' from row[key_wall_s] and row[key_cpu_s]."""
    return f"{row[f'{key}_wall_s']:.2f} s ({row[f'{key}_cpu_s']:.2f} s processor)"


def write(results: dict[str, object]) -> None:
    (HERE / "results.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    page: dict[str, float] = results["per_page"]  # type: ignore[assignment]
    pack: dict[str, dict[str, float]] = results["one_pack"]  # type: ignore[assignment]
    colds: dict[str, dict[str, float]] = results["cold_build"]  # type: ignore[assignment]
    poster: dict[str, float] = results["cold_poster"]  # type: ignore[assignment]
    loop: dict[str, float] = results["designer_loop"]  # type: ignore[assignment]
    check: dict[str, float] = results.get("check") or {}  # type: ignore[assignment]
    runs: list[dict[str, float]] = results["batch"]  # type: ignore[assignment]
    quick = bool(results["quick"])
    names = {
        "issue": "the issue's 18 PDFs",
        "print": "every print PDF",
        "all": "everything (PDFs, web pages, PNG kit)",
    }
    rows: list[tuple[str, str, str]] = []
    for key, label in names.items():
        row = pack[key]
        rows.append(
            (
                f"One co-branded pack, one core, with preflight: {label}",
                "≤ 0.25 s" if key == "issue" else "",
                f"{_s(row, 'checked')}, {row['files']:.0f} files; without preflight "
                f"{_s(row, 'unchecked')} (medians of {row.get('pairs', 1):.0f} alternating pairs)",
            )
        )
    for key, label in names.items():
        rows.append(
            (
                f"Preflight share of a build: {label}",
                "≤ 10%" if key == "issue" else "",
                f"{pack[key]['preflight_share']:.0%} (processor time)",
            )
        )
    target = max(runs, key=lambda r: (r["orgs"], r["jobs"], r["check"]))
    scaled = " (`--quick`: scaled down from 1,000)" if quick else ""
    for run in runs:
        checked = "" if run["check"] else ", without preflight"
        goal = ""
        if run is target:
            goal = "1,000 in < 150 s with 2 jobs"
        line = (
            f"{run['wall_s']:.1f} s ({run['cpu_s']:.0f} s processor), "
            f"{run['packs_per_s']:.2f} packs/s, {run['files']:.0f} PDFs"
        )
        if quick and run["orgs"] < 1000 and run["check"] and run["jobs"] == 2:
            line += f"; projected for 1,000: {run['wall_s'] / run['orgs'] * 1000:.0f} s"
            if run.get("steady_packs_per_s"):
                rest = (1000 - run["orgs"]) / run["steady_packs_per_s"]
                line += f" ({run['wall_s'] + rest:.0f} s from the steady rate)"
        if run.get("steady_packs_per_s"):
            line += (
                f"; steady {run['steady_packs_per_s']:.2f} packs/s after "
                f"{run['fixed_s']:.1f} s to every worker's first pack"
            )
        rows.append(
            (
                f"`packgen batch` {run['orgs']:.0f} organisations{scaled}, "
                f"{run['jobs']:.0f} job(s){checked}",
                goal,
                line,
            )
        )
    scaling = results.get("scaling")
    if scaling:
        rows.append(
            (
                "Batch scaling, 2 jobs ÷ 1 job (same organisations, wall clock)",
                "≥ 1.9×",
                f"{scaling:.2f}×"
                + (
                    f" (steady rates, after every worker's first pack: "
                    f"{results['steady_scaling']:.2f}×)"
                    if results.get("steady_scaling")
                    else ""
                ),
            )
        )
    rows.append(
        (
            "Peak memory per worker process",
            "< 200 MB",
            f"{max(r['peak_mb_per_process'] for r in runs):.0f} MB",
        )
    )
    cold_names = {
        "all": ("Cold `packgen build` (the default: every product and profile)", ""),
        "issue": (
            "Cold `packgen build --only` the issue's 5 products (18 PDFs + 5 web pages)",
            "< 1.2 s",
        ),
    }
    for key, (label, goal) in cold_names.items():
        cold = colds[key]
        rows.append(
            (
                f"{label}, median of {results['repeat']} fresh process(es)",
                goal,
                f"{_s(cold, 'run')}, {cold['files']:.0f} files ({cold['pdfs']:.0f} PDFs, "
                f"{cold['pages']:.0f} pages), peak {cold['peak_mb']:.0f} MB",
            )
        )
    rows += [
        (
            "Cold process making the A4 office poster (`build --only poster-speak-up --size A4 "
            "--profile office`) ÷ cold `bench/handwritten_poster.py`",
            "≤ 1.5×",
            f"{poster['ratio']:.2f}× wall ({poster['packgen_wall_s']:.2f} s vs "
            f"{poster['handwritten_wall_s']:.2f} s), {poster['ratio_cpu']:.2f}× processor "
            f"({poster['packgen_cpu_s']:.2f} s vs {poster['handwritten_cpu_s']:.2f} s)",
        ),
        (
            "Per poster page, packgen ÷ hand-written ReportLab (warm)",
            "≤ 0.7×",
            f"{page['ratio']:.2f}× wall ({page['packgen_ms']:.1f} ms vs "
            f"{page['handwritten_ms']:.1f} ms), {page['ratio_cpu']:.2f}× processor",
        ),
        (
            "Rebuild one product after a layout edit (designer loop)",
            "< 300 ms",
            f"{loop['rebuild_ms']:.0f} ms, {loop['files']:.0f} files",
        ),
    ]
    if check:
        rows.append(
            (
                "`packgen check` of the print PDFs (with pixels)",
                "",
                f"{check['wall_s']:.2f} s for {check['files']:.0f} files",
            )
        )
    sizes_: dict[str, int] = results["bytes"]  # type: ignore[assignment]
    a3 = [v for k, v in sizes_.items() if "-A3-" in k]
    rows.append(("Largest A3 poster", "< 60 KB", f"{max(a3) / 1024:.0f} KB"))
    per_product: dict[str, dict[str, float]] = pack["per_product"]  # type: ignore[assignment]
    lines = [
        "# Benchmark results",
        "",
        f"Measured by `python bench/run.py{' --quick' if quick else ''}` on "
        f"{results['machine']} ({results['cpus']} cores), Python {results['python']}, "
        f"load average {results['load_before']} before and {results['load_after']} after "
        "(other work shared the machine). Ratios come from one run; absolute times are "
        "indications for this machine. Processor time (user + system, children included) "
        "is less disturbed by other work than the wall clock.",
        "",
        "| measure | target | result |",
        "| --- | --- | --- |",
        *[f"| {a} | {b} | {c} |" for a, b, c in rows],
        "",
        "## Cost per file of each product",
        "",
        "One co-branded build of the product in a warm process, every profile, with preflight "
        "(processor time per file written).",
        "",
        "| product | files | kinds | ms per file |",
        "| --- | ---: | --- | ---: |",
        *[
            f"| {name} | {row['files']:.0f} | {row['kinds']} | {row['ms_per_file']:.0f} |"
            for name, row in per_product.items()
        ],
        "",
        "## Bytes per file",
        "",
        "| file | bytes |",
        "| --- | ---: |",
        *[f"| {name} | {size:,} |" for name, size in sizes_.items()],
        "",
    ]
    notes = HERE / "NOTES.md"
    if notes.exists():
        lines += [notes.read_text(encoding="utf-8")]
    (HERE / "RESULTS.md").write_text("\n".join(lines), encoding="utf-8")


def load() -> str:
    return " ".join(f"{v:.1f}" for v in os.getloadavg())


def cold_only(work: Path) -> None:
    """The cold rows alone, with the load and processor time around them (nothing written)."""
    found: dict[str, object] = {"load_before": load()}
    before = cpu()
    found["cold_build"] = {
        "all": cold_build(work / "pack", [], 3),
        "issue": cold_build(work / "issue", ["--only", *ISSUE_PRODUCTS], 3),
    }
    found["cold_poster"] = cold_poster(work, 5)
    found["cpu_s"] = cpu() - before
    found["load_after"] = load()
    shutil.rmtree(work, ignore_errors=True)
    print(json.dumps(found, indent=2))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--quick",
        action="store_true",
        help="batches of 6 organisations instead of 1,000, fewer repeats, no packgen check row",
    )
    parser.add_argument(
        "--cold",
        action="store_true",
        help="only the cold rows (default pack, the issue's 18 PDFs, one poster), printed as JSON",
    )
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="packgen-bench-"))
    if args.cold:
        cold_only(work)
        return
    results: dict[str, object] = {
        "quick": args.quick,
        "machine": platform.machine(),
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "load_before": load(),
        "repeat": 1 if args.quick else 3,
    }
    repeat = 1 if args.quick else 3

    def step(key: str, value: object) -> None:
        results[key] = value
        partial = HERE / "results.partial.json"  # a crash keeps what was measured
        partial.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")

    print("per page …", flush=True)
    step("per_page", per_page(30))
    print("one pack …", flush=True)
    step("one_pack", one_pack(repeat))
    print("cold builds …", flush=True)
    step(
        "cold_build",
        {
            "all": cold_build(work / "pack", [], repeat),
            "issue": cold_build(work / "issue", ["--only", *ISSUE_PRODUCTS], repeat),
        },
    )
    results["bytes"] = sizes(work / "pack")
    print("cold poster …", flush=True)
    step("cold_poster", cold_poster(work, 3 if args.quick else 5))
    print("designer loop …", flush=True)
    step("designer_loop", designer_loop(8))
    if not args.quick:
        print("check …", flush=True)
        step("check", check_time(work / "pack"))
    runs = []
    plan = [(6, 1, True), (6, 2, True)]
    if not args.quick:
        plan = [(100, 1, True), (100, 2, True), (1000, 2, False), (1000, 2, True)]
    for count, jobs, check in plan:
        print(f"batch {count} × {jobs} job(s), check={check} …", flush=True)
        runs.append(batch(count, jobs, work, check))
        step("batch", runs)
    results["batch"] = runs
    small = [r for r in runs if r["orgs"] == plan[0][0] and r["check"]]
    if len(small) == 2:
        results["scaling"] = small[0]["wall_s"] / small[1]["wall_s"]
        if small[0].get("steady_packs_per_s") and small[1].get("steady_packs_per_s"):
            rates = small[1]["steady_packs_per_s"] / small[0]["steady_packs_per_s"]
            results["steady_scaling"] = rates
    results["load_after"] = load()
    shutil.rmtree(work, ignore_errors=True)
    write(results)
    (HERE / "results.partial.json").unlink(missing_ok=True)
    print((HERE / "RESULTS.md").read_text(encoding="utf-8"))


if __name__ == "__main__":
    main()
