"""Copy files into HTML, and the portal's templates into pages.

Every sentence on a page comes from the campaign's copy files (``portal.*``
keys in ``copy/<language>/portal.yaml``). Copy markup is parsed by the same
code as for print (:mod:`packgen.resolve.markup`), which escapes all text and every
inserted value; the few tags it produces (``<b>``, ``<i>``, ``<br/>``) are
valid HTML, so blocks become paragraphs, headings and lists here. Templates
are Jinja2 files with autoescaping on for everything.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from packgen.resolve.content import Content
from packgen.resolve.markup import BlockKind, MissingValue, to_blocks

TEMPLATES = Path(__file__).parent / "templates"
STATIC = Path(__file__).parent / "static"


def human_bytes(size: int) -> str:
    """``36 KB``, ``1.2 MB``, ``5 MB``: sizes as a person reads them."""
    if size < 1024 * 1024:
        return f"{max(1, round(size / 1024))} KB"
    return f"{size / 1048576:.1f}".removesuffix(".0") + " MB"


class PageCopy:
    """The portal's copy, with campaign data filled in; HTML or plain text."""

    def __init__(self, content: Content, prefix: str = "portal.") -> None:
        self.content = content
        self.prefix = prefix

    def _source(self, key: str) -> str:
        full = self.prefix + key
        if not self.content.has(full):
            raise KeyError(f"copy key '{full}' is missing from the portal copy")
        return self.content.copy[full]

    def has(self, key: str) -> bool:
        return self.content.has(self.prefix + key)

    def _data(self, values: Mapping[str, object]) -> dict[str, str]:
        data = dict(self.content.data)
        data.update({name: str(value) for name, value in values.items()})
        return data

    def html(self, key: str, **values: object) -> Markup:
        """Copy as HTML blocks: paragraphs, ``<h3>`` headings and ``<ul>`` lists."""
        try:
            blocks = to_blocks(self._source(key), self._data(values))
        except MissingValue as exc:
            raise KeyError(f"copy '{self.prefix}{key}' uses {{{exc.name}}}, not given") from None
        parts: list[str] = []
        in_list = False
        for block in blocks:
            if block.kind is BlockKind.BULLET and not in_list:
                parts.append("<ul>")
                in_list = True
            elif block.kind is not BlockKind.BULLET and in_list:
                parts.append("</ul>")
                in_list = False
            markup = block.markup.replace("<br/>", "<br>")
            if block.kind is BlockKind.HEADING:
                parts.append(f"<h3>{markup}</h3>")
            elif block.kind is BlockKind.BULLET:
                parts.append(f"<li>{markup}</li>")
            else:
                parts.append(f"<p>{markup}</p>")
        if in_list:
            parts.append("</ul>")
        return Markup("".join(parts))  # to_blocks escapes text and values

    def inline(self, key: str, **values: object) -> Markup:
        """Copy of one paragraph as inline HTML (no ``<p>``), for labels and links."""
        blocks = to_blocks(self._source(key), self._data(values))
        return Markup("<br>".join(b.markup.replace("<br/>", "<br>") for b in blocks))

    def marked(self, key: str, **values: object) -> Markup:
        """``inline`` copy whose values may be markup themselves (a language's name
        marked with its language): those are set in as their HTML, the rest escaped."""
        slots = {name: f"\ue000{i}\ue001" for i, name in enumerate(values)}
        plain = {n: slots[n] if hasattr(v, "__html__") else v for n, v in values.items()}
        html = str(self.inline(key, **plain))
        for name, value in values.items():
            if hasattr(value, "__html__"):
                html = html.replace(slots[name], value.__html__())
        return Markup(html)

    def text(self, key: str, **values: object) -> str:
        """Copy as plain text (titles, ``alt`` and ``aria`` texts): markup dropped."""
        inline = self.inline(key, **values)
        return Markup(inline.replace("<br>", " ")).striptags()

    def pages(self, count: int) -> str:
        return (
            self.text("downloads.pages_one")
            if count == 1
            else self.text("downloads.pages_many", count=count)
        )


def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["bytes"] = human_bytes
    return env


_ENV: jinja2.Environment | None = None


def render(template: str, context: Mapping[str, Any]) -> str:
    """A template rendered with ``context`` (all values escaped unless ``Markup``)."""
    global _ENV
    if _ENV is None:
        _ENV = environment()
    return _ENV.get_template(template).render(**context)
