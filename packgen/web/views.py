"""Template contexts: the catalogue, the form and a pack's status, ready to render.

Shared by the server and the static site; no web framework here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from packgen.resolve.project import Project
from packgen.web.catalogue import PROFILE_ORDER, Catalogue
from packgen.web.choice import Choice, Offer
from packgen.web.jobs import Status
from packgen.web.links import ServerLinks
from packgen.web.pages import PageCopy, human_bytes, render
from packgen.web.upload import CHOICES, FIELDS, GENERAL, LOGO, MAX_LOGO, ORDER, FormResult


@dataclass
class FormView:
    """What the personalise form shows: values, errors by field, a logo already sent."""

    values: dict[str, str] = field(default_factory=dict)
    errors: dict[str, list[str]] = field(default_factory=dict)
    logo_ref: str = ""
    logo_name: str = ""
    choice: Choice | None = None

    @classmethod
    def of(cls, result: FormResult) -> FormView:
        logo = result.logo
        return cls(
            dict(result.values),
            {k: list(v) for k, v in result.errors.items()},
            logo.digest if logo else "",
            logo.filename if logo else "",
            result.choice,
        )

    @classmethod
    def of_request(cls, request: dict[str, Any], offer: Offer) -> FormView:
        """The form as it was sent for a pack (``request.json``), to change it."""
        logo = request.get("logo") or {}
        values = request.get("values") or {}
        return cls(
            {str(k): str(v) for k, v in values.items()},
            {},
            str(logo.get("digest", "")),
            str(logo.get("name", "")),
            Choice.of(request.get("choice") or {}, offer.default()),
        )

    @classmethod
    def of_status(cls, status: Status, copy: PageCopy, offer: Offer | None = None) -> FormView:
        errors: dict[str, list[str]] = {}
        details: dict[tuple[str, str], list[str]] = {}  # one explanation per field and kind
        for problem in status.problems:
            name = problem.field or GENERAL
            if problem.kind and copy.has(f"errors.build_{problem.kind}"):
                details.setdefault((name, problem.kind), []).append(problem.message)
            else:
                errors.setdefault(name, []).append(problem.message)
        for (name, kind), found in details.items():
            text = f"{copy.text(f'errors.build_{kind}')} ({'; '.join(dict.fromkeys(found))})"
            errors.setdefault(name, []).insert(0, text)
        for messages in errors.values():
            messages[:] = list(dict.fromkeys(messages))
        choice = Choice.of(status.choice, offer.default()) if offer else None
        return cls(
            dict(status.values),
            errors,
            status.logo.get("digest", ""),
            status.logo.get("name", ""),
            choice,
        )


def _base(project: Project, copy: PageCopy, links: ServerLinks) -> dict[str, Any]:
    return {
        "copy": copy,
        "links": links,
        "lang": project.language_code,
        "campaign": project.campaign,
        "error_title": False,
    }


def file_rows(
    copy: PageCopy,
    title: str,
    sizes: list[str],
    lookup: Callable[[str, str], dict[str, Any] | None],
    href: Callable[[str], str],
) -> list[dict[str, Any]]:
    """A product's files as table rows (one per size, one cell per version).

    Each link's visible text (pages and size) starts its accessible name; the
    product, paper size and version follow in text hidden from sight only.
    """
    rows = []
    for size in sizes:
        cells: list[dict[str, str] | None] = []
        for profile in PROFILE_ORDER:
            info = lookup(size, profile)
            if info is None:
                cells.append(None)
                continue
            profile_name = copy.text(f"downloads.{profile}")
            cells.append(
                {
                    "href": href(str(info["file"])),
                    "file": str(info["file"]),
                    "text": copy.text(
                        "downloads.file",
                        size=size,
                        pages=copy.pages(int(info["pages"])),
                        bytes=human_bytes(int(info["bytes"])),
                    ),
                    "context": copy.text(
                        "downloads.file_context", product=title, size=size, profile=profile_name
                    ),
                }
            )
        rows.append({"size": size, "cells": cells})
    return rows


def form_context(
    copy: PageCopy, form: FormView, offer: Offer | None, catalogue: Catalogue
) -> dict[str, Any]:
    """What ``_form.html`` needs: fields, choices, the error summary."""
    general = form.errors.get(GENERAL, [])
    summary = [(name, message) for name in ORDER for message in form.errors.get(name, [])] + [
        (None, message) for message in general
    ]
    titles = {p.name: p.title for p in catalogue.products}
    choice = form.choice or (offer.default() if offer else None)
    options: dict[str, list[dict[str, Any]]] = {}
    if offer is not None and choice is not None:
        options["products"] = [
            {
                "value": name,
                "label": titles.get(name, name),
                "checked": name in choice.products,
                "hint": "",
            }
            for name in offer.products
        ]
        options["sizes"] = [
            {
                "value": size,
                "label": size,
                "checked": size in choice.sizes,
                "hint": "" if size in offer.office_sizes else copy.text("personalise.press_only"),
            }
            for size in offer.sizes
        ]
        options["profiles"] = [
            {
                "value": profile,
                "label": copy.text(f"downloads.{profile}"),
                "checked": profile in choice.profiles,
                "hint": copy.text(f"personalise.profile_{profile}_hint"),
            }
            for profile in PROFILE_ORDER
        ]
        if len(offer.languages) > 1:
            options["language"] = [
                {
                    "value": code,
                    "label": copy.text(f"languages.{code}")
                    if copy.has(f"languages.{code}")
                    else code,
                    "checked": code == choice.language,
                    "hint": "",
                }
                for code in offer.languages
            ]
    return {
        "fields": {f.name: f for f in FIELDS},
        "order": [n for n in ORDER if n not in CHOICES],
        "choices": [n for n in CHOICES if n in options],
        "options": options,
        "logo_field": LOGO,
        "max_logo": MAX_LOGO,
        "max_logo_text": human_bytes(MAX_LOGO),
        "form": form,
        "summary": summary,
    }


def index_page(
    project: Project,
    copy: PageCopy,
    links: ServerLinks,
    catalogue: Catalogue,
    form: FormView | None = None,
    offer: Offer | None = None,
) -> str:
    form = form or FormView()
    products = []
    for product in catalogue.products:

        def lookup(size: str, profile: str, product: Any = product) -> dict[str, Any] | None:
            info = product.file(size, profile)
            return None if info is None else {"file": info.file, **vars(info)}

        rows = file_rows(copy, product.title, product.sizes, lookup, links.pdf)
        products.append(
            {
                "name": product.name,
                "title": product.title,
                "blurb": product.blurb,
                "thumbnail": links.thumbnail(product.thumbnail),
                "width": product.thumbnail_size[0],
                "height": product.thumbnail_size[1],
                "alt": copy.text("downloads.thumbnail_alt", product=product.title),
                "rows": rows,
            }
        )
    context = _base(project, copy, links) | {
        "products": products,
        "profiles": PROFILE_ORDER,
        "bundle": {
            "href": links.bundle(catalogue.bundle),
            "file": catalogue.bundle,
            "size": human_bytes(catalogue.bundle_bytes),
        },
        "error_title": bool(form.errors),
    }
    context |= form_context(copy, form, offer, catalogue)
    return render("index.html", context)


def pack_page(
    project: Project,
    copy: PageCopy,
    links: ServerLinks,
    status: Status,
    catalogue: Catalogue,
    pack_url: str = "",
    keep_days: int = 7,
) -> str:
    labels = {f.name: copy.text(f"personalise.{f.name}") for f in FIELDS}
    labels[LOGO] = copy.text("personalise.logo")
    errors = FormView.of_status(status, copy).errors
    problems = [
        {"label": labels.get(name), "message": message}
        for name in (*ORDER, GENERAL)
        for message in errors.get(name, [])
    ]
    previews = {str(p.get("product")): p for p in status.previews}
    products = []
    for product in catalogue.products:
        files = [f for f in status.files if f.get("product") == product.name]
        if not files:
            continue

        def lookup(size: str, profile: str, files: Any = files) -> dict[str, Any] | None:
            return next((f for f in files if f["size"] == size and f["profile"] == profile), None)

        sizes = [s for s in product.sizes if any(f["size"] == s for f in files)]
        preview = previews.get(product.name)
        products.append(
            {
                "name": product.name,
                "title": product.title,
                "rows": file_rows(
                    copy, product.title, sizes, lookup, lambda n: links.pack_zip(status.key, n)
                ),
                "preview": preview
                and {
                    "src": links.pack_thumbnail(status.key, str(preview["file"])),
                    "large": links.pack_thumbnail(status.key, str(preview["large"])),
                    "width": preview.get("width"),
                    "height": preview.get("height"),
                    "alt": copy.text("pack.preview_alt", product=product.title),
                },
            }
        )
    context = _base(project, copy, links) | {
        "status": status,
        "problems": problems,
        "products": products,
        "profiles": PROFILE_ORDER,
        "count": len(status.files),
        "size": human_bytes(status.bytes),
        "labels": labels,
        "pack_url": pack_url,
        "keep_days": keep_days,
        "error_title": status.state == "failed",
    }
    return render("pack.html", context)


def error_page(
    project: Project,
    copy: PageCopy,
    links: ServerLinks,
    key: str,
    back: str | None = None,
    back_href: str | None = None,
    **values: object,
) -> str:
    """A page for an HTTP error; ``back`` names the copy of a way back to the form, which
    is ``back_href`` (the form as it was sent) or the empty form."""
    context = _base(project, copy, links) | {
        "heading": copy.text(f"errors.{key}_heading"),
        "message": copy.html(f"errors.{key}", **values),
        "back": copy.text(f"errors.{back}") if back else "",
        "back_href": back_href or f"{links.home()}#personalise",
    }
    return render("error.html", context)
