"""Co-branded packs, built in worker processes and cached by the content of the request.

A request's key is the sha256 of its fields and its logo's bytes, so the same
request twice is one build. Each key has a folder holding the request
(``request.json``, ``profile.yaml``, the logo), the worker's progress
(``progress.json``: files made of files to make), and at the end either the
zip and ``result.json`` or ``result.json`` with the problems found. The
folder on disk is the state: a server restarted mid-build picks the request
up again. Builds run in a process pool (ReportLab keeps global state and the
work is CPU-bound), at most ``max_pending`` at once; old packs are cleared
beyond ``keep``.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import re
import shutil
import threading
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path
from typing import Any

from packgen.render.write import write_atomic

KEY = re.compile(r"^[0-9a-f]{64}$")
_THUMB = re.compile(r"^[a-z0-9][a-z0-9_-]*\.png$")
THUMBS = "thumbnails"
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
    thumbnails: list[dict[str, Any]] = field(default_factory=list)


def request_key(values: dict[str, str], logo_digest: str) -> str:
    """The cache key: every field (by name) and the logo's own hash."""
    text = json.dumps({"fields": values, "logo": logo_digest}, sort_keys=True)
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

    wanted = (root, campaign, language)
    if _worker_project is None or _worker_project[0] != wanted:
        _worker_project = (wanted, Project(Path(root), campaign, language))
    return _worker_project[1]


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


def _previews(zip_path: Path, folder: Path) -> list[dict[str, object]]:
    """The bundle's thumbnails, copied out of the zip for the ready page."""
    import io
    import zipfile

    from PIL import Image

    found: list[dict[str, object]] = []
    with zipfile.ZipFile(zip_path) as archive:
        for name in sorted(archive.namelist()):
            file = name.removeprefix("thumbnails/")
            if file == name or not _THUMB.match(file):
                continue
            data = archive.read(name)
            with Image.open(io.BytesIO(data)) as image:
                width, height = image.size
            write_atomic(folder / file, data)
            found.append({"file": file, "product": file[:-4], "width": width, "height": height})
    return found


def warm_worker(root: str, campaign: str | None, language: str | None) -> None:
    """Load the project and its fonts in a worker, so the first pack is not slower."""
    _project(root, campaign, language).register_fonts()


def run_job(root: str, campaign: str | None, language: str | None, folder: str) -> None:
    """Build the pack of the request in ``folder``: zip and result, or the problems."""
    from packgen.build import ORG_PROFILE, BuiltFile, build
    from packgen.distribute.bundle import make_bundle
    from packgen.errors import PackgenError
    from packgen.resolve.design import load_design
    from packgen.resolve.org import load_org
    from packgen.web.upload import BY_PATH

    where = Path(folder)
    request = _read_json(where / REQUEST) or {}
    values: dict[str, str] = request.get("values", {})
    problems: list[dict[str, str | None]] = []
    try:
        project = _project(root, campaign, language)
        org = load_org(where / PROFILE, "form")
        total = 1  # the zip
        for name in project.products():
            with contextlib.suppress(PackgenError):
                total += 2 * len(load_design(project, name).sizes)
        made = 0

        def progress(_: BuiltFile) -> None:
            nonlocal made
            made += 1
            _write_json(where / PROGRESS, {"done": made, "total": total})

        _write_json(where / PROGRESS, {"done": 0, "total": total})
        report = build(project, where / "pdf", on_file=progress, org=org)
        for product, failure in sorted(report.failures.items()):
            for d in failure.diagnostics:
                if d.severity.value == "error":
                    place: str | None
                    kind: str | None
                    if product == ORG_PROFILE and d.field in BY_PATH:  # refused before building
                        is_link = d.field.endswith("url") or d.field == "website"
                        place, kind = BY_PATH[d.field], "qr" if is_link else "text"
                    else:
                        place, kind = attribute(d.message, values, project, product)
                    problem = {"message": d.message, "field": place, "hint": d.hint, "kind": kind}
                    if problem not in problems:  # sizes and products repeat one cause
                        problems.append(problem)
        if not problems:
            zip_name = f"{org.slug}.zip"
            path = make_bundle(
                where / zip_name, report.files, project.content(org), org.profile.name
            )
            thumbs = _previews(path, where / THUMBS)
            _write_json(where / PROGRESS, {"done": total, "total": total})
            _write_json(
                where / RESULT,
                {"ok": True, "zip": zip_name, "bytes": path.stat().st_size, "thumbnails": thumbs},
            )
    except PackgenError as exc:
        problems = [
            {"message": d.message, "field": d.field, "hint": d.hint} for d in exc.diagnostics
        ]
    if problems:
        _write_json(where / RESULT, {"ok": False, "problems": problems})
    shutil.rmtree(where / "pdf", ignore_errors=True)  # the zip holds them


