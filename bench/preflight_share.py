"""The preflight's share of a warm co-branded build of the issue's 18 PDFs, three ways.

Builds alternate with and without the preflight in one warm process (``PAIRS``
pairs, default 12) and the medians of their processor time are compared as
they are, and less the time the cyclic garbage collector ran (a full
collection, about 90 ms over a warm build's heap, falls in roughly every other
build with or without the preflight, and a median of a dozen builds moves by
whether it fell in); the processor time inside ``build._preflight`` is timed
as well. Run from the repository: ``python bench/preflight_share.py [PAIRS]``.
"""

from __future__ import annotations

import gc
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from run import ISSUE_PRODUCTS, ORG, clocked

import packgen.build as building
from packgen.model.profiles import PDF_PROFILES
from packgen.resolve.org import load_org
from packgen.resolve.project import Project, embedded_root

collector = {"seconds": 0.0, "full": 0, "started": 0.0}
inside = {"seconds": 0.0}


def _on_collection(phase: str, info: dict[str, Any]) -> None:
    if phase == "start":
        collector["started"] = time.process_time()
        return
    collector["seconds"] += time.process_time() - collector["started"]
    collector["full"] += info["generation"] == 2


def main(pairs: int) -> None:
    project, org = Project(embedded_root()), load_org(ORG)
    out = Path(tempfile.mkdtemp())
    preflight = building._preflight

    def timed(*arguments: Any) -> None:
        started = time.process_time()
        preflight(*arguments)
        inside["seconds"] += time.process_time() - started

    building._preflight = timed  # type: ignore[assignment]

    def one(check: bool) -> tuple[float, float, int, float]:
        before = collector["seconds"], collector["full"], inside["seconds"]
        _, used = clocked(
            lambda: building.build(
                project, out, ISSUE_PRODUCTS, PDF_PROFILES, org=org, preflight=check
            )
        )
        return (
            used,
            used - (collector["seconds"] - before[0]),
            int(collector["full"] - before[1]),
            inside["seconds"] - before[2],
        )

    for check in (True, False, True, False):  # warm up
        one(check)
    gc.callbacks.append(_on_collection)
    rows: dict[bool, list[tuple[float, float, int, float]]] = {True: [], False: []}
    for _ in range(pairs):
        for check in (True, False):
            rows[check].append(one(check))
    gc.callbacks.remove(_on_collection)

    def median(check: bool, column: int) -> float:
        return statistics.median(row[column] for row in rows[check])

    full = {check: sum(row[2] for row in rows[check]) for check in rows}
    print(
        f"with: {median(True, 0):.3f} s, less the collector {median(True, 1):.3f} s,"
        f" {full[True]} full collections, inside _preflight {median(True, 3) * 1000:.1f} ms"
    )
    print(
        f"without: {median(False, 0):.3f} s, less the collector {median(False, 1):.3f} s,"
        f" {full[False]} full collections"
    )
    print(
        f"share: {1 - median(False, 0) / median(True, 0):.1%},"
        f" less the collector {1 - median(False, 1) / median(True, 1):.1%},"
        f" inside ÷ with {median(True, 3) / median(True, 0):.1%}"
    )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 12)
