"""Where each page links to: server routes, or relative files of a static site.

The templates never build a URL themselves; the same ``index.html`` is then
served by ``packgen serve`` and written by ``packgen site``.
"""

from __future__ import annotations

from urllib.parse import quote

from packgen.web.catalogue import PDF_DIR, THUMB_DIR


class ServerLinks:
    static_site = False

    def home(self) -> str:
        return "/"

    def pdf(self, name: str) -> str:
        return f"/downloads/{quote(name)}"

    def bundle(self, name: str) -> str:
        return f"/downloads/{quote(name)}"

    def thumbnail(self, name: str) -> str:
        return f"/thumbnails/{quote(name)}"

    def asset(self, name: str) -> str:
        return f"/static/{quote(name)}"

    def personalise(self) -> str:
        return "/personalise"

    def check(self) -> str:
        return "/check"

    def pack(self, key: str) -> str:
        return f"/packs/{quote(key)}"

    def pack_status(self, key: str) -> str:
        return f"/packs/{quote(key)}/status"

    def pack_zip(self, key: str, name: str) -> str:
        return f"/packs/{quote(key)}/{quote(name)}"

    def pack_thumbnail(self, key: str, name: str) -> str:
        return f"/packs/{quote(key)}/thumbnails/{quote(name)}"

    def change(self, key: str) -> str:
        return f"/?from={quote(key)}#personalise"

    def language(self, code: str, product: str = "") -> str:
        """One language's unpersonalised pack (at one product's entry, if given)."""
        return f"/languages/{quote(code)}" + (f"#product-{quote(product)}" if product else "")


class LanguageLinks(ServerLinks):
    """The files of one language's unpersonalised pack (``/languages/CODE/...``)."""

    def __init__(self, code: str) -> None:
        self.code = code

    def pdf(self, name: str) -> str:
        return f"/languages/{quote(self.code)}/downloads/{quote(name)}"

    def bundle(self, name: str) -> str:
        return self.pdf(name)

    def thumbnail(self, name: str) -> str:
        return f"/languages/{quote(self.code)}/thumbnails/{quote(name)}"


class SiteLinks(ServerLinks):
    """Relative links, so the folder works wherever it is put (even opened from disk)."""

    static_site = True

    def home(self) -> str:
        return "index.html"

    def pdf(self, name: str) -> str:
        return f"{PDF_DIR}/{quote(name)}"

    def bundle(self, name: str) -> str:
        return quote(name)

    def thumbnail(self, name: str) -> str:
        return f"{THUMB_DIR}/{quote(name)}"

    def asset(self, name: str) -> str:
        return quote(name)
