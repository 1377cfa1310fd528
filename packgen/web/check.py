"""The portal's "check a PDF" page: an upload into the preflight report, with pictures.

``GET /check`` shows the form; ``POST /check`` takes one PDF (bounded in size,
checked by its content, not its name), checks it in a worker process with
memory and time limits (:mod:`packgen.check.worker`), and answers with the
report and the marked pictures inline; the upload and the pictures are in a
temporary folder that is removed before the page is sent. Mistakes are shown
next to the file field, as on the personalise form; no JavaScript is needed.
"""

from __future__ import annotations

import base64
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import anyio
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from packgen.check.worker import UPLOAD, Outcome, run_limited
from packgen.web.pages import human_bytes, render

CHECK_PATH = "/check"
MAX_PDF = 20 * 1024 * 1024  # bytes
FORM_OVERHEAD = 64 * 1024
FIELD = "pdf"
CONCURRENT = 1  # checks at once; more get the "busy" page
_slots = threading.BoundedSemaphore(CONCURRENT)


@dataclass
class CheckView:
    """What the page shows: errors for the file field, or a report and its pictures."""

    errors: list[str] = field(default_factory=list)
    filename: str = ""
    report: dict[str, Any] | None = None
    pictures: list[str] = field(default_factory=list)  # data: URIs, page order


def _audiences(report: dict[str, Any]) -> list[dict[str, Any]]:
    rows = []
    for audience in ("office", "shop"):
        verdict = report["verdicts"][audience]
        findings = [f for f in report["findings"] if f[audience] != "pass"]
        findings.sort(key=lambda f: (f[audience] != "fail", f["page"] or 0))
        rows.append({"name": audience, "verdict": verdict, "findings": findings})
    return rows


def check_page(base: dict[str, Any], view: CheckView, status: int = 200) -> HTMLResponse:
    """The page: ``base`` is the portal's template context (copy, links, language, campaign)."""
    context = base | {
        "view": view,
        "field": FIELD,
        "action": CHECK_PATH,
        "limit": human_bytes(MAX_PDF),
        "audiences": _audiences(view.report) if view.report else [],
        "error_title": bool(view.errors),  # the title starts "Error:", as on the form
    }
    return HTMLResponse(render("check.html", context), status)


def _problem_copy(outcome: Outcome) -> str:
    return {"time": "check.errors.time", "memory": "check.errors.memory"}.get(
        outcome.problem or "", "check.errors.failed"
    )


def check_upload(data: bytes) -> CheckView | str:
    """Check one uploaded PDF; a view with the report, or the copy key of the problem."""
    if not data:
        return "check.errors.missing"
    if len(data) > MAX_PDF:
        return "check.errors.too_large"
    if not data[:1024].lstrip(b"\x00\t\n\r ").startswith(b"%PDF-"):
        return "check.errors.not_pdf"
    with tempfile.TemporaryDirectory(prefix="packgen-check-") as folder:
        path = Path(folder)
        (path / UPLOAD).write_bytes(data)
        outcome = run_limited(path)
        if outcome.report is None:
            return _problem_copy(outcome)
        pictures = [
            "data:image/png;base64," + base64.b64encode(p.read_bytes()).decode("ascii")
            for p in outcome.pictures
        ]
    return CheckView(report=outcome.report, pictures=pictures)


class CheckRoutes:
    """``GET`` and ``POST /check`` for a portal (its copy and page context)."""

    def __init__(self, portal: Any) -> None:
        self.portal = portal

    def _base(self) -> dict[str, Any]:
        from packgen.web.views import _base

        return _base(self.portal.project, self.portal.copy, self.portal.links)

    def too_large(self) -> Response:
        message = self.portal.copy.text("check.errors.too_large", limit=human_bytes(MAX_PDF))
        view = CheckView(errors=[message])
        return check_page(self._base(), view, 413)

    async def endpoint(self, request: Request) -> Response:
        copy = self.portal.copy
        if request.method != "POST":
            return check_page(self._base(), CheckView())
        async with request.form(max_files=1, max_fields=4, max_part_size=16 * 1024) as form:
            upload = form.get(FIELD)
            data, filename = b"", ""
            if isinstance(upload, UploadFile) and upload.filename:
                data = await upload.read(MAX_PDF + 1)
                filename = upload.filename[:200]
        if not _slots.acquire(blocking=False):
            view = CheckView(errors=[copy.text("check.errors.busy")], filename=filename)
            return check_page(self._base(), view, 503)
        try:
            result = await anyio.to_thread.run_sync(check_upload, data)
        finally:
            _slots.release()
        if isinstance(result, str):
            view = CheckView(
                errors=[copy.text(result, limit=human_bytes(MAX_PDF))], filename=filename
            )
            return check_page(self._base(), view, 422)
        result.filename = filename or "upload.pdf"
        return check_page(self._base(), result)
