"""The download portal as a Starlette application.

Routes: ``/`` (listing and form), ``/downloads/NAME`` and ``/thumbnails/NAME``
(the default pack, looked up by name in the catalogue, never joined to a
path), ``POST /personalise`` (form → 303 to the pack's page, or the form again
with errors by field, 422), ``/packs/KEY`` (wait, ready or failed page),
``/packs/KEY/status`` (JSON for the page's script), ``/packs/KEY/NAME`` (the
zip or one PDF), ``/packs/KEY/thumbnails/NAME`` (previews), ``/check``
(preflight of an uploaded PDF, :mod:`packgen.web.check`) and ``/static/``.
A user's mistake is never a 500: oversized bodies get 413, unknown pages 404,
unreadable forms 400, each as a page; a full queue (503) or a client over its
limit of new builds (429) gets the form back, filled in, with a plain message.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import anyio
from starlette.applications import Starlette
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from packgen.resolve.project import Project
from packgen.web.catalogue import Catalogue, fingerprint
from packgen.web.check import CHECK_PATH, MAX_PDF, CheckRoutes
from packgen.web.choice import KIT, Offer, language_options
from packgen.web.jobs import DAY, Busy, Jobs, request_key
from packgen.web.limits import RateLimit
from packgen.web.links import LanguageLinks, ServerLinks
from packgen.web.pages import STATIC, PageCopy, human_bytes
from packgen.web.shelves import Shelves
from packgen.web.upload import CHOICES, FIELDS, GENERAL, MAX_LOGO, LogoStore, check_form
from packgen.web.views import (
    FormView,
    error_page,
    index_page,
    language_page,
    pack_page,
    preparing_page,
)

log = logging.getLogger("packgen.web")
# a product's pages, to share a pack fairly between workers before the default pack is built
PLANNED_PAGES = {"pack": 8}
PREPARE_WAIT = 8.0  # seconds a request for a default file not made yet waits for it
FORM_OVERHEAD = 64 * 1024  # bytes of a request besides the logo
DRAIN_LIMIT = 64 * 1024 * 1024  # read (and drop) a too-large body up to this, so browsers see 413
MEDIA_TYPES = {
    ".pdf": "application/pdf",
    ".zip": "application/zip",
    ".png": "image/png",
    ".html": "text/html; charset=utf-8",
    ".json": "application/json",
}
# a product's web page (HTML version) carries its own style sheet and pictures inline
PAGE_POLICY = (
    "default-src 'none'; img-src data:; style-src 'unsafe-inline'; "
    "form-action 'none'; frame-ancestors 'none'; base-uri 'none'"
)
SECURITY_HEADERS = [
    (
        b"content-security-policy",
        b"default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        b"form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'",
    ),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (b"x-frame-options", b"DENY"),
]


class _TooLarge(Exception):
    pass


class Guard:
    """ASGI middleware: security headers on every response; request bodies capped (413)."""

    def __init__(
        self,
        app: ASGIApp,
        limit: int,
        too_large: Callable[[], Response],
        paths: dict[str, tuple[int, Callable[[], Response]]] | None = None,
    ) -> None:
        self.app, self.default, self.paths = app, (limit, too_large), paths or {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit, too_large = self.paths.get(scope["path"], self.default)
        started = False

        async def send_with_headers(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                headers += [(k, v) for k, v in SECURITY_HEADERS if k not in present]
                message["headers"] = headers
            await send(message)

        length = dict(scope.get("headers", [])).get(b"content-length")
        if length is not None:
            try:
                declared = int(length)
            except ValueError:
                declared = -1
            if declared < 0:
                await Response("bad Content-Length", 400)(scope, receive, send_with_headers)
                return
            if declared > limit:
                if declared <= DRAIN_LIMIT:
                    await self._drain(receive)
                await too_large()(scope, receive, send_with_headers)
                return
        received = 0

        async def capped_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise _TooLarge()
            return message

        try:
            await self.app(scope, capped_receive, send_with_headers)
        except _TooLarge:
            if not started:
                await too_large()(scope, receive, send_with_headers)

    @staticmethod
    async def _drain(receive: Receive) -> None:
        read = 0
        while read <= DRAIN_LIMIT:
            message = await receive()
            if message["type"] != "http.request":
                return
            read += len(message.get("body", b""))
            if not message.get("more_body", False):
                return


class Portal:
    """The portal's state: project, copy, catalogue, logo store and build jobs."""

    def __init__(
        self,
        project: Project,
        cache: Path,
        workers: int = 1,
        max_pending: int = 8,
        keep: int = 500,
        max_bytes: int = 2 * 1024**3,
        keep_days: int = 7,
        rate: RateLimit | None = None,
    ) -> None:
        self.project = project
        self.copy = PageCopy(project.content())
        self.links = ServerLinks()
        self.folder = cache / fingerprint(project)
        self.store = LogoStore(self.folder / "uploads")
        self.keep_days = keep_days
        self.jobs = Jobs(
            self.folder / "packs",
            project.root,
            project.campaign_name,
            project.language,
            workers,
            max_pending,
            keep,
            max_bytes,
            keep_days * DAY,
        )
        self.rate = rate if rate is not None else RateLimit()
        self.shelves = Shelves(project, self.folder, self.jobs, self.copy, self._language_names)
        self._offer: Offer | None = None
        self._index: tuple[int, str] | None = None

    @property
    def catalogue(self) -> Catalogue:
        """The default pack as it stands: built products, and planned ones being made."""
        return self.shelves.catalogue()

    def prepare(self) -> Catalogue:
        """Build the default pack now, in this process, and return it."""
        return self.shelves.prepare()

    def _language_names(self, code: str) -> list[str]:
        """The products and kit images another language's default pack is made of."""
        option = self.offer.language(code)
        return [*option.products, *option.kit] if option else []

    @property
    def offer(self) -> Offer:
        """What the form offers: the default pack's products and sizes, paper, languages."""
        if self._offer is None:
            papers = self.project.paper_sizes
            listed = self.catalogue.products
            printed = [p for p in listed if p.kind not in KIT]
            products = {p.name: tuple(p.sizes) for p in printed}
            sizes = {s for sizes in products.values() for s in sizes}
            office = frozenset(s for s in sizes if s not in papers or papers[s].office)
            kit = {k: tuple(p.name for p in listed if p.kind == k) for k in KIT}
            web = frozenset(p.name for p in printed if any(f.profile == "html" for f in p.files))
            self._offer = Offer(
                products,
                office,
                language_options(
                    self.project, products, [n for names in kit.values() for n in names]
                ),
                {k: names for k, names in kit.items() if names},
                web,
            )
        return self._offer

    def form_page(self, form: FormView, status: int = 200) -> Response:
        html = index_page(self.project, self.copy, self.links, self.catalogue, form, self.offer)
        return self.page(html, status)

    def page(self, html: str, status: int = 200, headers: dict[str, str] | None = None) -> Response:
        return HTMLResponse(html, status, headers)

    def error(
        self,
        key: str,
        status: int,
        back: str | None = None,
        back_href: str | None = None,
        **values: object,
    ) -> Response:
        html = error_page(self.project, self.copy, self.links, key, back, back_href, **values)
        return self.page(html, status)

    def too_large(self) -> Response:
        return self.error("too_large", 413, "back_to_form", limit=human_bytes(MAX_LOGO))

    # --- routes ---------------------------------------------------------------

    async def index(self, request: Request) -> Response:
        form = None
        key = request.query_params.get("from", "")
        if key and self.jobs.path(key):
            stored = self.jobs.request(key)  # read only: never starts a build, never busy
            if stored is not None:
                form = FormView.of_request(stored, self.offer)
                status = self.jobs.status(key, start=False)
                if status.state == "failed":
                    form = FormView.of_status(status, self.copy, self.offer)
        if form is None:  # the plain listing is the same for everyone: rendered once a version
            version = self.shelves.version
            if self._index is None or self._index[0] != version:
                html = index_page(
                    self.project, self.copy, self.links, self.catalogue, None, self.offer
                )
                self._index = (version, html)
            return self.page(self._index[1], headers={"cache-control": "no-cache"})
        return self.form_page(form)

    async def _language(self, request: Request) -> str:
        """The language of a ``/languages/CODE/...`` route (404 if the form offers none such),
        its pack planned (the first time, in a thread: it reads every layout)."""
        code = str(request.path_params.get("code", ""))
        if code == self.offer.default_language or self.offer.language(code) is None:
            raise HTTPException(404)
        await anyio.to_thread.run_sync(self.shelves.catalogue, code)
        return code

    async def language(self, request: Request) -> Response:
        code = await self._language(request)
        option = self.offer.language(code)
        assert option is not None
        self.shelves.want(code)
        catalogue = self.shelves.catalogue(code)
        html = language_page(self.project, self.copy, LanguageLinks(code), catalogue, option)
        return self.page(html, headers={"cache-control": "no-cache"})

    async def download(self, request: Request) -> Response:
        return await self._default_file(request, self.shelves.own, self.links)

    async def language_download(self, request: Request) -> Response:
        code = await self._language(request)
        return await self._default_file(request, code, LanguageLinks(code))

    async def _default_file(self, request: Request, code: str, links: ServerLinks) -> Response:
        """A file (or the zip) of a default pack: at once when built; else made now, waited
        for a few seconds, then the polite "being prepared" page (JSON for its script)."""
        name = request.path_params["name"]
        wants_json = "application/json" in request.headers.get("accept", "")
        deadline = anyio.current_time() + (0 if wants_json else PREPARE_WAIT)
        asked = False
        while True:
            catalogue = self.shelves.catalogue(code)
            bundle = name == catalogue.bundle
            product = None if bundle else catalogue.product_of(name)
            if product is None and not bundle:
                raise HTTPException(404)
            ready = catalogue.bundle_bytes > 0 if bundle else product is not None and product.ready
            if ready:
                if wants_json:
                    return JSONResponse({"ready": True}, headers={"cache-control": "no-store"})
                path = catalogue.folder / name if bundle else catalogue.pdf(name)
                if path is None or not path.is_file():
                    raise HTTPException(404)
                shown = Path(name)  # another language's files carry it in their names
                if code != self.shelves.own:
                    shown = shown.with_name(f"{shown.stem}-{code}{shown.suffix}")
                return file_response(path, shown.name, "public, max-age=3600")
            if not asked:
                self.shelves.demand(code, "" if bundle or product is None else product.name)
                asked = True
            if anyio.current_time() >= deadline:
                break
            await anyio.sleep(0.2)
        if wants_json:
            return JSONResponse({"ready": False}, headers={"cache-control": "no-store"})
        href = links.pdf(name) if not bundle else links.bundle(name)
        back = (links.language(code) if code != self.shelves.own else "/") + "#downloads"
        html = preparing_page(self.project, self.copy, self.links, Path(name).name, href, back)
        return self.page(html, 202, headers={"cache-control": "no-store", "retry-after": "10"})

    async def thumbnail(self, request: Request) -> Response:
        return self._thumbnail(self.shelves.own, request.path_params["name"])

    async def language_thumbnail(self, request: Request) -> Response:
        return self._thumbnail(await self._language(request), request.path_params["name"])

    def _thumbnail(self, code: str, name: str) -> Response:
        path = self.shelves.catalogue(code).thumbnail(name)
        if path is None or not path.is_file():
            raise HTTPException(404)
        return FileResponse(path, media_type="image/png", headers={"cache-control": "public"})

    async def personalise(self, request: Request) -> Response:
        if request.method != "POST":
            return RedirectResponse("/#personalise", 303)
        async with request.form(max_files=1, max_fields=60, max_part_size=16 * 1024) as form:
            raw = {f.name: _text(form.get(f.name)) for f in FIELDS}
            ticked = None
            if form.get("choices"):  # the form's own choice; absent: the defaults
                ticked = {name: [_text(v)[:64] for v in form.getlist(name)] for name in CHOICES}
            upload = None
            logo = form.get("logo")
            if isinstance(logo, UploadFile) and logo.filename:
                upload = (await logo.read(MAX_LOGO + 1), logo.filename)
            ref = (_text(form.get("logo_ref"))[:64], _text(form.get("logo_name"))[:200])
        offer = self.offer
        result = await anyio.to_thread.run_sync(
            check_form, raw, upload, ref if ref[0] else None, self.store, self.copy, offer, ticked
        )
        if not result.ok or result.logo is None or result.choice is None:
            return self.form_page(FormView.of(result), 422)
        choice = result.choice.as_dict()
        key = request_key(result.values, result.logo.digest, choice)
        if not self.jobs.known(key):
            client = request.client.host if request.client else "unknown"
            if not self.rate.allow(client):
                wait = self.rate.wait(client)
                return self.refused(result, "rate_limited_form", 429, wait, minutes=-(-wait // 60))
        try:
            self.jobs.submit(
                key,
                result.values,
                result.logo.path,
                result.logo.filename,
                choice,
                result.files,
                {
                    p.name: max(f.pages for f in p.files)
                    if p.ready
                    else PLANNED_PAGES.get(p.kind, 1)
                    for p in self.catalogue.products
                },
            )
        except Busy:
            return self.refused(result, "busy_form", 503, 30)
        return RedirectResponse(self.links.pack(key), 303)

    def refused(self, result: Any, key: str, status: int, retry: int, **values: object) -> Response:
        """The form again, filled in, with why it was not built now (busy, rate limit)."""
        form = FormView.of(result)
        form.errors[GENERAL] = [self.copy.text(f"errors.{key}", **values)]
        response = self.form_page(form, status)
        response.headers["retry-after"] = str(retry)
        return response

    def busy(self, key: str) -> Response:
        """The pack's page while the queue is full: wait, or change the form (kept as sent)."""
        response = self.error("busy", 503, "back_to_form", self.links.change(key))
        response.headers["retry-after"] = "30"
        return response

    def _status(self, key: str) -> Any:
        if self.jobs.path(key) is None:
            raise HTTPException(404)
        try:
            return self.jobs.status(key)
        except Busy:
            return None

    async def pack(self, request: Request) -> Response:
        status = self._status(request.path_params["key"])
        if status is None:
            return self.busy(request.path_params["key"])
        if status.state == "unknown":
            return self.error("pack_unknown", 404, "back_to_form")
        html = pack_page(
            self.project,
            self.copy,
            self.links,
            status,
            self.catalogue,
            str(request.url.replace(query="", fragment="")),
            self.keep_days,
            self.offer,
        )
        return self.page(html, headers={"cache-control": "no-store"})

    async def pack_status(self, request: Request) -> Response:
        status = self._status(request.path_params["key"])
        if status is None:
            return JSONResponse({"state": "busy"}, 503)
        body: dict[str, Any] = {"state": status.state, "done": status.done, "total": status.total}
        if status.state == "ready" and status.zip_name:
            body["download"] = self.links.pack_zip(status.key, status.zip_name)
            body["bytes"] = status.bytes
            body["files"] = len(status.files)
        code = 404 if status.state == "unknown" else 200
        return JSONResponse(body, code, headers={"cache-control": "no-store"})

    async def pack_preview(self, request: Request) -> Response:
        key, name = request.path_params["key"], request.path_params["name"]
        path = self.jobs.preview(key, name) if self.jobs.path(key) else None
        if path is None or not path.is_file():
            raise HTTPException(404)
        kind = "image/jpeg" if name.endswith(".jpg") else "image/png"
        return FileResponse(path, media_type=kind, headers={"cache-control": "private"})

    async def pack_download(self, request: Request) -> Response:
        key, name = request.path_params["key"], request.path_params["name"]
        if self.jobs.path(key) is None:
            raise HTTPException(404)
        path = self.jobs.download(key, name)
        if path is None or not path.is_file():
            raise HTTPException(404)
        return file_response(path, name, "private, max-age=3600")

    # --- errors -----------------------------------------------------------------

    async def http_error(self, request: Request, exc: Exception) -> Response:
        code = exc.status_code if isinstance(exc, HTTPException) else 500
        key = {404: "not_found", 405: "not_found", 413: "too_large"}.get(code, "bad_request")
        if code == 413:
            return self.too_large()
        return self.error(key, code)

    async def internal_error(self, request: Request, exc: Exception) -> Response:
        log.exception("internal error on %s", request.url.path, exc_info=exc)
        return self.error("internal", 500)


def file_response(path: Path, name: str, cache: str) -> Response:
    """A file to download; a web page or an image opens in the browser (``inline``)."""
    suffix = path.suffix.lower()
    headers = {"cache-control": cache}
    if suffix == ".html":
        headers["content-security-policy"] = PAGE_POLICY
    return FileResponse(
        path,
        media_type=MEDIA_TYPES.get(suffix, "application/octet-stream"),
        filename=name,
        headers=headers,
        content_disposition_type="inline" if suffix in (".html", ".png") else "attachment",
    )


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def create_app(portal: Portal) -> Starlette:
    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        await anyio.to_thread.run_sync(lambda: portal.offer)  # planned: nothing is built yet
        await anyio.to_thread.run_sync(portal.jobs.clean)
        portal.jobs.warm()
        portal.shelves.start()  # the default pack, in the background
        try:
            yield
        finally:
            portal.shelves.stop()
            portal.jobs.shutdown()

    handler: Callable[[Request, Exception], Awaitable[Response]] = portal.http_error
    check = CheckRoutes(portal)
    routes = [
        Route("/", portal.index),
        Route("/personalise", portal.personalise, methods=["GET", "POST"]),
        Route(CHECK_PATH, check.endpoint, methods=["GET", "POST"]),
        Route("/downloads/{name:path}", portal.download),  # digital/NAME: the kit's images
        Route("/thumbnails/{name}", portal.thumbnail),
        Route("/languages/{code}", portal.language),
        Route("/languages/{code}/downloads/{name:path}", portal.language_download),
        Route("/languages/{code}/thumbnails/{name}", portal.language_thumbnail),
        Route("/packs/{key}", portal.pack),
        Route("/packs/{key}/status", portal.pack_status),
        Route("/packs/{key}/thumbnails/{name}", portal.pack_preview),
        Route("/packs/{key}/{name}", portal.pack_download),
        Mount("/static", StaticFiles(directory=STATIC), name="static"),
    ]
    return Starlette(
        routes=routes,
        middleware=[
            Middleware(
                Guard,
                limit=MAX_LOGO + FORM_OVERHEAD,
                too_large=portal.too_large,
                paths={CHECK_PATH: (MAX_PDF + FORM_OVERHEAD, check.too_large)},
            )
        ],
        exception_handlers={HTTPException: handler, Exception: portal.internal_error},
        lifespan=lifespan,
    )
