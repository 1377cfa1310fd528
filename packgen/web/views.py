"""Template contexts: the catalogue, the form and a pack's status, ready to render.

Shared by the server and the static site; no web framework here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from packgen.resolve.project import Project
from packgen.web.catalogue import PROFILE_ORDER, Catalogue
from packgen.web.jobs import Status
from packgen.web.links import ServerLinks
from packgen.web.pages import PageCopy, human_bytes, render
from packgen.web.upload import FIELDS, GENERAL, LOGO, MAX_LOGO, ORDER, FormResult


@dataclass
class FormView:
    """What the personalise form shows: values, errors by field, a logo already sent."""

    values: dict[str, str] = field(default_factory=dict)
    errors: dict[str, list[str]] = field(default_factory=dict)
    logo_ref: str = ""
    logo_name: str = ""

    @classmethod
    def of(cls, result: FormResult) -> FormView:
        logo = result.logo
        return cls(
            dict(result.values),
            {k: list(v) for k, v in result.errors.items()},
            logo.digest if logo else "",
            logo.filename if logo else "",
        )

    @classmethod
    def of_status(cls, status: Status, copy: PageCopy) -> FormView:
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
        return cls(
            dict(status.values),
            errors,
            status.logo.get("digest", ""),
            status.logo.get("name", ""),
        )


def _base(project: Project, copy: PageCopy, links: ServerLinks) -> dict[str, Any]:
    return {
        "copy": copy,
        "links": links,
        "lang": project.language_code,
        "campaign": project.campaign,
    }


def index_page(
    project: Project,
    copy: PageCopy,
    links: ServerLinks,
    catalogue: Catalogue,
    form: FormView | None = None,
) -> str:
    form = form or FormView()
    products = []
    for product in catalogue.products:
        rows = []
        for size in product.sizes:
            cells: list[dict[str, str] | None] = []
            for profile in PROFILE_ORDER:
                info = product.file(size, profile)
                if info is None:
                    cells.append(None)
                    continue
                profile_name = copy.text(f"downloads.{profile}")
                cells.append(
                    {
                        "href": links.pdf(info.file),
                        "file": info.file,
                        "text": copy.text(
                            "downloads.file",
                            size=size,
                            pages=copy.pages(info.pages),
                            bytes=human_bytes(info.bytes),
                        ),
                        "label": copy.text(
                            "downloads.file_label",
                            product=product.title,
                            size=size,
                            profile=profile_name,
                            bytes=human_bytes(info.bytes),
                        ),
                    }
                )
            rows.append({"size": size, "cells": cells})
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
    general = form.errors.get(GENERAL, [])
    summary = [(name, message) for name in ORDER for message in form.errors.get(name, [])] + [
        (None, message) for message in general
    ]
    context = _base(project, copy, links) | {
        "products": products,
        "profiles": PROFILE_ORDER,
        "bundle": {
            "href": links.bundle(catalogue.bundle),
            "file": catalogue.bundle,
            "size": human_bytes(catalogue.bundle_bytes),
        },
        "fields": {f.name: f for f in FIELDS},
        "order": ORDER,
        "logo_field": LOGO,
        "max_logo": MAX_LOGO,
        "max_logo_text": human_bytes(MAX_LOGO),
        "form": form,
        "summary": summary,
    }
    return render("index.html", context)


def pack_page(
    project: Project, copy: PageCopy, links: ServerLinks, status: Status, catalogue: Catalogue
) -> str:
    labels = {f.name: copy.text(f"personalise.{f.name}") for f in FIELDS}
    labels[LOGO] = copy.text("personalise.logo")
    titles = {p.name: p.title for p in catalogue.products}
    order = [p.name for p in catalogue.products]
    thumbnails = [
        {**thumb, "title": titles.get(str(thumb.get("product")), thumb.get("product"))}
        for thumb in sorted(
            status.thumbnails,
            key=lambda t: order.index(t["product"]) if t.get("product") in order else len(order),
        )
    ]
    errors = FormView.of_status(status, copy).errors
    problems = [
        {"label": labels.get(name), "message": message}
        for name in (*ORDER, GENERAL)
        for message in errors.get(name, [])
    ]
    context = _base(project, copy, links) | {
        "status": status,
        "problems": problems,
        "thumbnails": thumbnails,
        "size": human_bytes(status.bytes),
        "labels": labels,
    }
    return render("pack.html", context)


def error_page(
    project: Project, copy: PageCopy, links: ServerLinks, key: str, **values: object
) -> str:
    context = _base(project, copy, links) | {
        "heading": copy.text(f"errors.{key}_heading"),
        "message": copy.html(f"errors.{key}", **values),
    }
    return render("error.html", context)
