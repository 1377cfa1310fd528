"""Screen images into the files that go beside them: a JSON sidecar, a banner's HTML snippet.

Every image gets ``<name>.json``: its pixel size, alt text, link and posts
(each with its platform, length and limit), so whoever posts it has the
words with it. A banner also gets ``<name>.html``: the ``<a><img></a>``
snippet that pastes into an email signature (Outlook, Gmail), with its
width and height in CSS px (a 2x image shows at its layout's size, sharp on
dense screens), then the alt text and the link on their own lines. Every
value is HTML-escaped.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from html import escape
from pathlib import Path

from packgen.layout.placed import DigitalInfo, PlacedDocument
from packgen.units import PX


def sidecars(image: Path, placed: PlacedDocument) -> dict[Path, bytes]:
    """The files to write beside ``image`` (none for a document that is not a screen image)."""
    info = placed.digital
    if info is None:
        return {}
    page = placed.pages[0].media
    pixels = (round(page.w / PX), round(page.h / PX))
    made: dict[Path, bytes] = {image.with_suffix(".json"): describe(image.name, pixels, info)}
    if info.kind == "banner" and info.link:
        made[image.with_suffix(".html")] = snippet(image.name, info).encode("utf-8")
    return made


def describe(name: str, pixels: tuple[int, int], info: DigitalInfo) -> bytes:
    """The JSON sidecar of one image."""
    document = {
        "image": name,
        "pixels": list(pixels),
        "display": list(info.css),
        "alt": info.alt,
        "link": info.link,
        "posts": [asdict(post) for post in info.posts],
    }
    return (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def snippet(name: str, info: DigitalInfo) -> str:
    """``<a href="…"><img src="…" width="600" height="200" alt="…"></a>``, alt and link after."""
    width, height = info.css
    link = escape(info.link or "", quote=True)
    tag = (
        f'<a href="{link}"><img src="{escape(name, quote=True)}" width="{width}" '
        f'height="{height}" alt="{escape(info.alt, quote=True)}" '
        'style="display:block;border:0;"></a>'
    )
    return f"{tag}\n{escape(info.alt, quote=False)}\n{link}\n"
