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

from packgen.distribute.worker import cpu_budget
from packgen.model.profiles import PRINT_PROFILES
from packgen.render.write import write_atomic
from packgen.web.previews import render_large, render_previews
from packgen.web.problems import attribute, cobrand_message
from packgen.web.worker import (
    PORTAL_BUDGET,
    WARM_STEPS,
    portal_copy,
    project_for,
    start_worker,
    warm_worker,
)

KEY = re.compile(r"^[0-9a-f]{64}$")
PDFS, PREVIEWS = "pdf", "previews"
ORPHAN_AGE = 600.0  # seconds before a folder with no result and no build is removed
DAY = 24 * 3600.0
REQUEST, PROFILE, PROGRESS, RESULT = "request.json", "profile.yaml", "progress.json", "result.json"
FINISHING = "finishing"  # made by the part of a split build that makes the zips
_LANGUAGE = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")  # a copy folder's name
# which form field each co-branded link comes from (see Organisation.links)


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
    files: list[dict[str, Any]] = field(default_factory=list)  # every file, for single downloads
    zips: list[dict[str, Any]] = field(default_factory=list)  # one zip per language
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


def _wanted(request: dict[str, Any], own: str) -> dict[str, set[tuple[str, str, str]]]:
    """The files a request asks for, by language: (product, size, profile); ``*`` is any size.

    A request stored before languages were chosen lists (product, size, profile).
    """
    found: dict[str, set[tuple[str, str, str]]] = {}
    for item in request.get("files", []):
        if isinstance(item, list) and len(item) == 3:
            item = [own, *item]
        if isinstance(item, list) and len(item) == 4 and _LANGUAGE.match(str(item[0])):
            code, product, size, profile = (str(part) for part in item)
            found.setdefault(code, set()).add((product, size, profile))
    return found


def _out(where: Path, code: str, own: str) -> Path:
    """Where one language's files are built: ``pdf/``, or ``pdf-<language>/``."""
    return where / (PDFS if code == own else f"{PDFS}-{code}")


def _download_name(path: Path, code: str, own: str) -> str:
    """A file's name for the visitor: its own, with the language added when not the campaign's."""
    return path.name if code == own else f"{path.stem}-{code}{path.suffix}"


def _file_entry(where: Path, file: Any, code: str, own: str) -> dict[str, Any]:
    """What the ready page and the downloads need to know of one built file."""
    entry: dict[str, Any] = {
        "file": _download_name(file.path, code, own),
        "path": file.path.relative_to(where).as_posix(),
        "product": file.product,
        "size": file.size,
        "profile": file.profile,
        "pages": file.pages,
        "bytes": file.bytes,
        "language": code,
    }
    if file.alt:
        entry["alt"] = file.alt
    extras = []
    for extra in file.extras:
        extras.append(
            {
                "file": _download_name(extra, code, own),
                "path": extra.relative_to(where).as_posix(),
                "kind": extra.suffix.lstrip("."),
                "bytes": extra.stat().st_size,
            }
        )
        if extra.suffix == ".json":  # the sidecar: the posts to go with an image, its link
            sidecar = _read_json(extra) or {}
            entry["posts"] = [
                {"platform": str(p.get("platform", "")), "text": str(p.get("text", ""))}
                for p in sidecar.get("posts", [])
                if isinstance(p, dict)
            ]
            if sidecar.get("link"):
                entry["link"] = str(sidecar["link"])
        elif extra.suffix == ".html":
            entry["snippet"] = extra.read_text(encoding="utf-8")
    if extras:
        entry["extras"] = extras
    return entry


# rough cost of a file, by profile, to share a pack's products fairly between workers;
# times its pages (``weights`` in the request, from the default pack)
_COST = {"press": 3, "office": 2, "html": 1, "screen": 1}