# --- in the server -------------------------------------------------------------


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
    ) -> None:
        self.folder = folder
        self.root, self.campaign, self.language = root, campaign, language
        self.workers, self.max_pending, self.keep = max(1, workers), max_pending, keep
        self._pool: ProcessPoolExecutor | None = None
        self._running: dict[str, Future[None]] = {}
        self._lock = threading.Lock()

    def path(self, key: str) -> Path | None:
        return self.folder / key if KEY.match(key) else None

    def _pool_for_work(self) -> ProcessPoolExecutor:
        if self._pool is None:
            self._pool = ProcessPoolExecutor(self.workers, mp_context=get_context("spawn"))
        return self._pool

    def submit(self, key: str, values: dict[str, str], logo: Path, logo_name: str) -> Status:
        """Start building (unless cached or already under way) and return the status."""
        where = self.path(key)
        if where is None:
            raise ValueError(f"not a request key: {key!r}")
        earlier = _read_json(where / RESULT)
        if earlier is not None and earlier.get("internal"):
            (where / RESULT).unlink(missing_ok=True)  # our fault, not the request's: try again
        if not (where / RESULT).is_file():
            ext = logo.suffix.lstrip(".")
            from packgen.web.upload import profile_yaml

            request = {
                "values": values,
                "logo": {"file": f"logo.{ext}", "name": logo_name, "digest": logo.stem},
            }
            where.mkdir(parents=True, exist_ok=True)
            if not (where / REQUEST).is_file():
                write_atomic(where / f"logo.{ext}", logo.read_bytes())
                write_atomic(where / PROFILE, profile_yaml(values, f"logo.{ext}").encode())
                _write_json(where / REQUEST, request)
            self._start(key, where)
        return self.status(key)

    def _start(self, key: str, where: Path) -> None:
        with self._lock:
            running = self._running.get(key)
            if running is not None and not running.done():
                return
            active = sum(not f.done() for f in self._running.values())
            if active >= self.max_pending:
                raise Busy()
            self._evict()
            pool = self._pool_for_work()
            args = (str(self.root), self.campaign, self.language, str(where))
            try:
                future = pool.submit(run_job, *args)
            except RuntimeError:  # a broken pool (a worker died): start a new one
                self._pool = None
                future = self._pool_for_work().submit(run_job, *args)
            self._running[key] = future
            future.add_done_callback(lambda f: self._finished(where, f))

    def _finished(self, where: Path, future: Future[None]) -> None:
        error = future.exception()
        if error is not None and not (where / RESULT).is_file():
            problem = {"message": f"internal error ({type(error).__name__})", "field": None}
            _write_json(where / RESULT, {"ok": False, "internal": True, "problems": [problem]})

    def status(self, key: str) -> Status:
        where = self.path(key)
        request = _read_json(where / REQUEST) if where else None
        if where is None or request is None:
            return Status(key, "unknown")
        values = request.get("values", {})
        common: dict[str, Any] = {
            "name": values.get("name", ""),
            "values": values,
            "logo": request.get("logo", {}),
        }
        result = _read_json(where / RESULT)
        if result is not None:
            if result.get("ok") and (where / str(result.get("zip"))).is_file():
                return Status(
                    key,
                    "ready",
                    zip_name=result["zip"],
                    bytes=result["bytes"],
                    thumbnails=result.get("thumbnails", []),
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
        if running is None or running.done():
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
        """The zip of a ready pack, only by its exact name."""
        status = self._ready(key)
        if status is None or status.zip_name != name:
            return None
        return self.folder / key / name

    def preview(self, key: str, name: str) -> Path | None:
        """A thumbnail of a ready pack, only by a name its result lists."""
        status = self._ready(key)
        if status is None:
            return None
        if not any(t.get("file") == name for t in status.thumbnails):
            return None
        return self.folder / key / THUMBS / name

    def _evict(self) -> None:
        """Remove the oldest finished packs beyond ``keep`` (called under the lock)."""
        if not self.folder.is_dir():
            return
        finished = [p for p in self.folder.iterdir() if (p / RESULT).is_file()]
        if len(finished) < self.keep:
            return
        finished.sort(key=lambda p: (p / RESULT).stat().st_mtime)
        for old in finished[: len(finished) - self.keep + 1]:
            if old.name not in self._running or self._running[old.name].done():
                shutil.rmtree(old, ignore_errors=True)
                self._running.pop(old.name, None)

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
