"""Worker processes that end with the process that started them.

A process pool's workers outlive a parent killed with SIGKILL: they keep
building and then block forever on a queue nobody reads. :func:`tie_to_parent`,
run as a pool's initializer, asks Linux to kill the worker when its parent
dies (``prctl(PR_SET_PDEATHSIG)``) and, everywhere, starts a watchdog thread
that exits the worker once its parent process id changes (the worker was
re-parented to init or a subreaper). Pass the parent's own process id
(``initargs=(os.getpid(),)``) so that a worker still starting when its parent
dies notices too.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import sys
import threading
import time

PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>
WATCH_INTERVAL = 1.0  # seconds


def _parent_death_signal() -> None:
    if not sys.platform.startswith("linux"):
        return
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)


def tie_to_parent(parent: int | None = None, interval: float = WATCH_INTERVAL) -> None:
    """End this process when its parent dies (call first thing in a worker).

    ``parent`` is the process id the parent had when it started the worker
    (``os.getpid()`` there): a worker that starts after its parent has already
    died then ends at once instead of adopting its new parent.
    """
    parent = os.getppid() if parent is None else parent
    _parent_death_signal()
    if os.getppid() != parent:  # the parent died before the signal was set
        os._exit(1)

    def watch() -> None:
        while True:
            time.sleep(interval)
            if os.getppid() != parent:
                os._exit(1)

    threading.Thread(target=watch, name="lifeline", daemon=True).start()