def tasks(request: dict[str, Any], own: str) -> list[dict[str, list[list[str]]]]:
    """The request's files as build tasks, one per language, product and paper size (its
    versions together: they share the layout's work), the dearest first.

    Submitted in this order to a pool, they spread over its workers longest first, so
    the workers finish at about the same time. A web page (size ``*``) goes with its
    product's first size. Every task is a dict language → [product, size, profile] lists.
    """
    groups: dict[tuple[str, str, str], list[list[str]]] = {}
    first: dict[tuple[str, str], str] = {}
    for item in request.get("files", []):
        if isinstance(item, list) and len(item) == 3:
            item = [own, *item]
        if not (isinstance(item, list) and len(item) == 4 and _LANGUAGE.match(str(item[0]))):
            continue
        code, product, size, profile = (str(part) for part in item)
        if size != "*":
            first.setdefault((code, product), size)
        key = (code, product, size if size != "*" else first.get((code, product), size))
        groups.setdefault(key, []).append([product, size, profile])
    weights = request.get("weights") or {}
    cost = {
        key: sum(_COST.get(i[2], 2) for i in items) * max(1, int(weights.get(key[1], 1) or 1))
        for key, items in groups.items()
    }
    order = sorted(groups, key=lambda k: -cost[k])  # stable: the listing's order among equals
    return [{key[0]: groups[key]} for key in order]


def _preview_sources(request: dict[str, Any], own: str) -> dict[tuple[str, str], tuple[str, str]]:
    """For each (language, product), the file its preview is drawn from: (size, profile) of
    its first office file as listed, else its first print-shop file."""
    found: dict[tuple[str, str], tuple[str, str]] = {}
    items = [i if len(i) == 4 else [own, *i] for i in request.get("files", []) if len(i) in (3, 4)]
    for wanted in ("office", "press"):
        for code, product, size, profile in (tuple(str(p) for p in i) for i in items):
            if profile == wanted:
                found.setdefault((code, product), (size, profile))
    return found


def _part_folder(where: Path, part: int | None) -> Path:
    return where if part is None else where / f"part-{part}"


