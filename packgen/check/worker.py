"""A PDF in a folder into its preflight report and pictures, in a process with limits.

``run_limited`` starts ``python -m packgen.check.worker FOLDER`` on the file
``FOLDER/upload.pdf``: the child loads its libraries, limits its own memory
(address space) and CPU time with ``resource.setrlimit``, then writes ``report.json`` and one
PNG per page into FOLDER. The parent kills it at the wall-clock limit. Used by
the portal, where the PDF comes from anyone.
"""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

UPLOAD = "upload.pdf"
REPORT = "report.json"
MEMORY_BYTES = 1536 * 1024 * 1024
CPU_SECONDS = 60
WALL_SECONDS = 90
MAX_PICTURES = 12


@dataclass(frozen=True)
class Outcome:
    """What came back: the report, or why there is none ("time", "memory", "failed")."""

    report: dict[str, object] | None
    pictures: list[Path]
    problem: str | None = None


def _limit(memory: int, cpu: int) -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 5))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def run_limited(
    folder: Path,
    memory: int = MEMORY_BYTES,
    cpu: int = CPU_SECONDS,
    wall: float = WALL_SECONDS,
) -> Outcome:
    """Check ``folder/upload.pdf`` in a child process under the given limits."""
    command = [sys.executable, "-m", "packgen.check.worker", str(folder), str(memory), str(cpu)]
    try:
        done = subprocess.run(
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            timeout=wall,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return Outcome(None, [], "time")
    report_path = folder / REPORT
    if done.returncode != 0 or not report_path.is_file():
        text = done.stderr.decode("utf-8", "replace")
        if done.returncode in (-9, -24, 152) or "CPU" in text:  # SIGKILL/SIGXCPU: time
            return Outcome(None, [], "time")
        return Outcome(None, [], "memory" if "MemoryError" in text else "failed")
    report = json.loads(report_path.read_text(encoding="utf-8"))
    pictures = [folder / str(name) for name in report.get("pictures", [])]
    return Outcome(report, [p for p in pictures if p.is_file()])


def main(argv: list[str]) -> int:
    folder, memory, cpu = Path(argv[0]), int(argv[1]), int(argv[2])
    import pypdfium2  # noqa: F401  # libraries are loaded before the limits, work runs under them

    from packgen.check import check_file
    from packgen.check.pictures import draw_report

    _limit(memory, cpu)

    report = check_file(folder / UPLOAD)
    pictures = draw_report(report, folder, max_pages=MAX_PICTURES)
    document = report.as_dict()
    document["pictures"] = [p.name for p in pictures]
    (folder / REPORT).write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
