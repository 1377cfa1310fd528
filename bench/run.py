"""packgen's benchmark: one command, one run, ratios and indications.

    python bench/run.py            # everything (about 10 minutes on 2 cores)
    python bench/run.py --quick    # smaller batches (about 2 minutes)

Writes bench/RESULTS.md (a table) and bench/results.json. Ratios compare
figures measured in the same run; absolute times are indications for this
machine only. Nothing here is asserted by the test suite.
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
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

from handwritten_poster import draw_poster, register_fonts  # noqa: E402

from packgen.build import build, make  # noqa: E402
from packgen.model.profiles import OFFICE  # noqa: E402
from packgen.resolve.design import load_design  # noqa: E402
from packgen.resolve.project import Project, embedded_root  # noqa: E402

PACKGEN = [sys.executable, "-m", "packgen"]


def timed(function, repeat: int) -> list[float]:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return times


def per_page(repeat: int) -> dict[str, float]:
    """Steady-state time for one A4 poster page: packgen against hand-written ReportLab."""
    project = Project(embedded_root())
    design = load_design(project, "poster-speak-up")
    art = str(project.assets_dir / "illustrations" / "speak-up.svg")
    register_fonts()
    for _ in range(3):  # warm both up: fonts, caches, imports
        make(project, design, "A4", OFFICE)
        draw_poster(art)
    engine, hand = [], []
    for _ in range(repeat):  # interleaved, so drift on the machine hits both alike
        engine += timed(lambda: make(project, design, "A4", OFFICE), 1)
        hand += timed(lambda: draw_poster(art), 1)
    e, h = statistics.median(engine), statistics.median(hand)
    return {"packgen_ms": e * 1000, "handwritten_ms": h * 1000, "ratio": e / h}


def cold_build(out: Path, repeat: int = 3) -> dict[str, float]:
    """A fresh process building the whole default pack (both profiles, with preflight).

    One unmeasured run first (it compiles bytecode and fills the OS file cache,
    which a designer's machine has after the first build), then the median of
    ``repeat`` fresh processes.
    """
    walls: list[float] = []
    stdout = ""
    for index in range(repeat + 1):
        shutil.rmtree(out, ignore_errors=True)
        start = time.perf_counter()
        result = subprocess.run(
            [*PACKGEN, "build", "--out", str(out)], capture_output=True, text=True, check=False
        )
        if index:
            walls.append(time.perf_counter() - start)
        if result.returncode != 0:
            raise SystemExit(f"packgen build failed:\n{result.stderr}")
        stdout = result.stdout
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    pages = sum(int(line.split()[1]) for line in stdout.splitlines() if " page" in line)
    files = sum(1 for line in stdout.splitlines() if line.endswith(("KB", "MB")))
    return {
        "wall_s": statistics.median(walls),
        "files": files,
        "pages": pages,
        "peak_mb": peak / 1024,
    }


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


def batch(count: int, jobs: int, work: Path, check: bool = True) -> dict[str, float]:
    orgs = work / f"orgs-{count}"
    if not orgs.exists():
        make_orgs(orgs, count)
    out = work / f"batch-{count}-{jobs}-{check}"
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    result = subprocess.run(
        [*PACKGEN, "batch", str(orgs), "--jobs", str(jobs), "--out", str(out)]
        + ([] if check else ["--no-check"]),
        capture_output=True,
        text=True,
        check=False,
    )
    wall = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    if result.returncode != 0:
        raise SystemExit(f"packgen batch failed:\n{result.stderr[-2000:]}")
    files = sum(1 for _ in out.rglob("*.pdf"))
    shutil.rmtree(out)
    return {
        "orgs": count,
        "jobs": jobs,
        "check": check,
        "wall_s": wall,
        "packs_per_s": count / wall,
        "files": files,
        "peak_mb_per_process": max(peak, before) / 1024,
    }


def check_time(folder: Path) -> dict[str, float]:
    start = time.perf_counter()
    result = subprocess.run(
        [*PACKGEN, "check", str(folder)], capture_output=True, text=True, check=False
    )
    wall = time.perf_counter() - start
    files = len(list(folder.glob("*.pdf")))
    return {"wall_s": wall, "files": files, "ok": result.returncode == 0}


def sizes(folder: Path) -> dict[str, int]:
    return {path.name: path.stat().st_size for path in sorted(folder.glob("*.pdf"))}


def write(results: dict[str, object]) -> None:
    (HERE / "results.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    page = results["per_page"]
    cold = results["cold_build"]
    loop = results["designer_loop"]
    check = results["check"]
    rows = [
        (
            "Per poster page, packgen ÷ hand-written ReportLab",
            "≤ 1.1×",
            f"{page['ratio']:.2f}× ({page['packgen_ms']:.1f} ms vs "
            f"{page['handwritten_ms']:.1f} ms)",
        ),
        (
            "Cold `packgen build`, whole default pack (median of 3 fresh processes)",
            "< 2 s",
            f"{cold['wall_s']:.2f} s, {cold['files']} files, {cold['pages']} pages, "
            f"peak {cold['peak_mb']:.0f} MB",
        ),
        (
            "Rebuild one product after a layout edit (6 files)",
            "< 300 ms",
            f"{loop['rebuild_ms']:.0f} ms",
        ),
    ]
    for run in results["batch"]:  # type: ignore[attr-defined]
        checked = "" if run["check"] else ", `--no-check`"
        target = run["orgs"] == 1000 and run["jobs"] == 2
        rows.append(
            (
                f"`packgen batch` {run['orgs']} organisations, {run['jobs']} job(s){checked}",
                "1,000 in < 180 s with 2 jobs" if target else "",
                f"{run['wall_s']:.1f} s, {run['packs_per_s']:.1f} packs/s, {run['files']} PDFs, "
                f"peak {run['peak_mb_per_process']:.0f} MB per process",
            )
        )
    scaling = results.get("scaling")
    if scaling:
        rows.append(
            ("Batch scaling, 2 jobs ÷ 1 job (100 organisations)", "close to 2×", f"{scaling:.2f}×")
        )
    rows.append(
        (
            "`packgen check` of the whole pack (with pixels)",
            "",
            f"{check['wall_s']:.2f} s for {check['files']} files",
        )
    )
    a3 = [v for k, v in results["bytes"].items() if "-A3-" in k]  # type: ignore[attr-defined]
    rows.append(("Largest A3 poster", "< 60 KB", f"{max(a3) / 1024:.0f} KB"))
    lines = [
        "# Benchmark results",
        "",
        f"Measured by `python bench/run.py{' --quick' if results['quick'] else ''}` on "
        f"{results['machine']} ({results['cpus']} cores), Python {results['python']}. "
        "Ratios come from one run; absolute times are indications for this machine.",
        "",
        "| measure | target | result |",
        "| --- | --- | --- |",
        *[f"| {a} | {b} | {c} |" for a, b, c in rows],
        "",
        "## Bytes per file",
        "",
        "| file | bytes |",
        "| --- | ---: |",
        *[f"| {name} | {size:,} |" for name, size in results["bytes"].items()],  # type: ignore[attr-defined]
        "",
    ]
    notes = HERE / "NOTES.md"
    if notes.exists():
        lines += [notes.read_text(encoding="utf-8")]
    (HERE / "RESULTS.md").write_text("\n".join(lines), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="batches of 20 and 100 only")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="packgen-bench-"))
    results: dict[str, object] = {
        "quick": args.quick,
        "machine": platform.machine(),
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
    }
    print("per page …", flush=True)
    results["per_page"] = per_page(30)
    print("cold build …", flush=True)
    results["cold_build"] = cold_build(work / "pack")
    results["bytes"] = sizes(work / "pack")
    print("designer loop …", flush=True)
    results["designer_loop"] = designer_loop(8)
    print("check …", flush=True)
    results["check"] = check_time(work / "pack")
    runs = []
    plan = [(20, 1, True), (20, 2, True), (100, 2, True), (100, 2, False)]
    if not args.quick:
        plan = [(100, 1, True), (100, 2, True), (1000, 2, True), (1000, 2, False), (1000, 1, True)]
    for count, jobs, check in plan:
        print(f"batch {count} × {jobs} job(s), check={check} …", flush=True)
        runs.append(batch(count, jobs, work, check))
    results["batch"] = runs
    small = [r for r in runs if r["orgs"] == plan[0][0] and r["check"]]
    if len(small) == 2:
        results["scaling"] = small[0]["wall_s"] / small[1]["wall_s"]
    shutil.rmtree(work, ignore_errors=True)
    write(results)
    print((HERE / "RESULTS.md").read_text(encoding="utf-8"))


if __name__ == "__main__":
    main()