def run_job(
    root: str,
    campaign: str | None,
    language: str | None,
    folder: str,
    part: int | None = None,
    parts: int = 1,
) -> None:
    """Build the pack of the request in ``folder``: files, zips, previews and result, or problems.

    Each language chosen is built from its own copy into its own folder and zip.
    With ``part``, only that task of the request (:func:`tasks`) is built, into
    ``part-N/``; the part that finds every other one done finishes the pack.
    """
    from packgen.build import ORG_PROFILE, BuildReport, BuiltFile, build
    from packgen.errors import PackgenError
    from packgen.resolve.org import load_org
    from packgen.web.upload import BY_PATH, LOGO

    where = Path(folder)
    request = _read_json(where / REQUEST) or {}
    values: dict[str, str] = request.get("values", {})
    problems: list[dict[str, str | None]] = []
    built_files: list[dict[str, Any]] = []
    previews: list[dict[str, Any]] = []
    try:
        project = project_for(root, campaign, language)
        own = project.language_code
        org = load_org(where / PROFILE, "form")
        by_language = _wanted(request, own) or {own: set()}  # nothing listed: everything
        sources = _preview_sources(request, own)
        if part is not None:  # this task only (none: a part with nothing to do)
            shares = tasks(request, own)
            share = shares[part] if part < len(shares) else {}
            by_language = {c: {(i[0], i[1], i[2]) for i in items} for c, items in share.items()}
        total = sum(len(w) for w in by_language.values()) + (part is None) * len(by_language)
        made = 0
        inside = _part_folder(where, part)
        progress_file = where / (PROGRESS if part is None else f"progress-{part}.json")

        def progress(_: BuiltFile) -> None:
            nonlocal made
            made += 1
            _write_json(progress_file, {"done": made, "total": max(total, made + 1)})

        _write_json(progress_file, {"done": 0, "total": total})
        report = BuildReport()
        with cpu_budget(PORTAL_BUDGET.seconds):
            for code, wanted in by_language.items():
                made_in = project if code == own else project.in_language(code)

                def select(product: str, size: str, profile: str, wanted: Any = wanted) -> bool:
                    if not wanted:
                        return True
                    return (product, size, profile) in wanted or (product, "*", profile) in wanted

                products = [
                    p for p in project.products() if not wanted or any(w[0] == p for w in wanted)
                ]
                profiles = sorted({w[2] for w in wanted}) if wanted else list(PRINT_PROFILES)
                built = build(
                    made_in,
                    _out(inside, code, own),
                    only=products,
                    profiles=profiles,
                    on_file=progress,
                    org=org,
                    select=select,
                )
                report.files += built.files
                for name, failure in built.failures.items():
                    report.failures.setdefault(name, failure)
                if not built.failures:
                    suffix = "" if code == own else f"-{code}"
                    pictured = [  # each product's preview is drawn by one task only
                        f
                        for f in built.files
                        if not sources or sources.get((code, f.product)) == (f.size, f.profile)
                    ]
                    shown, thumbnails = render_previews(pictured, where / PREVIEWS, suffix)
                    previews += [dict(p, language=code) for p in shown]
                    for thumb_product, png in thumbnails.items():
                        write_atomic(where / PREVIEWS / f"{thumb_product}{suffix}-zip.png", png)
                    built_files += [_built_entry(where, f, code, own) for f in built.files]
        for product, failure in sorted(report.failures.items()):
            for d in failure.diagnostics:
                if d.severity.value == "error":
                    place: str | None
                    kind: str | None
                    message = d.message
                    if product == ORG_PROFILE and d.field in BY_PATH:  # refused before building
                        is_link = d.field.endswith("url") or d.field == "website"
                        place, kind = BY_PATH[d.field], "qr" if is_link else "text"
                        plain = cobrand_message(d, portal_copy(root, campaign, language))
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
    except PackgenError as exc:
        problems = [
            {"message": d.message, "field": d.field, "hint": d.hint} for d in exc.diagnostics
        ]
    outcome = {"problems": problems, "files": built_files, "previews": previews}
    if part is None:
        _finish(root, campaign, language, where, [outcome])
        return
    _write_json(where / f"part-{part}.json", outcome)
    found = [_read_json(where / f"part-{i}.json") for i in range(parts)]
    if all(found):
        try:  # the first part to see every part done finishes the pack; the others stop
            os.close(os.open(where / FINISHING, os.O_CREAT | os.O_EXCL | os.O_WRONLY))
        except FileExistsError:
            return
        _finish(root, campaign, language, where, [f for f in found if f])


def _built_entry(where: Path, file: Any, code: str, own: str) -> dict[str, Any]:
    """A built file as plain data: the ready page's entry and what the zip needs again."""
    entry = _file_entry(where, file, code, own)
    entry["qr_urls"] = list(file.qr_urls)
    entry["alt_text"] = file.alt
    return entry


