"""Template contexts: the catalogue, the form and a pack's status, ready to render.

Shared by the server and the static site; no web framework here.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup, escape

from packgen.model.dates import locale_of
from packgen.resolve.project import Project
from packgen.web.catalogue import PROFILE_ORDER, Catalogue
from packgen.web.choice import KIT, WEB, Choice, LanguageOption, Offer
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
            ready = info.get("ready", True)  # a planned file of the default pack: made on demand
            context = "downloads.file_context" if ready else "downloads.pending_context"
            cells.append(
                {
                    "href": href(str(info["file"])),
                    "file": str(info["file"]),
                    "download": ready,
                    "text": copy.text(
                        "downloads.file",
                        size=size,
                        pages=copy.pages(int(info["pages"])),
                        bytes=human_bytes(int(info["bytes"])),
                    )
                    if ready
                    else copy.text("downloads.pending"),
                    "context": copy.text(context, product=title, size=size, profile=profile_name),
                }
            )
        rows.append({"size": size, "cells": cells})
    return rows


@dataclass(frozen=True)
class LanguageName:
    """A language as the portal names it: its own name, then the portal's name for it.

    ``str()`` gives plain text ("العربية (Arabic)", for titles and headings); in a
    template it renders its own name marked with its language and direction, so a
    screen reader voices it in that language and the letters keep their order.
    """

    code: str
    native: str  # in the language itself, from CLDR ("Cymraeg", "العربية")
    gloss: str  # in the portal's language ("Welsh"); "" when the copy has none
    direction: str  # "ltr" or "rtl"

    def __str__(self) -> str:
        if not self.native or self.native == self.gloss:
            return self.gloss
        return f"{self.native} ({self.gloss})" if self.gloss else self.native

    def __html__(self) -> str:
        if not self.native or self.native == self.gloss:
            return str(escape(self.gloss))
        own = Markup('<span lang="{}" dir="{}">{}</span>').format(
            self.code, self.direction, self.native
        )
        return str(Markup("{} ({})").format(own, self.gloss) if self.gloss else own)


def language_label(copy: PageCopy, code: str, name: str, portal: str = "") -> LanguageName:
    """``code`` named for the form: its own name (CLDR's ``name``, capitalised as a
    menu item) and the portal copy's ``languages.CODE``; the portal's own language
    (``portal``) by the copy's name alone."""
    gloss = copy.text(f"languages.{code}") if copy.has(f"languages.{code}") else ""
    native = "" if code == portal else name[:1].upper() + name[1:]
    rtl = locale_of(code).character_order == "right-to-left"
    return LanguageName(code, native or ("" if gloss else name), gloss, "rtl" if rtl else "ltr")


