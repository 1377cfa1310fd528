"""Co-branded packs, built in worker processes and cached by the content of the request.

A request's key is the sha256 of its fields and its logo's bytes, so the same
request twice is one build. Each key has a folder holding the request
(``request.json`` with the fields and the choice of files, ``profile.yaml``,
the logo), the worker's progress (``progress.json``: files made of files to
make), and at the end either the PDFs, the zip, previews and ``result.json``,
or ``result.json`` with the problems found. The folder on disk is the state:
a server restarted mid-build picks the request up again.

Builds run in a process pool (ReportLab keeps global state and the work is
CPU-bound) whose workers die with the server
(:func:`packgen.distribute.worker.die_with_parent`), at
most ``max_pending`` at once. A request refused as busy stores nothing. The
cache is bounded: finished packs beyond ``keep`` in count or ``max_bytes`` in
size, or older than ``max_age``, are removed oldest first, and folders left
without a result and without a running build (a crash, a killed server) are
removed once they are older than ``ORPHAN_AGE``.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import shutil
import threading
import time
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path
from typing import Any

from packgen.distribute.worker import Budget, cpu_budget, init_worker
from packgen.render.write import write_atomic

KEY = re.compile(r"^[0-9a-f]{64}$")
PDFS, PREVIEWS = "pdf", "previews"
PREVIEW_WIDTH, LARGE_WIDTH = 640, 1240  # pixels: the ready page's preview, and the one it opens
ORPHAN_AGE = 600.0  # seconds before a folder with no result and no build is removed
DAY = 24 * 3600.0
REQUEST, PROFILE, PROGRESS, RESULT = "request.json", "profile.yaml", "progress.json", "result.json"
_QR_ELEMENT = re.compile(r"QR code '([^']+)'")
_QUOTED = re.compile(r"'(.*?)'(?=\W|$)")
# which form field each co-branded link comes from (see Organisation.links)
LINK_FIELDS = {"support": "support_url", "org": "website"}


class Busy(Exception):
    """Too many packs are being built; the caller should try again later."""


@dataclass(frozen=True)
class Problem:
    message: str
    field: str | None = None
    hint: str | None = None
    kind: str | None = None  # "qr": a link's QR code or its printed URL; "text": words


@dataclass(frozen=True)
class Status:
    key: str
    state: str  # building | ready | failed | unknown
    name: str = ""
    done: int = 0
    total: int = 0
    zip_name: str | None = None
    bytes: int = 0
    problems: list[Problem] = field(default_factory=list)
    values: dict[str, str] = field(default_factory=dict)
    logo: dict[str, str] = field(default_factory=dict)
    choice: dict[str, Any] = field(default_factory=dict)
    files: list[dict[str, Any]] = field(default_factory=list)  # every PDF, for single downloads
    previews: list[dict[str, Any]] = field(default_factory=list)


def request_key(values: dict[str, str], logo_digest: str, choice: object = None) -> str:
    """The cache key: every field (by name), the choice of files and the logo's own hash."""
    data: dict[str, object] = {"fields": values, "logo": logo_digest}
    if choice is not None:
        data["choice"] = choice
    text = json.dumps(data, sort_keys=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _read_json(path: Path) -> dict[str, Any] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _write_json(path: Path, data: object) -> None:
    write_atomic(path, (json.dumps(data, indent=1) + "\n").encode("utf-8"))


# --- in the worker process ---------------------------------------------------

_worker_project: Any = None


def _project(root: str, campaign: str | None, language: str | None) -> Any:
    global _worker_project
    from packgen.resolve.project import Project

    if _worker_project is not None:  # the loaded project, if it is the one asked for
        (loaded_root, loaded_campaign), project = _worker_project
        same_language = language is None or language == project.language_code
        if (loaded_root, loaded_campaign) == (root, campaign) and same_language:
            return project
    project = Project(Path(root), campaign, language)
    _worker_project = ((root, campaign), project)
    return project


def attribute(
    message: str, values: dict[str, str], project: Any, product: str
) -> tuple[str | None, str | None]:
    """The form field a build problem most likely comes from, and its kind; or Nones.

    A QR code's problem belongs to the field its link comes from (found in the
    layout); any other belongs to the field whose words the message quotes.
    """
    match = _QR_ELEMENT.search(message)
    if match and product:
        from packgen.resolve.design import load_design

        link = _element_link(load_design(project, product).raw, match.group(1))
        name = LINK_FIELDS.get(link or "")
        return name, "qr" if name else None
    quoted = " ".join(_QUOTED.findall(message))
    for name, value in values.items():
        words = [w for w in value.split() if len(w) >= 4] or ([value] if value else [])
        if any(word in quoted for word in words):
            return name, "text"
    return None, None


def cobrand_message(diagnostic: Any, copy: Any) -> str | None:
    """A co-brand value refused as too long (:class:`~packgen.layout.cobrand.TooLong`), in
    the portal's words: which of the visitor's fields, where it prints, and the limit;
    None for any other diagnostic."""
    from packgen.layout.cobrand import TooLong
    from packgen.web.upload import BY_PATH

    if not isinstance(diagnostic, TooLong) or diagnostic.field not in BY_PATH:
        return None
    name = BY_PATH[diagnostic.field]
    what = copy.text(f"cobrand_fields.{name}")
    slot, kind = f"cobrand_slots.{diagnostic.slot_id}", f"cobrand_kinds.{diagnostic.kind}"
    link = name.endswith("url") or name == "website"
    if not copy.has(slot):  # a slot in a panel (``panel/element``): the panel
        slot = f"cobrand_slots.{diagnostic.slot_id.partition('/')[0]}"
    if link or not copy.has(slot):
        slot = kind if copy.has(kind) else "cobrand_kinds.any"
    where = copy.text(slot)
    key = "errors.cobrand_too_long_link" if link else "errors.cobrand_too_long"
    return str(copy.text(key, what=what, where=where, fits=diagnostic.fits))


def _copy(root: str, campaign: str | None, language: str | None) -> Any:
    """The portal's copy (of the server's language, as its pages are)."""
    from packgen.resolve.project import Project
    from packgen.web.pages import PageCopy

    return PageCopy(Project(Path(root), campaign, language).content())


def _element_link(node: Any, element_id: str) -> str | None:
    """The ``link:`` of the element ``element_id`` anywhere in a layout."""
    children: list[Any]
    if isinstance(node, dict):
        if node.get("id") == element_id and "link" in node:
            return str(node["link"])
        children = list(node.values())
    elif isinstance(node, list):
        children = node
    else:
        return None
    for child in children:
        found = _element_link(child, element_id)
        if found:
            return found
    return None


def _first_page(pdf: Path, width: int) -> Any:
    """The first page of ``pdf`` as an RGB image ``width`` pixels wide."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(pdf)
    try:
        page = document[0]
        image = page.render(scale=width / page.get_width()).to_pil().convert("RGB")
        page.close()
        return image
    finally:
        document.close()


def _render_previews(
    files: list[Any], folder: Path
) -> tuple[list[dict[str, Any]], dict[str, bytes]]:
    """The first page of each product, at a readable size and larger, for the ready page;
    and the zip's thumbnails (PNG bytes by product), drawn from the same image.

    Drawn from the product's smallest office file (no crop marks), or its
    smallest print-shop file when no office version was chosen.
    """
    import io

    from packgen.distribute.bundle import THUMBNAIL_WIDTH

    chosen: dict[str, Any] = {}
    for file in sorted(files, key=lambda f: (f.profile != "office", f.bytes)):
        chosen.setdefault(file.product, file)
    found: list[dict[str, Any]] = []
    thumbnails: dict[str, bytes] = {}
    for product, source in chosen.items():
        entry: dict[str, Any] = {"product": product, "pdf": source.path.name}
        # each size drawn at once (cheaper than scaling down); PNG keeps small text
        # crisp, the large picture is a JPEG (ten times faster to write, half the bytes)
        for kind, width, form, name in (
            ("file", PREVIEW_WIDTH, "PNG", f"{product}.png"),
            ("large", LARGE_WIDTH, "JPEG", f"{product}-large.jpg"),
            ("zip", THUMBNAIL_WIDTH, "PNG", ""),
        ):
            image = _first_page(source.path, width)
            buffer = io.BytesIO()
            if form == "PNG":
                image.save(buffer, format="PNG", compress_level=6 if kind == "zip" else 1)
            else:
                image.save(buffer, format="JPEG", quality=88)
            if kind == "zip":
                thumbnails[product] = buffer.getvalue()
                continue
            write_atomic(folder / name, buffer.getvalue())
            entry[kind] = name
            if kind == "file":
                entry["width"], entry["height"] = image.size
        found.append(entry)
    return found, thumbnails


def warm_worker(root: str, campaign: str | None, language: str | None) -> None:
    """Load the project, its fonts, layouts and pictures in a worker, so the first pack is
    not slower: one throwaway office file of each product, without preflight."""
    import tempfile

    from packgen.build import build

    project = _project(root, campaign, language)
    project.register_fonts()
    seen: set[str] = set()

    def first_of_each(product: str, size: str, profile: str) -> bool:
        if product in seen:
            return False
        seen.add(product)
        return True

    with tempfile.TemporaryDirectory(prefix="packgen-warm-") as scratch:
        build(project, Path(scratch), profiles=("office",), preflight=False, select=first_of_each)


# What one visitor's pack may use in a worker: a visitor's logo and fields are
# untrusted, so a pack that would take longer or more memory fails alone.
PORTAL_BUDGET = Budget(seconds=60, memory_mb=2048)


def start_worker(server: int) -> None:
    """A worker's initializer: it dies with the server (process id ``server``) and its
    memory is bounded (``PORTAL_BUDGET``)."""
    init_worker(server, PORTAL_BUDGET)


def run_job(root: str, campaign: str | None, language: str | None, folder: str) -> None:
    """Build the pack of the request in ``folder``: PDFs, zip, previews and result, or problems."""
    from packgen.build import ORG_PROFILE, BuiltFile, build
    from packgen.distribute.bundle import make_bundle
    from packgen.errors import PackgenError
    from packgen.resolve.design import load_design
    from packgen.resolve.org import load_org
    from packgen.web.upload import BY_PATH, LOGO

    where = Path(folder)
    request = _read_json(where / REQUEST) or {}
    values: dict[str, str] = request.get("values", {})
    choice = request.get("choice") or {}
    wanted = {tuple(f) for f in request.get("files", []) if isinstance(f, list) and len(f) == 3}
    problems: list[dict[str, str | None]] = []
    try:
        project = _project(root, campaign, choice.get("language") or language)
        org = load_org(where / PROFILE, "form")
        products = [p for p in project.products() if not wanted or any(w[0] == p for w in wanted)]

        def select(product: str, size: str, profile: str) -> bool:
            return not wanted or (product, size, profile) in wanted

        total = 1  # the zip
        for name in products:
            with contextlib.suppress(PackgenError):
                design = load_design(project, name)
                total += sum(select(name, s, p) for s in design.sizes for p in ("press", "office"))
        made = 0

        def progress(_: BuiltFile) -> None:
            nonlocal made
            made += 1
            _write_json(where / PROGRESS, {"done": made, "total": total})

        _write_json(where / PROGRESS, {"done": 0, "total": total})
        with cpu_budget(PORTAL_BUDGET.seconds):
            report = build(
                project, where / PDFS, only=products, on_file=progress, org=org, select=select
            )
        for product, failure in sorted(report.failures.items()):
            for d in failure.diagnostics:
                if d.severity.value == "error":
                    place: str | None
                    kind: str | None
                    message = d.message
                    if product == ORG_PROFILE and d.field in BY_PATH:  # refused before building
                        is_link = d.field.endswith("url") or d.field == "website"
                        place, kind = BY_PATH[d.field], "qr" if is_link else "text"
                        plain = cobrand_message(d, _copy(root, campaign, language))
                        if plain is not None:  # said in the visitor's words, in full
                            message, kind = plain, None
                    elif d.field == LOGO:
                        place, kind = LOGO, "logo"
                    elif d.field in BY_PATH:
                        place, kind = BY_PATH[d.field], "text"
                    else:
                        place, kind = attribute(d.message, values, project, product)
                    problem = {"message": message, "field": place, "hint": d.hint, "kind": kind}
                    if problem not in problems:  # sizes and products repeat one cause
                        problems.append(problem)
        if not problems:
            zip_name = f"{org.slug}.zip"
            previews, thumbnails = _render_previews(report.files, where / PREVIEWS)
            path = make_bundle(
                where / zip_name,
                report.files,
                project.content(org),
                org.profile.name,
                thumbnails,
            )
            files = [
                {
                    "file": f.path.name,
                    "product": f.product,
                    "size": f.size,
                    "profile": f.profile,
                    "pages": f.pages,
                    "bytes": f.bytes,
                }
                for f in report.files
            ]
            _write_json(where / PROGRESS, {"done": total, "total": total})
            _write_json(
                where / RESULT,
                {
                    "ok": True,
                    "zip": zip_name,
                    "bytes": path.stat().st_size,
                    "files": files,
                    "previews": previews,
                },
            )
    except PackgenError as exc:
        problems = [
            {"message": d.message, "field": d.field, "hint": d.hint} for d in exc.diagnostics
        ]
    if problems:
        _write_json(where / RESULT, {"ok": False, "problems": problems})
        shutil.rmtree(where / PDFS, ignore_errors=True)
        shutil.rmtree(where / PREVIEWS, ignore_errors=True)


# --- in the server -------------------------------------------------------------


def folder_bytes(folder: Path) -> int:
    total = 0
    for path in folder.rglob("*"):
        with contextlib.suppress(OSError):
            if path.is_file():
                total += path.stat().st_size
    return total


class Jobs:
    def __init__(
        self,
        folder: Path,
        root: Path,
        campaign: str | None = None,
        language: str | None = None,
        workers: int = 1,
        max_pending: int = 8,
        keep: int = 500,
        max_bytes: int = 2 * 1024**3,
        max_age: float = 7 * DAY,
    ) -> None:
        self.folder = folder
        self.root, self.campaign, self.language = root, campaign, language
        self.workers, self.max_pending, self.keep = max(1, workers), max_pending, keep
        self.max_bytes, self.max_age = max_bytes, max_age
        self._pool: ProcessPoolExecutor | None = None
        self._running: dict[str, Future[None]] = {}
        self._sizes: dict[str, int] = {}  # bytes of each finished pack, as last measured
        self._lock = threading.Lock()

    def path(self, key: str) -> Path | None:
        return self.folder / key if KEY.match(key) else None

    def _pool_for_work(self) -> ProcessPoolExecutor:
        if self._pool is None:
            self._pool = ProcessPoolExecutor(
                self.workers,
                mp_context=get_context("spawn"),
                initializer=start_worker,
                initargs=(os.getpid(),),
            )
        return self._pool

    def known(self, key: str) -> bool:
        """Whether a request is finished or under way (so asking again costs no build)."""
        where = self.path(key)
        if where is None:
            return False
        result = _read_json(where / RESULT)
        if result is not None and not result.get("internal"):
            return True
        with self._lock:
            running = self._running.get(key)
        return running is not None and not running.done()

    def submit(
        self,
        key: str,
        values: dict[str, str],
        logo: Path,
        logo_name: str,
        choice: dict[str, Any] | None = None,
        files: list[tuple[str, str, str]] | None = None,
    ) -> Status:
        """Start building (unless cached or already under way) and return the status.

        Raises :class:`Busy`, having written nothing, when the queue is full.
        """
        where = self.path(key)
        if where is None:
            raise ValueError(f"not a request key: {key!r}")
        earlier = _read_json(where / RESULT)
        if earlier is not None and earlier.get("internal"):
            (where / RESULT).unlink(missing_ok=True)  # our fault, not the request's: try again
        if not (where / RESULT).is_file():
            with self._lock:
                self._check_room(key)
            ext = logo.suffix.lstrip(".")
            from packgen.web.upload import profile_yaml

            request = {
                "values": values,
                "logo": {"file": f"logo.{ext}", "name": logo_name, "digest": logo.stem},
                "choice": choice or {},
                "files": [list(f) for f in files or []],
            }
            if not (where / REQUEST).is_file():
                where.mkdir(parents=True, exist_ok=True)
                write_atomic(where / f"logo.{ext}", logo.read_bytes())
                write_atomic(where / PROFILE, profile_yaml(values, f"logo.{ext}").encode())
                _write_json(where / REQUEST, request)
            try:
                self._start(key, where)
            except Busy:  # another request took the last place meanwhile: keep nothing
                with self._lock:
                    if key not in self._running:
                        shutil.rmtree(where, ignore_errors=True)
                raise
        return self.status(key)

    def _check_room(self, key: str) -> None:
        """Raise :class:`Busy` if ``key`` would be refused (called under the lock)."""
        running = self._running.get(key)
        if running is not None and not running.done():
            return
        if sum(not f.done() for f in self._running.values()) >= self.max_pending:
            raise Busy()

    def _start(self, key: str, where: Path) -> None:
        with self._lock:
            running = self._running.get(key)
            if running is not None and not running.done():
                return
            self._check_room(key)
            self._evict(spare=key)
            pool = self._pool_for_work()
            args = (str(self.root), self.campaign, self.language, str(where))
            try:
                future = pool.submit(run_job, *args)
            except RuntimeError:  # a broken pool (a worker died): start a new one
                self._pool = None
                future = self._pool_for_work().submit(run_job, *args)
            self._running[key] = future
            future.add_done_callback(lambda f: self._finished(key, where, f))

    def _finished(self, key: str, where: Path, future: Future[None]) -> None:
        error = None if future.cancelled() else future.exception()
        if error is not None and not (where / RESULT).is_file() and where.is_dir():
            problem = {"message": f"internal error ({type(error).__name__})", "field": None}
            _write_json(where / RESULT, {"ok": False, "internal": True, "problems": [problem]})
        with contextlib.suppress(OSError):
            self._sizes[key] = folder_bytes(where)

    def request(self, key: str) -> dict[str, Any] | None:
        """The stored request of ``key`` (fields, logo, choice), or None; starts nothing."""
        where = self.path(key)
        return _read_json(where / REQUEST) if where else None

    def status(self, key: str, start: bool = True) -> Status:
        """Where the pack of ``key`` is; a request found with no build is started again
        (unless ``start`` is false), which may raise :class:`Busy`."""
        where = self.path(key)
        request = _read_json(where / REQUEST) if where else None
        if where is None or request is None:
            return Status(key, "unknown")
        values = request.get("values", {})
        common: dict[str, Any] = {
            "name": values.get("name", ""),
            "values": values,
            "logo": request.get("logo", {}),
            "choice": request.get("choice") or {},
        }
        result = _read_json(where / RESULT)
        if result is not None:
            if result.get("ok") and (where / str(result.get("zip"))).is_file():
                return Status(
                    key,
                    "ready",
                    zip_name=result["zip"],
                    bytes=result["bytes"],
                    files=result.get("files", []),
                    previews=result.get("previews", []),
                    **common,
                )
            if not result.get("ok"):
                problems = [
                    Problem(p["message"], p.get("field"), p.get("hint"), p.get("kind"))
                    for p in result.get("problems", [])
                ]
                return Status(key, "failed", problems=problems, **common)
        with self._lock:
            running = self._running.get(key)
        if start and (running is None or running.done()):
            self._start(key, where)  # left over from before a restart, or its zip was lost
        progress = _read_json(where / PROGRESS) or {}
        return Status(
            key,
            "building",
            done=progress.get("done", 0),
            total=progress.get("total", 0),
            **common,
        )

    def _ready(self, key: str) -> Status | None:
        if self.path(key) is None:
            return None
        try:
            status = self.status(key)
        except Busy:
            return None
        return status if status.state == "ready" else None

    def download(self, key: str, name: str) -> Path | None:
        """The zip or one PDF of a ready pack, only by a name its result lists."""
        status = self._ready(key)
        if status is None:
            return None
        if status.zip_name == name:
            return self.folder / key / name
        if any(f.get("file") == name for f in status.files):
            return self.folder / key / PDFS / name
        return None

    def preview(self, key: str, name: str) -> Path | None:
        """A preview of a ready pack, only by a name its result lists."""
        status = self._ready(key)
        if status is None:
            return None
        if not any(name in (p.get("file"), p.get("large")) for p in status.previews):
            return None
        return self.folder / key / PREVIEWS / name

    def _evict(self, now: float | None = None, spare: str = "") -> None:
        """Keep the cache within ``keep`` packs, ``max_bytes`` and ``max_age`` (oldest go
        first), and remove orphans: folders with no result and no build (under the lock)."""
        if not self.folder.is_dir():
            return
        now = time.time() if now is None else now
        finished: list[tuple[float, Path]] = []
        for path in self.folder.iterdir():
            running = self._running.get(path.name)
            if path.name == spare or (running is not None and not running.done()):
                continue
            try:
                stamp = (path / RESULT).stat().st_mtime
            except OSError:
                try:
                    age = now - path.stat().st_mtime
                except OSError:
                    continue
                if age > ORPHAN_AGE or not KEY.match(path.name):
                    self._remove(path)
                continue
            finished.append((stamp, path))
        finished.sort()
        total = 0
        for _, path in finished:
            if path.name not in self._sizes:
                self._sizes[path.name] = folder_bytes(path)
            total += self._sizes[path.name]
        count = len(finished)
        for stamp, path in finished:
            if count < self.keep and total <= self.max_bytes and now - stamp <= self.max_age:
                break
            total -= self._sizes.get(path.name, 0)
            count -= 1
            self._remove(path)

    def _remove(self, path: Path) -> None:
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
        self._running.pop(path.name, None)
        self._sizes.pop(path.name, None)

    def clean(self) -> None:
        """Apply the cache's bounds now (at start-up and from time to time)."""
        with self._lock:
            self._evict()

    def warm(self) -> None:
        """Start the worker processes and load the project in them, before the first request."""
        with self._lock:
            pool = self._pool_for_work()
        args = (str(self.root), self.campaign, self.language)
        for _ in range(self.workers):
            pool.submit(warm_worker, *args)

    def shutdown(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