def _finish(
    root: str, campaign: str | None, language: str | None, where: Path, parts: list[dict[str, Any]]
) -> None:
    """One zip per language from every part's files, then ``result.json``; or the problems."""
    from packgen.build import BuiltFile
    from packgen.distribute.bundle import make_bundle
    from packgen.errors import PackgenError
    from packgen.resolve.org import load_org

    problems = [p for part in parts for p in part.get("problems", [])]
    problems = [p for i, p in enumerate(problems) if p not in problems[:i]]
    if not problems:
        try:
            project = project_for(root, campaign, language)
            own = project.language_code
            org = load_org(where / PROFILE, "form")
            files = [f for part in parts for f in part.get("files", [])]
            previews = [p for part in parts for p in part.get("previews", [])]
            languages = list(dict.fromkeys(str(f["language"]) for f in files)) or [own]
            languages.sort(key=lambda code: code != own)
            total = sum(1 for _ in files) + len(languages)
            zips = []
            for code in languages:
                suffix = "" if code == own else f"-{code}"
                made_in = project if code == own else project.in_language(code)
                mine = [f for f in files if f["language"] == code]
                built = [
                    BuiltFile(
                        where / f["path"],
                        f["product"],
                        f["size"],
                        f["profile"],
                        f["pages"],
                        f["bytes"],
                        tuple(f.get("qr_urls", [])),
                        tuple(where / e["path"] for e in f.get("extras", [])),
                        f.get("alt_text", ""),
                    )
                    for f in mine
                ]
                thumbnails = {}
                for product in {f["product"] for f in mine}:
                    thumb = where / PREVIEWS / f"{product}{suffix}-zip.png"
                    if thumb.is_file():
                        thumbnails[product] = thumb.read_bytes()
                zip_name = f"{org.slug}{suffix}.zip"
                path = make_bundle(
                    where / zip_name, built, made_in.content(org), org.profile.name, thumbnails
                )
                zips.append({"file": zip_name, "bytes": path.stat().st_size, "language": code})
            for f in files:
                f.pop("qr_urls", None)
                f.pop("alt_text", None)
            _write_json(where / PROGRESS, {"done": total, "total": total})
            _write_json(
                where / RESULT,
                {
                    "ok": True,
                    "zip": zips[0]["file"],
                    "bytes": zips[0]["bytes"],
                    "zips": zips,
                    "files": files,
                    "previews": previews,
                },
            )
            return
        except PackgenError as exc:
            problems = [
                {"message": d.message, "field": d.field, "hint": d.hint} for d in exc.diagnostics
            ]
    _write_json(where / RESULT, {"ok": False, "problems": problems})
    for built_folder in [*where.glob(f"{PDFS}*"), *where.glob("part-*")]:
        if built_folder.is_dir():
            shutil.rmtree(built_folder, ignore_errors=True)
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

    def pool(self) -> ProcessPoolExecutor:
        """The worker pool (started if need be), for the portal's other background work."""
        with self._lock:
            return self._pool_for_work()

    def reset_pool(self) -> None:
        """Forget a broken pool (a worker died), so the next task starts a new one."""
        with self._lock:
            self._pool = None

    def busy(self) -> bool:
        """Whether a visitor's pack is being built or waits for a worker."""
        with self._lock:
            return any(not f.done() for f in self._running.values())

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
        files: list[tuple[str, str, str, str]] | None = None,
        weights: dict[str, int] | None = None,
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
                "weights": weights or {},
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
            args = (str(self.root), self.campaign, self.language, str(where))
            parts = self._parts(where)
            for stale in [where / FINISHING, *where.glob("part-*.json")]:
                stale.unlink(missing_ok=True)  # left by a build stopped half-way
            try:
                future = self._submit(args, parts)
            except RuntimeError:  # a broken pool (a worker died): start a new one
                self._pool = None
                future = self._submit(args, parts)
            self._running[key] = future
            future.add_done_callback(lambda f: self._finished(key, where, f))

    def _parts(self, where: Path) -> int:
        """In how many tasks to build a request: one with a single worker, else one per
        language, product and size (:func:`tasks`), so every worker has a share."""
        if self.workers == 1:
            return 1
        request = _read_json(where / REQUEST) or {}
        shares = tasks(request, "")
        for stale in where.glob("progress-*.json"):  # a build stopped half-way
            stale.unlink(missing_ok=True)
        for index, share in enumerate(shares):  # the bar knows every task's files at once
            count = sum(len(items) for items in share.values())
            _write_json(where / f"progress-{index}.json", {"done": 0, "total": count})
        return len(shares) or 1

    def _submit(self, args: tuple[Any, ...], parts: int) -> Future[None]:
        """The build on the pool: one task, or ``parts`` tasks behind one future."""
        pool = self._pool_for_work()
        if parts == 1:
            return pool.submit(run_job, *args)
        whole: Future[None] = Future()
        futures = [pool.submit(run_job, *(*args, part, parts)) for part in range(parts)]
        left = [len(futures)]
        guard = threading.Lock()

        def one_done(done: Future[None]) -> None:
            with guard:
                left[0] -= 1
                last = left[0] == 0
            if whole.done():
                return
            error = None if done.cancelled() else done.exception()
            if error is not None:
                with contextlib.suppress(Exception):
                    whole.set_exception(error)
            elif done.cancelled():
                with contextlib.suppress(Exception):
                    whole.set_exception(RuntimeError("a part of the build was cancelled"))
            elif last:
                with contextlib.suppress(Exception):
                    whole.set_result(None)

        for future in futures:
            future.add_done_callback(one_done)
        return whole

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
                    zips=result.get("zips")
                    or [{"file": result["zip"], "bytes": result["bytes"], "language": ""}],
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
        done = total = 0
        for path in [where / PROGRESS, *where.glob("progress-*.json")]:
            progress = _read_json(path) or {}
            done += int(progress.get("done", 0))
            total += int(progress.get("total", 0))
        return Status(key, "building", done=done, total=total, **common)

    def _ready(self, key: str) -> Status | None:
        if self.path(key) is None:
            return None
        try:
            status = self.status(key)
        except Busy:
            return None
        return status if status.state == "ready" else None

    def download(self, key: str, name: str) -> Path | None:
        """A zip or one file of a ready pack, only by a name its result lists."""
        status = self._ready(key)
        if status is None:
            return None
        if any(z.get("file") == name for z in status.zips):
            return self.folder / key / name
        for entry in status.files:
            for item in [entry, *entry.get("extras", [])]:
                if item.get("file") == name:
                    inside = str(item.get("path") or f"{PDFS}/{name}")
                    path = (self.folder / key / inside).resolve()
                    return path if path.is_relative_to((self.folder / key).resolve()) else None
        return None

    def preview(self, key: str, name: str) -> Path | None:
        """A preview of a ready pack, only by a name its result lists."""
        status = self._ready(key)
        if status is None:
            return None
        entry = next((p for p in status.previews if name in (p.get("file"), p.get("large"))), None)
        if entry is None:
            return None
        path = self.folder / key / PREVIEWS / name
        source = entry.get("source")
        if name == entry.get("large") and source and not path.is_file():
            pdf = (self.folder / key / str(source)).resolve()
            if pdf.is_relative_to((self.folder / key).resolve()) and pdf.is_file():
                return render_large(pdf, path)
        return path

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
        """Start the worker processes and load the project in them, before the first request.

        The warm-up runs in steps (:data:`WARM_STEPS`), each started only while no pack is
        waiting, so a visitor's first pack never queues behind the whole of it.
        """
        with self._lock:
            pool = self._pool_for_work()
        for _ in range(self.workers):
            self._warm_step(pool, 0)

    def _warm_step(self, pool: ProcessPoolExecutor, step: int) -> None:
        args = (str(self.root), self.campaign, self.language, step)
        with contextlib.suppress(RuntimeError):  # the pool was shut down or broken meanwhile
            future = pool.submit(warm_worker, *args)
            if step + 1 < WARM_STEPS:
                future.add_done_callback(lambda _: self._warm_next(pool, step + 1))

    def _warm_next(self, pool: ProcessPoolExecutor, step: int) -> None:
        """The next warm-up step, unless packs are waiting (from a thread of its own: a done
        callback runs in the pool's own thread, which must not wait on the pool)."""
        with self._lock:
            busy = any(not f.done() for f in self._running.values())
        if busy or self._pool is not pool:
            return
        threading.Thread(target=self._warm_step, args=(pool, step), daemon=True).start()

    def shutdown(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
