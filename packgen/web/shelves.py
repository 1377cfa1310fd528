"""Every language's unpersonalised pack, built in the background while the portal serves.

The server starts answering at once: each shelf (:mod:`packgen.web.shelf`) is
planned without building, and its products are built one at a time in the
portal's worker pool, the campaign's own language first, then the zip. A
background task is started only while no visitor's pack is waiting (a
visitor never queues behind more than the one product being built), unless a
visitor asked for that very file (:meth:`Shelves.demand`), which puts it at
the front of the queue. Another language's shelf is planned and queued the
first time someone looks at it or asks for one of its files.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Callable
from concurrent.futures import Future
from pathlib import Path

from packgen.resolve.project import Project
from packgen.web.catalogue import Catalogue
from packgen.web.jobs import Jobs
from packgen.web.pages import PageCopy
from packgen.web.shelf import (
    build_shelf_product,
    failed,
    finish_shelf,
    load_built,
    load_bundle,
    own_products,
    plan_shelf,
    shelf_folder,
    sort_products,
)

log = logging.getLogger("packgen.web")
BUNDLE_TASK = ""  # the queue's name for a shelf's zip
Task = tuple[str, str]  # (language, product or BUNDLE_TASK)


class Shelves:
    def __init__(
        self,
        project: Project,
        folder: Path,
        jobs: Jobs,
        copy: PageCopy,
        names_for: Callable[[str], list[str]] | None = None,
    ) -> None:
        self.project, self.folder, self.jobs, self.copy = project, folder, jobs, copy
        self.own = project.language_code
        self.names_for = names_for  # another language's products (from the offer)
        self.version = 0  # grows whenever a product or a zip becomes ready
        self._plans: dict[str, Catalogue] = {}
        self._queue: list[Task] = []
        self._demanded: set[Task] = set()
        self._current: Task | None = None
        self._lock = threading.RLock()
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    # --- what is on each shelf -------------------------------------------------------

    def _names(self, code: str) -> list[str]:
        if code == self.own:
            return own_products(self.project)
        return self.names_for(code) if self.names_for else []

    def _plan(self, code: str) -> Catalogue:
        with self._lock:
            plan = self._plans.get(code)
            if plan is None:
                made_in = self.project if code == self.own else self.project.in_language(code)
                folder = shelf_folder(self.folder, code, self.own)
                names = self._names(code)
                plan = plan_shelf(made_in, folder, names, self.copy, self._bundle_name(code))
                products = []
                for product in plan.products:  # what a server before this one built
                    if failed(folder, product.name):
                        continue
                    products.append(load_built(folder, product.name) or product)
                plan = Catalogue(folder, products, plan.bundle, load_bundle(folder))
                self._plans[code] = plan
            return plan

    def _bundle_name(self, code: str) -> str:
        campaign = self.project.campaign.id
        return f"{campaign}.zip" if code == self.own else f"{campaign}-{code}.zip"

    def catalogue(self, code: str | None = None) -> Catalogue:
        """The shelf of ``code`` (the campaign's language by default) as it stands now."""
        return self._plan(code or self.own)

    # --- the queue -------------------------------------------------------------------

    def want(self, code: str) -> None:
        """Queue whatever the shelf of ``code`` still lacks (its products, then its zip)."""
        plan = self._plan(code)
        with self._lock:
            for product in plan.products:
                task = (code, product.name)
                if not product.ready and task not in self._queue and task != self._current:
                    self._queue.append(task)
            task = (code, BUNDLE_TASK)
            if not plan.bundle_bytes and task not in self._queue and task != self._current:
                self._queue.append(task)
        self._wake.set()

    def demand(self, code: str, name: str = BUNDLE_TASK) -> None:
        """A visitor asked for a file of ``name`` (or the zip): build it next, even while
        packs are waiting."""
        plan = self._plan(code)
        self.want(code)
        names = [p.name for p in plan.products if not p.ready] if name == BUNDLE_TASK else []
        with self._lock:
            for task in [*((code, n) for n in names), (code, name)]:
                self._demanded.add(task)
            first = [t for t in self._queue if t in self._demanded]
            self._queue = first + [t for t in self._queue if t not in self._demanded]
        self._wake.set()

    def start(self) -> None:
        """Queue the campaign's own shelf and start building in the background."""
        self.want(self.own)
        self._thread = threading.Thread(target=self._loop, name="shelves", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def _loop(self) -> None:
        while not self._stop.is_set():
            self._wake.wait(0.5)
            self._wake.clear()
            with contextlib.suppress(Exception):  # a broken pool: tried again next round
                self._next()

    def _next(self) -> None:
        with self._lock:
            if self._current is not None or not self._queue:
                return
            task = self._queue[0]
            if task not in self._demanded and self.jobs.busy():
                return  # a visitor's pack first
            code, name = task
            plan = self._plan(code)
            if name == BUNDLE_TASK and not all(p.ready for p in plan.products):
                left = [p.name for p in plan.products if not p.ready]
                if all((code, n) not in self._queue for n in left):
                    self._queue.pop(0)  # a product never came: no zip of a part of the pack
                    return
                self._queue.append(self._queue.pop(0))
                return
            self._queue.pop(0)
            self._current = task
        args = (str(self.project.root), self.jobs.campaign, self.jobs.language, code)
        folder = str(plan.folder)
        try:
            pool = self.jobs.pool()
            if name == BUNDLE_TASK:
                names = [p.name for p in plan.products]
                future: Future[object] = pool.submit(
                    finish_shelf, *args, folder, names, plan.bundle
                )
            else:
                future = pool.submit(build_shelf_product, *args, folder, name)
        except RuntimeError:
            with self._lock:
                self._current = None
                self._queue.insert(0, task)
            self.jobs.reset_pool()
            raise
        future.add_done_callback(lambda f: self._done(task, f))

    def _done(self, task: Task, future: Future[object]) -> None:
        code, name = task
        error = None if future.cancelled() else future.exception()
        with self._lock:
            self._current = None
            self._demanded.discard(task)
            plan = self._plan(code)
            if error is not None:
                log.warning("default pack %s %s: %r", code, name or "zip", error)
            elif name == BUNDLE_TASK:
                plan = Catalogue(plan.folder, plan.products, plan.bundle, load_bundle(plan.folder))
            else:
                if future.result():
                    log.warning("default pack %s %s not built:\n%s", code, name, future.result())
                built = load_built(plan.folder, name)
                products = [p for p in plan.products if p.name != name or built is not None]
                products = [built if built and p.name == name else p for p in products]
                plan = Catalogue(plan.folder, sort_products(products), plan.bundle, 0)
            self._plans[code] = plan
            self.version += 1
        self._wake.set()

    def prepare(self, code: str | None = None, only: list[str] | None = None) -> Catalogue:
        """Build the shelf of ``code`` now, in this process (every product, or ``only``
        those; the zip once every product is there)."""
        code = code or self.own
        plan = self._plan(code)
        args = (str(self.project.root), self.jobs.campaign, self.jobs.language, code)
        built: set[str] = set()
        for product in plan.products:
            if not product.ready and (only is None or product.name in only):
                built.add(product.name)
                future: Future[object] = Future()
                future.set_result(build_shelf_product(*args, str(plan.folder), product.name))
                self._done((code, product.name), future)
        plan = self._plan(code)
        if not plan.bundle_bytes and all(p.ready for p in plan.products):
            future = Future()
            built.add(BUNDLE_TASK)
            names = [p.name for p in plan.products]
            future.set_result(finish_shelf(*args, str(plan.folder), names, plan.bundle))
            self._done((code, BUNDLE_TASK), future)
        with self._lock:
            self._queue = [t for t in self._queue if t[0] != code or t[1] not in built]
        return self._plan(code)