def language_hint(copy: PageCopy, option: LanguageOption, titles: dict[str, str]) -> str:
    """What a language is made of, and, for a draft, that no translator has checked it."""
    names = [titles.get(p, p) for p in option.products]
    if option.kit:
        names.append(copy.text("personalise.kit").lower())
    products = ", ".join(names)
    key = "personalise.language_draft" if option.draft else "personalise.language_products"
    return copy.text(key, products=products)


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
        if offer.kit:
            options["kit"] = [
                {
                    "value": part,
                    "label": copy.text(f"personalise.kit_{part}"),
                    "checked": part in choice.kit,
                    "hint": copy.text(f"personalise.kit_{part}_hint", count=len(offer.kit[part])),
                }
                for part in offer.kit
            ]
        options["profiles"] = [
            {
                "value": profile,
                "label": copy.text(f"downloads.{profile}"),
                "checked": profile in choice.profiles,
                "hint": copy.text(f"personalise.profile_{profile}_hint"),
            }
            for profile in offer.versions
        ]
        if len(offer.languages) > 1:
            options["languages"] = [
                {
                    "value": option.code,
                    "label": language_label(copy, option.code, option.name, offer.default_language),
                    "checked": option.code in choice.languages,
                    "hint": language_hint(copy, option, titles)
                    if option.code != offer.default_language
                    else "",
                }
                for option in offer.languages
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


def _listing(
    copy: PageCopy,
    links: ServerLinks,
    catalogue: Catalogue,
    offer: Offer | None = None,
    show_languages: bool = True,
) -> dict[str, Any]:
    """The products, the kit and the zip of a default pack (planned files marked pending)."""
    products = []
    kit: list[tuple[str, str, list[dict[str, Any]]]] = []
    for product in catalogue.products:
        if product.kind in KIT:
            listed = [
                vars(info)
                | {"extras": [{"file": e, "path": e} for e in info.extras], "ready": product.ready}
                for info in product.files
            ]
            kit.append((product.name, product.title, listed))
            continue

        def lookup(size: str, profile: str, product: Any = product) -> dict[str, Any] | None:
            info = product.file(size, profile)
            return None if info is None else {**vars(info), "ready": product.ready}

        rows = file_rows(copy, product.title, product.sizes, lookup, links.pdf)
        web = next(
            (vars(f) | {"ready": product.ready} for f in product.files if f.profile == WEB), None
        )
        portal_language = offer.default_language if offer else ""
        others = [
            {
                "href": links.language(o.code, product.name),
                "text": language_label(copy, o.code, o.name, portal_language),
                "draft": copy.text("kit.draft") if o.draft else "",
            }
            for o in (offer.languages[1:] if offer and show_languages else ())
            if product.name in o.products
        ]
        products.append(
            {
                "name": product.name,
                "title": product.title,
                "blurb": product.blurb,
                "thumbnail": links.thumbnail(product.thumbnail) if product.ready else "",
                "width": product.thumbnail_size[0],
                "height": product.thumbnail_size[1],
                "alt": copy.text("downloads.thumbnail_alt", product=product.title),
                "rows": rows,
                "web": web_link(copy, product.title, web, links.pdf),
                "languages": others if not links.static_site else [],
            }
        )

    def read(name: str) -> bytes | None:
        path = catalogue.pdf(name)
        return path.read_bytes() if path is not None and path.is_file() else None

    thumbs = {p.name: p for p in catalogue.products}
    groups = kit_groups(copy, kit, links.pdf, read)
    for group in groups:  # the listing shows each group's first picture small
        first = next((thumbs[n] for n, _, _ in kit if kit_group(copy, n)[0] == group["name"]), None)
        group["thumbnail"] = (
            first
            and first.ready
            and {
                "src": links.thumbnail(first.thumbnail),
                "width": first.thumbnail_size[0],
                "height": first.thumbnail_size[1],
            }
        )
    ready = catalogue.bundle_bytes > 0
    return {
        "products": products,
        "kit": groups,
        "profiles": PROFILE_ORDER,
        "bundle": {
            "href": links.bundle(catalogue.bundle),
            "file": catalogue.bundle,
            "ready": ready,
            "size": human_bytes(catalogue.bundle_bytes) if ready else "",
        },
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
    context = _base(project, copy, links) | _listing(copy, links, catalogue, offer)
    context["error_title"] = bool(form.errors)
    context |= form_context(copy, form, offer, catalogue)
    return render("index.html", context)


def language_page(
    project: Project,
    copy: PageCopy,
    links: ServerLinks,
    catalogue: Catalogue,
    option: LanguageOption,
) -> str:
    """One language's unpersonalised pack: its products and kit, each file downloadable."""
    name = language_label(copy, option.code, option.name, project.language_code)
    context = _base(project, copy, links) | _listing(copy, links, catalogue, None, False)
    context |= {"language": name, "code": option.code, "draft": option.draft}
    return render("language.html", context)


def pack_page(
    project: Project,
    copy: PageCopy,
    links: ServerLinks,
    status: Status,
    catalogue: Catalogue,
    pack_url: str = "",
    keep_days: int = 7,
    offer: Offer | None = None,
) -> str:
    labels = {f.name: copy.text(f"personalise.{f.name}") for f in FIELDS}
    labels[LOGO] = copy.text("personalise.logo")
    errors = FormView.of_status(status, copy).errors
    problems = [
        {"label": labels.get(name), "message": message}
        for name in (*ORDER, GENERAL)
        for message in errors.get(name, [])
    ]
    languages = {o.code: o for o in offer.languages} if offer else {}
    own = offer.default_language if offer else ""

    def href(name: str) -> str:
        return links.pack_zip(status.key, name)

    sections = []
    for zipped in status.zips:
        code = str(zipped.get("language") or own)
        in_language = [f for f in status.files if str(f.get("language") or own) == code]
        previews = {
            str(p.get("product")): p
            for p in status.previews
            if str(p.get("language") or own) == code
        }
        products, kit = [], []
        for product in catalogue.products:
            files = [f for f in in_language if f.get("product") == product.name]
            if not files:
                continue
            if product.kind in KIT:
                kit.append((product.name, product.title, files))
                continue

            def lookup(size: str, profile: str, files: Any = files) -> dict[str, Any] | None:
                return next(
                    (f for f in files if f["size"] == size and f["profile"] == profile), None
                )

            sizes = [s for s in product.sizes if any(f["size"] == s for f in files)]
            sizes = [s for s in sizes if any(lookup(s, p) for p in PROFILE_ORDER)]
            preview = previews.get(product.name)
            web = next((f for f in files if f["profile"] == WEB), None)
            products.append(
                {
                    "name": product.name,
                    "anchor": f"{product.name}-{code}" if code != own else product.name,
                    "title": product.title,
                    "rows": file_rows(copy, product.title, sizes, lookup, href),
                    "web": web_link(copy, product.title, web, href),
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
        option = languages.get(code)
        name = language_label(copy, code, option.name if option else code, own)
        sections.append(
            {
                "code": code,
                "own": code == own,
                "heading": copy.text("pack.language_heading", language=name),
                "marked_heading": copy.marked("pack.language_heading", language=name),
                "draft": bool(option and option.draft),
                "zip": {
                    "href": href(str(zipped["file"])),
                    "file": str(zipped["file"]),
                    "text": copy.marked(
                        "pack.download_language",
                        language=name,
                        size=human_bytes(int(zipped.get("bytes", 0))),
                    ),
                },
                "products": products,
                "kit": kit_groups(copy, kit, href, lambda n: None),
            }
        )
    context = _base(project, copy, links) | {
        "status": status,
        "problems": problems,
        "sections": sections,
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


# --- the digital kit and web pages ---------------------------------------------------


def kit_group(copy: PageCopy, product: str) -> tuple[str, str]:
    """The kit group a screen layout belongs to (``social-fact`` for ``social-fact-x``) and
    its shape (``x``); a layout whose group has no title in the copy is a group of its own."""
    group, _, shape = product.rpartition("-")
    if group and copy.has(f"products.{group}.title"):
        return group, shape
    return product, ""


def kit_image(
    copy: PageCopy,
    title: str,
    shape: str,
    info: dict[str, Any],
    href: Callable[[str], str],
    read: Callable[[str], bytes | None],
) -> dict[str, Any]:
    """One image of the kit: its link, pixel size, alt text, sidecar files and posts."""
    width, _, height = str(info["size"]).partition("x")
    shape_name = (
        copy.text(f"kit.shapes.{shape}") if shape and copy.has(f"kit.shapes.{shape}") else ""
    )
    extras = []
    posts: list[dict[str, str]] = list(info.get("posts") or [])
    snippet = str(info.get("snippet") or "")
    link = str(info.get("link") or "")
    for extra in info.get("extras", []):
        name = str(extra["file"])
        kind = str(extra.get("kind") or name.rpartition(".")[2])
        data = read(str(extra.get("path") or name))
        size = int(extra.get("bytes") or (len(data) if data is not None else 0))
        if kind == "json" and not posts and data is not None:
            sidecar = json.loads(data)
            posts = [
                {"platform": str(p.get("platform", "")), "text": str(p.get("text", ""))}
                for p in sidecar.get("posts", [])
            ]
            link = link or str(sidecar.get("link") or "")
        if kind == "html" and not snippet and data is not None:
            snippet = data.decode("utf-8")
        label = "kit.snippet_file" if kind == "html" else "kit.sidecar_file"
        extras.append(
            {"href": href(name), "file": name, "text": copy.text(label, bytes=human_bytes(size))}
        )
    for post in posts:
        key = f"kit.platforms.{post['platform']}"
        post["name"] = copy.text(key) if copy.has(key) else post["platform"]
    return {
        "href": href(str(info["file"])),
        "file": str(info["file"]).rpartition("/")[2],
        "width": int(width) if width.isdigit() else 0,
        "height": int(height) if height.isdigit() else 0,
        "shape": shape_name or str(info["size"]),
        "download": info.get("ready", True),
        "text": copy.text(
            "kit.file", width=width, height=height, bytes=human_bytes(int(info["bytes"]))
        )
        if info.get("ready", True)
        else copy.text("downloads.kit_pending", width=width, height=height),
        "context": copy.text("kit.file_context", product=title, shape=shape_name or info["size"]),
        "alt": str(info.get("alt") or ""),
        "extras": extras,
        "posts": posts,
        "snippet": snippet,
        "link": link,
    }


def kit_groups(
    copy: PageCopy,
    entries: list[tuple[str, str, list[dict[str, Any]]]],
    href: Callable[[str], str],
    read: Callable[[str], bytes | None],
) -> list[dict[str, Any]]:
    """The kit's layouts (name, title, files) as groups of images, in the order given."""
    groups: dict[str, dict[str, Any]] = {}
    for product, title, files in entries:
        group, shape = kit_group(copy, product)
        if group not in groups:
            named = copy.has(f"products.{group}.title")
            groups[group] = {
                "name": group,
                "title": copy.text(f"products.{group}.title") if named else title,
                "blurb": copy.text(f"products.{group}.blurb")
                if copy.has(f"products.{group}.blurb")
                else "",
                "images": [],
            }
        for info in files:
            groups[group]["images"].append(
                kit_image(copy, groups[group]["title"], shape, info, href, read)
            )
    found = list(groups.values())
    for entry in found:
        # posts are the same for every shape of a design: shown once, with the first image
        seen: set[str] = set()
        for image in entry["images"]:
            image["posts"] = [p for p in image["posts"] if p["text"] not in seen]
            seen.update(p["text"] for p in image["posts"])
    return found


def web_link(
    copy: PageCopy, title: str, info: dict[str, Any] | None, href: Callable[[str], str]
) -> dict[str, str] | None:
    """The link to a product's web page (HTML version), or None."""
    if info is None:
        return None
    ready = info.get("ready", True)
    return {
        "href": href(str(info["file"])),
        "text": copy.text("kit.web", bytes=human_bytes(int(info["bytes"])))
        if ready
        else copy.text("downloads.web_pending"),
        "context": copy.text("kit.web_context", product=title),
    }


def preparing_page(
    project: Project, copy: PageCopy, links: ServerLinks, file: str, href: str, back: str
) -> str:
    """A default file asked for before it is made: it is being made; the page asks again."""
    context = _base(project, copy, links) | {"file": file, "href": href, "back": back}
    return render("preparing.html", context)
