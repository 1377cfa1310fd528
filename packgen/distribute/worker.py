"""Worker processes for untrusted work: bounded in time and memory, dying with their parent.

A batch builds packs from profiles and logos that anyone may have written, in
processes of a pool. Each worker:

- dies with the process that started it (Linux ``prctl(PR_SET_PDEATHSIG)``,
  and on every system a watchdog thread that notices a new parent), so a
  ``kill -9`` of ``packgen batch`` leaves no worker writing files behind it;
- has its address space bounded (``RLIMIT_AS``): an allocation past the
  budget raises :class:`MemoryError`, which fails that one profile;
- gets a CPU-time budget per task (``RLIMIT_CPU``, soft limit): when it runs
  out, ``SIGXCPU`` raises :class:`~packgen.errors.BudgetExceeded` in the task.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import resource
import signal
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from types import FrameType

from packgen.errors import BudgetExceeded

PR_SET_PDEATHSIG = 1
WATCH_INTERVAL = 1.0  # seconds between the watchdog's looks at the parent


@dataclass(frozen=True)
class Budget:
    """What one organisation's pack may use; 0 means no limit."""

    seconds: int = 120  # CPU seconds per organisation
    memory_mb: int = 2048  # address space of a worker process


_state = {"seconds": 0, "raised": False}


def die_with_parent(parent: int) -> None:
    """Make this process end when ``parent`` does (call first thing in a worker)."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:  # the parent died before the line above
        os._exit(1)

    def watch() -> None:
        while True:
            time.sleep(WATCH_INTERVAL)
            if os.getppid() != parent:
                os._exit(1)

    threading.Thread(target=watch, name="packgen-parent-watchdog", daemon=True).start()


def _out_of_time(signum: int, frame: FrameType | None) -> None:
    if _state["raised"]:
        return  # the kernel repeats SIGXCPU every second; one exception is enough
    _state["raised"] = True
    raise BudgetExceeded(
        f"used more than {_state['seconds']} s of processor time, the budget for one organisation",
        "its logo or profile is probably far more complex than it needs to be",
    )


def init_worker(parent: int, budget: Budget) -> None:
    """Pool initializer: tie the worker to its parent and bound its memory."""
    die_with_parent(parent)
    if budget.memory_mb > 0:
        limit = budget.memory_mb * 1024 * 1024
        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    signal.signal(signal.SIGXCPU, _out_of_time)


@contextlib.contextmanager
def cpu_budget(seconds: int) -> Iterator[None]:
    """Raise :class:`BudgetExceeded` in this block after ``seconds`` of CPU time."""
    if seconds <= 0:
        yield
        return
    usage = resource.getrusage(resource.RUSAGE_SELF)
    soft = int(usage.ru_utime + usage.ru_stime) + seconds + 1
    _, hard = resource.getrlimit(resource.RLIMIT_CPU)
    if hard != resource.RLIM_INFINITY:
        soft = min(soft, hard)
    _state["seconds"], _state["raised"] = seconds, False
    try:
        resource.setrlimit(resource.RLIMIT_CPU, (soft, hard))
    except (ValueError, OSError):
        yield
        return
    try:
        yield
    finally:
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(resource.RLIMIT_CPU, (hard, hard))
